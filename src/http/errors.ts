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

/** A request id as the examples show it (a fresh UUID, as when the caller sends no x-request-id). */
const EXAMPLE_REQUEST_ID = '4f6c2b1e-9d3a-4e57-8b0f-2a7c5d9e1f63';

/** One realistic error of each status, as the error handler renders it: the OpenAPI examples. */
const ERROR_EXAMPLES: Readonly<Record<number, { code: ErrorCode; detail: string }>> = {
  400: { code: 'VALIDATION_ERROR', detail: 'Invalid querystring field "limit": must be <= 10000.' },
  401: { code: 'UNAUTHORIZED', detail: 'A Bearer token is required (Authorization: Bearer <token>).' },
  403: { code: 'FORBIDDEN', detail: 'This endpoint needs the "worker" role, which alice does not have.' },
  404: { code: 'MODEL_NOT_FOUND', detail: 'Model acme/unknown is neither in the evaluation queue nor on the leaderboard.' },
  405: { code: 'METHOD_NOT_ALLOWED', detail: 'Method PUT is not allowed on /api/leaderboard.' },
  409: {
    code: 'DUPLICATE_SUBMISSION',
    detail: 'Model meta-llama/Llama-3.1-8B-Instruct revision 0e9e39f249a16976918f6564b8830bc894c89659 in bfloat16 is already in the system with status: pending.',
  },
  413: { code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than this endpoint accepts.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported Media Type' },
  422: { code: 'SUBMISSION_REJECTED', detail: 'Model acme/private-7b is private: only public models can be evaluated.' },
  429: { code: 'RATE_LIMITED', detail: 'Rate limit exceeded: 100 requests per 1 minute. Retry in 42 s.' },
  500: { code: 'INTERNAL_ERROR', detail: 'Internal server error. It has been logged; quote the request_id when reporting it.' },
  503: { code: 'NOT_READY', detail: 'The leaderboard is still loading; retry in a moment.' },
};

/** The example error body of a status (a generic one for a status without its own). */
export function errorExample(status: number): { detail: string; code: ErrorCode; request_id: string } {
  const example = ERROR_EXAMPLES[status] ?? { code: 'BAD_REQUEST', detail: 'The request is malformed.' };
  return { detail: example.detail, code: example.code, request_id: EXAMPLE_REQUEST_ID };
}

/** The body of every error response; `example` defaults to a 404 for an unknown model. */
export function errorBodySchema(description = 'Error', example: Record<string, unknown> = errorExample(404)): TSchema {
  return Type.Object(
    {
      detail: Type.String({ description: 'A human-readable sentence (FastAPI-compatible field)' }),
      code: Type.String({ description: 'A stable machine-readable code from the error catalogue' }),
      request_id: Type.String({ description: 'The request id, also sent as the x-request-id header' }),
    },
    { additionalProperties: true, description, examples: [example] },
  );
}

/**
 * Response schemas for a route's error statuses, for the OpenAPI document:
 * `response: { 200: Ok, ...errorResponses(400, 404) }`. Each has an example body with a code of
 * its status.
 */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of new Set([...statuses, 429, 500])) {
    const codes = Object.entries(ERROR_CATALOGUE)
      .filter(([, e]) => e.status === status)
      .map(([code, e]) => `${code}: ${e.summary}`);
    out[status] = errorBodySchema(codes.join('; ') || 'Error', errorExample(status));
  }
  return out;
}
