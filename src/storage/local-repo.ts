/**
 * The local-folder adapter of the storage port: one folder per dataset under DATA_DIR.
 *
 * Durability and atomicity: every file of a commit is first written to a temporary file in the
 * dataset folder and fsync'd; then a journal listing the renames is written and fsync'd; then
 * the renames happen and the folders are fsync'd; then the journal is removed. A crash before
 * the journal is durable leaves the dataset untouched (temporary files are swept at open); a
 * crash after it is rolled forward at the next open. So a commit is all-or-nothing and no
 * reader ever sees a half-written file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  assertSafeDatasetPath,
  StaleVersionError,
  type CommitOperation,
  type CommitOptions,
  type CommitResult,
  type DatasetFile,
  type DatasetName,
  type DatasetRepo,
} from './dataset-repo.js';

const TEMP_SUFFIX = '.tmp-commit';
const JOURNAL = '.commit-journal.json';
/** Files written (and fsync'd) at once by a commit. */
const WRITE_CONCURRENCY = 64;

interface JournalEntry {
  op: 'rename' | 'delete';
  from?: string;
  to: string;
}

/** fsync a file or a folder by path (a folder: makes its entries — new, renamed — durable). */
export async function fsyncPath(target: string): Promise<void> {
  const handle = await fs.open(target, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `content` to `target` durably: temp file, fsync, rename, fsync the folder. */
export async function writeFileDurably(target: string, content: Uint8Array | string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, target);
  await fsyncPath(path.dirname(target));
}

export class LocalDatasetRepo implements DatasetRepo {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(version: string) => void>();
  private opened: Promise<void> | undefined;

  constructor(
    readonly name: DatasetName,
    /** The dataset's folder. */
    readonly root: string,
  ) {}

  /** Creates the folder, rolls a pending commit forward and sweeps temporary files. */
  private open(): Promise<void> {
    this.opened ??= (async () => {
      await fs.mkdir(this.root, { recursive: true });
      await this.recover();
    })();
    return this.opened;
  }

  async version(): Promise<string> {
    const files = await this.list();
    const hash = createHash('sha1');
    for (const file of files) hash.update(`${file.path}\0${file.oid}\n`);
    return hash.digest('hex');
  }

  /**
   * Lists with synchronous readdir/stat calls: a folder of thousands of small request files
   * is listed in milliseconds this way, where thousands of promise-based stats took over a
   * second of event-loop time and garbage. The listing runs at startup and once per CACHE_TTL.
   */
  async list(prefix = ''): Promise<DatasetFile[]> {
    await this.open();
    const start = prefix === '' ? this.root : this.resolve(prefix.replace(/\/+$/, ''));
    const out: DatasetFile[] = [];
    const walk = (dir: string, relative: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw error;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
          walk(full, name);
          continue;
        }
        if (!entry.isFile() || entry.name.endsWith(TEMP_SUFFIX) || entry.name === JOURNAL) continue;
        // Removed between readdir and stat: it is simply not part of this listing.
        const stat = statSync(full, { throwIfNoEntry: false });
        if (stat) out.push({ path: name, size: stat.size, oid: `${stat.size}-${stat.mtimeMs}-${stat.ino}` });
      }
    };
    walk(start, path.relative(this.root, start).split(path.sep).join('/'));
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Reads synchronously, for the same reason as list(): dataset files are small local files
   * (the largest, a contents parquet, is a few MB) read in bulk at startup, where the promise
   * machinery around thousands of reads cost more than the reads.
   */
  async read(filePath: string): Promise<Uint8Array | null> {
    await this.open();
    try {
      return new Uint8Array(readFileSync(this.resolve(filePath)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
      throw error;
    }
  }

  commit(operations: CommitOperation[], _message: string, options: CommitOptions = {}): Promise<CommitResult> {
    for (const operation of operations) assertSafeDatasetPath(operation.path);
    const run = this.queue.then(async () => {
      await this.open();
      if (options.parentVersion !== undefined) {
        const current = await this.version();
        if (current !== options.parentVersion) throw new StaleVersionError(this.name, options.parentVersion, current);
      }
      await this.apply(operations);
      const version = await this.version();
      for (const listener of this.listeners) listener(version);
      return { version };
    });
    // The queue survives a failed commit: the next one still runs.
    this.queue = run.catch(() => undefined);
    return run;
  }

  onCommit(listener: (version: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Absolute path of a dataset file; refuses anything that could leave the folder. */
  resolve(filePath: string): string {
    assertSafeDatasetPath(filePath);
    return path.join(this.root, ...filePath.split('/'));
  }

  private async apply(operations: CommitOperation[]): Promise<void> {
    const journal: JournalEntry[] = operations.map((operation) =>
      operation.op === 'delete'
        ? { op: 'delete', to: operation.path }
        : { op: 'rename', from: `${operation.path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`, to: operation.path },
    );
    try {
      // Temporary files are written and fsync'd several at a time: a commit of thousands of
      // files (the demo's request files) is bound by fsync latency, which overlaps well.
      const writes = operations.flatMap((operation, i) => (operation.op === 'put' ? [{ content: operation.content, temp: journal[i]!.from! }] : []));
      for (let i = 0; i < writes.length; i += WRITE_CONCURRENCY) {
        await Promise.all(
          writes.slice(i, i + WRITE_CONCURRENCY).map(async ({ content, temp }) => {
            const target = path.join(this.root, ...temp.split('/'));
            await fs.mkdir(path.dirname(target), { recursive: true });
            const handle = await fs.open(target, 'w');
            try {
              await handle.writeFile(content);
              await handle.sync();
            } finally {
              await handle.close();
            }
          }),
        );
      }
    } catch (error) {
      await this.discard(journal);
      throw error;
    }
    if (journal.length === 1) {
      // A single file needs no journal: rename is atomic on its own.
      await this.replay(journal);
      return;
    }
    await writeFileDurably(path.join(this.root, JOURNAL), JSON.stringify(journal));
    await this.replay(journal);
    await fs.rm(path.join(this.root, JOURNAL), { force: true });
    await fsyncPath(this.root);
  }

  /** Performs the journal's renames and deletes; idempotent, so a crash mid-way can replay it. */
  private async replay(journal: JournalEntry[]): Promise<void> {
    const folders = new Set<string>();
    for (const entry of journal) {
      const target = path.join(this.root, ...entry.to.split('/'));
      folders.add(path.dirname(target));
      if (entry.op === 'delete') {
        await fs.rm(target, { force: true });
      } else if (entry.from) {
        try {
          await fs.rename(path.join(this.root, ...entry.from.split('/')), target);
        } catch (error) {
          // Already renamed by an earlier, interrupted replay.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
    for (const folder of folders) await fsyncPath(folder);
  }

  private async discard(journal: JournalEntry[]): Promise<void> {
    for (const entry of journal) {
      if (entry.from) await fs.rm(path.join(this.root, ...entry.from.split('/')), { force: true });
    }
  }

  private async recover(): Promise<void> {
    const journalPath = path.join(this.root, JOURNAL);
    let journal: JournalEntry[] | undefined;
    try {
      journal = JSON.parse(await fs.readFile(journalPath, 'utf8')) as JournalEntry[];
    } catch {
      journal = undefined;
    }
    if (journal) {
      await this.replay(journal);
      await fs.rm(journalPath, { force: true });
    }
    await this.sweepTemporaryFiles(this.root);
  }

  private async sweepTemporaryFiles(dir: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await this.sweepTemporaryFiles(full);
      else if (entry.name.endsWith(TEMP_SUFFIX) || entry.name === `${JOURNAL}${TEMP_SUFFIX}`) await fs.rm(full, { force: true });
    }
  }
}

/** The local datasets under `dataDir`, one folder each. */
export function createLocalDatasets(dataDir: string): Record<DatasetName, LocalDatasetRepo> {
  return {
    contents: new LocalDatasetRepo('contents', path.join(dataDir, 'contents')),
    requests: new LocalDatasetRepo('requests', path.join(dataDir, 'requests')),
    votes: new LocalDatasetRepo('votes', path.join(dataDir, 'votes')),
    'official-providers': new LocalDatasetRepo('official-providers', path.join(dataDir, 'official-providers')),
    results: new LocalDatasetRepo('results', path.join(dataDir, 'results')),
  };
}
