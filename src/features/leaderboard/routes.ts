/** Routes of the leaderboard read API: raw rows and formatted items, as the original README. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../http/errors.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { parseLeaderboardQuery, type RawLeaderboardQuery } from './query.js';
import { formattedItemSchema, leaderboardQuerySchema, leaderboardRowSchema } from './schemas.js';
import type { LeaderboardService, LeaderboardSnapshot } from './service.js';

export interface LeaderboardRoutesOptions {
  service: LeaderboardService;
  benchmarks: readonly BenchmarkDefinition[];
}

function requireSnapshot(service: LeaderboardService): LeaderboardSnapshot {
  const snapshot = service.current();
  if (!snapshot) throw new AppError('NOT_READY', 'The leaderboard is still loading; retry in a moment.', { headers: { 'retry-after': '1' } });
  return snapshot;
}

export async function leaderboardRoutes(app: FastifyInstance, options: LeaderboardRoutesOptions): Promise<void> {
  const { service, benchmarks } = options;
  const rowSchema = leaderboardRowSchema(service.columns);
  const itemSchema = formattedItemSchema(benchmarks);

  app.get(
    '/api/leaderboard',
    {
      schema: {
        operationId: 'getLeaderboard',
        summary: 'Raw leaderboard rows',
        description:
          'Every row of the contents dataset with the README columns. Served from a precomputed payload (gzip/br, strong ETag; send If-None-Match for a 304).',
        tags: ['leaderboard'],
        response: { 200: Type.Object({ models: Type.Array(rowSchema) }), 304: Type.Null({ description: 'Not modified' }), ...errorResponses(503) },
      },
    },
    async (request, reply) => requireSnapshot(service).raw.send(request, reply),
  );

  app.get(
    '/api/leaderboard/formatted',
    {
      schema: {
        operationId: 'getFormattedLeaderboard',
        summary: 'Formatted leaderboard items, best first',
        description:
          'Without parameters: every model, ranked, from a precomputed payload. With any parameter: filtered, sorted and paged on the server; the envelope then also has `total`, `limit` and `offset`.',
        tags: ['leaderboard'],
        querystring: leaderboardQuerySchema(benchmarks),
        response: {
          200: Type.Object({
            models: Type.Array(itemSchema),
            total: Type.Optional(Type.Integer({ description: 'Matches before paging (only with parameters)' })),
            limit: Type.Optional(Type.Integer()),
            offset: Type.Optional(Type.Integer()),
          }),
          304: Type.Null({ description: 'Not modified' }),
          ...errorResponses(400, 503),
        },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const snapshot = requireSnapshot(service);
      const raw = request.query as RawLeaderboardQuery;
      if (Object.keys(raw).length === 0) return snapshot.formatted.send(request, reply);
      const query = parseLeaderboardQuery(raw, benchmarks);
      const search = request.url.slice(request.url.indexOf('?') + 1);
      return (await service.queryPayload(snapshot, query, search)).send(request, reply);
    },
  );
}
