/**
 * Local tokens: made by `npm run cli -- tokens create <user>`, for operators, evaluators and
 * self-hosted deployments without Hugging Face sign-in.
 *
 * A token is `lbt_<id>_<secret>`: `lbt_` ("leaderboard token") rather than `hf_`, so a local
 * token is never mistaken for a Hub token — the hub provider does not send it to the Hub, and
 * secret scanners do not report it to Hugging Face — while still being recognisable in a leak.
 * `<id>` (12 hex) names the record; `<secret>` is 32 random bytes (base64url). Only the SHA-256
 * of the whole token is stored, in `DATA_DIR/auth/tokens.json` (written with writeFileDurably),
 * and it is compared in constant time. A fast hash is enough: the secret has 256 bits of
 * entropy, so there is nothing to brute-force. Revoking keeps the record (marked revoked), so a
 * revoked token is told apart from an unknown one.
 *
 * The server re-reads the file when it changes (a stat per check), so `tokens revoke` run
 * while the server is up takes effect on the next request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../../storage/local-repo.js';
import { ADMIN_ROLE } from './identity.js';

export const LOCAL_TOKEN_PREFIX = 'lbt_';
const TOKEN_PATTERN = /^lbt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
export const USERNAME_PATTERN = /^[A-Za-z0-9][\w.-]{0,95}$/;
export const ROLE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

export interface StoredToken {
  id: string;
  username: string;
  /** Hex SHA-256 of the whole token. */
  hash: string;
  roles: string[];
  orgs: string[];
  created_at: string;
  revoked_at: string | null;
}

interface TokenFile {
  version: 1;
  tokens: StoredToken[];
}

export type TokenCheck =
  | { status: 'valid'; record: StoredToken }
  | { status: 'revoked'; record: StoredToken }
  | { status: 'unknown' }
  /** Not a local token at all (another provider's). */
  | { status: 'foreign' };

export class TokenStoreError extends Error {
  override name = 'TokenStoreError';
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export class LocalTokenStore {
  private cached: { stamp: string; data: TokenFile } | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    /** The tokens file, normally `DATA_DIR/auth/tokens.json`. */
    readonly file: string,
  ) {}

  static forDataDir(dataDir: string): LocalTokenStore {
    return new LocalTokenStore(path.join(dataDir, 'auth', 'tokens.json'));
  }

  /** Checks a presented token. Never throws for a bad token; throws if the file is unreadable. */
  async check(token: string): Promise<TokenCheck> {
    if (!token.startsWith(LOCAL_TOKEN_PREFIX)) return { status: 'foreign' };
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return { status: 'unknown' };
    const data = await this.load();
    const record = data.tokens.find((t) => t.id === match[1]);
    if (!record) return { status: 'unknown' };
    const expected = Buffer.from(record.hash, 'hex');
    const actual = sha256(token);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { status: 'unknown' };
    return record.revoked_at ? { status: 'revoked', record } : { status: 'valid', record };
  }

  /** Creates a token; the clear token is returned once and never stored. */
  async create(
    username: string,
    options: { roles?: readonly string[]; orgs?: readonly string[]; now?: Date } = {},
  ): Promise<{ token: string; record: StoredToken }> {
    if (!USERNAME_PATTERN.test(username)) throw new TokenStoreError(`Invalid user name ${JSON.stringify(username)}: letters, digits, '.', '_' and '-', at most 96.`);
    const roles = [...new Set(options.roles ?? [])].sort();
    for (const role of roles) if (!ROLE_PATTERN.test(role)) throw new TokenStoreError(`Invalid role ${JSON.stringify(role)}.`);
    const orgs = [...new Set(options.orgs ?? [])];
    for (const org of orgs) if (!USERNAME_PATTERN.test(org)) throw new TokenStoreError(`Invalid organisation ${JSON.stringify(org)}.`);
    return this.update((data) => {
      let id: string;
      do id = randomBytes(6).toString('hex');
      while (data.tokens.some((t) => t.id === id));
      const token = `${LOCAL_TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
      const record: StoredToken = {
        id,
        username,
        hash: sha256(token).toString('hex'),
        roles,
        orgs,
        created_at: (options.now ?? new Date()).toISOString(),
        revoked_at: null,
      };
      data.tokens.push(record);
      return { token, record };
    });
  }

  /** Revokes every live token of `username`; returns how many were revoked. */
  revoke(username: string, now = new Date()): Promise<number> {
    return this.update((data) => {
      let count = 0;
      for (const record of data.tokens) {
        if (record.username === username && !record.revoked_at) {
          record.revoked_at = now.toISOString();
          count++;
        }
      }
      return count;
    });
  }

  /** Every token record (hashes included; callers print only what they need). */
  async list(): Promise<StoredToken[]> {
    return (await this.load()).tokens.map((t) => ({ ...t }));
  }

  private async stamp(): Promise<string | null> {
    try {
      const stat = await fs.stat(this.file);
      return `${stat.ino}-${stat.size}-${stat.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private async load(): Promise<TokenFile> {
    const stamp = await this.stamp();
    if (stamp === null) return { version: 1, tokens: [] };
    if (this.cached?.stamp === stamp) return this.cached.data;
    const text = await fs.readFile(this.file, 'utf8');
    let data: TokenFile;
    try {
      data = JSON.parse(text) as TokenFile;
    } catch {
      throw new TokenStoreError(`${this.file} is not valid JSON`);
    }
    if (data?.version !== 1 || !Array.isArray(data.tokens)) throw new TokenStoreError(`${this.file} is not a tokens file (version 1)`);
    this.cached = { stamp, data };
    return data;
  }

  /** Read-modify-write, serialized within the process; the file is replaced durably. */
  private update<T>(change: (data: TokenFile) => T): Promise<T> {
    const run = this.writes.then(async () => {
      const current = await this.load();
      const data: TokenFile = { version: 1, tokens: current.tokens.map((t) => ({ ...t, roles: [...t.roles], orgs: [...t.orgs] })) };
      const result = change(data);
      await writeFileDurably(this.file, `${JSON.stringify(data, null, 2)}\n`);
      this.cached = undefined;
      return result;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}

export function isAdminRecord(record: StoredToken): boolean {
  return record.roles.includes(ADMIN_ROLE);
}
