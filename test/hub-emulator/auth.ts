/**
 * Users, tokens and the emulator's access rules.
 *
 * Access rules (modelled on the Hub, simplified):
 * - An unknown Bearer token is rejected with 401 "Invalid credentials in Authorization header"
 *   on every route (the Hub does this even for public repos).
 * - Private repos are visible to the namespace owner and org members (and `admin` tokens);
 *   others get 401 (anonymous) or 404 (authenticated), both with `X-Error-Code: RepoNotFound`,
 *   so a private repo is indistinguishable from a missing one, as on the Hub.
 * - Gated repos: info, tree and repo-exists are public (the Hub serves them to anyone); file
 *   downloads (`resolve`/`raw`) answer 401 `GatedRepo` without a token and 403 `GatedRepo` for a
 *   token without access. Access: listed in `gatedAccess`, or owner/org member.
 * - Writes need a token with role write, admin or fineGrained, whose user is the namespace or a
 *   member of the namespace org (`admin` may write anywhere).
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-helpers.js';
import { randomHex, sha1Hex, type RepoState } from './repo-store.js';
import type { EmulatedUser, TokenRole } from './types.js';

export interface UserRecord {
  name: string;
  /** 24-hex id */
  id: string;
  fullname: string;
  email: string;
  orgs: string[];
  avatarUrl: string;
}

export interface TokenRecord {
  token: string;
  user: UserRecord;
  role: TokenRole;
  kind: 'access_token' | 'oauth';
  createdAt: string;
  expiresAt?: string;
  scope?: string;
}

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'invalid' }
  | { kind: 'user'; token: TokenRecord };

const TOKEN_CREATED_AT = '2024-01-01T00:00:00.000Z';

export class UserRegistry {
  private readonly users = new Map<string, UserRecord>();
  private readonly tokens = new Map<string, TokenRecord>();

  add(user: EmulatedUser): void {
    if (!user.token.startsWith('hf_')) {
      throw new Error(`emulator: token of ${user.name} must start with "hf_" (the client library requires it)`);
    }
    const existing = this.users.get(user.name);
    const record: UserRecord = existing ?? {
      name: user.name,
      id: sha1Hex(`user:${user.name}`).slice(0, 24),
      fullname: user.name
        .split(/[-_]/)
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(' '),
      email: `${user.name}@emulated.invalid`,
      orgs: [],
      avatarUrl: `https://emulated.invalid/avatars/${user.name}.png`,
    };
    if (user.orgs) record.orgs = [...new Set([...record.orgs, ...user.orgs])];
    this.users.set(user.name, record);
    this.tokens.set(user.token, {
      token: user.token,
      user: record,
      role: user.role ?? 'read',
      kind: 'access_token',
      createdAt: TOKEN_CREATED_AT,
    });
  }

  byName(name: string): UserRecord | undefined {
    return this.users.get(name);
  }

  firstUser(): UserRecord | undefined {
    return this.users.values().next().value;
  }

  byToken(token: string): TokenRecord | undefined {
    const record = this.tokens.get(token);
    if (record?.expiresAt && Date.parse(record.expiresAt) < Date.now()) return undefined;
    return record;
  }

  issueOAuthToken(user: UserRecord, scope: string, expiresInSeconds: number): TokenRecord {
    const record: TokenRecord = {
      token: `hf_oauth_${randomHex(16)}`,
      user,
      role: 'read',
      kind: 'oauth',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
      scope,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** Reads `Authorization: Bearer <token>` (or Basic with the token as password, like git). */
  caller(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    if (!header) return { kind: 'anonymous' };
    let token: string | undefined;
    const bearer = /^Bearer\s+(.+)$/i.exec(header);
    if (bearer) token = bearer[1]!.trim();
    const basic = /^Basic\s+(.+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      token = decoded.slice(decoded.indexOf(':') + 1);
    }
    const record = token ? this.byToken(token) : undefined;
    return record ? { kind: 'user', token: record } : { kind: 'invalid' };
  }
}

export const INVALID_CREDENTIALS = 'Invalid credentials in Authorization header';

function namespaceOf(repoId: string): string {
  return repoId.split('/')[0] ?? '';
}

function isMember(user: UserRecord, namespace: string): boolean {
  return user.name === namespace || user.orgs.includes(namespace);
}

function label(repo: RepoState): string {
  return repo.type === 'model' ? 'model' : 'dataset';
}

export function canSee(repo: RepoState, caller: Caller): boolean {
  if (!repo.private) return true;
  if (caller.kind !== 'user') return false;
  return caller.token.role === 'admin' || isMember(caller.token.user, namespaceOf(repo.id));
}

/** Throws the Hub's answer when the caller may not see the repo at all. */
export function assertVisible(repo: RepoState | undefined, caller: Caller): RepoState {
  if (!repo) throw new HttpError(404, 'Repository not found', 'RepoNotFound');
  if (!canSee(repo, caller)) {
    throw new HttpError(caller.kind === 'anonymous' ? 401 : 404, 'Repository not found', 'RepoNotFound');
  }
  return repo;
}

/** Throws 401/403 `GatedRepo` when the caller may not download files of a gated repo. */
export function assertCanDownload(repo: RepoState, caller: Caller): void {
  if (!repo.gated) return;
  if (caller.kind === 'user') {
    const user = caller.token.user;
    if (caller.token.role === 'admin' || repo.gatedAccess.has(user.name) || isMember(user, namespaceOf(repo.id))) {
      return;
    }
    throw new HttpError(
      403,
      `Access to ${label(repo)} ${repo.id} is restricted and you are not in the authorized list. ` +
        `Visit https://huggingface.co/${repo.type === 'dataset' ? 'datasets/' : ''}${repo.id} to ask for access.`,
      'GatedRepo',
    );
  }
  throw new HttpError(
    401,
    `Access to ${label(repo)} ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
    'GatedRepo',
  );
}

/** Throws 401/403 unless the caller may write to `namespace`. */
export function assertCanWrite(namespace: string, caller: Caller, what: string): TokenRecord {
  if (caller.kind !== 'user') {
    throw new HttpError(401, `You must be authenticated to ${what}`);
  }
  const { role, user } = caller.token;
  if (role === 'read') {
    throw new HttpError(403, `You don't have the rights to ${what}: your token has the read role`);
  }
  if (role !== 'admin' && !isMember(user, namespace)) {
    throw new HttpError(
      403,
      `You don't have the rights to ${what}: ${user.name} is not a member of "${namespace}" ` +
        `(emulator: addUser({ name: '${user.name}', orgs: ['${namespace}'], ... }))`,
    );
  }
  return caller.token;
}
