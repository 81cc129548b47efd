/**
 * Who is making a request: the identity a verified Bearer token stands for. It is the only
 * source of "who" for writes (votes, submissions, operator endpoints); a `user_id` sent by the
 * client is at most checked against it, never trusted.
 */

/** Roles carried by identities. `admin` opens the operator endpoints; `worker` is for evaluators. */
export type Role = 'admin' | 'worker' | (string & {});

export const ADMIN_ROLE = 'admin';

export interface Identity {
  /** The user name: the Hub's `name` from whoami, or the local token's user name. */
  name: string;
  /** Organisations the user belongs to (Hub orgs, or those given to a local token). */
  orgs: string[];
  /** The provider that verified the token (`hub`, `local`). */
  provider: string;
  /** Shorthand for `roles.includes('admin')`. */
  admin: boolean;
  roles: Role[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth guards (`requireIdentity`, `requireAdmin`, `optionalIdentity`); null otherwise. */
    identity: Identity | null;
  }
}

export function makeIdentity(fields: { name: string; orgs?: readonly string[]; provider: string; roles?: readonly string[] }): Identity {
  const roles = [...new Set(fields.roles ?? [])].sort();
  return {
    name: fields.name,
    orgs: [...new Set(fields.orgs ?? [])],
    provider: fields.provider,
    admin: roles.includes(ADMIN_ROLE),
    roles,
  };
}
