/**
 * Results ingestion, shared by `POST /api/evaluations/{job_id}/results`, the `ingest-results`
 * and `rebuild-contents` commands: an lm-evaluation-harness results file becomes one contents
 * row (replacing the row with the same eval_name), the file is kept in the results dataset at
 * `{model_org}/{model_name}/results_<timestamp>.json`, and the model's request becomes FINISHED.
 *
 * Everything that can reject the file (a missing task or metric, a model or sha that does not
 * match the job) is checked before the first write, so a 4xx changes nothing.
 */
import type { Logger } from 'pino';
import type { ContentsRecord } from '../../datasets/contents-table.js';
import { formatUtcSeconds } from '../../datasets/request-file.js';
import { AppError } from '../../http/errors.js';
import { HubError } from '../../hub/hub-errors.js';
import { isValidModelId, type ModelHub, type ModelInfo } from '../../hub/model-hub.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import {
  baseModelsOf,
  buildContentsRow,
  evalName,
  fitRowToColumns,
  mergeColumns,
  newContentsColumns,
  resolveLineage,
  upsertContentsRow,
  type Lineage,
} from '../../scoring/contents-row.js';
import { ResultsFileError, scoreResults, type ScoredResults } from '../../scoring/results-file.js';
import type { DatasetRepo, Datasets } from '../../storage/dataset-repo.js';
import type { QueueEntry } from '../queue/requests-index.js';
import { updateContentsTable, updateRequestFile, withFields } from './dataset-updates.js';

const SHA = /^[0-9a-f]{40}$/i;

/** What the Hub said about a model: info (null: not on the Hub), parameter count, lineage. */
export interface HubFacts {
  info: ModelInfo | null;
  parameterCount?: number | null;
  lineage?: Lineage;
}

export interface IngestionDeps {
  datasets: Pick<Datasets, 'results' | 'contents' | 'requests'>;
  benchmarks: readonly BenchmarkDefinition[];
  /** Absent: Hub facts are never asked (rows keep what they had). */
  hub?: ModelHub | undefined;
  /** Organization of the details datasets linked from `Model` (HF_ORGANIZATION). */
  organization: string;
  officialProviders: () => ReadonlySet<string> | Promise<ReadonlySet<string>>;
  now: () => Date;
  logger: Logger;
}

export interface IngestOptions {
  /** The job's request file: the results must be for its model (and sha, when both say). */
  job?: QueueEntry | undefined;
  /** The job id the results were posted for (with `job`). */
  jobId?: string | undefined;
  /** Request files to match results against when there is no job (CLI). */
  requests?: readonly QueueEntry[] | undefined;
  /** Overrides for results that do not say (CLI). */
  model?: string | undefined;
  precision?: string | undefined;
  /** Model type for results without a request (`chat`, `fine-tuned`, …). */
  modelType?: string | undefined;
  /** Do not ask the Hub (rows keep the Hub facts they had). */
  skipHub?: boolean | undefined;
  /** The file as received, stored verbatim; default: the document re-serialized. */
  bytes?: Uint8Array | undefined;
}

/** A results file checked and scored, ready to be written. */
export interface PreparedResults {
  model: string;
  precision: string;
  sha: string | undefined;
  evalName: string;
  scored: ScoredResults;
  /** The request the results belong to (the job's, or a matching one). */
  request: QueueEntry | undefined;
  /** The job the results were posted for. */
  jobId: string | undefined;
  hub: HubFacts | undefined;
  bytes: Uint8Array;
  /** The contents row given the row it replaces. */
  buildRow(previous: ContentsRecord | undefined, providers: ReadonlySet<string>): ContentsRecord;
}

export interface IngestResult {
  eval_name: string;
  model: string;
  precision: string;
  revision: string | null;
  average: number;
  co2_cost: number;
  scores: Array<{ key: string; name: string; raw: number; normalized: number }>;
  /** Path of the stored results file in the results dataset. */
  results_file: string;
  /** Path of the request file marked FINISHED, if any. */
  request_file: string | null;
  /** Whether a row with the same eval_name was replaced (false: a new row). */
  replaced: boolean;
}

const STATUS_PREFERENCE = ['RUNNING', 'PENDING', 'FINISHED'];
const BASES_CACHE_TTL_MS = 10 * 60_000;
const BASES_CACHE_MAX = 50_000;

/**
 * The request results evaluated elsewhere belong to: same model and precision (when known),
 * preferring the same revision, then a running, pending, finished request, then the latest.
 */
export function matchRequest(
  entries: readonly QueueEntry[],
  model: string,
  precision: string | undefined,
  sha: string | undefined,
): QueueEntry | undefined {
  let candidates = entries.filter((entry) => entry.request.model === model);
  if (precision !== undefined) candidates = candidates.filter((entry) => String(entry.request.precision).toLowerCase() === precision.toLowerCase());
  else if (new Set(candidates.map((entry) => entry.request.precision)).size > 1) {
    // Without a precision, several precisions are ambiguous; one revision may still decide.
    candidates = candidates.filter((entry) => sha !== undefined && entry.request.revision === sha);
    if (new Set(candidates.map((entry) => entry.request.precision)).size !== 1) return undefined;
  }
  const rank = (entry: QueueEntry): number[] => {
    const status = STATUS_PREFERENCE.indexOf(String(entry.request.status).toUpperCase());
    return [sha !== undefined && entry.request.revision === sha ? 0 : 1, status === -1 ? STATUS_PREFERENCE.length : status];
  };
  return [...candidates].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return String(b.request.submitted_time).localeCompare(String(a.request.submitted_time));
  })[0];
}

