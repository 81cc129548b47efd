/** TypeBox schemas of the evaluation worker API and of the leaderboard export. */
import { Type, type TObject, type TSchema } from 'typebox';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { leaderboardQuerySchema } from '../leaderboard/schemas.js';
import { EXPORT_FORMATS } from './export.js';
import { JOB_STATUSES } from './evaluation-service.js';

const nullableString = (description?: string) => Type.Union([Type.String(), Type.Null()], description ? { description } : {});

export const jobSchema = Type.Object({
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
});

export const jobParamsSchema = Type.Object({
  job_id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w.:-]+$', description: 'The job id returned by the claim' }),
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
  { additionalProperties: false },
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
  },
);

export const ingestResultSchema = Type.Object({
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
});

/** The /formatted query parameters plus `format`. */
export function exportQuerySchema(benchmarks: readonly BenchmarkDefinition[]): TSchema {
  const base = leaderboardQuerySchema(benchmarks) as TObject;
  return Type.Object(
    {
      format: Type.Union(
        EXPORT_FORMATS.map((format) => Type.Literal(format)),
        { description: 'csv (contents columns), json (formatted items) or parquet (contents columns)' },
      ),
      ...base.properties,
    },
    { additionalProperties: false },
  );
}
