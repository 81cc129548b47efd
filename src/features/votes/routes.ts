/**
 * The votes API of the original README: cast (`POST /api/votes/{org}/{name}`), retract
 * (`DELETE` on the same path), and read per model or per user. Writes need a Bearer token; the
 * voter is the token's identity. `vote_type` and `user_id` are accepted in the body or, as the
 * original frontend sent them, in the query string.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { VoteRecord } from '../../datasets/vote-record.js';
import { CachedPayload } from '../../http/cached-payload.js';
import { AppError, errorResponses } from '../../http/errors.js';
import { assertActingAs, identityOf, type AuthGuards } from '../auth/guards.js';
import {
  encodedModelParamsSchema,
  modelParamsSchema,
  modelVotesParamsSchema,
  modelVotesSchema,
  retractAnswerSchema,
  retractBodySchema,
  retractQuerySchema,
  userVoteSchema,
  userVotesParamsSchema,
  voteAnswerSchema,
  voteBodySchema,
  voteQuerySchema,
} from './schemas.js';
import type { VoteOutcome, VoteService } from './service.js';

export interface VoteRoutesOptions {
  service: VoteService;
  auth: AuthGuards;
}

type VoteQuery = Static<typeof voteQuerySchema>;
type VoteBody = Static<typeof voteBodySchema>;
type RetractQuery = Static<typeof retractQuerySchema>;
type RetractBody = Static<typeof retractBodySchema>;

const MESSAGES: Record<VoteOutcome, string> = {
  recorded: 'Vote recorded successfully',
  changed: 'Vote changed successfully',
  unchanged: 'Vote already recorded; nothing changed',
};

/** The model id of either path form. */
function modelIdOf(params: unknown): string {
  const p = params as { org?: string; name?: string; model_id?: string };
  return p.model_id ?? `${p.org}/${p.name}`;
}

/** One value from body or query; both given and different is a client error. */
function pick<T>(field: string, fromBody: T | undefined, fromQuery: T | undefined): T | undefined {
  if (fromBody !== undefined && fromQuery !== undefined && fromBody !== fromQuery) {
    throw new AppError('BAD_REQUEST', `"${field}" is given twice with different values (body and query string).`);
  }
  return fromBody ?? fromQuery;
}

function row(vote: VoteRecord): VoteRecord {
  const { model, revision, username, timestamp, vote_type, precision } = vote;
  return { model, revision, username, timestamp, vote_type, precision };
}

/** Models whose vote answer stays cached (the most recently asked). */
const CACHED_MODELS = 256;

