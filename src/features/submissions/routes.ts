/** `POST /api/models/submit`: a verified user submits a model to the evaluation queue. */
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../http/errors.js';
import { assertActingAs, identityOf, type AuthHook } from '../auth/guards.js';
import { submitBodySchema, submitResponseSchema, type SubmitBody, type SubmitResponse } from './schemas.js';
import { SUCCESS_MESSAGE, SUCCESS_MESSAGE_WITHOUT_VOTE, type SubmissionService } from './service.js';

export interface SubmissionRoutesOptions {
  service: SubmissionService;
  /** The auth guard that sets `request.identity` (401 without a valid token). */
  requireIdentity: AuthHook;
}

export async function submissionRoutes(app: FastifyInstance, options: SubmissionRoutesOptions): Promise<void> {
  const { service } = options;
  app.post(
    '/api/models/submit',
    {
      onRequest: options.requireIdentity,
      schema: {
        operationId: 'submitModel',
        summary: 'Submit a model to the evaluation queue',
        description:
          'Checks the model against the submission rules (on the Hub unless MODEL_VALIDATION=off), pins the revision to its commit sha, writes the request file durably and adds the submitter\'s up vote. ' +
          'The submitter is the authenticated user; `user_id`, when sent, must be that user. ' +
          'Errors: 400 malformed field, 401/403 identity, 404 model or revision not on the Hub, 409 already queued or evaluated, 422 a rule is broken (the `detail` says which), 429 namespace quota (Retry-After), 503 Hub unreachable (nothing written).',
        tags: ['models'],
        security: [{ bearer: [] }],
        body: submitBodySchema,
        response: { 200: submitResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request): Promise<SubmitResponse> => {
      const identity = identityOf(request);
      const body = request.body as SubmitBody;
      assertActingAs(identity, body.user_id);
      const outcome = await service.submit(body, identity.name);
      return {
        status: 'success',
        message: outcome.voteRecorded ? SUCCESS_MESSAGE : SUCCESS_MESSAGE_WITHOUT_VOTE,
        model: outcome.request.model,
        revision: outcome.request.revision,
        precision: outcome.request.precision,
        path: outcome.path,
        vote_recorded: outcome.voteRecorded,
      };
    },
  );
}
