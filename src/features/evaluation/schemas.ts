/** TypeBox schemas of the evaluation worker API and of the leaderboard export. */
import { Type, type TObject, type TSchema } from 'typebox';
import { DEFAULT_BENCHMARKS, type BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { evalName } from '../../scoring/contents-row.js';
import { scoreResults } from '../../scoring/results-file.js';
import { leaderboardQuerySchema } from '../leaderboard/schemas.js';
import { EXPORT_FORMATS } from './export.js';
import { JOB_STATUSES } from './evaluation-service.js';

const nullableString = (description?: string) => Type.Union([Type.String(), Type.Null()], description ? { description } : {});

// ── Examples of the OpenAPI document: one job, from its claim to its results ──────────────────
const EXAMPLE_JOB_ID = '7d1e4c2a-5b8f-4f0e-9a61-3c2d8e7b9f10';
const EXAMPLE_MODEL = 'mistralai/Mistral-Nemo-Instruct-2407';
const EXAMPLE_SHA = '04d8a90549d23fc6bd7f642064003592df51e9b3';
const EXAMPLE_REQUEST_FILE = `${EXAMPLE_MODEL}_eval_request_False_bfloat16_Original.json`;
const EXAMPLE_LOG_URL = `https://ci.example.org/evaluations/${EXAMPLE_JOB_ID}/log`;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

const EXAMPLE_JOB = {
  job_id: EXAMPLE_JOB_ID,
  status: 'RUNNING',
  model: EXAMPLE_MODEL,
  revision: EXAMPLE_SHA,
  precision: 'bfloat16',
  weight_type: 'Original',
  model_type: 'chat',
  base_model: '',
  use_chat_template: true,
  params: 12.248,
  architectures: 'MistralForCausalLM',
  submitted_time: '2024-09-24T10:07:53Z',
  job_start_time: '2024-09-25T13:41:02Z',
  job_updated_time: '2024-09-25T13:56:02Z',
  job_end_time: null,
  worker: 'gpu-worker-1',
  reason: null,
  log_url: EXAMPLE_LOG_URL,
  request_file: EXAMPLE_REQUEST_FILE,
};

/**
 * An lm-evaluation-harness results file of the example job for the default benchmarks: every
 * task and metric they read (each benchmark's sources get values near one score, varied a little).
 */
function resultsFileExample(): Record<string, unknown> {
  const levels = [0.72, 0.53, 0.13, 0.29, 0.41, 0.35];
  const results: Record<string, Record<string, number | string>> = {};
  DEFAULT_BENCHMARKS.forEach((benchmark, i) => {
    benchmark.sources.forEach((source, j) => {
      const value = round4((levels[i % levels.length] ?? 0.5) + (((j * 7 + 4) % 9) - 4) / 100);
      const task = (results[source.task] ??= { alias: source.task });
      task[source.metric] = value;
      task[source.metric.replace(',', '_stderr,')] = 0.0142;
    });
  });
  return {
    results,
    config_general: { model_name: EXAMPLE_MODEL, model_sha: EXAMPLE_SHA, model_dtype: 'torch.bfloat16' },
    total_evaluation_time_seconds: '4512.873',
  };
}
const EXAMPLE_RESULTS_FILE = resultsFileExample();

/** The answer to posting EXAMPLE_RESULTS_FILE, scored by the same code as a real upload (rounded for reading). */
function ingestResultExample(): Record<string, unknown> {
  const scored = scoreResults(EXAMPLE_RESULTS_FILE, DEFAULT_BENCHMARKS);
  return {
    eval_name: evalName(EXAMPLE_MODEL, 'bfloat16'),
    model: EXAMPLE_MODEL,
    precision: 'bfloat16',
    revision: EXAMPLE_SHA,
    average: round4(scored.average),
    co2_cost: round4(scored.co2),
    scores: DEFAULT_BENCHMARKS.map((benchmark, i) => ({
      key: benchmark.key,
      name: benchmark.name,
      raw: round4(scored.benchmarks[i]?.raw ?? 0),
      normalized: round4(scored.benchmarks[i]?.normalized ?? 0),
    })),
    results_file: `${EXAMPLE_MODEL}/results_2024-09-25T15-02-47.318000.json`,
    request_file: EXAMPLE_REQUEST_FILE,
    replaced: false,
  };
}

export const jobSchema = Type.Object(
  {
    job_id: Type.String({ description: 'The job id, for the status and results endpoints' }),
    status: Type.String({ description: 'The request file status: RUNNING, FINISHED, FAILED (TIMED_OUT for a job whose request went back to the queue)' }),
    model: Type.String({ description: 'Model id, `org/name`' }),
    revision: Type.String({ description: 'The commit sha to evaluate' }),
    precision: Type.String({ description: 'float16, bfloat16, 8bit, 4bit or GPTQ' }),
    weight_type: Type.String({ description: 'Original, Delta or Adapter' }),
    model_type: Type.String(),
    base_model: Type.String({ description: 'Base model (Delta and Adapter weights)' }),
    use_chat_template: Type.Boolean({ description: 'Evaluate with the chat template (lm-eval --apply_chat_template)' }),
    params: Type.Union([Type.Number(), Type.Null()], { description: 'Parameters in billions' }),
    architectures: Type.String(),
    submitted_time: Type.String(),
    job_start_time: nullableString('When the job was claimed, `%Y-%m-%dT%H:%M:%SZ`'),
    job_updated_time: nullableString('Last status update (the timeout counts from here)'),
    job_end_time: nullableString('When the job finished or failed'),
    worker: nullableString('The identity that claimed the job'),
    reason: nullableString('Why the job failed (or the last status message)'),
    log_url: nullableString('Where the job log is'),
    request_file: Type.String({ description: 'Path of the request file in the requests dataset' }),
  },
  { examples: [EXAMPLE_JOB] },
);

export const jobParamsSchema = Type.Object({
  job_id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w.:-]+$', description: 'The job id returned by the claim', examples: [EXAMPLE_JOB_ID] }),
});

