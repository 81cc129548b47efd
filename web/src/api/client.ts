/**
 * fetch for the API: JSON in and out, the Bearer token when asked for, and errors as ApiError
 * carrying the server's `detail` as is (the UI shows it verbatim).
 */
import { getToken } from '../auth/token-store.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code?: string,
    readonly requestId?: string,
    readonly body?: unknown,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** The route itself does not exist on this server (an older server, a feature not deployed). */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.code === 'ROUTE_NOT_FOUND';
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Send the stored token as Bearer. */
  auth?: boolean;
  signal?: AbortSignal;
}

function detailOf(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'detail' in body) {
    const detail = (body as { detail: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (detail !== undefined) return JSON.stringify(detail);
  }
  return `HTTP ${status}`;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const token = options.auth ? getToken() : null;
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    const code = body && typeof body === 'object' && 'code' in body ? String((body as { code: unknown }).code) : undefined;
    const requestId = response.headers.get('x-request-id') ?? undefined;
    throw new ApiError(response.status, detailOf(body, response.status), code, requestId, body);
  }
  return body as T;
}
