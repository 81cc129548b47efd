/**
 * A `fetch` for Hub clients: a timeout on every attempt, and retries with exponential backoff
 * (honouring `Retry-After`, capped) for network errors, timeouts, 429 and 5xx.
 *
 * Contract: it resolves with a Response whose status is neither 429 nor 5xx, or it throws
 * HubUnavailableError (after the retries). Other statuses (2xx, 3xx, 4xx) are returned untouched,
 * so it can be handed to @huggingface/hub as its `fetch` option.
 *
 * Safety of retries: GET/HEAD/OPTIONS/PUT/DELETE are retried on every retryable failure. Other
 * methods (POST commits!) are retried only when the request provably was not processed: 429, or
 * a connection that could not be opened. Set `retryNonIdempotent` to retry them like GET.
 * A body that cannot be replayed (a stream) disables retries for that request.
 *
 * The timeout covers the whole exchange of one attempt, body included, since the signal stays
 * attached to the response body. A caller's own `signal` is respected and never retried.
 */
import type { Logger } from 'pino';
import { HubUnavailableError, type HubUnavailableReason } from './hub-errors.js';

/** The subset of a pino logger Hub clients use. */
export type HubLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface ResilientFetchOptions {
  /** Per-attempt timeout in ms. Default 10_000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff delay in ms; doubles each retry (with jitter). Default 250. */
  baseDelayMs?: number;
  /** Cap of the exponential backoff in ms. Default 5_000. */
  maxDelayMs?: number;
  /** Cap applied to a `Retry-After` delay in ms. Default 30_000. */
  maxRetryAfterMs?: number;
  /** Retry POST/PATCH like GET (only for endpoints known to be idempotent). Default false. */
  retryNonIdempotent?: boolean;
  logger?: HubLogger;
  /** The underlying fetch. Default: the global fetch. */
  fetch?: typeof fetch;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Errors raised before a request could reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function isReplayable(body: RequestInit['body']): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  );
}

/** `Retry-After` as delay in ms (seconds or HTTP-date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Origin + path only: query strings may carry signatures (LFS upload hrefs). */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const text = (await res.text()).slice(0, 500);
    try {
      const json = JSON.parse(text) as { error?: unknown; message?: unknown };
      const msg = json.error ?? json.message;
      return typeof msg === 'string' ? msg : text;
    } catch {
      return text;
    }
  } catch {
    return '';
  }
}

export function createResilientFetch(options: ResilientFetchOptions = {}): typeof fetch {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = Math.max(0, options.retries ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const logger = options.logger;

  function backoff(attempt: number): number {
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (Math.random() * exp) / 2);
  }

  const resilientFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const url = request ? request.url : String(input);
    const callerSignal = init?.signal ?? request?.signal ?? undefined;
    const replayable = isReplayable(init?.body) && !(request && request.body !== null && init?.body === undefined);
    const idempotent = IDEMPOTENT.has(method) || options.retryNonIdempotent === true;
    const maxAttempts = replayable ? retries + 1 : 1;

    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      const last = attempt >= maxAttempts;
      let response: Response;
      try {
        const attemptInput = request && !last ? request.clone() : input;
        response = await baseFetch(attemptInput, { ...init, signal });
      } catch (err) {
        if (callerSignal?.aborted) throw err;
        const reason: HubUnavailableReason = timeout.aborted ? 'timeout' : 'network';
        const retryable = idempotent || (reason === 'network' && NOT_SENT_CODES.has(errorCode(err) ?? ''));
        if (!last && retryable) {
          const delayMs = backoff(attempt);
          logger?.warn(
            { method, url: redact(url), reason, code: errorCode(err), attempt, delayMs },
            'hub request failed, retrying',
          );
          await sleep(delayMs, callerSignal);
          continue;
        }
        throw new HubUnavailableError(
          reason === 'timeout'
            ? `Hub did not answer ${method} ${redact(url)} within ${timeoutMs} ms (${attempt} attempts)`
            : `Hub unreachable for ${method} ${redact(url)} (${attempt} attempts): ${errorCode(err) ?? String(err)}`,
          { reason, attempts: attempt, cause: err },
        );
      }

      const status = response.status;
      if (status !== 429 && status < 500) return response;

      const reason: HubUnavailableReason = status === 429 ? 'rate-limited' : 'server-error';
      const retryable = status === 429 || idempotent;
      if (!last && retryable) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delayMs = retryAfter !== undefined ? Math.min(retryAfter, maxRetryAfterMs) : backoff(attempt);
        await response.body?.cancel().catch(() => undefined);
        logger?.warn({ method, url: redact(url), status, attempt, delayMs }, 'hub request failed, retrying');
        await sleep(delayMs, callerSignal);
        continue;
      }
      const detail = await errorMessage(response);
      throw new HubUnavailableError(
        `Hub answered ${status} to ${method} ${redact(url)} (${attempt} attempts)${detail ? `: ${detail}` : ''}`,
        { reason, status, attempts: attempt },
      );
    }
  };
  return resilientFetch as typeof fetch;
}
