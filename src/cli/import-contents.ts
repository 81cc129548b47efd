/** `import-contents FILE`: replaces the contents table of DATA_DIR with a CSV/JSON/JSONL/parquet file. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import {
  CONTENTS_FORMATS,
  ContentsImportError,
  formatFromFileName,
  parseContents,
  type ContentsFormat,
} from '../datasets/contents-import.js';
import { CONTENTS_PARQUET_PATH, writeContentsTable } from '../datasets/contents-table.js';
import { loadBenchmarks } from '../scoring/benchmarks.js';
import { createLocalDatasets } from '../storage/local-repo.js';
import { progressReporter, parseCommandArgs, UsageError, type CliCommand } from './command.js';

const USAGE = `Usage: leaderboard import-contents FILE [--data-dir DIR] [--format csv|json|jsonl|parquet]

Replaces the contents table (DIR/contents/${CONTENTS_PARQUET_PATH}) with FILE, keeping its
columns, their order and every value. Nothing is written when the file has an error.

  FILE             a pandas CSV export (a leading unnamed index column is dropped), a JSON
                   array of rows or {"models": [...]}, JSON Lines, or parquet
  --data-dir DIR   target DATA_DIR (default: DATA_DIR from the environment)
  --format F       csv, json, jsonl or parquet (default: from the file extension)`;

export const importContentsCommand: CliCommand = {
  name: 'import-contents',
  summary: 'Replace the contents table with a CSV, JSON, JSONL or parquet file',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, format: { type: 'string' } },
    });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'FILE is required' : 'only one FILE can be imported');
    const file = positionals[0]!;
    let format: ContentsFormat | undefined;
    if (values.format !== undefined) {
      const wanted = values.format.toLowerCase();
      if (!(CONTENTS_FORMATS as readonly string[]).includes(wanted)) {
        throw new UsageError(`--format must be one of ${CONTENTS_FORMATS.join(', ')}, got ${JSON.stringify(values.format)}`);
      }
      format = wanted as ContentsFormat;
    } else {
      format = formatFromFileName(file);
      if (format === undefined) throw new UsageError(`cannot tell the format of ${file} from its extension; pass --format`);
    }

    const config = loadConfig(io.env);
    const dataDir = values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : config.dataDir;
    const benchmarks = loadBenchmarks(config.benchmarksFile);

    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      io.err(`Cannot read ${file}: ${(error as Error).message}`);
      return 1;
    }
    const started = performance.now();
    let progress: ((done: number) => void) | undefined;
    let table;
    try {
      table = await parseContents(bytes, format, {
        benchmarks,
        onProgress: (done, total) => {
          // Only long imports get a progress line.
          if (total < 1_000 && progress === undefined) return;
          progress ??= progressReporter(io, 'Converting rows', total);
          progress(done);
        },
      });
    } catch (error) {
      if (error instanceof ContentsImportError) {
        io.err(`Cannot import ${file}: ${error.message}`);
        return 1;
      }
      throw error;
    }
    for (const warning of table.warnings) io.err(`Warning: ${warning}`);

    const repo = createLocalDatasets(dataDir).contents;
    await writeContentsTable(repo, table.records, table.columns, `Import contents from ${path.basename(file)}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    io.out(
      `Imported ${table.records.length} rows × ${table.columns.length} columns from ${file} (${format}) ` +
        `into ${repo.resolve(CONTENTS_PARQUET_PATH)} in ${seconds}s`,
    );
    return 0;
  },
};
