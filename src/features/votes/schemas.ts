/**
 * TypeBox schemas of the votes API. Answers carry the fields of the original README and of the
 * original deployment (`status`, `votes`, `votes_by_config`, the raw row fields), so both its
 * documentation and its frontend work.
 */
import { Type } from 'typebox';

const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$';

// Examples of the OpenAPI document: alice's up vote on a model waiting in the queue.
const EXAMPLE_ORG = 'Qwen';
const EXAMPLE_NAME = 'Qwen2.5-7B-Instruct';
const EXAMPLE_MODEL = `${EXAMPLE_ORG}/${EXAMPLE_NAME}`;
const EXAMPLE_REVISION = 'a09a35458c702b33eeacc393d103063234e8bc28';
const EXAMPLE_USER = 'alice';
const EXAMPLE_VOTE = {
  model: EXAMPLE_MODEL,
  revision: EXAMPLE_REVISION,
  username: EXAMPLE_USER,
  timestamp: '2024-09-25T12:04:10Z',
  vote_type: 'up',
  precision: 'bfloat16',
};

export const repoPartSchema = (description: string, example?: string) =>
  Type.String({ pattern: NAME_PATTERN, description, ...(example === undefined ? {} : { examples: [example] }) });

export const modelParamsSchema = Type.Object({
  org: repoPartSchema('Organisation or user of the model (`org` of `org/name`)', EXAMPLE_ORG),
  name: repoPartSchema('Model name (`name` of `org/name`)', EXAMPLE_NAME),
});

/** `/api/votes/org%2Fname`: the model id as one percent-encoded segment. */
export const encodedModelParamsSchema = Type.Object({
  model_id: Type.String({
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$',
    description: '`org/name`',
    examples: [EXAMPLE_MODEL],
  }),
});

export const voteTypeSchema = Type.Enum(['up', 'down'], { description: 'The vote: `up` or `down`', examples: ['up'] });

const revisionField = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Model revision the vote is about. Default: the revision of the model\'s pending request, else `main`.',
  examples: [EXAMPLE_REVISION],
});
const precisionField = Type.String({
  minLength: 1,
  maxLength: 40,
  description:
    'Precision the vote is about. Default: that of the model\'s pending request, else of its best leaderboard row, else `unknown`.',
  examples: ['bfloat16'],
});
const userIdField = Type.String({
  maxLength: 200,
  description: 'Optional, for compatibility: must equal the authenticated user (403 otherwise). The identity comes from the token.',
  examples: [EXAMPLE_USER],
});

export const voteQuerySchema = Type.Object({
  vote_type: Type.Optional(voteTypeSchema),
  user_id: Type.Optional(userIdField),
  revision: Type.Optional(revisionField),
  precision: Type.Optional(precisionField),
});

export const voteBodySchema = Type.Union(
  [
    Type.Object({
      vote_type: Type.Optional(voteTypeSchema),
      user_id: Type.Optional(userIdField),
      revision: Type.Optional(revisionField),
      precision: Type.Optional(precisionField),
    }),
    Type.Null(),
  ],
  {
    description: '`{ "vote_type": "up" }`; `vote_type` and `user_id` may be sent as query parameters instead (the original frontend did).',
    examples: [{ vote_type: 'up' }],
  },
);

export const retractQuerySchema = Type.Object({
  user_id: Type.Optional(userIdField),
  revision: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Only the vote on this revision (default: every revision)', examples: [EXAMPLE_REVISION] }),
  ),
  precision: Type.Optional(
    Type.String({ minLength: 1, maxLength: 40, description: 'Only the vote on this precision (default: every precision)', examples: ['bfloat16'] }),
  ),
});

export const retractBodySchema = Type.Union(
  [
    Type.Object({
      user_id: Type.Optional(userIdField),
      revision: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      precision: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    }),
    Type.Null(),
  ],
  { description: 'Optional; the same fields as the query string.', examples: [{ revision: EXAMPLE_REVISION, precision: 'bfloat16' }] },
);

