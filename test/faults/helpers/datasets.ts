/**
 * Checks of a DATA_DIR as files on disk, independent of the server: every dataset file valid,
 * no temporary or journal file left, and a hash of the whole tree to prove nothing changed.
 * Nothing here opens a LocalDatasetRepo (that would run the recovery the server must run).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeContentsParquet } from '../../../src/datasets/contents-table.js';
import { decodeRequestFile } from '../../../src/datasets/request-file.js';
import { decodeLogEntry, type VoteLogEntry } from '../../../src/features/votes/vote-log-entry.js';

/** Every regular file under `dir`, as `/`-separated paths relative to it, sorted. */
export async function walkFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/** SHA-256 over every file's path and bytes under `dir` (empty folders do not count). */
export async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await walkFiles(dir)) {
    hash.update(file).update('\0');
    hash.update(await fs.readFile(path.join(dir, file))).update('\0');
  }
  return hash.digest('hex');
}

const TEMP_FILE = /\.tmp-commit$|(^|\/)\.commit-journal\.json/;

export interface VotesFileCheck {
  file: string;
  entries: VoteLogEntry[];
  /** Lines (1-based) that do not parse, with the text. */
  badLines: Array<{ line: number; text: string }>;
  /** The last line had no newline (a write cut short); its text. */
  tornTail: string | undefined;
}

/** Parses every `*.jsonl` of the votes folder, line by line. */
export async function checkVotesFiles(votesDir: string): Promise<VotesFileCheck[]> {
  const files = (await walkFiles(votesDir)).filter((file) => file.endsWith('.jsonl'));
  const out: VotesFileCheck[] = [];
  for (const file of files) {
    const text = await fs.readFile(path.join(votesDir, file), 'utf8');
    const lines = text.split('\n');
    const tail = lines.pop() ?? '';
    const check: VotesFileCheck = { file, entries: [], badLines: [], tornTail: tail === '' ? undefined : tail };
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        check.entries.push(decodeLogEntry(line, i + 1));
      } catch {
        check.badLines.push({ line: i + 1, text: line });
      }
    });
    out.push(check);
  }
  return out;
}

export interface DataDirReport {
  /** Files of the four datasets that do not decode, with the reason. */
  invalid: Array<{ file: string; reason: string }>;
  /** Temporary commit files and journals still present. */
  temporary: string[];
  votes: VotesFileCheck[];
  /** Paths of the request files that decoded. */
  requestFiles: string[];
}

/** Decodes every request JSON, contents parquet and votes line of `dataDir`. */
export async function checkDataDir(dataDir: string): Promise<DataDirReport> {
  const report: DataDirReport = { invalid: [], temporary: [], votes: [], requestFiles: [] };
  for (const file of await walkFiles(dataDir)) if (TEMP_FILE.test(file)) report.temporary.push(file);
  for (const file of await walkFiles(path.join(dataDir, 'requests'))) {
    if (!file.endsWith('.json') || TEMP_FILE.test(file)) continue;
    try {
      decodeRequestFile(await fs.readFile(path.join(dataDir, 'requests', file), 'utf8'));
      report.requestFiles.push(file);
    } catch (error) {
      report.invalid.push({ file: `requests/${file}`, reason: (error as Error).message });
    }
  }
  for (const file of await walkFiles(path.join(dataDir, 'contents'))) {
    if (!file.endsWith('.parquet')) continue;
    try {
      await decodeContentsParquet(new Uint8Array(await fs.readFile(path.join(dataDir, 'contents', file))));
    } catch (error) {
      report.invalid.push({ file: `contents/${file}`, reason: (error as Error).message });
    }
  }
  report.votes = await checkVotesFiles(path.join(dataDir, 'votes'));
  return report;
}