/** `results_2025-01-10T12-34-56.789000` (lm-evaluation-harness's file name, microseconds ×1000). */
export function resultsTimestamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace(/\.(\d{3})Z$/, '.$1000');
}

/** `{org}/{name}/results_<timestamp>.json`. */
export function resultsFilePath(model: string, date: Date): string {
  return `${model}/results_${resultsTimestamp(date)}.json`;
}

function badResults(error: ResultsFileError): AppError {
  return new AppError('VALIDATION_ERROR', error.message, { extra: { problems: error.problems } });
}

export class ResultsIngestion {
  /** Base models of ancestors, shared by the look-ups of a rebuild (model trees overlap a lot). */
  private readonly basesCache = new Map<string, { bases: Promise<string[] | null>; expires: number }>();

  constructor(private readonly deps: IngestionDeps) {}

  get benchmarks(): readonly BenchmarkDefinition[] {
    return this.deps.benchmarks;
  }

  /** Scores a results document and checks it against the job; no write. Throws 400 AppErrors. */
  async prepare(doc: Record<string, unknown>, options: IngestOptions = {}): Promise<PreparedResults> {
    let scored: ScoredResults;
    try {
      scored = scoreResults(doc, this.deps.benchmarks);
    } catch (error) {
      if (error instanceof ResultsFileError) throw badResults(error);
      throw error;
    }
    const info = scored.info;
    const job = options.job?.request;
    const statedModel = info.model !== undefined && isValidModelId(info.model) ? info.model : undefined;
    let model: string;
    if (job) {
      if (statedModel !== undefined && statedModel !== job.model) {
        throw new AppError('VALIDATION_ERROR', `The results are for ${statedModel}, but this job evaluates ${job.model}.`);
      }
      if (info.sha !== undefined && SHA.test(job.revision) && info.sha !== job.revision.toLowerCase()) {
        throw new AppError(
          'VALIDATION_ERROR',
          `The results are for commit ${info.sha} of ${job.model}, but this job evaluates commit ${job.revision}.`,
        );
      }
      model = job.model;
    } else {
      const named = options.model ?? statedModel;
      if (named === undefined || !isValidModelId(named)) {
        throw new AppError(
          'VALIDATION_ERROR',
          info.model === undefined
            ? 'The results file does not name the model (config_general.model_name, config.model_name or model_name); pass it explicitly.'
            : `The results file names the model "${info.model}", which is not a Hub model id (org/name); pass it explicitly.`,
        );
      }
      model = named;
    }

    const matched = options.job ?? (options.requests ? matchRequest(options.requests, model, options.precision ?? info.precision, info.sha) : undefined);
    const precision = job?.precision ?? options.precision ?? info.precision ?? matched?.request.precision;
    if (precision === undefined || precision === '') {
      throw new AppError(
        'VALIDATION_ERROR',
        `Cannot tell the precision of ${model}: the results file has no usable model_dtype${info.dtype ? ` ("${info.dtype}")` : ''} and no request matches; pass it explicitly.`,
      );
    }
    const hub = options.skipHub ? undefined : await this.hubFacts(model);
    const sha = info.sha ?? (matched && SHA.test(matched.request.revision) ? matched.request.revision.toLowerCase() : undefined) ?? hub?.info?.sha;
    const { benchmarks, organization, now } = this.deps;
    const ingestedAt = now();
    const bytes = options.bytes ?? new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
    return {
      model,
      precision,
      sha,
      evalName: evalName(model, precision),
      scored,
      request: matched,
      jobId: options.jobId,
      hub,
      bytes,
      buildRow: (previous, providers) =>
        buildContentsRow({
          benchmarks,
          scored,
          model,
          precision,
          sha,
          request: matched?.request,
          modelType: options.modelType,
          hub: hub?.info,
          parameterCount: hub?.parameterCount,
          lineage: hub?.lineage,
          previous,
          officialProviders: providers,
          organization,
          now: ingestedAt,
        }),
    };
  }