export const statusBodySchema = Type.Object(
  {
    status: Type.Union(
      JOB_STATUSES.map((status) => Type.Literal(status)),
      { description: 'RUNNING (also a heartbeat), FINISHED or FAILED' },
    ),
    reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Why it failed, or a progress message' })),
    log_url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://\\S+$', description: 'URL of the job log (http or https)' })),
  },
  { additionalProperties: false, examples: [{ status: 'RUNNING', reason: 'leaderboard_bbh: 14 of 24 subtasks done', log_url: EXAMPLE_LOG_URL }] },
);

export const resultsBodySchema = Type.Object(
  {
    results: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }), {
      description: 'Per task: `{"<metric>,<filter>": number, …}`',
    }),
    config_general: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'model_name, model_sha, model_dtype (lighteval / leaderboard files)' })),
    config: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'model_name, model_sha, model_dtype (lm-evaluation-harness)' })),
    total_evaluation_time_seconds: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  },
  {
    additionalProperties: true,
    description: 'An lm-evaluation-harness results file (`results_<timestamp>.json`), as written by the harness.',
    examples: [EXAMPLE_RESULTS_FILE],
  },
);

export const ingestResultSchema = Type.Object(
  {
    eval_name: Type.String({ description: '`{org}_{name}_{Precision}`: the contents row that was written' }),
    model: Type.String(),
    precision: Type.String(),
    revision: Type.Union([Type.String(), Type.Null()]),
    average: Type.Number({ description: 'Average ⬆️' }),
    co2_cost: Type.Number({ description: 'CO₂ cost (kg); −1 when the evaluation time is unknown' }),
    scores: Type.Array(
      Type.Object({ key: Type.String(), name: Type.String(), raw: Type.Number(), normalized: Type.Number() }),
    ),
    results_file: Type.String({ description: 'Path of the stored file in the results dataset' }),
    request_file: Type.Union([Type.String(), Type.Null()], { description: 'The request file set to FINISHED' }),
    replaced: Type.Boolean({ description: 'Whether a row with the same eval_name was replaced' }),
  },
  { examples: [ingestResultExample()] },
);

/** The /formatted query parameters plus `format`. */
export function exportQuerySchema(benchmarks: readonly BenchmarkDefinition[]): TSchema {
  const base = leaderboardQuerySchema(benchmarks) as TObject;
  return Type.Object(
    {
      format: Type.Union(
        EXPORT_FORMATS.map((format) => Type.Literal(format)),
        { description: 'csv (contents columns), json (formatted items) or parquet (contents columns)', examples: ['csv'] },
      ),
      ...base.properties,
    },
    { additionalProperties: false },
  );
}
