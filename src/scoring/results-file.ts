/**
 * lm-evaluation-harness results files: what the service reads from them and how the configured
 * benchmarks' scores come out of them (docs: datasets-and-scoring.md §3).
 *
 * A results file is `{"results": {task: {"<metric>,<filter>": number, …}}, "config_general" |
 * "config": {model_name, model_sha, model_dtype, …}, "total_evaluation_time_seconds": …, …}`.
 * Only the task/metric pairs the benchmarks name are read; every other key is ignored.
 */
import type { BenchmarkDefinition, ScoreSource } from './benchmarks.js';
import { higherBound } from './benchmarks.js';
import { averageScore, co2CostKg, scoreBenchmark, type BenchmarkScore } from './normalize.js';

/** The results file cannot be used; `problems` names each missing or bad task/metric. */
export class ResultsFileError extends Error {
  constructor(
    readonly problems: readonly string[],
    /** Whether the problems are missing tasks or metrics (as opposed to a malformed file). */
    readonly missing = false,
  ) {
    super(ResultsFileError.describe(problems));
    this.name = 'ResultsFileError';
  }

  private static describe(problems: readonly string[]): string {
    const shown = problems.slice(0, 10).join('; ');
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
    return `The results file cannot be used: ${shown}${more}.`;
  }
}

/** Model facts a results file states about itself (each may be absent). */
export interface ResultsModelInfo {
  /** `org/name`. */
  model?: string;
  /** The evaluated commit (a 40-hex sha), when stated. */
  sha?: string;
  /** The dtype as written, e.g. `torch.bfloat16`. */
  dtype?: string;
  /** The leaderboard precision the dtype stands for, e.g. `bfloat16`. */
  precision?: string;
  /** `total_evaluation_time_seconds`, when a positive number. */
  evaluationSeconds?: number;
  /** Whether a chat template was applied, when the file says so. */
  chatTemplate?: boolean;
}

export interface BenchmarkResult extends BenchmarkScore {
  key: string;
  /** The source values, in the order of the definition's sources. */
  values: number[];
}

export interface ScoredResults {
  info: ResultsModelInfo;
  /** One entry per configured benchmark, in configuration order. */
  benchmarks: BenchmarkResult[];
  /** Average ⬆️: the normalized scores summed left to right in configuration order, / count. */
  average: number;
  /** CO₂ cost (kg) of the evaluation; −1 when the time is unknown. */
  co2: number;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const SHA = /^[0-9a-f]{40}$/i;

/** Parses a results file's text; a malformed file is a ResultsFileError. */
export function parseResultsText(text: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    try {
      // Python's json.dump writes NaN/Infinity (e.g. for an undefined stderr); read them as null.
      parsed = JSON.parse(text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, 'null'));
    } catch {
      throw new ResultsFileError([`it is not valid JSON (${(error as Error).message})`]);
    }
  }
  if (!isRecord(parsed)) throw new ResultsFileError(['it is not a JSON object']);
  return parsed;
}

/**
 * The leaderboard precision of a harness dtype: `torch.bfloat16` → `bfloat16`, `float16`/`half`
 * → `float16`, `8bit`, `4bit`, `GPTQ`, `float32`. Unknown → undefined.
 */
export function precisionFromDtype(dtype: string | undefined): string | undefined {
  if (!dtype) return undefined;
  const value = dtype.trim().replace(/^torch\./i, '').toLowerCase();
  switch (value) {
    case 'bfloat16':
    case 'bf16':
      return 'bfloat16';
    case 'float16':
    case 'fp16':
    case 'half':
      return 'float16';
    case 'float32':
    case 'fp32':
    case 'float':
      return 'float32';
    case '8bit':
    case 'int8':
      return '8bit';
    case '4bit':
    case 'int4':
      return '4bit';
    case 'gptq':
      return 'GPTQ';
    default:
      return undefined;
  }
}

