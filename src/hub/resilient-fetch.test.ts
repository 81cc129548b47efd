import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER, startHubEmulator, VALID_MODEL, type HubEmulator } from '../../test/hub-emulator/index.js';
import { HubUnavailableError } from './hub-errors.js';
import { createResilientFetch, parseRetryAfter, type ResilientFetchOptions } from './resilient-fetch.js';

let emulator: HubEmulator;

beforeAll(async () => {
  emulator = await startHubEmulator({ seed: true });
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.setFault({ mode: 'none' });
  emulator.clearRequestLog();
});

function fast(options: ResilientFetchOptions = {}): typeof fetch {
  return createResilientFetch({ timeoutMs: 2_000, retries: 2, baseDelayMs: 1, maxDelayMs: 2, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

const commitUrl = (): string => `${emulator.url}/api/models/${VALID_MODEL}/commit/main`;

describe('createResilientFetch', () => {
  it('returns non-retryable answers untouched', async () => {
    const res = await fast()(`${emulator.url}/api/models/emulated/none`);
    expect(res.status).toBe(404);
    expect(emulator.requestLog).toHaveLength(1);
  });

  it('does not retry a POST answered 5xx (it may have been applied)', async () => {
    emulator.setFault({ mode: 'error500' });
    const err = await rejection(fast()(commitUrl(), { method: 'POST', body: '{}' }));
    expect(err).toBeInstanceOf(HubUnavailableError);
    expect(err).toMatchObject({ reason: 'server-error', status: 500, attempts: 1 });
    expect(emulator.requestLog).toHaveLength(1);
  });

  it('retries a POST answered 429, and any method when told it is idempotent', async () => {
    emulator.setFault({ mode: 'error429', retryAfterSeconds: 0 });
    expect(await rejection(fast()(commitUrl(), { method: 'POST', body: '{}' }))).toMatchObject({ attempts: 3 });
    emulator.setFault({ mode: 'error500' });
    emulator.clearRequestLog();
    const idempotent = fast({ retryNonIdempotent: true });
    expect(await rejection(idempotent(commitUrl(), { method: 'POST', body: '{}' }))).toMatchObject({ attempts: 3 });
    expect(emulator.requestLog).toHaveLength(3);
  });

  it('does not retry a body that cannot be replayed', async () => {
    emulator.setFault({ mode: 'error429', retryAfterSeconds: 0 });
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
    expect(await rejection(fast()(commitUrl(), init))).toMatchObject({ reason: 'rate-limited', attempts: 1 });
  });

  it('leaves a caller abort alone (no retry, original error)', async () => {
    emulator.setFault({ mode: 'timeout' });
    const controller = new AbortController();
    const pending = fast()(`${emulator.url}/api/whoami-v2`, { signal: controller.signal });
    while (emulator.requestLog.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    const err = await rejection(pending);
    expect(err).not.toBeInstanceOf(HubUnavailableError);
    expect((err as Error).name).toBe('AbortError');
    expect(emulator.requestLog).toHaveLength(1);
  });

  it('logs retries without query strings or tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    emulator.setFault({ mode: 'error500' });
    const url = `${emulator.url}/api/models/${VALID_MODEL}?sig=very-secret`;
    await rejection(fast({ logger, retries: 1 })(url, { headers: { Authorization: `Bearer ${ADMIN_USER.token}` } }));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, status: 500, attempt: 1, url: `${emulator.url}/api/models/${VALID_MODEL}` });
    expect(lines.join('')).not.toMatch(/very-secret|hf_/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
