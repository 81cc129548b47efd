/** The error path: a 5xx is rendered by the one handler, logged once, counted and reported. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';

describe('unexpected errors', () => {
  it('answer 500 with detail, code and request_id, no stack; logged once, counted and reported', async () => {
    const dataDir = await makeTempDir();
    await seedContents(dataDir, [makeContentsRecord()]);
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const reported: Array<{ error: unknown; context: Record<string, unknown> }> = [];
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const { app, services } = await buildApp(config, {
      logger: pino({ level: 'info' }, sink),
      errorReporter: { capture: (error, context) => reported.push({ error, context }) },
    });
    app.get('/api/test-failure', async () => {
      throw new Error('database exploded at /secret/internal/path.ts');
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${url}/api/test-failure`);
      expect(response.status).toBe(500);
      const body = (await response.json()) as Record<string, string>;
      expect(body.code).toBe('INTERNAL_ERROR');
      expect(body.request_id).toBe(response.headers.get('x-request-id'));
      expect(JSON.stringify(body)).not.toMatch(/secret|exploded|\.ts|at /);
      expect(reported).toHaveLength(1);
      expect(reported[0]!.context.request_id).toBe(body.request_id);
      const errorLines = lines.filter((line) => line.msg === 'unhandled error');
      expect(errorLines).toHaveLength(1);
      expect(JSON.stringify(errorLines[0])).toContain('database exploded');
      expect((errorLines[0]!.err as { stack?: string }).stack).toBeTruthy();
      const requestLines = lines.filter((line) => line.msg === 'request' && line.url === '/api/test-failure');
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toMatchObject({ method: 'GET', status: 500, request_id: body.request_id });
      expect(await services.metrics.registry.getSingleMetricAsString('errors_total')).toContain('code="INTERNAL_ERROR"} 1');
    } finally {
      await app.close();
    }
  });

  it('never logs the Authorization header', async () => {
    const dataDir = await makeTempDir();
    await seedContents(dataDir, [makeContentsRecord()]);
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'trace' });
    const { app } = await buildApp(config, { logger: pino({ level: 'trace' }, sink) });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await fetch(`${url}/api/auth/me`, { headers: { authorization: 'Bearer hf_this_is_a_secret_token' } });
      await fetch(`${url}/api/votes/a/b`, { method: 'POST', headers: { authorization: 'Bearer lbt_aaaaaaaaaaaa_secretsecret', 'content-type': 'application/json' }, body: '{"vote_type":"up"}' });
    } finally {
      await app.close();
    }
    expect(output).not.toContain('hf_this_is_a_secret_token');
    expect(output).not.toContain('secretsecret');
  });
});
