/**
 * The one error handler: every error leaves as `{ detail, code, request_id }` with the status
 * from the error catalogue. Fastify's own errors (validation, body too large, bad JSON) are
 * mapped to catalogue codes; anything else is a 500 that is logged once with its stack,
 * counted, and reported — and never shows its stack or an internal path to the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from './errors.js';
import type { Metrics } from './metrics.js';

export interface ErrorReporter {
  capture(error: unknown, context: Record<string, unknown>): void;
}

/** Fastify error codes that are the client's fault, with the catalogue code they map to. */
const FASTIFY_CLIENT_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_ERROR',
};

function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = error.validationContext ?? 'request';
  const field = first.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : (first.params as { missingProperty?: string })?.missingProperty;
  const allowed = (first.params as { allowedValues?: unknown[] })?.allowedValues;
  const suffix = allowed ? ` (allowed: ${allowed.join(', ')})` : '';
  return `Invalid ${where}${field ? ` field "${field}"` : ''}: ${first.message ?? 'is invalid'}${suffix}.`;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return reply
    .code(ERROR_CATALOGUE[code].status)
    .type('application/json; charset=utf-8')
    .send({ ...extra, detail, code, request_id: request.id });
}

export function installErrorHandler(app: FastifyInstance, deps: { metrics: Metrics; reporter?: ErrorReporter }): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      deps.metrics.errors.inc({ code: error.code });
      for (const [name, value] of Object.entries(error.options.headers ?? {})) reply.header(name, value);
      if (error.status >= 500) request.log.warn({ code: error.code, detail: error.detail }, 'service unavailable');
      return sendError(request, reply, error.code, error.detail, error.options.extra);
    }
    const fastifyError = error as FastifyError;
    const mapped = fastifyError.validation ? 'VALIDATION_ERROR' : fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined;
    if (mapped) {
      deps.metrics.errors.inc({ code: mapped });
      const detail =
        mapped === 'VALIDATION_ERROR'
          ? describeValidation(fastifyError)
          : mapped === 'PAYLOAD_TOO_LARGE'
            ? 'The request body is larger than this endpoint accepts.'
            : fastifyError.message;
      return sendError(request, reply, mapped, detail);
    }
    const status = fastifyError.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Another plugin's client error (e.g. a malformed header): keep its status, use our shape.
      deps.metrics.errors.inc({ code: 'BAD_REQUEST' });
      return reply.code(status).send({ detail: fastifyError.message, code: 'BAD_REQUEST', request_id: request.id });
    }
    deps.metrics.errors.inc({ code: 'INTERNAL_ERROR' });
    request.log.error({ err: error, route: request.routeOptions.url }, 'unhandled error');
    deps.reporter?.capture(error, { request_id: request.id, route: request.routeOptions.url, method: request.method });
    return sendError(request, reply, 'INTERNAL_ERROR', 'Internal server error. It has been logged; quote the request_id when reporting it.');
  });

  app.setNotFoundHandler((request, reply) => {
    deps.metrics.errors.inc({ code: 'ROUTE_NOT_FOUND' });
    return sendError(request, reply, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
  });
}
