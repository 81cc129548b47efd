/**
 * The in-memory index of the requests dataset: every request file, parsed once, indexed by
 * model. It is refreshed when the dataset's version changes (a commit through the store, a
 * remote change, a file edited by hand), re-reading only the files whose oid changed. Queue
 * reads, vote checks, duplicate and quota checks and the evaluation worker API all read it.
 */
import type { Logger } from 'pino';
import { decodeRequestFile, type EvalRequest } from '../../datasets/request-file.js';
import { setDatasetVersion, type Metrics } from '../../http/metrics.js';
import type { Readiness } from '../../http/readiness.js';
import type { DatasetRepo } from '../../storage/dataset-repo.js';
import { DatasetWatcher } from '../../storage/dataset-watcher.js';

export interface QueueEntry {
  /** Path of the request file in the requests dataset. */
  path: string;
  request: EvalRequest;
}

export interface RequestsIndexDeps {
  repo: DatasetRepo;
  logger: Logger;
  readiness: Readiness;
  metrics: Metrics;
  checkIntervalMs: number;
}

/** A request file as last read: its entry, or why it could not be used. */
interface IndexedFile {
  oid: string;
  entry?: QueueEntry;
  problem?: string;
}

/** How many request files are read at once during a (re)load. */
const READ_CONCURRENCY = 64;

export class RequestsIndex {
  private files = new Map<string, IndexedFile>();
  private byModelId = new Map<string, QueueEntry[]>();
  private entries: QueueEntry[] = [];
  private loadedVersion: string | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly watcher: DatasetWatcher;

  constructor(private readonly deps: RequestsIndexDeps) {
    deps.readiness.expect('requests');
    this.watcher = new DatasetWatcher({
      repos: [deps.repo],
      rebuild: () => this.reload(),
      onError: (error) => deps.logger.error({ err: error }, 'requests refresh failed; keeping the previous index'),
      intervalMs: deps.checkIntervalMs,
    });
  }

  start(): Promise<void> {
    return this.watcher.start();
  }

  stop(): void {
    this.watcher.stop();
  }

  /** The dataset version the index reflects. */
  version(): string | undefined {
    return this.loadedVersion;
  }

  all(): readonly QueueEntry[] {
    return this.entries;
  }

  /** Every request of `org/name` (one per precision and weight type). */
  byModel(modelId: string): readonly QueueEntry[] {
    return this.byModelId.get(modelId) ?? [];
  }

  /** Called after each change of the index (for derived caches such as the queue payload). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Brings the index up to the dataset's current version (see DatasetWatcher). Awaiting it
   * after a commit makes the commit visible.
   */
  refresh(): Promise<void> {
    return this.watcher.refresh();
  }

  private async reload(): Promise<void> {
    const version = await this.deps.repo.version();
    if (version === this.loadedVersion) return;
    const listing = (await this.deps.repo.list()).filter((file) => file.path.endsWith('.json'));
    const next = new Map<string, IndexedFile>();
    const toRead = listing.filter((file) => {
      const known = this.files.get(file.path);
      if (known && known.oid === file.oid) {
        next.set(file.path, known);
        return false;
      }
      return true;
    });
    for (let i = 0; i < toRead.length; i += READ_CONCURRENCY) {
      await Promise.all(
        toRead.slice(i, i + READ_CONCURRENCY).map(async (file) => {
          let bytes: Uint8Array | null;
          try {
            bytes = await this.deps.repo.read(file.path);
          } catch (error) {
            // One unreadable file (EACCES…) is that file's problem; the rest of the queue is served.
            next.set(file.path, { oid: file.oid, problem: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'read error'})` });
            return;
          }
          if (!bytes) return;
          try {
            const request = decodeRequestFile(new TextDecoder().decode(bytes));
            next.set(file.path, { oid: file.oid, entry: { path: file.path, request } });
          } catch (error) {
            next.set(file.path, { oid: file.oid, problem: `invalid request file: ${(error as Error).message}` });
          }
        }),
      );
    }
    const problems = [...next].flatMap(([path, file]) => (file.problem ? [{ dataset: 'requests', path, reason: file.problem }] : []));
    this.files = next;
    this.entries = [...next.values()].flatMap((file) => (file.entry ? [file.entry] : []));
    const byModel = new Map<string, QueueEntry[]>();
    for (const entry of this.entries) {
      const list = byModel.get(entry.request.model);
      if (list) list.push(entry);
      else byModel.set(entry.request.model, [entry]);
    }
    this.byModelId = byModel;
    this.loadedVersion = version;
    this.deps.readiness.reportProblems('requests', problems);
    this.deps.readiness.markReady('requests');
    setDatasetVersion(this.deps.metrics, 'requests', version, this.entries.length);
    this.deps.logger.debug({ files: listing.length, reread: toRead.length, version }, 'requests index refreshed');
    for (const listener of this.listeners) listener();
  }
}
