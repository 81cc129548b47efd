/**
 * Typed failures of Hub clients (ModelHub, and later the Hub dataset storage).
 *
 * Mapping expected in the HTTP layer:
 * - HubUnavailableError → 503 (the Hub could not give an answer: network, timeout, 5xx/429 after
 *   retries, an unusable response, or the server's own token rejected).
 * - HubAccessError → 4xx (the Hub answered: the caller may not read this repo).
 * "Not found" is not an error: port methods return null.
 */

export type HubUnavailableReason =
  /** DNS, connection refused/reset, TLS… after retries. */
  | 'network'
  /** No complete answer within the per-attempt timeout, after retries. */
  | 'timeout'
  /** 429 after retries. */
  | 'rate-limited'
  /** 5xx after retries (or a 5xx to a request that is not safe to retry). */
  | 'server-error'
  /** The Hub rejected the server's configured token (401 "Invalid credentials"): an operator problem. */
  | 'invalid-credentials'
  /** A response the client could not interpret (unexpected status, malformed body or headers). */
  | 'bad-response';

/** Base class: `instanceof HubError` catches every Hub failure. */
export class HubError extends Error {
  override name = 'HubError';
}

export class HubUnavailableError extends HubError {
  override name = 'HubUnavailableError';
  readonly reason: HubUnavailableReason;
  /** Last HTTP status seen, if any. */
  readonly status: number | undefined;
  /** Requests made, including retries (0 when nothing was sent). */
  readonly attempts: number;

  constructor(
    message: string,
    details: { reason: HubUnavailableReason; status?: number; attempts?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = details.reason;
    this.status = details.status;
    this.attempts = details.attempts ?? 0;
  }
}

export type HubAccessReason =
  /** Gated repo and the token (or no token) has not been granted access. */
  | 'gated'
  /** Forbidden for another reason (private / restricted repo the token cannot read). */
  | 'private';

export class HubAccessError extends HubError {
  override name = 'HubAccessError';
  readonly reason: HubAccessReason;
  /** "org/name" of the repo concerned. */
  readonly repoId: string;
  /** 401 (no/insufficient authentication) or 403 (authenticated, not allowed). */
  readonly status: number;

  constructor(message: string, details: { reason: HubAccessReason; repoId: string; status: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = details.reason;
    this.repoId = details.repoId;
    this.status = details.status;
  }
}
