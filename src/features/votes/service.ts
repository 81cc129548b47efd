/**
 * Votes: one current vote per (model, revision, username, precision), kept in memory
 * (VoteTally) and made durable in the append-only votes log (VoteLog, group-committed fsync)
 * before any caller hears about it. Reads see a vote as soon as its append is acknowledged.
 *
 * Two levels of API:
 * - `vote` / `retract`: what the HTTP routes call for a user — defaults for revision and
 *   precision, "is the model known" (404), the per-user rate limit (429).
 * - `castVote` / `retractVote`: for other features (the submission's automatic up vote): all
 *   fields explicit, no existence check and no rate limit.
 *
 * Defaults of a vote: revision = the model's pending request's revision, else `main`;
 * precision = the pending request's precision, else the precision of the model's best-ranked
 * leaderboard row, else `unknown` (the original's fallback).
 *
 * Votes on the same key are serialized (a second identical vote waits for the first and then
 * sees it, so nothing is stored twice); votes on different keys run concurrently and share
 * log syncs.
 */
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { formatVoteTimestamp, type VoteRecord, type VoteType } from '../../datasets/vote-record.js';
import { AppError } from '../../http/errors.js';
import type { Metrics } from '../../http/metrics.js';
import type { Readiness } from '../../http/readiness.js';
import type { ModelCatalog } from './model-catalog.js';
import type { QueueLookup } from './queue-lookup.js';
import { UserRateLimiter } from './user-rate-limiter.js';
import type { DatasetRepo } from '../../storage/dataset-repo.js';
import { VoteLog, type VoteLogStats } from './vote-log.js';
import { OUTBOX_FILE, readDatasetVotes, type VoteOutbox } from './vote-outbox.js';
import { voteKey, VoteTally, type VoteCounts } from './vote-tally.js';

export interface CastVoteInput {
  /** `org/name`. */
  model: string;
  revision: string;
  precision: string;
  vote_type: VoteType;
}

export interface VoteRequest {
  model: string;
  vote_type: VoteType;
  revision?: string | undefined;
  precision?: string | undefined;
}

export interface RetractRequest {
  model: string;
  revision?: string | undefined;
  precision?: string | undefined;
}

export type VoteOutcome = 'recorded' | 'changed' | 'unchanged';

export interface VoteResult {
  outcome: VoteOutcome;
  /** The vote as it now stands. */
  vote: VoteRecord;
}

export interface ModelVoteSummary {
  model: string;
  up: number;
  down: number;
  /** up + down */
  total: number;
  /** up − down */
  net: number;
  byRevision: ReadonlyMap<string, VoteCounts>;
}

export interface VoteServiceDeps {
  /** Folder of the votes dataset (`DATA_DIR/votes`). */
  votesDir: string;
  queue: QueueLookup;
  catalog: ModelCatalog;
  logger: Logger;
  readiness: Readiness;
  metrics?: Metrics;
  now: () => Date;
  /** Vote writes per user per minute (VOTE_RATE_LIMIT). */
  rateLimitPerMinute: number;
  /**
   * STORAGE=hub: the shared votes dataset and this instance's outbox. `votesDir` is then the
   * outbox folder; the tally is the dataset's votes plus the outbox's unpushed ones, rebuilt
   * when the dataset's version changes (other instances' votes arrive that way).
   */
  shared?: { repo: DatasetRepo; outbox: VoteOutbox; checkIntervalMs: number };
}

export class VoteService {
  private log: VoteLog | undefined;
  private tally = new VoteTally();
  private sharedVersion: string | undefined;
  /** Set while the tally is rebuilt from the shared dataset; writes wait for it. */
  private rebuilding: Promise<void> | undefined;
  private writesInFlight = 0;
  private writesDrained: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly limiter: UserRateLimiter;
  private readonly listeners = new Set<(model: string) => void>();
  private readonly votesCounter: Counter<'vote_type' | 'outcome'> | undefined;

  constructor(private readonly deps: VoteServiceDeps) {
    deps.readiness.expect('votes');
    this.limiter = new UserRateLimiter(deps.rateLimitPerMinute, 60_000, () => deps.now().getTime());
    this.votesCounter = deps.metrics
      ? new Counter({
          name: 'votes_total',
          help: 'Vote writes by type and outcome (recorded, changed, unchanged, retracted)',
          labelNames: ['vote_type', 'outcome'],
          registers: [deps.metrics.registry],
        })
      : undefined;
  }

