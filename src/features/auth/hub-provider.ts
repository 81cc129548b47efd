/**
 * The `hub` provider: a Hugging Face token (access token or OAuth `hf_oauth_…`) is verified
 * with `GET {HUB_URL}/api/whoami-v2`. The identity is the whoami `name` plus the names of its
 * `orgs`. Answers are cached under the SHA-256 of the token (never the token itself): a valid
 * token for AUTH_CACHE_TTL, a rejected one for a few seconds, so a burst of writes costs one
 * Hub call and a typo is not retried against the Hub in a loop. Concurrent checks of the same
 * token share one request.
 *
 * Hub down (network error, timeout, 5xx, 429) → 503 HUB_UNAVAILABLE, never 401.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../http/errors.js';
import type { AuthDecision, AuthProvider } from './auth-chain.js';
import { ADMIN_ROLE, makeIdentity, type Identity } from './identity.js';

export interface HubProviderOptions {
  hubUrl: string;
  logger: Logger;
  /** Timeout of one whoami request, in ms. */
  timeoutMs: number;
  /** How long a verified token is trusted, in ms. */
  validTtlMs: number;
  /** How long a rejected token is remembered, in ms. Default 10 s. */
  invalidTtlMs?: number;
  /** Hub user names that get the admin role. */
  adminUsers?: readonly string[];
  /** Tokens starting with one of these are not Hub tokens and are never sent to the Hub. */
  foreignPrefixes?: readonly string[];
  fetch?: typeof fetch;
  /** Clock in ms, for the cache. */
  now?: () => number;
  /** Most cached tokens (oldest evicted first). Default 10 000. */
  maxEntries?: number;
}

interface CacheEntry {
  expires: number;
  identity: Identity | null;
}

/** The fields of whoami-v2 this provider reads. */
interface WhoamiBody {
  type?: unknown;
  name?: unknown;
  orgs?: unknown;
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class HubAuthProvider implements AuthProvider {
  readonly name = 'hub';
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<Identity | null>>();
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: HubProviderOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  async authenticate(token: string): Promise<AuthDecision> {
    if (this.options.foreignPrefixes?.some((prefix) => token.startsWith(prefix))) return { outcome: 'pass' };
    const key = tokenDigest(token);
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return this.decide(cached.identity);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.whoami(token, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return this.decide(await pending);
  }

  /** Forgets every cached answer (e.g. after an operator changed ADMIN_USERS in a test). */
  clearCache(): void {
    this.cache.clear();
  }

  private decide(identity: Identity | null): AuthDecision {
    // A token the Hub rejects may still be another provider's: pass rather than deny.
    return identity ? { outcome: 'allow', identity } : { outcome: 'pass' };
  }

  private async whoami(token: string, key: string): Promise<Identity | null> {
    const url = `${this.options.hubUrl}/api/whoami-v2`;
    let response: Response;
    let body: WhoamiBody | undefined;
    try {
      response = await this.fetchFn(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (response.ok) body = (await response.json()) as WhoamiBody;
      else await response.body?.cancel();
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      this.options.logger.warn({ hubUrl: this.options.hubUrl, reason: timedOut ? 'timeout' : (error as Error).message }, 'hub whoami failed');
      throw hubUnavailable(timedOut ? 'did not answer in time' : 'could not be reached');
    }
    if (response.status === 401 || response.status === 403) {
      this.remember(key, null, this.options.invalidTtlMs ?? 10_000);
      return null;
    }
    if (!response.ok || body === undefined) {
      this.options.logger.warn({ hubUrl: this.options.hubUrl, status: response.status }, 'hub whoami failed');
      throw hubUnavailable(`answered HTTP ${response.status}`, response.headers.get('retry-after') ?? undefined);
    }
    const identity = this.toIdentity(body);
    if (!identity) {
      this.options.logger.warn({ hubUrl: this.options.hubUrl }, 'hub whoami answered an unexpected body');
      throw hubUnavailable('answered an unexpected body');
    }
    this.remember(key, identity, this.options.validTtlMs);
    return identity;
  }

  private toIdentity(body: WhoamiBody): Identity | null {
    if (typeof body !== 'object' || body === null || typeof body.name !== 'string' || body.name === '') return null;
    const orgs = Array.isArray(body.orgs)
      ? body.orgs.map((org) => (org as { name?: unknown })?.name).filter((name): name is string => typeof name === 'string')
      : [];
    const roles = this.options.adminUsers?.includes(body.name) ? [ADMIN_ROLE] : [];
    return makeIdentity({ name: body.name, orgs, provider: this.name, roles });
  }

  private remember(key: string, identity: Identity | null, ttlMs: number): void {
    const max = this.options.maxEntries ?? 10_000;
    if (this.cache.size >= max) {
      // Maps iterate in insertion order: drop the oldest tenth in one go.
      let drop = Math.max(1, Math.floor(max / 10));
      for (const oldest of this.cache.keys()) {
        this.cache.delete(oldest);
        if (--drop === 0) break;
      }
    }
    this.cache.delete(key);
    this.cache.set(key, { expires: this.now() + ttlMs, identity });
  }
}

function hubUnavailable(what: string, retryAfter?: string): AppError {
  const seconds = retryAfter && /^\d{1,4}$/.test(retryAfter) ? retryAfter : '5';
  return new AppError('HUB_UNAVAILABLE', `Cannot verify the token: the Hugging Face Hub ${what}. Retry in a moment.`, {
    headers: { 'retry-after': seconds },
  });
}
