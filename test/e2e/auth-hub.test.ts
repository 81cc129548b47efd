/** The `hub,local` chain end to end, against the Hub emulator's whoami. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, localToken } from './fixtures/votes-setup.js';

let hub: HubEmulator;
let t: TestApp;
let opsToken: string;
beforeAll(async () => {
  hub = await startHubEmulator();
  t = await startTestApp({
    records: [makeContentsRecord({ fullname: 'board/model-a' })],
    env: { AUTH_PROVIDERS: 'hub,local', HUB_URL: hub.url, ADMIN_USERS: 'bob', AUTH_HUB_TIMEOUT: '0.5', RATE_LIMIT_MAX: '1000' },
  });
  opsToken = await localToken(t.dataDir, 'ops', { roles: ['admin'] });
});
afterAll(async () => {
  await t.close();
  await hub.close();
});
beforeEach(() => hub.setFault({ mode: 'none' }));

const whoamiCalls = () => hub.requestLog.filter((r) => r.path === '/api/whoami-v2').length;

describe('hub provider', () => {
  it('verifies a Hugging Face token: identity = whoami name and orgs', async () => {
    const me = await call(t.url, 'GET', '/api/auth/me', { token: 'hf_alice_token' });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ name: 'alice', orgs: ['emulated'], provider: 'hub', admin: false, roles: [] });
    const bob = await call(t.url, 'GET', '/api/auth/me', { token: 'hf_bob_token' });
    expect(bob.body).toMatchObject({ name: 'bob', provider: 'hub', admin: true });
  });

  it('votes as the Hub user, and refuses to vote as someone else', async () => {
    const ok = await call(t.url, 'POST', '/api/votes/board/model-a?vote_type=up&user_id=alice', { token: 'hf_alice_token' });
    expect(ok.status).toBe(200);
    expect(ok.body.vote.username).toBe('alice');
    const spoof = await call(t.url, 'POST', '/api/votes/board/model-a?vote_type=up&user_id=bob', { token: 'hf_alice_token' });
    expect(spoof.status).toBe(403);
  });

  it('answers 401 for a token neither the Hub nor the local store knows', async () => {
    const response = await call(t.url, 'POST', '/api/votes/board/model-a', { token: 'hf_unknown_token', body: { vote_type: 'up' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('falls through to local tokens, which are never sent to the Hub', async () => {
    hub.clearRequestLog();
    const me = await call(t.url, 'GET', '/api/auth/me', { token: opsToken });
    expect(me.body).toMatchObject({ name: 'ops', provider: 'local', admin: true });
    expect(whoamiCalls()).toBe(0);
  });

  it('caches a verified token: many writes, one whoami', async () => {
    hub.addUser({ name: 'frank', token: 'hf_frank_token' });
    hub.clearRequestLog();
    for (let i = 0; i < 3; i++) {
      expect((await call(t.url, 'GET', '/api/auth/me', { token: 'hf_frank_token' })).status).toBe(200);
    }
    expect(whoamiCalls()).toBe(1);
  });
});

describe('Hub down', () => {
  it('gives 503 with Retry-After (not 401) for a token it must check, on errors and on timeouts', async () => {
    hub.addUser({ name: 'carol', token: 'hf_carol_token' });
    hub.setFault({ mode: 'error500' });
    const failed = await call(t.url, 'POST', '/api/votes/board/model-a', { token: 'hf_carol_token', body: { vote_type: 'up' } });
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('HUB_UNAVAILABLE');
    expect(failed.headers.get('retry-after')).toBeTruthy();
    hub.setFault({ mode: 'timeout' });
    const slow = await call(t.url, 'GET', '/api/auth/me', { token: 'hf_carol_token' });
    expect(slow.status).toBe(503);
    hub.setFault({ mode: 'none' });
    expect((await call(t.url, 'GET', '/api/auth/me', { token: 'hf_carol_token' })).status).toBe(200);
  });

  it('keeps local tokens and recently verified Hub tokens working', async () => {
    hub.setFault({ mode: 'error500' });
    expect((await call(t.url, 'GET', '/api/auth/me', { token: opsToken })).status).toBe(200);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: 'hf_alice_token' })).body.name).toBe('alice');
  });
});
