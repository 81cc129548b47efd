import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalAuthProvider } from './local-provider.js';
import { LocalTokenStore } from './local-token-store.js';

async function store() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tokens-'));
  return { dataDir, store: LocalTokenStore.forDataDir(dataDir) };
}

describe('LocalTokenStore', () => {
  it('creates tokens that verify, and stores only their hash under DATA_DIR/auth', async () => {
    const { dataDir, store: s } = await store();
    const { token, record } = await s.create('alice', { roles: ['admin', 'worker'], orgs: ['acme'] });
    expect(token).toMatch(/^lbt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ username: 'alice', roles: ['admin', 'worker'], orgs: ['acme'], revoked_at: null });
    const file = await readFile(path.join(dataDir, 'auth', 'tokens.json'), 'utf8');
    expect(file).not.toContain(token);
    expect(file).not.toContain(token.slice(17));
    expect(await s.check(token)).toMatchObject({ status: 'valid', record: { username: 'alice' } });
  });

  it('tells unknown, tampered, foreign and revoked tokens apart', async () => {
    const { store: s } = await store();
    const { token } = await s.create('bob');
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(await s.check(tampered)).toEqual({ status: 'unknown' });
    expect(await s.check('lbt_short')).toEqual({ status: 'unknown' });
    expect(await s.check('hf_abcdef')).toEqual({ status: 'foreign' });
    expect(await s.revoke('bob')).toBe(1);
    expect(await s.revoke('bob')).toBe(0);
    expect(await s.check(token)).toMatchObject({ status: 'revoked' });
  });

  it('sees changes made by another process (another store on the same file)', async () => {
    const { dataDir, store: server } = await store();
    const cli = LocalTokenStore.forDataDir(dataDir);
    const { token } = await cli.create('carol');
    expect((await server.check(token)).status).toBe('valid');
    await cli.revoke('carol');
    expect((await server.check(token)).status).toBe('revoked');
  });

  it('refuses bad user names and roles', async () => {
    const { store: s } = await store();
    await expect(s.create('bad name')).rejects.toThrow(/Invalid user name/);
    await expect(s.create('ok', { roles: ['Not A Role'] })).rejects.toThrow(/Invalid role/);
  });
});

describe('LocalAuthProvider', () => {
  it('allows valid tokens with their roles, denies revoked and unknown ones, passes foreign ones', async () => {
    const { store: s } = await store();
    const provider = new LocalAuthProvider(s);
    const { token } = await s.create('dora', { roles: ['admin'] });
    expect(await provider.authenticate(token)).toEqual({
      outcome: 'allow',
      identity: { name: 'dora', orgs: [], provider: 'local', admin: true, roles: ['admin'] },
    });
    expect(await provider.authenticate('hf_anything')).toEqual({ outcome: 'pass' });
    expect((await provider.authenticate(`${token}x`)).outcome).toBe('deny');
    await s.revoke('dora');
    expect(await provider.authenticate(token)).toEqual({ outcome: 'deny', reason: 'The local token has been revoked.' });
  });
});