export async function voteRoutes(app: FastifyInstance, options: VoteRoutesOptions): Promise<void> {
  const { service, auth } = options;

  // A popular model's answer lists thousands of votes (the original deployment's `votes`
  // field): it is serialized and compressed once per change of the model's votes, not per
  // request.
  const modelAnswers = new Map<string, Promise<CachedPayload>>();
  service.onChange((model) => modelAnswers.delete(model));
  const modelVotesPayload = (modelId: string): Promise<CachedPayload> => {
    const cached = modelAnswers.get(modelId);
    if (cached) return cached;
    // Rebuilt on every change of the model's votes: a light brotli quality keeps that cheap.
    const payload = CachedPayload.build(JSON.stringify(modelVotesAnswer(modelId)), { brotliQuality: 4 });
    modelAnswers.set(modelId, payload);
    payload.catch(() => modelAnswers.delete(modelId));
    if (modelAnswers.size > CACHED_MODELS) modelAnswers.delete(modelAnswers.keys().next().value!);
    return payload;
  };
  const modelVotesAnswer = (modelId: string): Static<typeof modelVotesSchema> => {
    const counts = service.counts(modelId);
    const votes = service.modelVotes(modelId);
    const votesByConfig: Record<string, { revision: string; precision: string; count: number }> = {};
    for (const vote of votes) {
      const key = `${vote.revision}_${vote.precision}`;
      (votesByConfig[key] ??= { revision: vote.revision, precision: vote.precision, count: 0 }).count += 1;
    }
    return {
      model_id: modelId,
      total_votes: counts.total,
      up_votes: counts.up,
      down_votes: counts.down,
      net_votes: counts.net,
      votes_by_revision: Object.fromEntries([...counts.byRevision].map(([revision, c]) => [revision, c.up + c.down])),
      votes_by_config: votesByConfig,
      votes: votes.map(row),
    };
  };

  const castHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const identity = identityOf(request);
    const query = request.query as VoteQuery;
    const body = (request.body ?? {}) as NonNullable<VoteBody>;
    assertActingAs(identity, pick('user_id', body.user_id, query.user_id));
    const voteType = pick('vote_type', body.vote_type, query.vote_type);
    if (!voteType) throw new AppError('VALIDATION_ERROR', '"vote_type" is required ("up" or "down"), in the body or the query string.');
    const result = await service.vote(identity.name, {
      model: modelIdOf(request.params),
      vote_type: voteType,
      revision: pick('revision', body.revision, query.revision),
      precision: pick('precision', body.precision, query.precision),
    });
    reply.header('cache-control', 'no-store');
    return { success: true, status: 'success', message: MESSAGES[result.outcome], outcome: result.outcome, vote: row(result.vote) };
  };

  const retractHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const identity = identityOf(request);
    const query = request.query as RetractQuery;
    const body = (request.body ?? {}) as NonNullable<RetractBody>;
    assertActingAs(identity, pick('user_id', body.user_id, query.user_id));
    const retracted = await service.retract(identity.name, {
      model: modelIdOf(request.params),
      revision: pick('revision', body.revision, query.revision),
      precision: pick('precision', body.precision, query.precision),
    });
    reply.header('cache-control', 'no-store');
    return {
      success: true,
      status: 'success',
      message: retracted > 0 ? 'Vote retracted successfully' : 'No vote to retract',
      retracted,
    };
  };

  const castSchema = (hide: boolean) => ({
    hide,
    operationId: hide ? 'castVoteEncoded' : 'castVote',
    summary: 'Vote for a model (up or down)',
    description:
      'One vote per (model, revision, user, precision): the same vote again changes nothing (200, `outcome: unchanged`), the other vote type replaces it. ' +
      'The model must be in the evaluation queue or on the leaderboard. The vote is on disk before the answer. Limited to VOTE_RATE_LIMIT per user per minute.',
    tags: ['votes'],
    security: [{ bearer: [] }],
    params: hide ? encodedModelParamsSchema : modelParamsSchema,
    querystring: voteQuerySchema,
    body: voteBodySchema,
    response: { 200: voteAnswerSchema, ...errorResponses(400, 401, 403, 404, 503) },
  });

  const retractSchema = (hide: boolean) => ({
    hide,
    operationId: hide ? 'retractVoteEncoded' : 'retractVote',
    summary: 'Retract your vote on a model',
    description:
      'Retracts the caller\'s current votes on the model (only those of `revision`/`precision` when given). The retraction is appended to the votes log; nothing is rewritten.',
    tags: ['votes'],
    security: [{ bearer: [] }],
    params: hide ? encodedModelParamsSchema : modelParamsSchema,
    querystring: retractQuerySchema,
    body: retractBodySchema,
    response: { 200: retractAnswerSchema, ...errorResponses(400, 401, 403, 404, 503) },
  });

  app.post('/api/votes/:org/:name', { onRequest: auth.requireIdentity, schema: castSchema(false) }, castHandler);
  app.delete('/api/votes/:org/:name', { onRequest: auth.requireIdentity, schema: retractSchema(false) }, retractHandler);
  // Clients that percent-encode the model id (`org%2Fname`) as one segment.
  app.post('/api/votes/:model_id', { onRequest: auth.requireIdentity, schema: castSchema(true) }, castHandler);
  app.delete('/api/votes/:model_id', { onRequest: auth.requireIdentity, schema: retractSchema(true) }, retractHandler);

  app.get(
    '/api/votes/model/:provider/:model',
    {
      schema: {
        operationId: 'getModelVotes',
        summary: 'Current votes of a model',
        description: 'Counts of the current votes (a changed vote counts once, a retracted one not at all), per revision and per configuration, and the votes themselves.',
        tags: ['votes'],
        params: modelVotesParamsSchema,
        response: { 200: modelVotesSchema, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { provider, model } = request.params as Static<typeof modelVotesParamsSchema>;
      return (await modelVotesPayload(`${provider}/${model}`)).send(request, reply);
    },
  );

  app.get(
    '/api/votes/user/:user_id',
    {
      schema: {
        operationId: 'getUserVotes',
        summary: 'Current votes of a user',
        description: 'The user\'s current votes, oldest change first.',
        tags: ['votes'],
        params: userVotesParamsSchema,
        response: { 200: Type.Array(userVoteSchema), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { user_id } = request.params as Static<typeof userVotesParamsSchema>;
      reply.header('cache-control', 'no-cache');
      return service.userVotes(user_id).map((vote) => ({ model_id: vote.model, ...row(vote) }));
    },
  );
}
