/** TypeBox schemas of the queue read API (`/api/models/status`, `/pending`, `/{id}/status`). */
import { Type } from 'typebox';

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

export const queueItemSchema = Type.Object({
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
});

export const queueStatusSchema = Type.Object({
  pending: Type.Array(queueItemSchema, { description: 'Waiting, in queue order: net votes (highest first), then submission time (oldest first)' }),
  evaluating: Type.Array(queueItemSchema, { description: 'Being evaluated (status RUNNING), oldest submission first' }),
  finished: Type.Array(queueItemSchema, { description: 'Evaluated, most recent submission first' }),
  failed: Type.Array(queueItemSchema, { description: 'Every other status (FAILED, …), most recent first, with the reason when known' }),
});

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

export const modelStatusSchema = Type.Object({
  model: Type.String(),
  status: Type.String({ description: 'Status of the most recently submitted request (the original returned this field only)' }),
  submitted_time: Type.String(),
  job_id: Type.Union([Type.Integer(), Type.String()]),
  requests: Type.Array(modelRequestStatusSchema, { description: 'One per precision and weight type, most recent first' }),
});

const idPart = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

export const orgModelParamsSchema = Type.Object({
  org: idPart('Namespace (user or organization)'),
  model: idPart('Model name'),
});

export const singleModelParamsSchema = Type.Object({
  model_id: idPart('A model without namespace (`gpt2`), or a URL-encoded `org%2Fname`'),
});
