/**
 * The evaluation queue as clients see it, derived from the requests index:
 * - `status()`: the README's `{ pending, evaluating, finished }` plus `failed` (every other
 *   status — the original silently dropped them), wait times computed at call time;
 * - `pending()` / `pendingEntries()`: the queue order — net votes (highest first), then
 *   submission time (oldest first), then path — the order the evaluation pipeline claims in;
 * - `modelStatus(id)`: one model's requests with their queue positions.
 *
 * Statuses map as the original did, case-insensitively: PENDING → pending, RUNNING (or
 * EVALUATING) → evaluating, FINISHED → finished; anything else → failed.
 *
 * The grouping and the time-ordered lists are rebuilt once per index version; only the pending
 * order (which depends on live vote counts) and the wait times are computed per call.
 */
import { randomBytes } from 'node:crypto';
import { CachedPayload } from '../../http/cached-payload.js';
import type { EvalRequest } from '../../datasets/request-file.js';
import type { QueueEntry, RequestsIndex } from './requests-index.js';
import { formatWaitTime, formatWaitTimeHuman, waitSeconds } from './wait-time.js';

export type QueueState = 'pending' | 'evaluating' | 'finished' | 'failed';

/** The queue a request file's status belongs to. */
export function queueState(status: unknown): QueueState {
  const upper = typeof status === 'string' ? status.trim().toUpperCase() : '';
  if (upper === 'PENDING') return 'pending';
  if (upper === 'RUNNING' || upper === 'EVALUATING') return 'evaluating';
  if (upper === 'FINISHED') return 'finished';
  return 'failed';
}

/** The `status` value of queue items: the README's names, or the file's own for failures. */
function itemStatus(state: QueueState, raw: unknown): string {
  if (state === 'pending') return 'PENDING';
  if (state === 'evaluating') return 'EVALUATING';
  if (state === 'finished') return 'FINISHED';
  return typeof raw === 'string' && raw.trim() !== '' ? raw : 'UNKNOWN';
}

/** Fields where pipelines record why an evaluation failed, in order of preference. */
const REASON_FIELDS = ['reason', 'failure_reason', 'error', 'error_message', 'status_message'] as const;

