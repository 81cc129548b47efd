/** Routes of the evaluation queue: the three lists, the vote page's pending list, one model's status. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../http/errors.js';
import type { QueueService } from './queue-service.js';
import { modelStatusSchema, orgModelParamsSchema, queueItemSchema, queueStatusSchema, singleModelParamsSchema } from './schemas.js';

export interface QueueRoutesOptions {
  service: QueueService;
  /** Whether the requests dataset is loaded (before it, the lists would be empty rather than true). */
  isLoaded: () => boolean;
}

export async function queueRoutes(app: FastifyInstance, options: QueueRoutesOptions): Promise<void> {
  const { service } = options;
  const requireLoaded = () => {
    if (!options.isLoaded()) {
      throw new AppError('NOT_READY', 'The requests dataset is still loading; retry in a moment.', { headers: { 'retry-after': '1' } });
    }
  };

  app.get(
    '/api/models/status',
    {
      schema: {
        operationId: 'getModelsStatus',
        summary: 'Every request of the evaluation queue, grouped by status',
        description:
          'The README shape `{ pending, evaluating, finished }` plus `failed` (every other status, with its reason when the request file gives one). `wait_time` is computed at request time.',
        tags: ['models'],
        response: { 200: queueStatusSchema, ...errorResponses(503) },
      },
    },
    async (request, reply) => {
      requireLoaded();
      return (await service.payload('status')).send(request, reply);
    },
  );

  app.get(
    '/api/models/pending',
    {
      schema: {
        operationId: 'getPendingModels',
        summary: 'The pending requests in queue order, with their votes',
        description:
          'Ordered by net votes (highest first), then submission time (oldest first): the order in which they are evaluated. Each item carries its vote count, so the vote page needs no other request.',
        tags: ['models'],
        response: { 200: Type.Array(queueItemSchema), ...errorResponses(503) },
      },
    },
    async (request, reply) => {
      requireLoaded();
      return (await service.payload('pending')).send(request, reply);
    },
  );

  const modelStatus = (modelId: string) => {
    requireLoaded();
    const status = service.modelStatus(modelId);
    if (!status) {
      throw new AppError('MODEL_NOT_FOUND', `No evaluation request for model ${modelId}.`, { extra: { status: 'not_found' } });
    }
    return status;
  };
  const notFound = {
    404: Type.Object(
      {
        status: Type.Literal('not_found', { description: 'The original API\'s answer for an unknown model' }),
        detail: Type.String(),
        code: Type.String(),
        request_id: Type.String(),
      },
      {
        description: 'MODEL_NOT_FOUND: no request file for this model',
        examples: [
          {
            status: 'not_found',
            detail: 'No evaluation request for model acme/unknown-model.',
            code: 'MODEL_NOT_FOUND',
            request_id: '5b0f6f4e-2d8a-4c7e-9a51-3f2b7c9d1e08',
          },
        ],
      },
    ),
  };

  app.get(
    '/api/models/:org/:model/status',
    {
      schema: {
        operationId: 'getModelStatus',
        summary: "A model's evaluation requests with their status and queue position",
        description:
          'One entry per request file (precision × weight type). The top-level `status`, `submitted_time` and `job_id` are those of the most recent request, as the original answered. Unknown model: 404 with `"status": "not_found"`.',
        tags: ['models'],
        params: orgModelParamsSchema,
        response: { 200: modelStatusSchema, ...errorResponses(503), ...notFound },
      },
    },
    async (request) => {
      const { org, model } = request.params as { org: string; model: string };
      return modelStatus(`${org}/${model}`);
    },
  );

  app.get(
    '/api/models/:model_id/status',
    {
      schema: {
        operationId: 'getModelStatusById',
        summary: 'The same for a model without namespace, or an URL-encoded `org%2Fname` (the original route)',
        tags: ['models'],
        params: singleModelParamsSchema,
        response: { 200: modelStatusSchema, ...errorResponses(503), ...notFound },
      },
    },
    async (request) => modelStatus((request.params as { model_id: string }).model_id),
  );
}
