/** `export --format csv|json|parquet`: the leaderboard as a file, with /formatted's filters. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { readContentsTable } from '../datasets/contents-table.js';
import { readOfficialProviders } from '../datasets/official-providers.js';
import { encodeExport, EXPORT_FORMATS, leaderboardView, selectExport, type ExportFormat } from '../features/evaluation/export.js';
import { parseLeaderboardQuery, type RawLeaderboardQuery } from '../features/leaderboard/query.js';
import { AppError } from '../http/errors.js';
import { loadBenchmarks } from '../scoring/benchmarks.js';
import { createDatasets } from '../storage/create-datasets.js';
import { pino } from 'pino';
import { parseCommandArgs, UsageError, type CliCommand } from './command.js';

const USAGE = `Usage: leaderboard export --format csv|json|parquet [--out FILE] [--query QUERY] [--data-dir DIR]

Writes the leaderboard: csv and parquet with the contents columns, json with the formatted items
(a JSON array), ranked best first.

  --format F       csv, json or parquet
  --out FILE       where to write (default: standard output; parquet needs --out)
  --query QUERY    the parameters of /api/leaderboard/formatted, as a query string, e.g.
                   "type=chat&precision=bfloat16&hide=merged&sort=-bbh&limit=100"
  --data-dir DIR   DATA_DIR (default: DATA_DIR from the environment)`;

const LISTS = new Set(['type', 'precision', 'hide']);
const NUMBERS = new Set(['params_min', 'params_max', 'limit', 'offset']);

/** A query string as the route's schema would hand it over (arrays, numbers, booleans). */
export function rawQueryFromString(text: string): RawLeaderboardQuery {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (LISTS.has(key)) ((raw[key] ??= []) as string[]).push(value);
    else if (NUMBERS.has(key)) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`--query: ${key} must be a number, got ${JSON.stringify(value)}`);
      raw[key] = number;
    } else if (key === 'official_only') raw[key] = /^(true|1)$/i.test(value);
    else if (key === 'search' || key === 'sort') raw[key] = value;
    else throw new UsageError(`--query: unknown parameter "${key}"`);
  }
  return raw as RawLeaderboardQuery;
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export the leaderboard as CSV, JSON or Parquet',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { format: { type: 'string' }, out: { type: 'string' }, query: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    const format = values.format?.toLowerCase();
    if (format === undefined || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    }
    if (format === 'parquet' && values.out === undefined) throw new UsageError('parquet is binary: pass --out FILE');
    const raw = rawQueryFromString(values.query ?? '');

    const config = loadConfig(io.env, values['data-dir'] !== undefined ? { dataDir: path.resolve(values['data-dir']) } : {});
    const benchmarks = loadBenchmarks(config.benchmarksFile);
    let query;
    try {
      query = parseLeaderboardQuery(raw, benchmarks);
    } catch (error) {
      if (error instanceof AppError) throw new UsageError(`--query: ${error.detail}`);
      throw error;
    }
    const datasets = createDatasets(config, pino({ level: 'warn', base: undefined }, pino.destination(2)));
    const [table, providers] = await Promise.all([readContentsTable(datasets.contents), readOfficialProviders(datasets['official-providers'])]);
    for (const problem of table.problems) io.err(`Warning: ${problem.path} is unreadable (${problem.reason}); its rows are missing.`);
    const view = leaderboardView(table, benchmarks, providers.orgs);
    const selection = selectExport(view, query, benchmarks);
    const bytes = encodeExport(format as ExportFormat, selection, benchmarks);
    if (values.out !== undefined) {
      await writeFile(values.out, bytes);
      io.err(`Exported ${selection.rows.length} rows to ${values.out} (${format}).`);
    } else {
      io.out(new TextDecoder().decode(bytes).replace(/\r?\n$/, ''));
    }
    return 0;
  },
};