  /**
   * Writes a prepared result: the results file, the contents row, then the request's status.
   * Each step is one durable commit; a crash between them leaves the results file stored, and
   * `rebuild-contents` recomputes the row from it.
   */
  async commit(prepared: PreparedResults): Promise<IngestResult> {
    const resultsPath = await this.storeResultsFile(prepared.model, prepared.bytes);
    const providers = await this.deps.officialProviders();
    let replaced = false;
    await updateContentsTable(this.deps.datasets.contents, (table) => {
      const previous = table.records.find((record) => record.eval_name === prepared.evalName);
      replaced = previous !== undefined;
      const columns = mergeColumns(table.columns, newContentsColumns(this.deps.benchmarks));
      const row = fitRowToColumns(prepared.buildRow(previous, providers), columns);
      return {
        records: upsertContentsRow(table.records, row),
        columns,
        message: `Add ${prepared.model} (${prepared.precision}) evaluation results`,
      };
    });
    let requestFile: string | null = null;
    if (prepared.request) {
      const finishedAt = formatUtcSeconds(this.deps.now());
      const seen = prepared.request.request;
      const jobId = prepared.jobId;
      const updated = await updateRequestFile(this.deps.datasets.requests, prepared.request.path, (current) => {
        // A newer submission replaced the file (another revision): leave it to its own job.
        if (current.revision !== seen.revision) return {};
        if (jobId !== undefined) {
          // The job's request, or a request its timed-out job left pending (results arrived late).
          const late = current.timed_out_job_id === jobId && String(current.status).toUpperCase() === 'PENDING';
          if (String(current.job_id) !== jobId && !late) return {};
        } else {
          if (String(current.job_id) !== String(seen.job_id)) return {};
          // Results of another commit (evaluated elsewhere) do not finish this request.
          if (prepared.sha !== undefined && SHA.test(current.revision) && current.revision.toLowerCase() !== prepared.sha) return {};
        }
        return {
          write: withFields(
            current,
            {
              status: 'FINISHED',
              ...(jobId !== undefined ? { job_id: jobId } : {}),
              job_updated_time: finishedAt,
              job_end_time: finishedAt,
              results_file: resultsPath,
            },
            ['reason', 'timed_out_job_id'],
          ),
          message: `Set ${current.model} (${current.precision}) to FINISHED`,
        };
      });
      if (updated?.written) requestFile = prepared.request.path;
    }
    this.deps.logger.info(
      { model: prepared.model, precision: prepared.precision, eval_name: prepared.evalName, average: prepared.scored.average, results_file: resultsPath },
      'evaluation results ingested',
    );
    return {
      eval_name: prepared.evalName,
      model: prepared.model,
      precision: prepared.precision,
      revision: prepared.sha ?? null,
      average: prepared.scored.average,
      co2_cost: prepared.scored.co2,
      scores: this.deps.benchmarks.map((benchmark, i) => ({
        key: benchmark.key,
        name: benchmark.name,
        raw: prepared.scored.benchmarks[i]!.raw,
        normalized: prepared.scored.benchmarks[i]!.normalized,
      })),
      results_file: resultsPath,
      request_file: requestFile,
      replaced,
    };
  }

  async ingest(doc: Record<string, unknown>, options: IngestOptions = {}): Promise<IngestResult> {
    return this.commit(await this.prepare(doc, options));
  }

  /** Model info, parameter count and lineage; undefined when the Hub cannot answer (logged). */
  async hubFacts(model: string): Promise<HubFacts | undefined> {
    const hub = this.deps.hub;
    if (!hub) return undefined;
    try {
      const info = await hub.modelInfo(model);
      if (!info) return { info: null };
      const facts: HubFacts = { info };
      if (info.safetensorsTotal === undefined) {
        facts.parameterCount = await hub.parameterCount(model, info.sha, info).catch(() => null);
      }
      facts.lineage = await resolveLineage(model, baseModelsOf(info), (id) => this.basesOf(id));
      return facts;
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      this.deps.logger.warn({ model, err: error.message }, 'hub model info unavailable; keeping the previous Hub facts');
      return undefined;
    }
  }

  private basesOf(id: string): Promise<string[] | null> {
    const now = Date.now();
    const cached = this.basesCache.get(id);
    if (cached && cached.expires > now) return cached.bases;
    if (this.basesCache.size >= BASES_CACHE_MAX) this.basesCache.clear();
    {
      const pending = (async () => {
        try {
          const info = await this.deps.hub!.modelInfo(id);
          return info ? baseModelsOf(info) : null;
        } catch (error) {
          if (error instanceof HubError) return null;
          throw error;
        }
      })();
      this.basesCache.set(id, { bases: pending, expires: now + BASES_CACHE_TTL_MS });
      return pending;
    }
  }

  /** Stores the file at a path no other file has (timestamps are bumped by 1 µs on a clash). */
  private async storeResultsFile(model: string, bytes: Uint8Array): Promise<string> {
    const repo: DatasetRepo = this.deps.datasets.results;
    let date = this.deps.now();
    let path = resultsFilePath(model, date);
    const existing = new Set((await repo.list(model)).map((file) => file.path));
    let micro = 0;
    while (existing.has(path)) {
      micro += 1;
      path = `${model}/results_${resultsTimestamp(date).replace(/\d{3}$/, String(micro).padStart(3, '0'))}.json`;
      if (micro > 999) {
        date = new Date(date.getTime() + 1);
        micro = 0;
        path = resultsFilePath(model, date);
      }
    }
    await repo.commit([{ op: 'put', path, content: bytes }], `Add results of ${model}`);
    return path;
  }
}
