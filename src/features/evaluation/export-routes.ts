/** `GET /api/leaderboard/export`: the current view as csv, json or parquet, with /formatted's parameters. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../http/errors.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { parseLeaderboardQuery, type RawLeaderboardQuery } from '../leaderboard/query.js';
import type { LeaderboardService } from '../leaderboard/service.js';
import { encodeExport, EXPORT_CONTENT_TYPES, selectExport, type ExportFormat } from './export.js';
import { exportQuerySchema } from './schemas.js';

export interface ExportRoutesOptions {
  service: LeaderboardService;
  benchmarks: readonly BenchmarkDefinition[];
}

export async function exportRoutes(app: FastifyInstance, options: ExportRoutesOptions): Promise<void> {
  const { service, benchmarks } = options;
  app.get(
    '/api/leaderboard/export',
    {
      schema: {
        operationId: 'exportLeaderboard',
        summary: 'Export the leaderboard as CSV, JSON or Parquet',
        description:
          'The view /api/leaderboard/formatted answers for the same parameters (filters, sort, paging), as a download: `csv` and `parquet` carry the contents columns, `json` the formatted items (a JSON array).',
        tags: ['leaderboard'],
        querystring: exportQuerySchema(benchmarks),
        produces: Object.values(EXPORT_CONTENT_TYPES),
        response: {
          200: Type.Any({ description: 'The file (text/csv, application/json or application/vnd.apache.parquet)' }),
          ...errorResponses(400, 503),
        },
      },
    },
    async (request: FastifyRequest, reply) => {
      const snapshot = service.current();
      if (!snapshot) throw new AppError('NOT_READY', 'The leaderboard is still loading; retry in a moment.', { headers: { 'retry-after': '1' } });
      const { format, ...raw } = request.query as RawLeaderboardQuery & { format: ExportFormat };
      const query = parseLeaderboardQuery(raw, benchmarks);
      const selection = selectExport({ rows: snapshot.rows, items: snapshot.items }, query, benchmarks);
      const body = encodeExport(format, selection, benchmarks);
      return reply
        .header('content-type', EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="leaderboard.${format}"`)
        .header('cache-control', 'no-cache')
        .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    },
  );
}
