/** 100 votes sent at once: exact counts, one log line each, fewer syncs than votes allowed by group commit. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call } from './fixtures/votes-setup.js';

const USERS = 100;
let t: TestApp;
const tokens: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ records: [makeContentsRecord({ fullname: 'board/popular' })], env: { RATE_LIMIT_MAX: '10000' } });
  const store = LocalTokenStore.forDataDir(t.dataDir);
  for (let i = 0; i < USERS; i++) tokens.push((await store.create(`voter${i}`)).token);
});
afterAll(() => t.close());

describe('100 parallel votes', () => {
  it('are all acknowledged and counted exactly', async () => {
    const typeOf = (i: number) => (i % 5 < 3 ? 'up' : 'down'); // 60 up, 40 down
    const responses = await Promise.all(
      tokens.map((token, i) => call(t.url, 'POST', '/api/votes/board/popular', { token, body: { vote_type: typeOf(i) } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(USERS).fill(200));

    const counts = (await call(t.url, 'GET', '/api/votes/model/board/popular')).body;
    expect(counts).toMatchObject({ total_votes: 100, up_votes: 60, down_votes: 40, net_votes: 20 });
    expect(counts.votes).toHaveLength(100);
    for (const i of [0, 3, 57, 99]) {
      expect((await call(t.url, 'GET', `/api/votes/user/voter${i}`)).body).toMatchObject([{ model_id: 'board/popular', vote_type: typeOf(i) }]);
    }

    const lines = (await readFile(path.join(t.dataDir, 'votes', 'votes_data.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    expect(new Set(lines.map((line) => JSON.parse(line).username)).size).toBe(100);
    const stats = t.services.votes.logStats();
    expect(stats.appended).toBe(100);
    expect(stats.syncs).toBeLessThanOrEqual(100);
  });

  it('the same vote sent 20 times at once is stored once', async () => {
    const token = tokens[0]!;
    const before = t.services.votes.logStats().appended;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => call(t.url, 'POST', '/api/votes/board/popular', { token, body: { vote_type: 'down' } })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.filter((r) => r.body.outcome === 'changed')).toHaveLength(1);
    expect(t.services.votes.logStats().appended).toBe(before + 1);
    expect((await call(t.url, 'GET', '/api/votes/model/board/popular')).body).toMatchObject({ up_votes: 59, down_votes: 41 });
  });
});
