/**
 * The evaluation worker API's service: workers claim the next pending request (queue order: most
 * net votes, then oldest), report its status, and post its results. The job lives in the
 * request file itself — `status`, `job_id`, `job_start_time`, plus `job_updated_time`, `worker`,
 * `reason`, `log_url`, `job_end_time` — so the queue endpoints show it and nothing else needs
 * storing. A RUNNING job without a status update for JOB_TIMEOUT goes back to PENDING (a
 * periodic sweep, also run before each claim); RUNNING requests that another pipeline wrote
 * (no `job_updated_time`) are never touched.
 *
 * Concurrency: every request-file change here is serialized in-process and committed with the
 * version it was read at (`parentVersion`), so two workers racing for the same request — through
 * one instance or several sharing a Hub dataset — cannot both get it: the loser's commit is
 * stale, it re-reads, sees RUNNING and moves on to the next request.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { decodeRequestFile, encodeRequestFile, formatUtcSeconds, type EvalRequest } from '../../datasets/request-file.js';
import { AppError } from '../../http/errors.js';
import { StaleVersionError, type DatasetRepo } from '../../storage/dataset-repo.js';
import { queueState } from '../queue/queue-service.js';
import type { QueueEntry, RequestsIndex } from '../queue/requests-index.js';
import { MAX_WRITE_ATTEMPTS, updateRequestFile, withFields } from './dataset-updates.js';
import type { IngestResult, ResultsIngestion } from './results-ingestion.js';

export const JOB_STATUSES = ['RUNNING', 'FINISHED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job as the worker API shows it. */
export interface JobView {
  job_id: string;
  status: string;
  model: string;
  revision: string;
  precision: string;
  weight_type: string;
  model_type: string;
  base_model: string;
  use_chat_template: boolean;
  params: number | null;
  architectures: string;
  submitted_time: string;
  job_start_time: string | null;
  job_updated_time: string | null;
  job_end_time: string | null;
  worker: string | null;
  reason: string | null;
  log_url: string | null;
  /** Path of the request file in the requests dataset. */
  request_file: string;
}

export interface StatusUpdate {
  status: JobStatus;
  reason?: string | undefined;
  log_url?: string | undefined;
}

