/** TypeBox schemas of the queue read API (`/api/models/status`, `/pending`, `/{id}/status`). */
import { Type } from 'typebox';

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

// ── Examples of the OpenAPI document ─────────────────────────────────────────────────────────
const EXAMPLE_MODEL = 'Qwen/Qwen2.5-7B-Instruct';
const EXAMPLE_REVISION = 'a09a35458c702b33eeacc393d103063234e8bc28';

/** A pending request, as the queue lists show it. */
const EXAMPLE_PENDING_ITEM = {
  name: EXAMPLE_MODEL,
  submitter: 'alice',
  revision: EXAMPLE_REVISION,
  wait_time: '7384.2s',
  wait_time_human: '2h 3m',
  submission_time: '2024-09-25T11:58:41Z',
  status: 'PENDING',
  precision: 'bfloat16',
  model_type: 'chat',
  weight_type: 'Original',
  params: 7.616,
  votes: 1,
};
const EXAMPLE_EVALUATING_ITEM = {
  name: 'mistralai/Mistral-Nemo-Instruct-2407',
  submitter: 'bob',
  revision: '04d8a90549d23fc6bd7f642064003592df51e9b3',
  wait_time: '100432.2s',
  wait_time_human: '1d 3h',
  submission_time: '2024-09-24T10:07:53Z',
  status: 'EVALUATING',
  precision: 'bfloat16',
  model_type: 'chat',
  weight_type: 'Original',
  params: 12.248,
  votes: 4,
  log_url: 'https://ci.example.org/evaluations/7d1e4c2a-5b8f-4f0e-9a61-3c2d8e7b9f10/log',
};
const EXAMPLE_FINISHED_ITEM = {
  name: 'meta-llama/Llama-3.1-8B-Instruct',
  submitter: 'carol',
  revision: '0e9e39f249a16976918f6564b8830bc894c89659',
  wait_time: '5550576.2s',
  wait_time_human: '64d 5h',
  submission_time: '2024-07-23T08:12:09Z',
  status: 'FINISHED',
  precision: 'bfloat16',
  model_type: 'chat',
  weight_type: 'Original',
  params: 8.03,
  votes: 0,
};
const EXAMPLE_FAILED_ITEM = {
  name: 'acme/tiny-moe-2x1b',
  submitter: 'dave',
  revision: '5c1f3e9a7b2d4068a1e3f5b7c9d0e2a4b6c8d0f1',
  wait_time: '259305.2s',
  wait_time_human: '3d',
  submission_time: '2024-09-22T14:00:00Z',
  status: 'FAILED',
  precision: 'float16',
  model_type: 'merge',
  weight_type: 'Original',
  params: 1.87,
  votes: 2,
  reason: 'CUDA out of memory while loading the model',
};

export const queueItemSchema = Type.Object(
  {
    name: Type.String({ description: 'Model id, `org/name`' }),
    submitter: Type.String({ description: 'User who submitted it (`sender` of the request file)' }),
    revision: Type.String({ description: 'The commit sha the request is pinned to' }),
    wait_time: Type.String({ description: 'Time since submission, computed at request time, in the original format: seconds with one decimal and `s` (`"7384.2s"`)' }),
    wait_time_human: Type.String({ description: 'The same, readable: `45s`, `12m`, `2h 5m`, `3d 4h`' }),
    submission_time: Type.String({ description: '`%Y-%m-%dT%H:%M:%SZ`, UTC' }),
    status: Type.String({ description: '`PENDING`, `EVALUATING`, `FINISHED`; for failures the status written in the request file (e.g. `FAILED`)' }),
    precision: Type.String(),
    model_type: Type.String({ description: 'As submitted: pretrained, continuously pretrained, fine-tuned, chat, merge, multimodal' }),
    weight_type: Type.String({ description: 'Original, Delta or Adapter' }),
    params: nullable(Type.Number({ description: 'Parameters in billions' })),
    votes: Type.Integer({ description: 'Net votes (up minus down) of the model at this revision' }),
    reason: Type.Optional(nullable(Type.String({ description: 'Failures only: why the evaluation failed, when the request file says' }))),
    log_url: Type.Optional(Type.String({ description: 'The evaluation job log, when its worker reported one' })),
  },
  { examples: [EXAMPLE_PENDING_ITEM] },
);

