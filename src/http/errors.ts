/**
 * The error catalogue: every error the API can answer, with its stable `code` and HTTP status.
 * Features throw `AppError`; the single error handler (error-handler.ts) renders it as
 * `{ detail, code, request_id }`. `detail` keeps compatibility with clients of the original
 * FastAPI service, which read `detail`.
 */
import { Type, type TSchema } from 'typebox';

export const ERROR_CATALOGUE = {
  BAD_REQUEST: { status: 400, summary: 'The request is malformed or a value is invalid' },
  VALIDATION_ERROR: { status: 400, summary: 'A parameter or body field failed validation' },
  INVALID_REGEX: { status: 400, summary: 'The search regular expression is invalid or too expensive' },
  UNAUTHORIZED: { status: 401, summary: 'A valid Bearer token is required' },
  FORBIDDEN: { status: 403, summary: 'The verified identity may not do this' },
  NOT_FOUND: { status: 404, summary: 'No such resource' },
  MODEL_NOT_FOUND: { status: 404, summary: 'The model is not known' },
  ROUTE_NOT_FOUND: { status: 404, summary: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, summary: 'Method not allowed' },
  CONFLICT: { status: 409, summary: 'The request conflicts with the current state' },
  DUPLICATE_SUBMISSION: { status: 409, summary: 'The model is already in the queue or evaluated' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'The request body has an unsupported content type' },
  SUBMISSION_REJECTED: { status: 422, summary: 'The model does not meet the submission rules' },
  RATE_LIMITED: { status: 429, summary: 'Too many requests; retry after the time in Retry-After' },
  QUOTA_EXCEEDED: { status: 429, summary: 'The submission quota of the namespace is used up' },
  INTERNAL_ERROR: { status: 500, summary: 'An unexpected error; it has been logged' },
  HUB_UNAVAILABLE: { status: 503, summary: 'The Hugging Face Hub cannot be reached' },
  NOT_READY: { status: 503, summary: 'The datasets are not loaded yet' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

/** The body of every error response. */
export function errorBodySchema(description = 'Error'): TSchema {
  return Type.Object(
    {
      detail: Type.String({ description: 'A human-readable sentence (FastAPI-compatible field)' }),
      code: Type.String({ description: 'A stable machine-readable code from the error catalogue' }),
      request_id: Type.String({ description: 'The request id, also sent as the x-request-id header' }),
    },
    { additionalProperties: true, description },
  );
}

/**
 * Response schemas for a route's error statuses, for the OpenAPI document:
 * `response: { 200: Ok, ...errorResponses(400, 404) }`.
 */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of new Set([...statuses, 429, 500])) {
    const codes = Object.entries(ERROR_CATALOGUE)
      .filter(([, e]) => e.status === status)
      .map(([code, e]) => `${code}: ${e.summary}`);
    out[status] = errorBodySchema(codes.join('; ') || 'Error');
  }
  return out;
}