/** `pretrained=org/name,revision=abc,dtype=bfloat16` (or an object) → its key/value pairs. */
function modelArgs(config: Json | undefined): Record<string, string> {
  const args = config?.model_args;
  if (isRecord(args)) {
    return Object.fromEntries(Object.entries(args).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
  }
  if (typeof args !== 'string') return {};
  const out: Record<string, string> = {};
  for (const part of args.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

function positiveSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * What the file says about the evaluated model. Looks in `config_general` (lighteval and the
 * leaderboard's own files), then `config` (lm-evaluation-harness), then the top level (the
 * harness writes `model_name` there), then `config.model_args`.
 */
export function readResultsModelInfo(doc: Json): ResultsModelInfo {
  const general = isRecord(doc.config_general) ? doc.config_general : undefined;
  const config = isRecord(doc.config) ? doc.config : undefined;
  const args = modelArgs(config);
  const pick = (key: string): string | undefined => nonEmpty(general?.[key]) ?? nonEmpty(config?.[key]) ?? nonEmpty(doc[key]);
  const model = pick('model_name') ?? nonEmpty(args.pretrained);
  const shaCandidates = [pick('model_sha'), nonEmpty(config?.model_revision), nonEmpty(args.revision)];
  const sha = shaCandidates.find((value) => value !== undefined && SHA.test(value))?.toLowerCase();
  const dtype = pick('model_dtype') ?? nonEmpty(args.dtype);
  const evaluationSeconds =
    positiveSeconds(doc.total_evaluation_time_seconds) ??
    positiveSeconds(general?.total_evaluation_time_seconds) ??
    // lighteval's spelling.
    positiveSeconds(general?.total_evaluation_time_secondes);
  let chatTemplate: boolean | undefined;
  if ('chat_template' in doc) chatTemplate = nonEmpty(doc.chat_template) !== undefined;
  else if (typeof general?.use_chat_template === 'boolean') chatTemplate = general.use_chat_template;
  const info: ResultsModelInfo = {};
  if (model !== undefined) info.model = model;
  if (sha !== undefined) info.sha = sha;
  if (dtype !== undefined) {
    info.dtype = dtype;
    const precision = precisionFromDtype(dtype);
    if (precision !== undefined) info.precision = precision;
  }
  if (evaluationSeconds !== undefined) info.evaluationSeconds = evaluationSeconds;
  if (chatTemplate !== undefined) info.chatTemplate = chatTemplate;
  return info;
}

/**
 * The source values of every benchmark, in configuration order. Collects every problem (a
 * missing task, a missing metric, a value that is not a number in [0, higher_bound]) before
 * throwing, so the error names them all.
 */
export function extractBenchmarkValues(doc: Json, benchmarks: readonly BenchmarkDefinition[]): number[][] {
  const results = doc.results;
  if (!isRecord(results)) throw new ResultsFileError(['it has no "results" object']);
  const problems: string[] = [];
  const missingTasks = new Set<string>();
  const values = benchmarks.map((benchmark) =>
    benchmark.sources.map((source: ScoreSource) => {
      const task = results[source.task];
      if (!isRecord(task)) {
        if (!missingTasks.has(source.task)) problems.push(`missing task "${source.task}" (needed by ${benchmark.name})`);
        missingTasks.add(source.task);
        return NaN;
      }
      const value = task[source.metric];
      if (value === undefined) {
        problems.push(`task "${source.task}" has no metric "${source.metric}" (needed by ${benchmark.name})`);
        return NaN;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push(`task "${source.task}" metric "${source.metric}" is ${JSON.stringify(value)}, not a number`);
        return NaN;
      }
      if (value < 0 || value > higherBound(source)) {
        problems.push(`task "${source.task}" metric "${source.metric}" is ${value}, outside [0, ${higherBound(source)}]`);
        return NaN;
      }
      return value;
    }),
  );
  if (problems.length > 0) throw new ResultsFileError(problems, true);
  return values;
}

/** Raw and normalized scores, the average and the CO₂ cost of a parsed results file. */
export function scoreResults(doc: Json, benchmarks: readonly BenchmarkDefinition[]): ScoredResults {
  const values = extractBenchmarkValues(doc, benchmarks);
  const scored = benchmarks.map((benchmark, i): BenchmarkResult => {
    const sourceValues = values[i]!;
    return { key: benchmark.key, values: sourceValues, ...scoreBenchmark(benchmark, sourceValues) };
  });
  const info = readResultsModelInfo(doc);
  return {
    info,
    benchmarks: scored,
    average: averageScore(scored.map((score) => score.normalized)),
    co2: co2CostKg(info.evaluationSeconds),
  };
}