export const queueStatusSchema = Type.Object(
  {
    pending: Type.Array(queueItemSchema, { description: 'Waiting, in queue order: net votes (highest first), then submission time (oldest first)' }),
    evaluating: Type.Array(queueItemSchema, { description: 'Being evaluated (status RUNNING), oldest submission first' }),
    finished: Type.Array(queueItemSchema, { description: 'Evaluated, most recent submission first' }),
    failed: Type.Array(queueItemSchema, { description: 'Every other status (FAILED, …), most recent first, with the reason when known' }),
  },
  {
    examples: [
      { pending: [EXAMPLE_PENDING_ITEM], evaluating: [EXAMPLE_EVALUATING_ITEM], finished: [EXAMPLE_FINISHED_ITEM], failed: [EXAMPLE_FAILED_ITEM] },
    ],
  },
);

export const modelRequestStatusSchema = Type.Object({
  path: Type.String({ description: 'Path of the request file in the requests dataset' }),
  precision: Type.String(),
  weight_type: Type.String(),
  revision: Type.String(),
  status: Type.String({ description: 'The status written in the request file (PENDING, RUNNING, FINISHED, FAILED, …)' }),
  queue: Type.Union([Type.Literal('pending'), Type.Literal('evaluating'), Type.Literal('finished'), Type.Literal('failed')]),
  submitted_time: Type.String(),
  job_id: Type.Union([Type.Integer(), Type.String()], { description: 'Evaluation job id; -1 until a job starts' }),
  job_start_time: nullable(Type.String()),
  queue_position: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: '1-based position in the pending order; null unless pending' }),
  wait_time: Type.String(),
  wait_time_human: Type.String(),
  votes: Type.Integer(),
  params: nullable(Type.Number()),
  model_type: Type.String(),
  use_chat_template: Type.Boolean(),
  reason: nullable(Type.String({ description: 'Failures only: why, when known' })),
  log_url: nullable(Type.String({ description: 'The evaluation job log, when its worker reported one' })),
  job_updated_time: nullable(Type.String({ description: 'Last status update (heartbeat) of the job' })),
  job_end_time: nullable(Type.String({ description: 'When the job finished or failed' })),
});

/** The example model's requests: pending in bfloat16, an earlier float16 evaluation failed. */
const EXAMPLE_REQUESTS = [
  {
    path: `${EXAMPLE_MODEL}_eval_request_False_bfloat16_Original.json`,
    precision: 'bfloat16',
    weight_type: 'Original',
    revision: EXAMPLE_REVISION,
    status: 'PENDING',
    queue: 'pending',
    submitted_time: '2024-09-25T11:58:41Z',
    job_id: -1,
    job_start_time: null,
    queue_position: 3,
    wait_time: '7384.2s',
    wait_time_human: '2h 3m',
    votes: 1,
    params: 7.616,
    model_type: 'chat',
    use_chat_template: true,
    reason: null,
    log_url: null,
    job_updated_time: null,
    job_end_time: null,
  },
  {
    path: `${EXAMPLE_MODEL}_eval_request_False_float16_Original.json`,
    precision: 'float16',
    weight_type: 'Original',
    revision: EXAMPLE_REVISION,
    status: 'FAILED',
    queue: 'failed',
    submitted_time: '2024-09-20T16:30:12Z',
    job_id: '9b2f6d41-0c7e-4a3b-8e15-6f4d2a9c7b03',
    job_start_time: '2024-09-21T02:14:55Z',
    queue_position: null,
    wait_time: '423093.2s',
    wait_time_human: '4d 21h',
    votes: 0,
    params: 7.616,
    model_type: 'chat',
    use_chat_template: true,
    reason: 'CUDA out of memory while loading the model',
    log_url: 'https://ci.example.org/evaluations/9b2f6d41-0c7e-4a3b-8e15-6f4d2a9c7b03/log',
    job_updated_time: '2024-09-21T02:31:40Z',
    job_end_time: '2024-09-21T02:31:40Z',
  },
];

export const modelStatusSchema = Type.Object(
  {
    model: Type.String(),
    status: Type.String({ description: 'Status of the most recently submitted request (the original returned this field only)' }),
    submitted_time: Type.String(),
    job_id: Type.Union([Type.Integer(), Type.String()]),
    requests: Type.Array(modelRequestStatusSchema, { description: 'One per precision and weight type, most recent first' }),
  },
  { examples: [{ model: EXAMPLE_MODEL, status: 'PENDING', submitted_time: '2024-09-25T11:58:41Z', job_id: -1, requests: EXAMPLE_REQUESTS }] },
);

const idPart = (description: string, example: string) => Type.String({ minLength: 1, maxLength: 200, description, examples: [example] });

export const orgModelParamsSchema = Type.Object({
  org: idPart('Namespace (user or organization)', 'Qwen'),
  model: idPart('Model name', 'Qwen2.5-7B-Instruct'),
});

export const singleModelParamsSchema = Type.Object({
  model_id: idPart('A model without namespace (`gpt2`), or a URL-encoded `org%2Fname`', 'gpt2'),
});
