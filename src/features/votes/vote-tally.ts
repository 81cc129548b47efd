/**
 * The current votes in memory, indexed by model and by user, so that every read is a lookup
 * (no scan of the log per request). Fed with log entries in order: the latest entry of a
 * (model, revision, username, precision) wins; a retraction removes the vote.
 */
import type { VoteRecord, VoteType } from '../../datasets/vote-record.js';
import { isRetraction, type VoteLogEntry } from './vote-log-entry.js';

export interface VoteCounts {
  up: number;
  down: number;
}

interface ModelIndex extends VoteCounts {
  /** Keys of the model's current votes. */
  keys: Set<string>;
  byRevision: Map<string, VoteCounts>;
}

export type ApplyOutcome = 'added' | 'changed' | 'removed' | 'unchanged';

export interface VoteKey {
  model: string;
  revision: string;
  username: string;
  precision: string;
}

export function voteKey(v: VoteKey): string {
  // join() builds one flat string; a template literal would keep a tree of concatenations
  // alive per key (tens of MB for 100,000 votes).
  return [v.model, v.revision, v.username, v.precision].join('\0');
}

export class VoteTally {
  private readonly votes = new Map<string, VoteRecord>();
  private readonly models = new Map<string, ModelIndex>();
  /** Per user, keys in the order of their last change. */
  private readonly users = new Map<string, Set<string>>();
  /** One copy of each repeated field value (see apply). */
  private readonly strings = new Map<string, string>();

  get size(): number {
    return this.votes.size;
  }

  get(key: VoteKey): VoteRecord | undefined {
    return this.votes.get(voteKey(key));
  }

  apply(entry: VoteLogEntry): ApplyOutcome {
    const key = voteKey(entry);
    const previous = this.votes.get(key);
    if (isRetraction(entry)) {
      if (!previous) return 'unchanged';
      this.count(previous, -1);
      this.votes.delete(key);
      const index = this.models.get(entry.model)!;
      index.keys.delete(key);
      if (index.keys.size === 0) this.models.delete(entry.model);
      this.unlinkUser(entry.username, key);
      return 'removed';
    }
    if (previous?.vote_type === entry.vote_type) return 'unchanged';
    if (previous) this.count(previous, -1);
    // Model, revision, user and precision repeat across votes: share one copy of
    // each string instead of keeping every parsed line's own.
    const record: VoteRecord = {
      model: this.intern(entry.model),
      revision: this.intern(entry.revision),
      username: this.intern(entry.username),
      timestamp: entry.timestamp,
      vote_type: entry.vote_type,
      precision: this.intern(entry.precision),
    };
    this.votes.set(key, record);
    this.count(record, +1);
    this.modelIndex(entry.model).keys.add(key);
    let userKeys = this.users.get(entry.username);
    if (!userKeys) this.users.set(entry.username, (userKeys = new Set()));
    userKeys.delete(key);
    userKeys.add(key);
    return previous ? 'changed' : 'added';
  }

  /** Up and down votes of a model, in total and per revision. */
  modelCounts(model: string): VoteCounts & { byRevision: ReadonlyMap<string, VoteCounts> } {
    const index = this.models.get(model);
    return { up: index?.up ?? 0, down: index?.down ?? 0, byRevision: index?.byRevision ?? new Map() };
  }

  /** Up minus down votes of a model (of one revision when given). */
  netVotes(model: string, revision?: string): number {
    const index = this.models.get(model);
    if (!index) return 0;
    const counts = revision === undefined ? index : index.byRevision.get(revision);
    return counts ? counts.up - counts.down : 0;
  }

  /** The model's current votes, oldest change first. */
  modelVotes(model: string): VoteRecord[] {
    return [...(this.models.get(model)?.keys ?? [])].map((key) => this.votes.get(key)!);
  }

  /** The user's current votes, oldest change first. */
  userVotes(username: string): VoteRecord[] {
    return [...(this.users.get(username) ?? [])].map((key) => this.votes.get(key)!);
  }

  /** Every model with at least one current vote. */
  votedModels(): string[] {
    return [...this.models.keys()];
  }

  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  private modelIndex(model: string): ModelIndex {
    let index = this.models.get(model);
    if (!index) this.models.set(model, (index = { up: 0, down: 0, keys: new Set(), byRevision: new Map() }));
    return index;
  }

  private count(vote: VoteRecord, delta: 1 | -1): void {
    const index = this.modelIndex(vote.model);
    const field: VoteType = vote.vote_type;
    index[field] += delta;
    let revision = index.byRevision.get(vote.revision);
    if (!revision) index.byRevision.set(vote.revision, (revision = { up: 0, down: 0 }));
    revision[field] += delta;
    if (revision.up === 0 && revision.down === 0) index.byRevision.delete(vote.revision);
  }

  private unlinkUser(username: string, key: string): void {
    const keys = this.users.get(username);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.users.delete(username);
  }
}