export interface EvaluationServiceDeps {
  repo: DatasetRepo;
  requests: RequestsIndex;
  /** Pending request files in queue order (the queue's own order: net votes, then oldest). */
  pendingInOrder: () => readonly QueueEntry[];
  ingestion: ResultsIngestion;
  /** JOB_TIMEOUT in ms. */
  jobTimeoutMs: number;
  now: () => Date;
  logger: Logger;
  /** Called after results changed the contents table (e.g. to rebuild the leaderboard at once). */
  afterResults?: () => Promise<void>;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function jobView(entry: QueueEntry): JobView {
  const r = entry.request;
  return {
    job_id: String(r.job_id),
    status: String(r.status),
    model: r.model,
    revision: String(r.revision ?? ''),
    precision: String(r.precision ?? ''),
    weight_type: String(r.weight_type ?? ''),
    model_type: String(r.model_type ?? ''),
    base_model: String(r.base_model ?? ''),
    use_chat_template: r.use_chat_template === true,
    params: typeof r.params === 'number' ? r.params : null,
    architectures: String(r.architectures ?? ''),
    submitted_time: String(r.submitted_time ?? ''),
    job_start_time: str(r.job_start_time),
    job_updated_time: str(r.job_updated_time),
    job_end_time: str(r.job_end_time),
    worker: str(r.worker),
    reason: str(r.reason),
    log_url: str(r.log_url),
    request_file: entry.path,
  };
}

/** Seconds-resolution UTC time of a request field, or NaN. */
function timeMs(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

export class EvaluationService {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: EvaluationServiceDeps) {}

  /** Starts the periodic timeout sweep (unref'd: it never keeps the process alive). */
  start(): void {
    const every = Math.min(60_000, Math.max(1_000, Math.floor(this.deps.jobTimeoutMs / 4)));
    this.timer = setInterval(() => {
      this.sweepTimeouts().catch((error: unknown) => this.deps.logger.error({ err: error }, 'job timeout sweep failed'));
    }, every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs request-file changes one at a time in this process. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Marks the next pending request RUNNING with a new job id and returns the job; null when
   * nothing is pending.
   */
  claim(worker: string): Promise<JobView | null> {
    return this.serialized(async () => {
      await this.sweepExpired();
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const version = await this.deps.repo.version();
        await this.deps.requests.refresh();
        let stale = false;
        for (const candidate of this.deps.pendingInOrder()) {
          const bytes = await this.deps.repo.read(candidate.path);
          if (!bytes) continue;
          let current: EvalRequest;
          try {
            current = decodeRequestFile(new TextDecoder().decode(bytes));
          } catch {
            continue;
          }
          // The index may lag behind the file: trust the file.
          if (queueState(current.status) !== 'pending') continue;
          const now = formatUtcSeconds(this.deps.now());
          const jobId = randomUUID();
          const claimed = withFields(
            current,
            { status: 'RUNNING', job_id: jobId, job_start_time: now, job_updated_time: now, worker },
            ['reason', 'log_url', 'job_end_time', 'timed_out_job_id'],
          );
          try {
            await this.deps.repo.commit(
              [{ op: 'put', path: candidate.path, content: new TextEncoder().encode(encodeRequestFile(claimed)) }],
              `Start evaluation of ${current.model} (${current.precision}), job ${jobId}`,
              { parentVersion: version },
            );
          } catch (error) {
            if (error instanceof StaleVersionError) {
              stale = true;
              break;
            }
            throw error;
          }
          await this.deps.requests.refresh();
          this.deps.logger.info({ job_id: jobId, model: current.model, precision: current.precision, worker }, 'evaluation job claimed');
          return jobView({ path: candidate.path, request: claimed });
        }
        if (!stale) return null;
      }
      throw new AppError('CONFLICT', 'The requests dataset kept changing while claiming a job. Retry in a moment.', {
        headers: { 'retry-after': '1' },
      });
    });
  }

  /** The request of a job: live (its current job) or left by a timeout (still pending). */
  private async findJob(jobId: string): Promise<{ entry: QueueEntry; late: boolean }> {
    await this.deps.requests.refresh();
    let late: QueueEntry | undefined;
    for (const entry of this.deps.requests.all()) {
      if (String(entry.request.job_id) === jobId) return { entry, late: false };
      if (entry.request.timed_out_job_id === jobId) late = entry;
    }
    if (late) return { entry: late, late: true };
    throw new AppError('NOT_FOUND', `No evaluation job ${jobId}: it does not exist, or its request was evaluated again since.`);
  }

  async job(jobId: string): Promise<JobView> {
    const { entry, late } = await this.findJob(jobId);
    return late ? { ...jobView(entry), job_id: jobId, status: 'TIMED_OUT' } : jobView(entry);
  }

  /** Sets a job's status (RUNNING is also the heartbeat that keeps a job from timing out). */
  updateStatus(jobId: string, update: StatusUpdate): Promise<JobView> {
    return this.serialized(async () => {
      const { entry, late } = await this.findJob(jobId);
      if (late) {
        throw new AppError(
          'CONFLICT',
          `Job ${jobId} had no status update for ${Math.round(this.deps.jobTimeoutMs / 1000)} s and its request went back to the queue; post its results to finish it, or claim a new job.`,
        );
      }
      const now = formatUtcSeconds(this.deps.now());
      const result = await updateRequestFile(this.deps.repo, entry.path, (current) => {
        if (String(current.job_id) !== jobId) {
          throw new AppError('CONFLICT', `Job ${jobId} is no longer the job of ${current.model} (${current.precision}).`);
        }
        const state = String(current.status).toUpperCase();
        if (state !== 'RUNNING') {
          const same = state === update.status && (update.reason === undefined || update.reason === current.reason);
          if (same) return {};
          throw new AppError('CONFLICT', `Job ${jobId} is already ${state}; its status cannot change to ${update.status}.`);
        }
        const fields: Partial<EvalRequest> = { status: update.status, job_updated_time: now };
        if (update.log_url !== undefined) fields.log_url = update.log_url;
        if (update.reason !== undefined) fields.reason = update.reason;
        const remove: string[] = [];
        if (update.status !== 'RUNNING') fields.job_end_time = now;
        if (update.status === 'FINISHED' && update.reason === undefined) remove.push('reason');
        return {
          write: withFields(current, fields, remove),
          message: `Set ${current.model} (${current.precision}) to ${update.status}${update.reason ? `: ${update.reason.slice(0, 200)}` : ''}`,
        };
      });
      if (!result) throw new AppError('NOT_FOUND', `The request file of job ${jobId} no longer exists.`);
      await this.deps.requests.refresh();
      if (result.written) {
        this.deps.logger.info({ job_id: jobId, model: result.request.model, status: update.status, reason: update.reason }, 'evaluation job status');
      }
      return jobView({ path: entry.path, request: result.request });
    });
  }

  /** Ingests the job's results file; the request becomes FINISHED. */
  async submitResults(jobId: string, doc: Record<string, unknown>, bytes: Uint8Array | undefined): Promise<IngestResult> {
    const { entry } = await this.findJob(jobId);
    // Checks and Hub look-ups happen outside the lock; the writes inside it, so a timeout sweep
    // cannot requeue the request between the contents row and the FINISHED status.
    const prepared = await this.deps.ingestion.prepare(doc, { job: entry, jobId, bytes });
    const result = await this.serialized(() => this.deps.ingestion.commit(prepared));
    await this.deps.requests.refresh();
    await this.deps.afterResults?.();
    return result;
  }

  /** Returns RUNNING jobs without a status update for JOB_TIMEOUT to the queue; how many. */
  sweepTimeouts(): Promise<number> {
    return this.serialized(() => this.sweepExpired());
  }

  private async sweepExpired(): Promise<number> {
    await this.deps.requests.refresh();
    const nowMs = this.deps.now().getTime();
    const expired = (request: EvalRequest): boolean => {
      if (queueState(request.status) !== 'evaluating') return false;
      // Only jobs of this API (claimed here, so they carry job_updated_time): a RUNNING request
      // written by another pipeline (e.g. the original's, which sent no heartbeats) is left alone.
      const updated = timeMs(request.job_updated_time);
      if (!Number.isFinite(updated)) return false;
      const started = timeMs(request.job_start_time);
      return nowMs - Math.max(updated, Number.isFinite(started) ? started : updated) > this.deps.jobTimeoutMs;
    };
    let requeued = 0;
    for (const entry of this.deps.requests.all().filter((e) => expired(e.request))) {
      const jobId = String(entry.request.job_id);
      const result = await updateRequestFile(this.deps.repo, entry.path, (current) => {
        if (String(current.job_id) !== jobId || !expired(current)) return {};
        return {
          write: withFields(
            current,
            { status: 'PENDING', job_id: -1, job_start_time: null, timed_out_job_id: jobId },
            ['job_updated_time', 'worker', 'job_end_time'],
          ),
          message: `Requeue ${current.model} (${current.precision}): job ${jobId} timed out`,
        };
      });
      if (result?.written) {
        requeued += 1;
        this.deps.logger.warn({ job_id: jobId, model: entry.request.model, precision: entry.request.precision }, 'evaluation job timed out; back to pending');
      }
    }
    if (requeued > 0) await this.deps.requests.refresh();
    return requeued;
  }
}
