/** `GET /api/auth/me`: who the Bearer token says the caller is. */
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../http/errors.js';
import { identityOf, type AuthGuards } from './guards.js';
import { identitySchema } from './schemas.js';

export interface AuthRoutesOptions {
  auth: AuthGuards;
}

export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  app.get(
    '/api/auth/me',
    {
      onRequest: options.auth.requireIdentity,
      schema: {
        operationId: 'getCurrentIdentity',
        summary: 'The identity of the Bearer token',
        description: 'Verifies the token with the configured providers (AUTH_PROVIDERS) and answers who it stands for.',
        tags: ['auth'],
        security: [{ bearer: [] }],
        response: { 200: identitySchema, ...errorResponses(401, 503) },
      },
    },
    async (request, reply) => {
      const { name, orgs, provider, admin, roles } = identityOf(request);
      reply.header('cache-control', 'no-store');
      return { name, orgs, provider, admin, roles };
    },
  );
}
