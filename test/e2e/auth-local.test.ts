/** Local tokens end to end: the CLI makes and revokes them, writes need them, nobody acts as someone else. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/command.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startServer } from '../../src/server.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, startTestApp, type TestApp } from '../helpers/app.js';
import { call, localToken } from './fixtures/votes-setup.js';

let t: TestApp;
let aliceToken: string;
beforeAll(async () => {
  t = await startTestApp({ records: [makeContentsRecord({ fullname: 'board/model-a' })], env: { RATE_LIMIT_MAX: '1000' } });
  aliceToken = await localToken(t.dataDir, 'alice', { orgs: ['acme'] });
});
afterAll(() => t.close());

/** Runs `npm run cli -- <argv>` in-process against the test DATA_DIR. */
async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { DATA_DIR: t.dataDir }, out: (l) => out.push(l), err: (l) => err.push(l), interactive: false };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const vote = (token: string | undefined, body: unknown = { vote_type: 'up' }, query = '') =>
  call(t.url, 'POST', `/api/votes/board/model-a${query}`, { ...(token ? { token } : {}), body });

describe('writes without a valid token', () => {
  it('answer 401 with WWW-Authenticate: Bearer when no token is sent', async () => {
    const response = await vote(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({ code: 'UNAUTHORIZED', detail: expect.stringMatching(/Bearer token is required/) });
    const retract = await call(t.url, 'DELETE', '/api/votes/board/model-a');
    expect(retract.status).toBe(401);
  });

  it('answer 401 for another scheme, an unknown token and a forged local token', async () => {
    const basic = await call(t.url, 'POST', '/api/votes/board/model-a', { body: { vote_type: 'up' }, headers: { authorization: 'Basic YWxpY2U6eA==' } });
    expect(basic.status).toBe(401);
    const unknown = await vote('hf_not_a_token');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('invalid_token');
    const forged = await vote(`${aliceToken.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect((await call(t.url, 'GET', `/api/votes/model/board/model-a`)).body.total_votes).toBe(0);
  });
});

describe('a valid local token', () => {
  it('identifies its user on /api/auth/me', async () => {
    const me = await call(t.url, 'GET', '/api/auth/me', { token: aliceToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ name: 'alice', orgs: ['acme'], provider: 'local', admin: false, roles: [] });
    expect((await call(t.url, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('votes as its user; a user_id that differs is 403, an equal one is fine', async () => {
    const ok = await vote(aliceToken);
    expect(ok.status).toBe(200);
    expect(ok.body.vote.username).toBe('alice');

    const spoofedBody = await vote(aliceToken, { vote_type: 'down', user_id: 'bob' });
    expect(spoofedBody.status).toBe(403);
    expect(spoofedBody.body).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('user_id "bob" does not match the authenticated user "alice"') });
    const spoofedQuery = await vote(aliceToken, undefined, '?vote_type=down&user_id=bob');
    expect(spoofedQuery.status).toBe(403);
    const spoofedRetract = await call(t.url, 'DELETE', '/api/votes/board/model-a?user_id=bob', { token: aliceToken });
    expect(spoofedRetract.status).toBe(403);
    const spoofedRetractBody = await call(t.url, 'DELETE', '/api/votes/board/model-a', { token: aliceToken, body: { user_id: 'bob' } });
    expect(spoofedRetractBody.status).toBe(403);
    // Nothing was recorded for bob, alice's vote is still up.
    expect((await call(t.url, 'GET', '/api/votes/user/bob')).body).toEqual([]);
    expect((await call(t.url, 'GET', '/api/votes/user/alice')).body).toMatchObject([{ model_id: 'board/model-a', vote_type: 'up' }]);

    const same = await vote(aliceToken, { vote_type: 'up', user_id: 'alice' });
    expect(same.status).toBe(200);
  });
});

describe('npm run cli -- tokens', () => {
  it('creates a token (printed as the last line) that works, with --admin and --role', async () => {
    const created = await cli(['tokens', 'create', 'ops', '--admin', '--role', 'worker']);
    expect(created.code).toBe(0);
    const token = created.out.at(-1)!;
    expect(token).toMatch(/^lbt_/);
    const me = await call(t.url, 'GET', '/api/auth/me', { token });
    expect(me.body).toEqual({ name: 'ops', orgs: [], provider: 'local', admin: true, roles: ['admin', 'worker'] });
    const listed = await cli(['tokens', 'list']);
    expect(listed.out.join('\n')).toContain('ops');
    expect(listed.out.join('\n')).not.toContain(token);
  });

  it('revokes: the server refuses the token on the next request', async () => {
    const token = (await cli(['tokens', 'create', 'dave'])).out.at(-1)!;
    expect((await vote(token)).status).toBe(200);
    const revoked = await cli(['tokens', 'revoke', 'dave']);
    expect(revoked.code).toBe(0);
    const refused = await vote(token, { vote_type: 'down' });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
    expect((await call(t.url, 'GET', '/api/votes/user/dave')).body).toMatchObject([{ vote_type: 'up' }]);
  });

  it('rejects bad arguments with exit code 2', async () => {
    expect((await cli(['tokens', 'create'])).code).toBe(2);
    expect((await cli(['tokens', 'create', 'has space'])).code).toBe(2);
    expect((await cli(['tokens', 'frobnicate'])).code).toBe(2);
  });
});

describe('development quick start', () => {
  it('creates and prints a token for user "demo" on a fresh demo DATA_DIR, once', async () => {
    const dataDir = await makeTempDir();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ENVIRONMENT: 'development' });
    const logger = createLogger(config, { pretty: false });
    const first = await startServer(config, { logger });
    try {
      await first.services.loaded;
      expect(first.demoToken).toMatch(/^lbt_/);
      const me = await call(first.url, 'GET', '/api/auth/me', { token: first.demoToken! });
      expect(me.body).toMatchObject({ name: 'demo', provider: 'local' });
    } finally {
      await first.close();
    }
    const second = await startServer(config, { logger });
    try {
      expect(second.demoToken).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
