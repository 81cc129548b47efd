import { describe, expect, it } from 'vitest';
import { AuthChain, bearerToken, type AuthDecision, type AuthProvider } from './auth-chain.js';
import { makeIdentity } from './identity.js';

function fixed(name: string, decide: (token: string) => AuthDecision, seen: string[]): AuthProvider {
  return {
    name,
    async authenticate(token) {
      seen.push(name);
      return decide(token);
    },
  };
}

describe('AuthChain', () => {
  it('asks providers in order: the first allow or deny decides, pass goes on', async () => {
    const seen: string[] = [];
    const chain = new AuthChain([
      fixed('a', (t) => (t === 'deny-me' ? { outcome: 'deny', reason: 'revoked' } : { outcome: 'pass' }), seen),
      fixed('b', (t) => (t === 'b-token' ? { outcome: 'allow', identity: makeIdentity({ name: 'bee', provider: 'b' }) } : { outcome: 'pass' }), seen),
    ]);
    expect((await chain.verify('b-token')).name).toBe('bee');
    expect(seen).toEqual(['a', 'b']);
    seen.length = 0;
    await expect(chain.verify('deny-me')).rejects.toMatchObject({ status: 401, detail: 'revoked' });
    expect(seen).toEqual(['a']);
    await expect(chain.verify('nobody')).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('parses Bearer headers strictly', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('derives admin from roles', () => {
    expect(makeIdentity({ name: 'x', provider: 'local', roles: ['worker', 'admin', 'worker'] })).toEqual({
      name: 'x',
      orgs: [],
      provider: 'local',
      admin: true,
      roles: ['admin', 'worker'],
    });
  });
});
