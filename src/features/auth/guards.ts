/**
 * The auth guards routes put in front of their handlers:
 *
 *   app.post('/api/…', { onRequest: auth.requireIdentity, schema }, handler)   // any verified user
 *   app.post('/api/admin/…', { onRequest: auth.requireAdmin, schema }, handler)
 *
 * Each guard reads `Authorization: Bearer <token>`, runs the provider chain and sets
 * `request.identity`. Without a token: 401 with `WWW-Authenticate: Bearer`. They only read
 * headers, so they work as `onRequest` hooks (the body of an unauthenticated request is never
 * parsed) as well as `preHandler` hooks.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/errors.js';
import { bearerToken, unauthorized, type AuthChain } from './auth-chain.js';
import { ADMIN_ROLE, type Identity } from './identity.js';

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface AuthGuards {
  chain: AuthChain;
  /** 401 unless the request carries a valid token; sets `request.identity`. */
  requireIdentity: AuthHook;
  /** As requireIdentity, then 403 unless the identity has the `admin` role. */
  requireAdmin: AuthHook;
  /** As requireIdentity, then 403 unless the identity has `role` (admins have every role). */
  requireRole(role: string): AuthHook;
  /** Sets `request.identity` when a token is sent (a bad one is still 401); anonymous otherwise. */
  optionalIdentity: AuthHook;
}

/** The verified identity of a request behind a guard; 401 if the route forgot its guard. */
export function identityOf(request: FastifyRequest): Identity {
  if (!request.identity) throw unauthorized('A Bearer token is required (Authorization: Bearer <token>).');
  return request.identity;
}

/**
 * Compatibility with clients that send `user_id` (the original frontend): absent → the verified
 * identity; equal → fine; different → 403. The identity never comes from this value.
 */
export function assertActingAs(identity: Identity, claimed: string | undefined | null): void {
  if (claimed === undefined || claimed === null || claimed === '' || claimed === identity.name) return;
  throw new AppError(
    'FORBIDDEN',
    `user_id "${claimed}" does not match the authenticated user "${identity.name}": you can only act as yourself. Omit user_id; the identity comes from the Bearer token.`,
  );
}

/** Declares `request.identity` on the app and returns the guards. Call once, on the root instance. */
export function installAuth(app: FastifyInstance, chain: AuthChain): AuthGuards {
  app.decorateRequest('identity', null);

  const authenticate = async (request: FastifyRequest, required: boolean): Promise<void> => {
    if (request.identity) return;
    const header = request.headers.authorization;
    const token = bearerToken(header);
    if (!token) {
      if (!required && !header) return;
      throw unauthorized(
        header ? 'The Authorization header must be "Bearer <token>".' : 'A Bearer token is required (Authorization: Bearer <token>).',
      );
    }
    request.identity = await chain.verify(token);
  };

  const requireRole = (role: string): AuthHook => async (request) => {
    await authenticate(request, true);
    const identity = identityOf(request);
    if (!identity.admin && !identity.roles.includes(role)) {
      throw new AppError('FORBIDDEN', `This endpoint needs the "${role}" role, which ${identity.name} does not have.`);
    }
  };

  return {
    chain,
    requireIdentity: (request) => authenticate(request, true),
    requireAdmin: requireRole(ADMIN_ROLE),
    requireRole,
    optionalIdentity: (request) => authenticate(request, false),
  };
}
