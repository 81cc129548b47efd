/** Vote semantics end to end: defaults, idempotency, change, retract, 404, both request forms, both answer shapes. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, startTestApp, type TestApp } from '../helpers/app.js';
import { call, localToken, seedRequests } from './fixtures/votes-setup.js';

const records = [makeContentsRecord({ fullname: 'board/evaluated', Precision: 'float16' })];

let t: TestApp;
const tokens: Record<string, string> = {};

let dataDir: string;

beforeAll(async () => {
  dataDir = await makeTempDir();
  await seedRequests(dataDir, [
    { model: 'queue/pending', revision: 'abc123', precision: 'bfloat16', status: 'PENDING' },
    { model: 'queue/failed', revision: 'def456', precision: 'float16', status: 'FAILED' },
  ]);
  t = await startTestApp({ records, dataDir, env: { RATE_LIMIT_MAX: '1000' } });
  for (const user of ['alice', 'bob', 'carol', 'dan']) tokens[user] = await localToken(t.dataDir, user);
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const post = (user: string, model: string, body?: unknown, query = '') =>
  call(t.url, 'POST', `/api/votes/${model}${query}`, { token: tokens[user]!, ...(body !== undefined ? { body } : {}) });
const del = (user: string, model: string, query = '') => call(t.url, 'DELETE', `/api/votes/${model}${query}`, { token: tokens[user]! });
const modelVotes = async (model: string) => (await call(t.url, 'GET', `/api/votes/model/${model}`)).body;
const logLines = async () => (await readFile(path.join(t.dataDir, 'votes', 'votes_data.jsonl'), 'utf8')).trimEnd().split('\n').filter(Boolean);

describe('POST /api/votes/{model_id}', () => {
  it('records a vote with the pending request\'s revision and precision, answering README and original fields', async () => {
    const response = await post('alice', 'queue/pending', { vote_type: 'up' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: true,
      status: 'success',
      message: expect.any(String),
      outcome: 'recorded',
      vote: { model: 'queue/pending', revision: 'abc123', username: 'alice', vote_type: 'up', precision: 'bfloat16' },
    });
    expect(response.body.vote.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Visible to reads as soon as the answer is sent.
    expect(await modelVotes('queue/pending')).toMatchObject({ total_votes: 1, up_votes: 1, down_votes: 0 });
  });

  it('is idempotent: the same vote again is 200 and stores nothing', async () => {
    const before = await logLines();
    const again = await post('alice', 'queue/pending', { vote_type: 'up' });
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe('unchanged');
    expect(await logLines()).toEqual(before);
    expect((await modelVotes('queue/pending')).total_votes).toBe(1);
  });

  it('replaces the vote with the other vote type (append-only: one more line)', async () => {
    const before = await logLines();
    const changed = await post('alice', 'queue/pending', { vote_type: 'down' });
    expect(changed.body.outcome).toBe('changed');
    expect(await logLines()).toHaveLength(before.length + 1);
    expect(await modelVotes('queue/pending')).toMatchObject({ total_votes: 1, up_votes: 0, down_votes: 1, net_votes: -1 });
  });

  it('accepts the query-string form of the original frontend (vote_type, user_id in the query, config in the body)', async () => {
    const queryOnly = await post('bob', 'board/evaluated', undefined, '?vote_type=up&user_id=bob');
    expect(queryOnly.status).toBe(200);
    // Not pending: revision main; precision from the leaderboard row.
    expect(queryOnly.body.vote).toMatchObject({ username: 'bob', revision: 'main', precision: 'float16' });
    const frontend = await post('carol', 'board/evaluated', { precision: 'bfloat16', revision: 'sha1' }, '?vote_type=up&user_id=carol');
    expect(frontend.body.vote).toMatchObject({ username: 'carol', revision: 'sha1', precision: 'bfloat16' });
    const encoded = await post('dan', 'board%2Fevaluated', undefined, '?vote_type=down');
    expect(encoded.status).toBe(200);
    expect(encoded.body.vote).toMatchObject({ model: 'board/evaluated', username: 'dan', vote_type: 'down' });
  });

  it('counts one vote per (model, revision, user, precision)', async () => {
    await post('bob', 'board/evaluated', { vote_type: 'up', revision: 'other' });
    await post('bob', 'board/evaluated', { vote_type: 'up', precision: 'bfloat16' });
    const votes = await modelVotes('board/evaluated');
    expect(votes).toMatchObject({ total_votes: 5, up_votes: 4, down_votes: 1 });
    expect(votes.votes_by_revision).toEqual({ main: 3, sha1: 1, other: 1 });
    expect(votes.votes_by_config).toMatchObject({ main_float16: { revision: 'main', precision: 'float16', count: 2 } });
  });

  it('answers 404 for a model neither queued nor on the leaderboard', async () => {
    const response = await post('alice', 'nobody/nothing', { vote_type: 'up' });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('MODEL_NOT_FOUND');
    // A failed request still makes the model known (it can be voted for a re-run).
    expect((await post('alice', 'queue/failed', { vote_type: 'up' })).status).toBe(200);
  });

  it('answers 4xx for a bad or missing vote_type and a malformed model id', async () => {
    for (const body of [{ vote_type: 'sideways' }, {}, { vote_type: 1 }]) {
      const response = await post('alice', 'queue/pending', body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_ERROR');
    }
    expect((await post('alice', 'queue/pending', undefined, '?vote_type=maybe')).status).toBe(400);
    expect((await post('alice', 'queue/pending', { vote_type: 'up' }, '?vote_type=down')).status).toBe(400);
    expect((await post('alice', 'bad%20org/x', { vote_type: 'up' })).status).toBe(400);
  });
});

describe('DELETE /api/votes/{model_id}', () => {
  it('retracts the caller\'s vote; a second retraction is a no-op', async () => {
    const retracted = await del('alice', 'queue/pending');
    expect(retracted.status).toBe(200);
    expect(retracted.body).toMatchObject({ success: true, status: 'success', retracted: 1 });
    expect(await modelVotes('queue/pending')).toMatchObject({ total_votes: 0, up_votes: 0, down_votes: 0, votes: [] });
    expect((await del('alice', 'queue/pending')).body.retracted).toBe(0);
    expect((await del('alice', 'nobody/nothing')).status).toBe(404);
    // Voting again after a retraction records a new vote.
    expect((await post('alice', 'queue/pending', { vote_type: 'up' })).body.outcome).toBe('recorded');
  });

  it('retracts only the given revision or precision when asked', async () => {
    const response = await del('bob', 'board/evaluated', '?revision=other');
    expect(response.body.retracted).toBe(1);
    expect((await call(t.url, 'GET', '/api/votes/user/bob')).body.map((v: { revision: string }) => v.revision).sort()).toEqual(['main', 'main']);
  });
});

describe('reads', () => {
  it('GET /api/votes/user/{user_id} lists the README and original fields', async () => {
    const response = await call(t.url, 'GET', '/api/votes/user/carol');
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      {
        model_id: 'board/evaluated',
        vote_type: 'up',
        timestamp: expect.stringMatching(/Z$/),
        model: 'board/evaluated',
        revision: 'sha1',
        precision: 'bfloat16',
        username: 'carol',
      },
    ]);
    expect((await call(t.url, 'GET', '/api/votes/user/nobody')).body).toEqual([]);
  });

  it('GET /api/votes/model/{provider}/{model} answers zeros for a model without votes', async () => {
    expect(await modelVotes('nobody/nothing')).toEqual({
      model_id: 'nobody/nothing',
      total_votes: 0,
      up_votes: 0,
      down_votes: 0,
      net_votes: 0,
      votes_by_revision: {},
      votes_by_config: {},
      votes: [],
    });
  });

  it('survives a restart with the same counts', async () => {
    const before = await modelVotes('board/evaluated');
    const again = await startTestApp({ dataDir: t.dataDir, env: { RATE_LIMIT_MAX: '1000' } });
    try {
      expect((await call(again.url, 'GET', '/api/votes/model/board/evaluated')).body).toEqual(before);
    } finally {
      await again.close();
    }
  });

  it('documents the routes in OpenAPI, with bearer security on writes', async () => {
    const spec = (await call(t.url, 'GET', '/openapi.json')).body;
    const post = spec.paths['/api/votes/{org}/{name}'].post;
    expect(post.operationId).toBe('castVote');
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(spec.paths['/api/votes/{org}/{name}'].delete.operationId).toBe('retractVote');
    expect(spec.paths['/api/votes/model/{provider}/{model}'].get.operationId).toBe('getModelVotes');
    expect(spec.paths['/api/votes/user/{user_id}'].get.operationId).toBe('getUserVotes');
    expect(spec.paths['/api/auth/me'].get.operationId).toBe('getCurrentIdentity');
  });
});

describe('per-user vote rate limit', () => {
  it('answers 429 with Retry-After past VOTE_RATE_LIMIT per minute, per user', async () => {
    const limited = await startTestApp({ records, env: { VOTE_RATE_LIMIT: '3', RATE_LIMIT_MAX: '1000' } });
    try {
      const spam = await localToken(limited.dataDir, 'spammer');
      const other = await localToken(limited.dataDir, 'other');
      const types = ['up', 'down', 'up'];
      for (const vote_type of types) {
        expect((await call(limited.url, 'POST', '/api/votes/board/evaluated', { token: spam, body: { vote_type } })).status).toBe(200);
      }
      const refused = await call(limited.url, 'POST', '/api/votes/board/evaluated', { token: spam, body: { vote_type: 'down' } });
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The refused vote was not recorded; other users are not affected.
      expect((await call(limited.url, 'GET', '/api/votes/user/spammer')).body).toMatchObject([{ vote_type: 'up' }]);
      expect((await call(limited.url, 'POST', '/api/votes/board/evaluated', { token: other, body: { vote_type: 'up' } })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
