/**
 * The votes log: the `*.jsonl` files of the votes dataset folder, replayed at startup, and one
 * of them — `votes_data.jsonl`, the original's file — opened in append mode for new votes.
 *
 * Durability: `append()` resolves only after the line is written and fdatasync'd. Group
 * commit: appends that arrive while a write+sync is in flight are queued and go out together
 * in the next write+sync, so N concurrent votes cost far fewer than N syncs and each caller is
 * acknowledged by the sync that covers its line.
 *
 * The log is never rewritten: a line cut short by a crash (a torn last line) is skipped with a
 * warning at startup and the next append starts on a fresh line, so a fragment never glues
 * onto a good row. After a failed sync the log refuses further appends (the kernel may have
 * dropped the dirty pages; pretending otherwise would acknowledge votes that are not on disk).
 *
 * Replay order: the other `*.jsonl` files by path, then `votes_data.jsonl` (the live file, so
 * it holds the newest lines); lines in file order.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { VOTES_FILE_PATH } from '../../datasets/vote-record.js';
import { fsyncPath } from '../../storage/local-repo.js';
import { decodeLogEntry, encodeLogEntry, type VoteLogEntry } from './vote-log-entry.js';

export interface VoteLogProblem {
  path: string;
  reason: string;
}

export interface OpenedVoteLog {
  log: VoteLog;
  /** Every readable line of every file, in replay order. */
  entries: VoteLogEntry[];
  /** Lines that were skipped (torn or malformed), one per line. */
  problems: VoteLogProblem[];
}

export interface VoteLogStats {
  /** Lines appended since open. */
  appended: number;
  /** write+fdatasync rounds since open (≤ appended thanks to group commit). */
  syncs: number;
}

interface Waiter {
  line: string;
  resolve(): void;
  reject(error: Error): void;
}

export class VoteLogClosedError extends Error {
  override name = 'VoteLogClosedError';
}

export class VoteLog {
  private queue: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
  private closed = false;
  private readonly counters: VoteLogStats = { appended: 0, syncs: 0 };

  private constructor(
    private readonly handle: FileHandle,
    /** Absolute path of the file appended to. */
    readonly file: string,
    /** The file does not end with a newline (torn tail, or a failed write): start the next append with one. */
    private needsNewline: boolean,
  ) {}

  /** Reads every `*.jsonl` of `dir` and opens `dir/votes_data.jsonl` for appending. */
  static async open(
    dir: string,
    logger: Logger,
    liveFile = VOTES_FILE_PATH,
    /** Receives each entry instead of the returned list (which is then empty): no 100,000-entry array. */
    onEntry?: (entry: VoteLogEntry) => void,
  ): Promise<OpenedVoteLog> {
    await fs.mkdir(dir, { recursive: true });
    const names = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl') && entry.name !== liveFile)
      .map((entry) => entry.name)
      .sort();
    names.push(liveFile);
    const entries: VoteLogEntry[] = [];
    const deliver = onEntry ?? ((entry: VoteLogEntry) => void entries.push(entry));
    const problems: VoteLogProblem[] = [];
    let liveEndsCleanly = true;
    for (const name of names) {
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(path.join(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      // Line by line out of the buffer: each line's string is short-lived, so replaying a
      // large log never holds the whole file as text plus an array of its lines.
      let start = 0;
      let lineNumber = 0;
      for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
        lineNumber += 1;
        const line = bytes.toString('utf8', start, end);
        start = end + 1;
        if (line.trim() === '') continue;
        try {
          deliver(decodeLogEntry(line, lineNumber));
        } catch (error) {
          problems.push({ path: name, reason: (error as Error).message });
        }
      }
      const tail = bytes.toString('utf8', start);
      if (tail.trim() !== '') {
        // A last line without its newline was being written when the process died: it was
        // never acknowledged. Keep the bytes (the log is never rewritten) but ignore them.
        problems.push({ path: name, reason: `line ${lineNumber + 1}: torn last line (no trailing newline), skipped` });
        // Debug only: the caller reports it as a data problem, which is logged once as a warning.
        logger.debug({ file: name, line: lineNumber + 1, bytes: Buffer.byteLength(tail) }, 'votes log: skipped a torn last line');
      }
      if (name === liveFile) liveEndsCleanly = bytes.length === 0 || bytes[bytes.length - 1] === 0x0a;
    }
    const file = path.join(dir, liveFile);
    const handle = await fs.open(file, 'a');
    // The file may have just been created: make its directory entry durable too.
    await fsyncPath(dir);
    return { log: new VoteLog(handle, file, !liveEndsCleanly), entries, problems };
  }

  /** Appends one entry; resolves once it is on disk (written and fdatasync'd). */
  append(entry: VoteLogEntry): Promise<void> {
    if (this.closed) return Promise.reject(new VoteLogClosedError('the votes log is closed'));
    if (this.failed) return Promise.reject(this.failed);
    let line: string;
    try {
      line = `${encodeLogEntry(entry)}\n`;
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  stats(): VoteLogStats {
    return { ...this.counters };
  }

  /** Waits for queued appends, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.handle.close();
  }

  private async flushLoop(): Promise<void> {
    // Let the appends of the current tick join the first batch.
    await Promise.resolve();
    for (;;) {
      const batch = this.queue;
      if (batch.length === 0) {
        // Same synchronous step as the emptiness check: an append after this starts a new loop.
        this.flushing = null;
        return;
      }
      this.queue = [];
      if (this.failed) {
        for (const waiter of batch) waiter.reject(this.failed);
        continue;
      }
      const text = (this.needsNewline ? '\n' : '') + batch.map((waiter) => waiter.line).join('');
      try {
        await this.writeAll(Buffer.from(text, 'utf8'));
        this.needsNewline = false;
      } catch (error) {
        // Part of the batch may be on disk without its newline: isolate it from the next write.
        this.needsNewline = true;
        for (const waiter of batch) waiter.reject(error as Error);
        continue;
      }
      try {
        await this.handle.datasync();
      } catch (error) {
        this.failed = new Error(`votes log: fdatasync failed (${(error as Error).message}); refusing further votes until restart`);
        for (const waiter of batch) waiter.reject(this.failed);
        continue;
      }
      this.counters.appended += batch.length;
      this.counters.syncs += 1;
      for (const waiter of batch) waiter.resolve();
    }
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
  }
}
