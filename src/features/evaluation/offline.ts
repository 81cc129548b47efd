/**
 * The evaluation pipeline without the server, for the operator commands (`ingest-results`,
 * `rebuild-contents`, `export`): datasets, benchmarks, the Hub and the ingestion service built
 * from configuration, plus the rebuild of every contents row from the stored results files.
 */
import { pino, type Logger } from 'pino';
import { loadConfig, type Config, type Env } from '../../config.js';
import { decodeRequestFile } from '../../datasets/request-file.js';
import { AppError } from '../../http/errors.js';
import { readOfficialProviders } from '../../datasets/official-providers.js';
import { createHfModelHub } from '../../hub/hf-model-hub.js';
import type { ModelHub } from '../../hub/model-hub.js';
import { loadBenchmarks, type BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { fitRowToColumns, mergeColumns, newContentsColumns, upsertContentsRow } from '../../scoring/contents-row.js';
import { parseResultsText, readResultsModelInfo, ResultsFileError } from '../../scoring/results-file.js';
import { createDatasets } from '../../storage/create-datasets.js';
import type { DatasetRepo, Datasets } from '../../storage/dataset-repo.js';
import type { QueueEntry } from '../queue/requests-index.js';
import { updateContentsTable } from './dataset-updates.js';
import { matchRequest, ResultsIngestion, type PreparedResults } from './results-ingestion.js';

const HUB_CONCURRENCY = 8;

export interface OfflineContext {
  config: Config;
  logger: Logger;
  datasets: Datasets;
  benchmarks: readonly BenchmarkDefinition[];
  hub: ModelHub | undefined;
  ingestion: ResultsIngestion;
  officialProviders: ReadonlySet<string>;
}

/** Builds the context from the environment; `dataDir` overrides DATA_DIR, `skipHub` leaves the Hub out. */
export async function offlineContext(env: Env, options: { dataDir?: string | undefined; skipHub?: boolean | undefined } = {}): Promise<OfflineContext> {
  const config = loadConfig(env, options.dataDir !== undefined ? { dataDir: options.dataDir } : {});
  // Logs go to stderr: stdout carries the command's output (an export may be written there).
  const logger = pino({ level: config.logLevel.base === 'info' ? 'warn' : config.logLevel.base, base: undefined }, pino.destination(2));
  const benchmarks = loadBenchmarks(config.benchmarksFile);
  const datasets = createDatasets(config, logger);
  const hub = options.skipHub
    ? undefined
    : createHfModelHub({ hubUrl: config.hubUrl, token: config.hfToken, timeoutMs: config.hubTimeout * 1000, logger });
  const officialProviders = (await readOfficialProviders(datasets['official-providers'])).orgs;
  const ingestion = new ResultsIngestion({
    datasets,
    benchmarks,
    hub,
    organization: config.hfOrganization,
    officialProviders: () => officialProviders,
    now: () => new Date(),
    logger,
  });
  return { config, logger, datasets, benchmarks, hub, ingestion, officialProviders };
}

/** Every readable request file of the requests dataset. */
export async function loadRequestEntries(repo: DatasetRepo): Promise<QueueEntry[]> {
  const entries: QueueEntry[] = [];
  for (const file of await repo.list()) {
    if (!file.path.endsWith('.json')) continue;
    const bytes = await repo.read(file.path);
    if (!bytes) continue;
    try {
      entries.push({ path: file.path, request: decodeRequestFile(new TextDecoder().decode(bytes)) });
    } catch {
      // Not a request file; the server reports it at /ready.
    }
  }
  return entries;
}

export interface RebuildReport {
  /** Results files read. */
  files: number;
  /** Rows recomputed (one per eval_name, from its latest usable results file). */
  rows: number;
  /** Rows of the table without stored results, kept as they were. */
  kept: number;
  /** Results files that could not be used, with the reason. */
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * Recomputes every contents row that has stored results: for each eval_name, the latest results
 * file (by its timestamped name) that the configured benchmarks can score. The request file (the
 * one that recorded the results file, else a matching one) gives Type, Weight type and the
 * submission date; the Hub (unless skipped) the license, hearts, parameters, dates and lineage;
 * otherwise the previous row's values stay. Rows without stored results are kept unchanged.
 */
export async function rebuildContents(
  context: OfflineContext,
  options: { skipHub?: boolean | undefined; onProgress?: ((done: number, total: number) => void) | undefined } = {},
): Promise<RebuildReport> {
  const { datasets, ingestion } = context;
  const files = (await datasets.results.list())
    .filter((file) => /(^|\/)results_[^/]*\.json$/.test(file.path))
    // Oldest first per model, so that a later file replaces an earlier one.
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const requests = await loadRequestEntries(datasets.requests);
  const byResultsFile = new Map(requests.flatMap((entry) => (typeof entry.request.results_file === 'string' ? [[entry.request.results_file, entry]] : [])));
  const latest = new Map<string, { path: string; doc: Record<string, unknown>; request: QueueEntry | undefined; precision: string | undefined; model: string }>();
  const skipped: RebuildReport['skipped'] = [];
  let done = 0;
  const total = files.length;
  for (const file of files) {
    try {
      const bytes = await datasets.results.read(file.path);
      if (!bytes) continue;
      const doc = parseResultsText(new TextDecoder().decode(bytes));
      const info = readResultsModelInfo(doc);
      // The folder names the model: `{org}/{name}/results_….json`.
      const model = file.path.split('/').slice(0, -1).join('/') || info.model;
      if (!model) throw new ResultsFileError(['it does not name the model']);
      const request = byResultsFile.get(file.path) ?? matchRequest(requests, model, info.precision, info.sha);
      const precision = request?.request.precision ?? info.precision;
      if (!precision) throw new ResultsFileError([`no precision (model_dtype "${info.dtype ?? ''}" and no request)`]);
      latest.set(`${model}\0${precision}`, { path: file.path, doc, request, precision, model });
    } catch (error) {
      if (!(error instanceof ResultsFileError)) throw error;
      skipped.push({ path: file.path, reason: error.message });
    }
    options.onProgress?.(++done, total * 2);
  }
  const pending = [...latest.values()];
  // Indexed by position, so the table comes out in the same order however the look-ups finish.
  const slots: Array<PreparedResults | undefined> = new Array(pending.length);
  // A few models at a time: each may cost several Hub requests (info, parameters, lineage).
  for (let i = 0; i < pending.length; i += HUB_CONCURRENCY) {
    await Promise.all(
      pending.slice(i, i + HUB_CONCURRENCY).map(async (entry, j) => {
        try {
          slots[i + j] = await ingestion.prepare(entry.doc, {
            requests: entry.request ? [entry.request] : undefined,
            model: entry.model,
            precision: entry.precision,
            skipHub: options.skipHub,
          });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          skipped.push({ path: entry.path, reason: error.detail });
        }
        options.onProgress?.(++done, total * 2);
      }),
    );
  }
  const prepared = slots.filter((slot): slot is PreparedResults => slot !== undefined);
  options.onProgress?.(total * 2, total * 2);
  let kept = 0;
  await updateContentsTable(datasets.contents, (table) => {
    const columns = mergeColumns(table.columns, newContentsColumns(context.benchmarks));
    let records = table.records.map((record) => fitRowToColumns(record, columns));
    const rebuilt = new Set<string>();
    for (const result of prepared) {
      const previous = table.records.find((record) => record.eval_name === result.evalName);
      records = upsertContentsRow(records, fitRowToColumns(result.buildRow(previous, context.officialProviders), columns));
      rebuilt.add(result.evalName);
    }
    kept = records.filter((record) => !rebuilt.has(String(record.eval_name))).length;
    return { records, columns, message: `Rebuild ${rebuilt.size} contents rows from stored results` };
  });
  return { files: files.length, rows: prepared.length, kept, skipped };
}
