/**
 * Optional Sentry reporting of 5xx errors. `@sentry/node` is an optional peer dependency:
 * it is loaded only when SENTRY_DSN is set, and its absence is a warning, not a failure.
 */
import type { Logger } from 'pino';
import type { ErrorReporter } from './error-handler.js';

interface SentryModule {
  init(options: { dsn: string; environment?: string }): void;
  captureException(error: unknown, context?: { extra?: Record<string, unknown> }): void;
}

export async function createSentryReporter(dsn: string | undefined, environment: string, logger: Logger): Promise<ErrorReporter | undefined> {
  if (!dsn) return undefined;
  let sentry: SentryModule;
  try {
    const moduleName = '@sentry/node';
    sentry = (await import(moduleName)) as SentryModule;
  } catch {
    logger.warn('SENTRY_DSN is set but @sentry/node is not installed (npm install @sentry/node); errors are only logged');
    return undefined;
  }
  sentry.init({ dsn, environment });
  logger.info('reporting errors to Sentry');
  return { capture: (error, context) => sentry.captureException(error, { extra: context }) };
}