/** A vote row as stored in the votes dataset. */
export const voteRowSchema = Type.Object(
  {
    model: Type.String({ description: '`org/name`' }),
    revision: Type.String(),
    username: Type.String(),
    timestamp: Type.String({ description: '`%Y-%m-%dT%H:%M:%SZ`, UTC: time of the latest change of the vote' }),
    vote_type: voteTypeSchema,
    precision: Type.String(),
  },
  { examples: [EXAMPLE_VOTE] },
);

export const voteAnswerSchema = Type.Object(
  {
    success: Type.Boolean({ description: 'README field' }),
    status: Type.Literal('success', { description: 'Field of the original deployment' }),
    message: Type.String(),
    outcome: Type.Union([Type.Literal('recorded'), Type.Literal('changed'), Type.Literal('unchanged')], {
      description: '`recorded` (new), `changed` (the other vote type replaced), `unchanged` (same vote again: nothing stored)',
    }),
    vote: voteRowSchema,
  },
  {
    examples: [{ success: true, status: 'success', message: 'Vote recorded successfully', outcome: 'recorded', vote: EXAMPLE_VOTE }],
  },
);

export const retractAnswerSchema = Type.Object(
  {
    success: Type.Boolean(),
    status: Type.Literal('success'),
    message: Type.String(),
    retracted: Type.Integer({ minimum: 0, description: 'How many votes were retracted' }),
  },
  { examples: [{ success: true, status: 'success', message: 'Vote retracted successfully', retracted: 1 }] },
);

export const modelVotesParamsSchema = Type.Object({
  provider: repoPartSchema('Organisation or user of the model', EXAMPLE_ORG),
  model: repoPartSchema('Model name', EXAMPLE_NAME),
});

export const modelVotesSchema = Type.Object(
  {
    model_id: Type.String({ description: '`org/name`' }),
    total_votes: Type.Integer({ minimum: 0, description: 'Current votes (up + down)' }),
    up_votes: Type.Integer({ minimum: 0 }),
    down_votes: Type.Integer({ minimum: 0 }),
    net_votes: Type.Integer({ description: 'up − down (what orders the pending queue)' }),
    votes_by_revision: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Current votes per revision' }),
    votes_by_config: Type.Record(
      Type.String(),
      Type.Object({ revision: Type.String(), precision: Type.String(), count: Type.Integer({ minimum: 0 }) }),
      { description: 'Current votes per `{revision}_{precision}` (original deployment field)' },
    ),
    votes: Type.Array(voteRowSchema, { description: 'The current votes (original deployment field)' }),
  },
  {
    examples: [
      {
        model_id: EXAMPLE_MODEL,
        total_votes: 3,
        up_votes: 2,
        down_votes: 1,
        net_votes: 1,
        votes_by_revision: { [EXAMPLE_REVISION]: 3 },
        votes_by_config: { [`${EXAMPLE_REVISION}_bfloat16`]: { revision: EXAMPLE_REVISION, precision: 'bfloat16', count: 3 } },
        votes: [
          EXAMPLE_VOTE,
          { ...EXAMPLE_VOTE, username: 'bob', timestamp: '2024-09-25T12:47:33Z' },
          { ...EXAMPLE_VOTE, username: 'carol', timestamp: '2024-09-25T13:25:05Z', vote_type: 'down' },
        ],
      },
    ],
  },
);

export const userVotesParamsSchema = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 200, description: 'User name', examples: [EXAMPLE_USER] }),
});

export const userVoteSchema = Type.Object(
  {
    model_id: Type.String({ description: '`org/name` (README field)' }),
    vote_type: voteTypeSchema,
    timestamp: Type.String(),
    model: Type.String({ description: '`org/name` (original row field)' }),
    revision: Type.String(),
    precision: Type.String(),
    username: Type.String(),
  },
  { examples: [{ model_id: EXAMPLE_MODEL, ...EXAMPLE_VOTE }] },
);
