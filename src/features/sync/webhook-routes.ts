/**
 * `POST /api/webhooks/hub`: the Hub calls it when a dataset changes (a Hub webhook with the
 * shared secret in `X-Webhook-Secret`). It triggers at once the same check the periodic
 * CACHE_TTL timer runs: every dataset's head is compared and a changed one is re-synced
 * incrementally, its derived payloads rebuilt once.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../http/errors.js';

export interface WebhookRoutesOptions {
  secret: string | undefined;
  /** Checks every dataset now; resolves when the changed ones are reloaded. */
  refreshAll(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  app.post(
    '/api/webhooks/hub',
    {
      schema: {
        operationId: 'hubWebhook',
        summary: 'Hub webhook: re-sync changed datasets now',
        description:
          'Configure a Hub webhook on the datasets with the secret of WEBHOOK_SECRET. The payload is accepted as the Hub sends it; any event triggers a check of every dataset head.',
        tags: ['operations'],
        headers: Type.Object({
          'x-webhook-secret': Type.Optional(
            Type.String({ maxLength: 512, description: 'The shared secret (WEBHOOK_SECRET)', examples: ['whsec-3f9a1c7e5b2d4086'] }),
          ),
        }),
        body: Type.Optional(
          Type.Object(
            {
              event: Type.Optional(Type.Object({ action: Type.Optional(Type.String()), scope: Type.Optional(Type.String()) })),
              repo: Type.Optional(Type.Object({ type: Type.Optional(Type.String()), name: Type.Optional(Type.String()) })),
            },
            {
              additionalProperties: true,
              examples: [
                {
                  event: { action: 'update', scope: 'repo.content' },
                  repo: { type: 'dataset', name: 'open-llm-leaderboard/requests' },
                },
              ],
            },
          ),
        ),
        response: {
          202: Type.Object(
            { status: Type.Literal('accepted'), message: Type.String() },
            { examples: [{ status: 'accepted', message: 'Datasets are being checked for changes.' }] },
          ),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      if (!options.secret) throw new AppError('NOT_FOUND', 'The Hub webhook is disabled: set WEBHOOK_SECRET to enable it.');
      const given = request.headers['x-webhook-secret'];
      if (typeof given !== 'string' || !sameSecret(given, options.secret)) {
        throw new AppError('UNAUTHORIZED', 'Missing or wrong X-Webhook-Secret.');
      }
      const body = request.body as { repo?: { name?: string }; event?: { action?: string } } | undefined;
      request.log.info({ repo: body?.repo?.name, action: body?.event?.action }, 'hub webhook');
      // Answer at once (the Hub expects a quick 2xx); the refresh runs in the background.
      void options.refreshAll().catch((error: unknown) => request.log.warn({ err: error }, 'refresh after webhook failed'));
      return reply.code(202).send({ status: 'accepted' as const, message: 'Datasets are being checked for changes.' });
    },
  );
}
