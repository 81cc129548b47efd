import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../../test/hub-emulator/index.js';
import { AppError } from '../../http/errors.js';
import { AuthChain } from './auth-chain.js';
import { HubAuthProvider } from './hub-provider.js';

const logger = pino({ level: 'silent' });
let hub: HubEmulator;

beforeAll(async () => {
  hub = await startHubEmulator();
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.setFault({ mode: 'none' });
  hub.clearRequestLog();
});

function provider(overrides: Partial<ConstructorParameters<typeof HubAuthProvider>[0]> = {}) {
  return new HubAuthProvider({ hubUrl: hub.url, logger, timeoutMs: 2000, validTtlMs: 300_000, foreignPrefixes: ['lbt_'], ...overrides });
}

const whoamiCalls = () => hub.requestLog.filter((r) => r.path === '/api/whoami-v2').length;

describe('HubAuthProvider (against the Hub emulator)', () => {
  it('turns a valid Hub token into the whoami name and orgs', async () => {
    const decision = await provider({ adminUsers: ['bob'] }).authenticate('hf_alice_token');
    expect(decision).toEqual({ outcome: 'allow', identity: { name: 'alice', orgs: ['emulated'], provider: 'hub', admin: false, roles: [] } });
    const bob = await provider({ adminUsers: ['bob'] }).authenticate('hf_bob_token');
    expect(bob).toMatchObject({ outcome: 'allow', identity: { name: 'bob', admin: true, roles: ['admin'] } });
  });

  it('accepts users added to the emulator, OAuth-style tokens included', async () => {
    hub.addUser({ name: 'erin', token: 'hf_oauth_erin_token', orgs: ['lab-a', 'lab-b'] });
    expect(await provider().authenticate('hf_oauth_erin_token')).toMatchObject({ identity: { name: 'erin', orgs: ['lab-a', 'lab-b'] } });
  });

  it('passes on a token the Hub rejects (the next provider may know it)', async () => {
    expect(await provider().authenticate('hf_not_a_real_token')).toEqual({ outcome: 'pass' });
  });

  it('caches answers by token hash: valid for the TTL, invalid for seconds', async () => {
    let now = 0;
    const p = provider({ now: () => now, validTtlMs: 60_000, invalidTtlMs: 5_000 });
    await p.authenticate('hf_alice_token');
    await p.authenticate('hf_alice_token');
    await Promise.all([p.authenticate('hf_bad'), p.authenticate('hf_bad'), p.authenticate('hf_bad')]);
    expect(whoamiCalls()).toBe(2);
    now = 10_000; // the invalid answer expired, the valid one not
    await p.authenticate('hf_alice_token');
    await p.authenticate('hf_bad');
    expect(whoamiCalls()).toBe(3);
    now = 61_000;
    await p.authenticate('hf_alice_token');
    expect(whoamiCalls()).toBe(4);
  });

  it('never sends a local token to the Hub', async () => {
    expect(await provider().authenticate('lbt_0123456789ab_secret')).toEqual({ outcome: 'pass' });
    expect(whoamiCalls()).toBe(0);
  });

  it('answers 503 (not 401) when the Hub fails or does not answer in time', async () => {
    hub.setFault({ mode: 'error500' });
    const failing = provider();
    const error = await failing.authenticate('hf_alice_token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'HUB_UNAVAILABLE', status: 503 });
    hub.setFault({ mode: 'timeout' });
    const slow = await provider({ timeoutMs: 200 }).authenticate('hf_alice_token').catch((e: unknown) => e);
    expect(slow).toMatchObject({ code: 'HUB_UNAVAILABLE', status: 503 });
    hub.setFault({ mode: 'none' });
    // A failure is not cached.
    expect(await failing.authenticate('hf_alice_token')).toMatchObject({ outcome: 'allow' });
  });

  it('in a chain, an unknown token ends as 401 with a Bearer challenge', async () => {
    const error = await new AuthChain([provider()]).verify('hf_nobody').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect((error as AppError).options.headers?.['www-authenticate']).toMatch(/^Bearer /);
  });
});
