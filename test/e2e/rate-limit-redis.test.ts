/**
 * REDIS_URL: the per-IP rate limit holds across two instances sharing one Redis. Runs when a
 * `redis-server` binary is installed (CI installs Debian's); it is started on a free loopback
 * port for the test and stopped after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContentsRecord } from '../helpers/contents.js';
import { startTestApp } from '../helpers/app.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
let redis: ChildProcess | undefined;
let port = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  if (!hasRedis) return;
  port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not start');
});
afterAll(() => {
  redis?.kill('SIGTERM');
});

describe.skipIf(!hasRedis)('rate limits shared through Redis', () => {
  it('counts one client across two instances', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW: '60' };
    const records = [makeContentsRecord()];
    const a = await startTestApp({ records, env });
    const b = await startTestApp({ records, env });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${a.url}/api/leaderboard`)).status);
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${b.url}/api/leaderboard`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps serving when Redis is unreachable', async () => {
    const app = await startTestApp({ records: [makeContentsRecord()], env: { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_MAX: '2' } });
    try {
      expect((await fetch(`${app.url}/api/leaderboard`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
