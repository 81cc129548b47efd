/**
 * With STORAGE=hub, votes are acknowledged once they are in a local durable outbox (the vote
 * log under CACHE_DIR, fsync'd), and pushed to the Hub votes dataset in batches as new JSONL
 * files. The original only ever downloaded votes: buffered votes died with the container.
 *
 * Exactly once: a batch is the outbox's bytes from the pushed watermark to the end of the last
 * complete line (at most VOTE_BATCH_SIZE lines), and its file name is derived from the
 * instance id and the batch's byte offset. The outbox is append-only, so a batch pushed again
 * after a crash (before the watermark was saved) has the same name and the same content, and
 * is skipped because the file is already in the dataset. The watermark is saved durably after
 * each successful push. Failed pushes are retried with exponential backoff.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { DatasetRepo } from '../../storage/dataset-repo.js';
import { writeFileDurably } from '../../storage/local-repo.js';
import { decodeLogEntry, type VoteLogEntry } from './vote-log-entry.js';

/** Name of the outbox file inside the outbox folder. */
export const OUTBOX_FILE = 'outbox.jsonl';
const STATE_FILE = 'pushed.json';
const INSTANCE_FILE = 'instance-id';

interface OutboxState {
  /** Bytes of the outbox already in the Hub dataset. */
  offset: number;
  lastPushAt: string | null;
  lastError: string | null;
}

export interface OutboxStatus {
  instanceId: string;
  pendingVotes: number;
  pendingBytes: number;
  lastPushAt: string | null;
  lastError: string | null;
}

/** Where an instance keeps its outbox: under CACHE_DIR, beside the datasets' mirror. */
export function voteOutboxDir(config: Pick<Config, 'cacheDir'>): string {
  return path.join(config.cacheDir, 'votes-outbox');
}

/** The outbox of this instance's CACHE_DIR, pushing to the votes dataset `votes`. */
export function openVoteOutbox(config: Pick<Config, 'cacheDir' | 'voteBatchSize' | 'votePushInterval'>, votes: DatasetRepo, logger: Logger): Promise<VoteOutbox> {
  return VoteOutbox.open(voteOutboxDir(config), votes, {
    batchSize: config.voteBatchSize,
    intervalMs: config.votePushInterval * 1000,
    logger,
  });
}

/** The id of this instance (its outbox folder's), created once and kept. */
export async function instanceId(outboxDir: string): Promise<string> {
  const file = path.join(outboxDir, INSTANCE_FILE);
  try {
    const id = (await fs.readFile(file, 'utf8')).trim();
    if (/^[a-z0-9]{8,32}$/.test(id)) return id;
  } catch {
    // first start
  }
  const id = randomBytes(6).toString('hex');
  await writeFileDurably(file, id);
  return id;
}

/** The dataset path of the batch that starts at `offset` of `instance`'s outbox. */
export function batchPath(instance: string, offset: number): string {
  return `instances/${instance}/votes-${String(offset).padStart(14, '0')}.jsonl`;
}

export class VoteOutbox {
  private state: OutboxState = { offset: 0, lastPushAt: null, lastError: null };
  private pushing: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  private constructor(
    private readonly dir: string,
    readonly instance: string,
    private readonly repo: DatasetRepo,
    private readonly options: { batchSize: number; intervalMs: number; logger: Logger },
  ) {}

  static async open(dir: string, repo: DatasetRepo, options: { batchSize: number; intervalMs: number; logger: Logger }): Promise<VoteOutbox> {
    await fs.mkdir(dir, { recursive: true });
    const outbox = new VoteOutbox(dir, await instanceId(dir), repo, options);
    try {
      outbox.state = { ...outbox.state, ...(JSON.parse(await fs.readFile(path.join(dir, STATE_FILE), 'utf8')) as Partial<OutboxState>) };
    } catch {
      // nothing pushed yet
    }
    return outbox;
  }

  get file(): string {
    return path.join(this.dir, OUTBOX_FILE);
  }

  /** Pushes every pending batch now; resolves with the number of votes pushed. */
  push(): Promise<number> {
    this.pushing ??= this.pushAll().finally(() => {
      this.pushing = undefined;
    });
    return this.pushing;
  }

  /** Pushes every VOTE_PUSH_INTERVAL, backing off after failures. */
  start(): void {
    this.stopped = false;
    this.schedule(this.options.intervalMs);
  }