export function failureReason(request: EvalRequest): string | null {
  for (const field of REASON_FIELDS) {
    const value = request[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

/** Net votes (up minus down) per model, optionally of one revision: the votes feature's tally. */
export interface QueueVoteCounts {
  netVotes(modelId: string, revision?: string): number;
  /** Called after a model's votes change (the pending order and vote counts change with them). */
  onChange?(listener: (model: string) => void): () => void;
}

export interface QueueItem {
  name: string;
  submitter: string;
  revision: string;
  /** The original's format: seconds with one decimal and `s` (`"7384.2s"`), computed per call. */
  wait_time: string;
  /** Readable: `"45s"`, `"12m"`, `"2h 5m"`, `"3d 4h"`. */
  wait_time_human: string;
  submission_time: string;
  /** `PENDING`, `EVALUATING`, `FINISHED`, or the file's status for failures. */
  status: string;
  precision: string;
  model_type: string;
  weight_type: string;
  /** Billions of parameters, as written in the request file. */
  params: number | null;
  /** Net votes of the model at the request's revision. */
  votes: number;
  /** Failures only: why, when the request file says. */
  reason?: string | null;
  /** The evaluation job's log, when its worker reported one. */
  log_url?: string;
}

export interface QueueStatus {
  pending: QueueItem[];
  evaluating: QueueItem[];
  finished: QueueItem[];
  failed: QueueItem[];
}

export interface ModelRequestStatus {
  /** Path of the request file in the requests dataset. */
  path: string;
  precision: string;
  weight_type: string;
  revision: string;
  /** The file's status as written (`PENDING`, `RUNNING`, `FINISHED`, `FAILED`, …). */
  status: string;
  queue: QueueState;
  submitted_time: string;
  job_id: number | string;
  job_start_time: string | null;
  /** 1-based position in the pending order; null unless pending. */
  queue_position: number | null;
  wait_time: string;
  wait_time_human: string;
  votes: number;
  params: number | null;
  model_type: string;
  use_chat_template: boolean;
  reason: string | null;
  /** The evaluation job's log, when its worker reported one. */
  log_url: string | null;
  /** Last status update of the job (its heartbeat), and when it ended. */
  job_updated_time: string | null;
  job_end_time: string | null;
}

export interface ModelStatus {
  model: string;
  /** The original's three fields, from the most recently submitted request. */
  status: string;
  submitted_time: string;
  job_id: number | string;
  /** One per request file (precision × weight type), most recently submitted first. */
  requests: ModelRequestStatus[];
}

export interface QueueServiceDeps {
  requests: RequestsIndex;
  now: () => Date;
  /** Vote counts for the pending order; without it every request has 0 votes. */
  votes?: QueueVoteCounts;
}

interface Grouped {
  version: string | undefined;
  pending: QueueEntry[];
  /** Oldest submission first. */
  evaluating: QueueEntry[];
  /** Most recent submission first. */
  finished: QueueEntry[];
  /** Most recent submission first. */
  failed: QueueEntry[];
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function submittedMs(request: EvalRequest): number {
  const ms = typeof request.submitted_time === 'string' ? Date.parse(request.submitted_time) : Number.NaN;
  return Number.isFinite(ms) ? ms : Number.NaN;
}

/** Ascending by submission time; unparsable times last; ties by path (stable and deterministic). */
function bySubmission(a: QueueEntry, b: QueueEntry): number {
  const ta = submittedMs(a.request);
  const tb = submittedMs(b.request);
  if (ta !== tb) {
    if (Number.isNaN(ta)) return 1;
    if (Number.isNaN(tb)) return -1;
    return ta - tb;
  }
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * A queue answer serialized once, split where each item's wait time goes: the pieces around
 * the `"wait_time":…,"wait_time_human":…` pair of every item, and each item's submission
 * time. A request's own fields cannot contain the pair: inside a JSON string a quote is
 * always escaped.
 */
interface WaitTimeTemplate {
  pieces: string[];
  submitted: number[];
  /** Distinguishes templates (for ETags): one more for each rebuild. */
  generation: number;
}

/** The payload being served, and the next one while it is compressed. */
interface PayloadSlot {
  ready?: CachedPayload;
  /** The clock second of the last build started, and of `ready`. */
  second?: number;
  readySecond?: number;
  building?: Promise<void>;
}

const WAIT_MARKER = '\u0000wait\u0000';
const WAIT_MARKER_PAIR = `"wait_time":${JSON.stringify(WAIT_MARKER)},"wait_time_human":${JSON.stringify(WAIT_MARKER)}`;

export class QueueService {
  private grouped: Grouped | undefined;
  private readonly templates = new Map<'status' | 'pending', WaitTimeTemplate>();
  private generations = 0;
  /** Makes this process's ETags differ from another instance's for the same generation. */
  private readonly nonce = randomBytes(6).toString('base64url');
  private readonly payloads = new Map<'status' | 'pending', PayloadSlot>();

  constructor(private readonly deps: QueueServiceDeps) {
    const changed = () => {
      this.templates.clear();
      this.payloads.clear();
    };
    deps.requests.onChange(() => {
      this.grouped = undefined;
      changed();
    });
    deps.votes?.onChange?.(changed);
  }

  /**
   * The answers of `/api/models/status` and `/api/models/pending` as pre-compressed payloads.
   * At benchmark size the status lists are 2 MB of JSON: serializing and compressing them per
   * request capped the endpoint at a few dozen requests per second. The JSON is serialized
   * once per change of the requests or votes, with a marker where each item's wait time goes
   * (see WaitTimeTemplate); every second of the clock the wait times are filled in and the
   * result compressed off the event loop, then swapped in, so `wait_time` is at most a
   * second (plus one compression) old.
   */
  payload(which: 'status' | 'pending'): Promise<CachedPayload> {
    const second = Math.floor(this.deps.now().getTime() / 1000);
    let slot = this.payloads.get(which);
    if (!slot) this.payloads.set(which, (slot = {}));
    if (slot.second !== second && !slot.building) {
      const built = this.buildPayload(which);
      slot.second = second;
      // Swapped in once fully compressed (brotli included), so no request waits for it.
      slot.building = built
        .then(async (payload) => {
          await payload.brotliReady;
          slot.ready = payload;
          slot.readySecond = second;
        })
        .finally(() => {
          slot.building = undefined;
        });
      slot.building.catch(() => undefined);
    }
    // The previous second's payload is served while the next one is compressed; anything
    // older waits for the new one.
    if (slot.ready && slot.readySecond !== undefined && second - slot.readySecond <= 1) return Promise.resolve(slot.ready);
    return slot.building ? slot.building.then(() => slot.ready!) : Promise.resolve(slot.ready!);
  }

  private buildPayload(which: 'status' | 'pending'): Promise<CachedPayload> {
    let template = this.templates.get(which);
    if (!template) {
      const submitted: number[] = [];
      const lists = which === 'status' ? this.status(null, submitted) : this.pending(null, submitted);
      template = { pieces: JSON.stringify(lists).split(WAIT_MARKER_PAIR), submitted, generation: ++this.generations };
      this.templates.set(which, template);
    }
    const now = this.deps.now();
    let json = template.pieces[0]!;
    for (let i = 0; i < template.submitted.length; i++) {
      const ms = template.submitted[i]!;
      const seconds = Number.isNaN(ms) ? 0 : waitSeconds(ms, now);
      json += `"wait_time":${JSON.stringify(formatWaitTime(seconds))},"wait_time_human":${JSON.stringify(formatWaitTimeHuman(seconds))}${template.pieces[i + 1]!}`;
    }
    // Rebuilt up to once a second: a light brotli quality keeps that cheap, and the content is
    // identified by the template and the second, so it need not be hashed.
    return CachedPayload.build(json, { brotliQuality: 4, version: `${which}-${this.nonce}-${template.generation}-${Math.floor(now.getTime() / 1000)}` });
  }

  /**
   * The four lists, each item with its wait time at `now` (with `now` null: a marker instead,
   * and each item's submission time pushed to `submitted`, in document order).
   */
  status(now: Date | null = this.deps.now(), submitted?: number[]): QueueStatus {
    const grouped = this.group();
    return {
      pending: this.orderPending(grouped.pending).map((entry) => this.item(entry, 'pending', now, submitted)),
      evaluating: grouped.evaluating.map((entry) => this.item(entry, 'evaluating', now, submitted)),
      finished: grouped.finished.map((entry) => this.item(entry, 'finished', now, submitted)),
      failed: grouped.failed.map((entry) => this.item(entry, 'failed', now, submitted)),
    };
  }

  /** The pending list in queue order (net votes, then submission time); `now` as in status(). */
  pending(now: Date | null = this.deps.now(), submitted?: number[]): QueueItem[] {
    return this.orderPending(this.group().pending).map((entry) => this.item(entry, 'pending', now, submitted));
  }

  /**
   * Pending request files in queue order: `pendingEntries()[0]` is the next to evaluate. For the
   * evaluation pipeline, which claims requests by rewriting their file (status RUNNING).
   */
  pendingEntries(): QueueEntry[] {
    return this.orderPending(this.group().pending);
  }

  /** Every request of the model with its status and queue position; undefined when it has none. */
  modelStatus(modelId: string): ModelStatus | undefined {
    const entries = this.deps.requests.byModel(modelId);
    if (entries.length === 0) return undefined;
    const now = this.deps.now();
    const positions = new Map<string, number>();
    this.pendingEntries().forEach((entry, index) => positions.set(entry.path, index + 1));
    const sorted = [...entries].sort((a, b) => -bySubmission(a, b));
    const requests = sorted.map((entry): ModelRequestStatus => {
      const r = entry.request;
      const state = queueState(r.status);
      const ms = submittedMs(r);
      const seconds = Number.isNaN(ms) ? 0 : waitSeconds(ms, now);
      return {
        path: entry.path,
        precision: text(r.precision, 'Unknown'),
        weight_type: text(r.weight_type),
        revision: text(r.revision),
        status: text(r.status),
        queue: state,
        submitted_time: text(r.submitted_time),
        job_id: typeof r.job_id === 'number' || typeof r.job_id === 'string' ? r.job_id : -1,
        job_start_time: typeof r.job_start_time === 'string' ? r.job_start_time : null,
        queue_position: positions.get(entry.path) ?? null,
        wait_time: formatWaitTime(seconds),
        wait_time_human: formatWaitTimeHuman(seconds),
        votes: this.votesOf(r),
        params: typeof r.params === 'number' ? r.params : null,
        model_type: text(r.model_type),
        use_chat_template: r.use_chat_template === true,
        reason: state === 'failed' ? failureReason(r) : null,
        log_url: optionalText(r.log_url),
        job_updated_time: optionalText(r.job_updated_time),
        job_end_time: optionalText(r.job_end_time),
      };
    });
    const latest = requests[0]!;
    return { model: modelId, status: latest.status, submitted_time: latest.submitted_time, job_id: latest.job_id, requests };
  }

  // The votes feature's QueueLookup contract, so votes can read the queue from here.

  /** Whether the requests index has loaded once. */
  isLoaded(): boolean {
    return this.deps.requests.version() !== undefined;
  }

  /** Whether the model has any request file, whatever its status. */
  isKnown(modelId: string): boolean {
    return this.deps.requests.byModel(modelId).length > 0;
  }

  /** The model's pending request (the latest submitted when there are several). */
  pendingRequest(modelId: string): { revision: string; precision: string } | undefined {
    const pending = this.deps.requests.byModel(modelId).filter((entry) => queueState(entry.request.status) === 'pending');
    const latest = pending.sort((a, b) => -bySubmission(a, b))[0];
    return latest && { revision: text(latest.request.revision, 'main'), precision: text(latest.request.precision, 'unknown') };
  }

  pendingRevision(modelId: string): string | undefined {
    return this.pendingRequest(modelId)?.revision;
  }

  private votesOf(request: EvalRequest): number {
    if (!this.deps.votes) return 0;
    return this.deps.votes.netVotes(request.model, typeof request.revision === 'string' ? request.revision : undefined);
  }

  private orderPending(pending: readonly QueueEntry[]): QueueEntry[] {
    const votes = new Map(pending.map((entry) => [entry.path, this.votesOf(entry.request)]));
    return [...pending].sort((a, b) => votes.get(b.path)! - votes.get(a.path)! || bySubmission(a, b));
  }

  private group(): Grouped {
    const version = this.deps.requests.version();
    if (this.grouped && this.grouped.version === version) return this.grouped;
    const grouped: Grouped = { version, pending: [], evaluating: [], finished: [], failed: [] };
    for (const entry of this.deps.requests.all()) grouped[queueState(entry.request.status)].push(entry);
    grouped.evaluating.sort(bySubmission);
    grouped.finished.sort((a, b) => -bySubmission(a, b));
    grouped.failed.sort((a, b) => -bySubmission(a, b));
    this.grouped = grouped;
    return grouped;
  }

  private item(entry: QueueEntry, state: QueueState, now: Date | null, submitted?: number[]): QueueItem {
    const r = entry.request;
    const ms = submittedMs(r);
    submitted?.push(ms);
    const seconds = Number.isNaN(ms) || now === null ? 0 : waitSeconds(ms, now);
    const item: QueueItem = {
      name: r.model,
      submitter: text(r.sender, 'Unknown'),
      revision: text(r.revision),
      // Kept next to each other: the payload template splits the JSON at this pair.
      wait_time: now === null ? WAIT_MARKER : formatWaitTime(seconds),
      wait_time_human: now === null ? WAIT_MARKER : formatWaitTimeHuman(seconds),
      submission_time: text(r.submitted_time),
      status: itemStatus(state, r.status),
      precision: text(r.precision, 'Unknown'),
      model_type: text(r.model_type),
      weight_type: text(r.weight_type),
      params: typeof r.params === 'number' ? r.params : null,
      votes: this.votesOf(r),
    };
    if (state === 'failed') item.reason = failureReason(r);
    const logUrl = optionalText(r.log_url);
    if (logUrl !== null) item.log_url = logUrl;
    return item;
  }
}

/** A string field of a request file, or null when absent or empty. */
function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
