/**
 * The evaluation worker API. Every route needs a token with the `worker` or `admin` role:
 *
 *   POST /api/evaluations/claim               → 200 the next job (request now RUNNING), 204 none pending
 *   GET  /api/evaluations/{job_id}            → the job
 *   POST /api/evaluations/{job_id}/status     → RUNNING (heartbeat) | FINISHED | FAILED, reason, log_url
 *   POST /api/evaluations/{job_id}/results    → an lm-evaluation-harness results file → contents row
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError, errorResponses } from '../../http/errors.js';
import { parseResultsText, ResultsFileError } from '../../scoring/results-file.js';
import { identityOf, type AuthGuards } from '../auth/guards.js';
import type { EvaluationService } from './evaluation-service.js';
import { ingestResultSchema, jobParamsSchema, jobSchema, resultsBodySchema, statusBodySchema } from './schemas.js';

export interface EvaluationRoutesOptions {
  service: EvaluationService;
  auth: AuthGuards;
  /** Largest results upload in bytes (BODY_LIMIT × 16). */
  resultsBodyLimit: number;
}

export const WORKER_ROLE = 'worker';

type JobParams = Static<typeof jobParamsSchema>;
type StatusBody = Static<typeof statusBodySchema>;

/** The bytes of each parsed results upload, so the stored file is the one received. */
const receivedBytes = new WeakMap<object, Uint8Array>();

export async function evaluationRoutes(app: FastifyInstance, options: EvaluationRoutesOptions): Promise<void> {
  const { service, auth } = options;
  const guard = auth.requireRole(WORKER_ROLE);
  const security = [{ bearer: [] }];

  app.post(
    '/api/evaluations/claim',
    {
      onRequest: guard,
      schema: {
        operationId: 'claimEvaluation',
        summary: 'Claim the next pending request for evaluation',
        description:
          'Takes the first pending request in queue order (most net votes, then oldest), marks it RUNNING in its request file with a new job id and start time, and returns the job. 204 when nothing is pending. Two workers never get the same request. A job without a status update for JOB_TIMEOUT goes back to pending.',
        tags: ['evaluations'],
        security,
        response: { 200: jobSchema, 204: Type.Null({ description: 'Nothing is pending' }), ...errorResponses(401, 403, 409) },
      },
    },
    async (request, reply) => {
      const job = await service.claim(identityOf(request).name);
      reply.header('cache-control', 'no-store');
      if (!job) return reply.code(204).send();
      return job;
    },
  );

  app.get(
    '/api/evaluations/:job_id',
    {
      onRequest: guard,
      schema: {
        operationId: 'getEvaluation',
        summary: 'One evaluation job',
        tags: ['evaluations'],
        security,
        params: jobParamsSchema,
        response: { 200: jobSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request: FastifyRequest, reply) => {
      reply.header('cache-control', 'no-store');
      return service.job((request.params as JobParams).job_id);
    },
  );

  app.post(
    '/api/evaluations/:job_id/status',
    {
      onRequest: guard,
      schema: {
        operationId: 'setEvaluationStatus',
        summary: 'Report the status of an evaluation job',
        description:
          'RUNNING keeps the job alive (a heartbeat; send one more often than JOB_TIMEOUT), FINISHED ends it (posting results does this too), FAILED ends it with an optional reason and log URL, which the queue endpoints show. Status, reason and log URL are kept in the request file.',
        tags: ['evaluations'],
        security,
        params: jobParamsSchema,
        body: statusBodySchema,
        response: { 200: jobSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request: FastifyRequest) => {
      const body = request.body as StatusBody;
      return service.updateStatus((request.params as JobParams).job_id, body);
    },
  );

  // The results upload parses its own JSON: Python writes NaN, and the stored file is the one sent.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.resultsBodyLimit }, (_request, body, done) => {
      try {
        const bytes = new Uint8Array(body as Buffer);
        const doc = parseResultsText(new TextDecoder().decode(bytes));
        receivedBytes.set(doc, bytes);
        done(null, doc);
      } catch (error) {
        done(
          error instanceof ResultsFileError
            ? new AppError('BAD_REQUEST', error.message)
            : (error as Error),
          undefined,
        );
      }
    });

    scope.post(
      '/api/evaluations/:job_id/results',
      {
        onRequest: guard,
        bodyLimit: options.resultsBodyLimit,
        schema: {
          operationId: 'postEvaluationResults',
          summary: 'Post the results file of an evaluation job',
          description:
            'The lm-evaluation-harness results JSON (model name, sha and dtype from `config_general` or `config`). The configured benchmarks are computed from it, the contents row of `{org}_{name}_{Precision}` is replaced, the file is stored in the results dataset and the request becomes FINISHED; the leaderboard shows the model at once. A task or metric the configuration needs but the file lacks is a 400 naming it, and nothing changes.',
          tags: ['evaluations'],
          security,
          params: jobParamsSchema,
          body: resultsBodySchema,
          response: { 200: ingestResultSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (request: FastifyRequest) => {
        const doc = request.body as Record<string, unknown>;
        return service.submitResults((request.params as JobParams).job_id, doc, receivedBytes.get(doc));
      },
    );
  });
}