  /** Stops the timer and waits for a push in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pushing?.catch(() => undefined);
  }

  /** Entries not yet in the Hub dataset, in outbox order. */
  async unpushedEntries(): Promise<VoteLogEntry[]> {
    const { text } = await this.pending();
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [decodeLogEntry(line)];
        } catch {
          return [];
        }
      });
  }

  async status(): Promise<OutboxStatus> {
    const { text, bytes } = await this.pending();
    return {
      instanceId: this.instance,
      pendingVotes: text.split('\n').filter((line) => line.trim() !== '').length,
      pendingBytes: bytes,
      lastPushAt: this.state.lastPushAt,
      lastError: this.state.lastError,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.push().then(
        () => {
          this.failures = 0;
          this.schedule(this.options.intervalMs);
        },
        (error: unknown) => {
          this.failures += 1;
          const backoff = Math.min(this.options.intervalMs * 2 ** this.failures, 5 * 60_000);
          this.options.logger.warn({ err: error, retryInMs: backoff, failures: this.failures }, 'vote push failed; will retry');
          this.schedule(backoff);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /** The outbox's complete lines after the watermark. */
  private async pending(): Promise<{ text: string; bytes: number }> {
    let content: Buffer;
    try {
      content = await fs.readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', bytes: 0 };
      throw error;
    }
    const rest = content.subarray(this.state.offset);
    const end = rest.lastIndexOf(0x0a) + 1; // a torn last line is not pushed
    return { text: rest.subarray(0, end).toString('utf8'), bytes: end };
  }

  private async pushAll(): Promise<number> {
    let pushed = 0;
    for (;;) {
      const batch = await this.nextBatch();
      if (!batch) return pushed;
      const target = batchPath(this.instance, batch.offset);
      try {
        // Also refreshes the mirror, so a batch pushed before a crash is seen as present.
        await this.repo.version();
        const existing = await this.repo.read(target);
        if (!existing || !Buffer.from(existing).equals(batch.content)) {
          await this.repo.commit([{ op: 'put', path: target, content: batch.content }], `Add ${batch.votes} votes from ${this.instance}`);
        }
      } catch (error) {
        this.state = { ...this.state, lastError: (error as Error).message };
        throw error;
      }
      this.state = { offset: batch.offset + batch.content.length, lastPushAt: new Date().toISOString(), lastError: null };
      await writeFileDurably(path.join(this.dir, STATE_FILE), JSON.stringify(this.state));
      pushed += batch.votes;
      this.options.logger.info({ votes: batch.votes, file: target }, 'pushed votes to the Hub');
    }
  }

  /** Up to batchSize complete, valid lines after the watermark (invalid lines ride along). */
  private async nextBatch(): Promise<{ offset: number; content: Buffer; votes: number } | undefined> {
    const { text } = await this.pending();
    if (text === '') return undefined;
    const lines = text.split('\n').slice(0, -1).slice(0, this.options.batchSize);
    const content = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const votes = lines.filter((line) => line.trim() !== '').length;
    return { offset: this.state.offset, content, votes };
  }
}

/**
 * The shared votes of the Hub dataset: every `*.jsonl` file (the original's
 * `votes_data.jsonl` and the instances' batches), replayed by timestamp so that every
 * instance reaches the same tally whatever the file names.
 */
export async function readDatasetVotes(repo: DatasetRepo, logger: Logger): Promise<{ entries: VoteLogEntry[]; problems: { path: string; reason: string }[] }> {
  const files = (await repo.list()).filter((file) => file.path.endsWith('.jsonl'));
  const keyed: { entry: VoteLogEntry; order: number }[] = [];
  const problems: { path: string; reason: string }[] = [];
  let order = 0;
  for (const file of files) {
    const bytes = await repo.read(file.path);
    if (!bytes) continue;
    const lines = new TextDecoder().decode(bytes).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        keyed.push({ entry: decodeLogEntry(line, i + 1), order: order++ });
      } catch (error) {
        problems.push({ path: file.path, reason: (error as Error).message });
      }
    });
  }
  if (problems.length) logger.warn({ skipped: problems.length }, 'votes dataset: skipped unreadable lines');
  // ISO-like timestamps sort as strings; ties keep file and line order.
  keyed.sort((a, b) => (a.entry.timestamp < b.entry.timestamp ? -1 : a.entry.timestamp > b.entry.timestamp ? 1 : a.order - b.order));
  return { entries: keyed.map((k) => k.entry), problems };
}
