/**
 * The authentication chain: providers asked in the order of AUTH_PROVIDERS. Each one allows
 * (the token is its own and valid), denies (the token is its own but unusable, e.g. revoked)
 * or passes (not its token) to the next. When every provider passes the token is unknown.
 * A provider that cannot decide because a dependency is down throws an AppError (503), which
 * is never turned into a 401: "the Hub is down" must not read as "your token is wrong".
 */
import { AppError } from '../../http/errors.js';
import type { Identity } from './identity.js';

export type AuthDecision =
  | { outcome: 'allow'; identity: Identity }
  | { outcome: 'deny'; reason: string }
  | { outcome: 'pass' };

export interface AuthProvider {
  /** `hub`, `local`, … (also the `provider` of the identities it allows). */
  readonly name: string;
  /** Decides on a raw token. Must never log or keep the token itself. */
  authenticate(token: string): Promise<AuthDecision>;
}

/** The `WWW-Authenticate` challenge of RFC 6750. */
export function bearerChallenge(error?: 'invalid_token'): string {
  return error ? `Bearer realm="leaderboard", error="${error}"` : 'Bearer realm="leaderboard"';
}

export function unauthorized(detail: string, error?: 'invalid_token'): AppError {
  return new AppError('UNAUTHORIZED', detail, { headers: { 'www-authenticate': bearerChallenge(error) } });
}

/** Extracts the token of `Authorization: Bearer <token>`; undefined when absent or of another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

export class AuthChain {
  constructor(readonly providers: readonly AuthProvider[]) {
    if (providers.length === 0) throw new Error('the auth chain needs at least one provider');
  }

  /** The identity of `token`; throws 401 (unknown or denied token) or 503 (a provider is down). */
  async verify(token: string): Promise<Identity> {
    for (const provider of this.providers) {
      const decision = await provider.authenticate(token);
      if (decision.outcome === 'allow') return decision.identity;
      if (decision.outcome === 'deny') throw unauthorized(decision.reason, 'invalid_token');
    }
    throw unauthorized('The Bearer token is not valid: it is unknown, expired or was revoked.', 'invalid_token');
  }
}
