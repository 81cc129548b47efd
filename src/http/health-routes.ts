/** Liveness, readiness and metrics endpoints (exempt from rate limiting). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from './errors.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

const Problem = Type.Object({ dataset: Type.String(), path: Type.String(), reason: Type.String() });

const EXAMPLE_PROBLEM = {
  dataset: 'requests',
  path: 'acme/broken-7b_eval_request_False_bfloat16_Original.json',
  reason: 'Unexpected end of JSON input',
};

export async function healthRoutes(app: FastifyInstance, options: { readiness: Readiness; metrics: Metrics }): Promise<void> {
  const { readiness, metrics } = options;
  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness: the process is up',
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }, { examples: [{ status: 'ok' }] }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'getReady',
        summary: 'Readiness: 200 once the datasets are loaded, 503 before',
        description: 'Lists the dataset files that could not be read (the rest is served).',
        tags: ['operations'],
        response: {
          200: Type.Object(
            {
              status: Type.Literal('ready'),
              components: Type.Array(Type.String()),
              problems: Type.Array(Problem),
            },
            { examples: [{ status: 'ready', components: ['leaderboard', 'requests', 'votes'], problems: [EXAMPLE_PROBLEM] }] },
          ),
          503: Type.Object(
            {
              detail: Type.String(),
              code: Type.String(),
              request_id: Type.String(),
              waiting: Type.Array(Type.String()),
              problems: Type.Array(Problem),
            },
            {
              examples: [
                {
                  detail: 'Not ready: loading requests, votes.',
                  code: 'NOT_READY',
                  request_id: '4f6c2b1e-9d3a-4e57-8b0f-2a7c5d9e1f63',
                  waiting: ['requests', 'votes'],
                  problems: [],
                },
              ],
            },
          ),
        },
      },
    },
    async (request, reply) => {
      const status = readiness.status();
      if (!status.ready) {
        return reply.code(503).header('retry-after', '1').send({
          detail: `Not ready: loading ${status.waiting.join(', ')}.`,
          code: 'NOT_READY',
          request_id: request.id,
          waiting: status.waiting,
          problems: status.problems,
        });
      }
      return { status: 'ready' as const, components: status.components, problems: status.problems };
    },
  );

  app.get(
    '/metrics',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        tags: ['operations'],
        produces: ['text/plain'],
        response: {
          200: Type.String({
            description: 'Prometheus text exposition format',
            examples: [
              [
                '# HELP http_requests_total HTTP requests by method, route pattern and status',
                '# TYPE http_requests_total counter',
                'http_requests_total{method="GET",route="/api/leaderboard/formatted",status="200"} 1523',
                '# HELP dataset_rows Records loaded per dataset',
                '# TYPE dataset_rows gauge',
                'dataset_rows{dataset="contents"} 4576',
                '',
              ].join('\n'),
            ],
          }),
          ...errorResponses(),
        },
      },
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
