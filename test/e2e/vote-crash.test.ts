/**
 * Crash safety: a real server process (`src/main.ts serve`) receives concurrent votes and is
 * killed with SIGKILL mid-stream; after a restart on the same DATA_DIR every vote that got a
 * 2xx is there. A torn line (what a power cut during a write leaves) is added before the
 * restart: it must be skipped, not stop startup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { call } from './fixtures/votes-setup.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const USERS = 24;
const MODELS = 10;
const KILL_AFTER_ACKS = 80;
const WORKERS = 16;

const children: ChildProcess[] = [];
let dataDir: string | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Starts the real server on a free port; resolves with its URL once /ready is 200. */
async function startServerProcess(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ENVIRONMENT: 'development',
      AUTH_PROVIDERS: 'local',
      VOTE_RATE_LIMIT: '10000',
      RATE_LIMIT_MAX: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"msg":"listening"/.test(output) && /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)));
  });
  for (;;) {
    const ready = await fetch(`${url}/ready`).then((r) => r.status, () => 0);
    if (ready === 200) return { child, url };
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('kill -9 while votes are being written', () => {
  it('loses no acknowledged vote', async () => {
    dataDir = await makeTempDir('vote-crash-');
    const models = Array.from({ length: MODELS }, (_, i) => `crash-org/model-${i}`);
    await seedContents(dataDir, models.map((fullname) => makeContentsRecord({ fullname })));
    const store = LocalTokenStore.forDataDir(dataDir);
    const tokens = new Map<string, string>();
    for (let i = 0; i < USERS; i++) tokens.set(`user${i}`, (await store.create(`user${i}`)).token);

    // Every (user, model) pair once, interleaved so consecutive votes hit different models.
    const jobs: Array<{ user: string; model: string; vote_type: 'up' | 'down' }> = [];
    for (let m = 0; m < MODELS; m++) {
      for (let u = 0; u < USERS; u++) jobs.push({ user: `user${u}`, model: models[(m + u) % MODELS]!, vote_type: (u + m) % 3 === 0 ? 'down' : 'up' });
    }

    const first = await startServerProcess(dataDir);
    const acked: typeof jobs = [];
    let killed = false;
    let next = 0;
    const worker = async () => {
      while (!killed && next < jobs.length) {
        const job = jobs[next++]!;
        try {
          const response = await call(first.url, 'POST', `/api/votes/${job.model}`, { token: tokens.get(job.user)!, body: { vote_type: job.vote_type } });
          if (response.status >= 200 && response.status < 300) acked.push(job);
          else throw new Error(`unexpected ${response.status}: ${JSON.stringify(response.body)}`);
        } catch (error) {
          if (!killed) throw error;
          return; // the connection died with the server: this vote is neither acknowledged nor required
        }
        if (acked.length >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await exited(first.child);
    expect(killed).toBe(true);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acked.length).toBeLessThan(jobs.length);

    // What a power cut in the middle of a write could leave behind.
    await appendFile(path.join(dataDir, 'votes', 'votes_data.jsonl'), '{"model": "crash-org/model-1", "revision": "ma');

    const second = await startServerProcess(dataDir);
    try {
      const byUser = new Map<string, Array<{ model: string; vote_type: string }>>();
      for (const user of tokens.keys()) byUser.set(user, (await call(second.url, 'GET', `/api/votes/user/${user}`)).body);
      const missing = acked.filter((job) => !byUser.get(job.user)!.some((v) => v.model === job.model && v.vote_type === job.vote_type));
      expect(missing).toEqual([]);

      const ready = (await call(second.url, 'GET', '/ready')).body;
      expect(JSON.stringify(ready)).toContain('torn last line');

      // The log keeps working after the torn line.
      const after = await call(second.url, 'POST', `/api/votes/${models[0]}`, { token: tokens.get('user0')!, body: { vote_type: 'up', revision: 'after-crash' } });
      expect(after.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