  /** Replays the votes log and opens it for appending. */
  async start(): Promise<void> {
    const started = Date.now();
    const { shared } = this.deps;
    // Local storage: the log is the votes dataset, replayed straight into the tally.
    const { log, problems } = await VoteLog.open(
      this.deps.votesDir,
      this.deps.logger,
      shared ? OUTBOX_FILE : undefined,
      shared ? () => undefined : (entry) => void this.tally.apply(entry),
    );
    if (shared) {
      await this.rebuildFromShared();
      const check = () => void this.rebuildFromShared().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'votes: shared dataset check failed'));
      this.timer = setInterval(check, shared.checkIntervalMs);
      this.timer.unref();
      this.unsubscribe = shared.repo.onCommit(check);
    }
    this.log = log;
    this.deps.readiness.reportProblems(
      'votes',
      problems.map((p) => ({ dataset: 'votes', ...p })),
    );
    this.deps.readiness.markReady('votes');
    this.deps.logger.info(
      { votes: this.tally.size, skipped: problems.length, ms: Date.now() - started, file: log.file },
      'votes loaded',
    );
  }

  /** Waits for pending appends and closes the log. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.log?.close();
  }

  /**
   * STORAGE=hub: rebuilds the tally from the shared votes dataset plus this instance's unpushed
   * outbox entries, when the dataset's version changed. Writes wait while it runs, so no vote
   * acknowledged meanwhile is missing from the new tally.
   */
  async rebuildFromShared(): Promise<void> {
    const shared = this.deps.shared;
    if (!shared) return;
    while (this.rebuilding) await this.rebuilding;
    const version = await shared.repo.version();
    if (version === this.sharedVersion) return;
    let release!: () => void;
    this.rebuilding = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.writesInFlight > 0) await new Promise<void>((resolve) => (this.writesDrained = resolve));
      const { entries, problems } = await readDatasetVotes(shared.repo, this.deps.logger);
      const tally = new VoteTally();
      for (const entry of entries) tally.apply(entry);
      for (const entry of await shared.outbox.unpushedEntries()) tally.apply(entry);
      const models = new Set([...this.tally.votedModels(), ...tally.votedModels()]);
      this.tally = tally;
      this.sharedVersion = version;
      this.deps.readiness.reportProblems('votes-shared', problems.map((p) => ({ dataset: 'votes', ...p })));
      for (const model of models) this.emit(model);
    } finally {
      this.rebuilding = undefined;
      release();
    }
  }

  isReady(): boolean {
    return this.log !== undefined;
  }

  /** Called after each change of a model's votes (e.g. to re-order the pending queue). */
  onChange(listener: (model: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── For the HTTP routes ────────────────────────────────────────────────────────────────────

  /** A user's vote: defaults, existence check (404), rate limit (429), then castVote. */
  async vote(username: string, request: VoteRequest): Promise<VoteResult> {
    this.assertReady();
    this.takeRateLimit(username);
    this.assertModelKnown(request.model);
    const pending = this.deps.queue.pendingRequest(request.model);
    return this.castVote(username, {
      model: request.model,
      vote_type: request.vote_type,
      revision: request.revision ?? pending?.revision ?? 'main',
      precision: request.precision ?? pending?.precision ?? this.deps.catalog.precisionOf(request.model) ?? 'unknown',
    });
  }

  /**
   * Retracts the user's current votes on a model (only those of `revision`/`precision` when
   * given). Returns how many were retracted; 404 when there is none and the model is unknown.
   */
  async retract(username: string, request: RetractRequest): Promise<number> {
    this.assertReady();
    this.takeRateLimit(username);
    const targets = this.tally
      .userVotes(username)
      .filter(
        (v) =>
          v.model === request.model &&
          (request.revision === undefined || v.revision === request.revision) &&
          (request.precision === undefined || v.precision === request.precision),
      );
    if (targets.length === 0) this.assertModelKnown(request.model);
    const results = await Promise.all(targets.map((v) => this.retractVote(username, v)));
    return results.filter(Boolean).length;
  }

  // ── For other features ─────────────────────────────────────────────────────────────────────

  /**
   * Records `username`'s vote durably. Idempotent: the same vote again stores nothing
   * (`unchanged`); the other vote type replaces it (`changed`). No existence check, no rate limit.
   */
  castVote(username: string, input: CastVoteInput): Promise<VoteResult> {
    this.assertReady();
    const key = { model: input.model, revision: input.revision, username, precision: input.precision };
    return this.serialized(voteKey(key), () => this.tracked(async () => {
      const current = this.tally.get(key);
      if (current?.vote_type === input.vote_type) {
        this.votesCounter?.inc({ vote_type: input.vote_type, outcome: 'unchanged' });
        return { outcome: 'unchanged' as const, vote: { ...current } };
      }
      const vote: VoteRecord = { ...key, timestamp: formatVoteTimestamp(this.deps.now()), vote_type: input.vote_type };
      await this.log!.append(vote);
      this.tally.apply(vote);
      const outcome: VoteOutcome = current ? 'changed' : 'recorded';
      this.votesCounter?.inc({ vote_type: input.vote_type, outcome });
      this.deps.logger.debug({ model: vote.model, revision: vote.revision, precision: vote.precision, username, vote_type: vote.vote_type, outcome }, 'vote');
      this.emit(vote.model);
      return { outcome, vote: { ...vote } };
    }));
  }

  /** Retracts one vote durably; false when there was none. */
  retractVote(username: string, key: { model: string; revision: string; precision: string }): Promise<boolean> {
    this.assertReady();
    const full = { model: key.model, revision: key.revision, username, precision: key.precision };
    return this.serialized(voteKey(full), () => this.tracked(async () => {
      const current = this.tally.get(full);
      if (!current) return false;
      const retraction = { ...full, timestamp: formatVoteTimestamp(this.deps.now()), vote_type: 'retract' as const };
      await this.log!.append(retraction);
      this.tally.apply(retraction);
      this.votesCounter?.inc({ vote_type: current.vote_type, outcome: 'retracted' });
      this.emit(full.model);
      return true;
    }));
  }

  /** Up minus down votes of a model (of one revision when given). For ordering the queue. */
  netVotes(model: string, revision?: string): number {
    return this.tally.netVotes(model, revision);
  }

  /** Counts of a model's current votes. */
  counts(model: string): ModelVoteSummary {
    const { up, down, byRevision } = this.tally.modelCounts(model);
    return { model, up, down, total: up + down, net: up - down, byRevision };
  }

  /** A model's current votes, oldest change first. */
  modelVotes(model: string): VoteRecord[] {
    return this.tally.modelVotes(model);
  }

  /** A user's current votes, oldest change first. */
  userVotes(username: string): VoteRecord[] {
    return this.tally.userVotes(username);
  }

  logStats(): VoteLogStats {
    return this.log?.stats() ?? { appended: 0, syncs: 0 };
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  private assertReady(): void {
    if (!this.log) throw new AppError('NOT_READY', 'Votes are still loading; retry in a moment.', { headers: { 'retry-after': '1' } });
  }

  private takeRateLimit(username: string): void {
    const wait = this.limiter.take(username);
    if (wait > 0) {
      throw new AppError(
        'RATE_LIMITED',
        `Too many votes: at most ${this.deps.rateLimitPerMinute} per minute per user. Retry in ${wait} s.`,
        { headers: { 'retry-after': String(wait) } },
      );
    }
  }

  private assertModelKnown(model: string): void {
    if (this.deps.queue.isKnown(model) || this.deps.catalog.hasModel(model)) return;
    if (!this.deps.queue.isLoaded() || !this.deps.catalog.isLoaded()) {
      throw new AppError('NOT_READY', 'The model lists are still loading; retry in a moment.', { headers: { 'retry-after': '1' } });
    }
    throw new AppError('MODEL_NOT_FOUND', `Model ${model} is neither in the evaluation queue nor on the leaderboard.`);
  }

  /** Runs a write, after any tally rebuild in progress; a rebuild waits for running writes. */
  private async tracked<T>(task: () => Promise<T>): Promise<T> {
    while (this.rebuilding) await this.rebuilding;
    this.writesInFlight += 1;
    try {
      return await task();
    } finally {
      this.writesInFlight -= 1;
      if (this.writesInFlight === 0 && this.writesDrained) {
        this.writesDrained();
        this.writesDrained = undefined;
      }
    }
  }

  /** Runs `task` after every earlier task of the same key (a failed one included). */
  private serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.inflight.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.inflight.set(key, settled);
    void settled.then(() => {
      if (this.inflight.get(key) === settled) this.inflight.delete(key);
    });
    return run;
  }

  private emit(model: string): void {
    for (const listener of this.listeners) {
      try {
        listener(model);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'votes change listener failed');
      }
    }
  }
}
