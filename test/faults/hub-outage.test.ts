/**
 * STORAGE=hub against the Hub emulator while it fails. Real server processes (the real config
 * path: STORAGE, HUB_URL, HF_TOKEN, HF_ORGANIZATION, CACHE_DIR, HUB_CREATE_DATASETS) serve
 * every read from the local mirror while the emulator answers 500s or never answers, also after
 * a kill -9 and a restart in the middle of the outage; a write during the outage is refused
 * with 503 and writes nothing; after recovery a change made on the Hub is picked up.
 * With the vote outbox: every acknowledged vote reaches the Hub votes dataset exactly once,
 * through an outage, a kill -9 before the push and a kill -9 in the middle of the pushes.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { commit } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENTS_PARQUET_PATH, encodeContentsParquet, leaderboardColumns, TYPE_EMOJI_COLUMN } from '../../src/datasets/contents-table.js';
import { encodeOfficialProviders } from '../../src/datasets/official-providers.js';
import { encodeRequestFile, requestFilePath } from '../../src/datasets/request-file.js';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { decodeLogEntry } from '../../src/features/votes/vote-log-entry.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';
import { makeTempDir } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeRequest } from '../e2e/submissions-harness.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';
import { baseEnv, killAll, ROOT, spawnServer, type ChildServer } from './helpers/child-server.js';
import { call } from './helpers/http.js';

const outboxAvailable = existsSync(path.join(ROOT, 'src/features/votes/vote-outbox.ts'));

const ORG = 'faults-hub';
const BOT = { name: 'faults-bot', token: 'hf_faults_bot_write_token', orgs: [ORG], role: 'write' as const };
const BOARD = ['board-org/model-a', 'board-org/model-b', 'board-org/model-c'];
const QUEUED = 'queue-org/model-p';

let hub: HubEmulator;
const dirs: string[] = [];

beforeAll(async () => {
  hub = await startHubEmulator();
  hub.addUser(BOT);
  const columns = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN];
  hub.addDataset(`${ORG}/contents`, { [CONTENTS_PARQUET_PATH]: encodeContentsParquet(BOARD.map((fullname) => makeContentsRecord({ fullname })), columns) });
  const pending = makeRequest({ model: QUEUED });
  hub.addDataset(`${ORG}/requests`, { [requestFilePath(QUEUED, 'bfloat16', 'Original')]: encodeRequestFile(pending) });
  hub.addDataset(`${ORG}/official-providers`, { 'data/train-00000-of-00001.jsonl': encodeOfficialProviders(['board-org']) });
  // votes and results are created by the server (HUB_CREATE_DATASETS=true).
});

afterAll(async () => {
  hub?.setFault({ mode: 'none' });
  await killAll();
  await hub?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function hubEnv(extra: Record<string, string> = {}) {
  const dataDir = await makeTempDir('faults-hub-data-');
  const cacheDir = await makeTempDir('faults-hub-cache-');
  dirs.push(dataDir, cacheDir);
  return {
    dataDir,
    cacheDir,
    env: baseEnv(dataDir, {
      STORAGE: 'hub',
      HUB_URL: hub.url,
      HF_TOKEN: BOT.token,
      HF_ORGANIZATION: ORG,
      CACHE_DIR: cacheDir,
      HUB_CREATE_DATASETS: 'true',
      CACHE_TTL: '0.5',
      VOTE_PUSH_INTERVAL: '0.3',
      ...extra,
    }),
  };
}

const READS = ['/api/leaderboard', '/api/leaderboard/formatted', '/api/leaderboard/formatted?search=model-a', '/api/models/status', '/api/models/pending', `/api/models/${QUEUED}/status`, `/api/votes/model/${BOARD[0]}`, '/api/config/ui'];

/** Bodies of the read endpoints, with the per-request fields (wait times) blanked. */
async function readAll(server: ChildServer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const url of READS) {
    const answer = await call(server.url, 'GET', url, { timeoutMs: 5000 });
    expect(answer.status, `${url}: ${answer.text}`).toBe(200);
    out.set(url, answer.text.replace(/"wait_time(_human)?":"[^"]*"/g, '"wait_time":"…"'));
  }
  return out;
}

/** Keeps reading for `ms` while the Hub fails; every read must equal the baseline. */
async function readThrough(server: ChildServer, baseline: Map<string, string>, ms: number): Promise<number> {
  let rounds = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const now = await readAll(server);
    for (const [url, body] of baseline) expect(now.get(url), url).toBe(body);
    rounds++;
  }
  return rounds;
}

/** Waits (bounded) until the server has sent at least `count` requests to the emulator since the log was cleared. */
async function hubRequestsSeen(count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (hub.requestLog.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(hub.requestLog.length, 'the server did not call the Hub during the outage').toBeGreaterThanOrEqual(count);
}

describe('Hub outage with STORAGE=hub', () => {
  it('serves reads from the mirror during 500s, timeouts and a restart mid-outage; refuses writes cleanly; catches up after', async () => {
    const { dataDir, env } = await hubEnv();
    const token = (await LocalTokenStore.forDataDir(dataDir).create('outage-user')).token;
    let server = await spawnServer(env, { timeoutMs: 60_000 });
    try {
      const baseline = await readAll(server);
      expect(JSON.parse(baseline.get('/api/leaderboard')!).models).toHaveLength(3);

      hub.clearRequestLog();
      hub.setFault({ mode: 'error500' });
      expect(await readThrough(server, baseline, 1500)).toBeGreaterThan(0);
      await hubRequestsSeen(2);
      await readThrough(server, baseline, 500);

      // A write needs the Hub: 503 with Retry-After, and nothing written.
      const refused = await call(server.url, 'POST', '/api/models/submit', { token, body: { model_id: 'outage-org/new-model', model_type: 'pretrained' }, timeoutMs: 60_000 });
      expect(refused.status, refused.text).toBe(503);
      expect(refused.body).toMatchObject({ code: 'HUB_UNAVAILABLE', detail: expect.any(String), request_id: expect.any(String) });
      expect([...hub.datasetFiles(`${ORG}/requests`).keys()].some((f) => f.startsWith('outage-org/'))).toBe(false);

      hub.clearRequestLog();
      hub.setFault({ mode: 'timeout' });
      expect(await readThrough(server, baseline, 1500)).toBeGreaterThan(0);
      await hubRequestsSeen(1);
      await readThrough(server, baseline, 500);
      expect((await call(server.url, 'GET', '/health')).status).toBe(200);

      // kill -9 and restart while the Hub answers 500: the warm mirror is served.
      await server.kill();
      hub.setFault({ mode: 'error500' });
      server = await spawnServer(env, { timeoutMs: 60_000 });
      await readThrough(server, baseline, 1000);
      expect(server.logs.some((l) => l.msg === 'Hub unreachable at startup; serving the local mirror')).toBe(true);
      // Nothing failed but the designed fallbacks ("… refresh failed; serving the previous …").
      expect(server.logs.filter((l) => l.level >= 50 && !/refresh failed/.test(String(l.msg)))).toEqual([]);

      // Recovery: a change made on the Hub meanwhile shows up.
      hub.setFault({ mode: 'none' });
      const added = makeRequest({ model: 'queue-org/model-late' });
      await commit({
        repo: { type: 'dataset', name: `${ORG}/requests` },
        hubUrl: hub.url,
        accessToken: BOT.token,
        title: 'another writer',
        useXet: false,
        operations: [{ operation: 'addOrUpdate', path: requestFilePath(added.model, 'bfloat16', 'Original'), content: new Blob([encodeRequestFile(added)]) }],
      });
      const deadline = Date.now() + 20_000;
      let pending: string[] = [];
      while (Date.now() < deadline) {
        pending = (await call<Array<{ name: string }>>(server.url, 'GET', '/api/models/pending')).body.map((item) => item.name);
        if (pending.includes(added.model)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(pending).toContain(added.model);
      const submitted = await call(server.url, 'POST', '/api/models/submit', { token, body: { model_id: 'outage-org/new-model', model_type: 'pretrained' } });
      expect(submitted.status, submitted.text).toBe(200);
    } finally {
      hub.setFault({ mode: 'none' });
      await server.stop();
    }
  });
});

/** Every vote line of the Hub votes dataset (all *.jsonl files). */
function hubVoteLines(): Array<{ username: string; model: string; vote_type: string }> {
  const out: Array<{ username: string; model: string; vote_type: string }> = [];
  let files: Map<string, Uint8Array>;
  try {
    files = hub.datasetFiles(`${ORG}/votes`);
  } catch {
    return out; // not created yet
  }
  for (const [file, bytes] of files) {
    if (!file.endsWith('.jsonl')) continue;
    for (const line of new TextDecoder().decode(bytes).split('\n')) {
      if (line.trim() === '') continue;
      const entry = decodeLogEntry(line);
      out.push({ username: entry.username, model: entry.model, vote_type: entry.vote_type });
    }
  }
  return out;
}

describe('votes during a Hub outage', () => {
  it.skipIf(!outboxAvailable)('every acknowledged vote reaches the Hub votes dataset exactly once, across kill -9s', async () => {
    const { dataDir, env } = await hubEnv({ VOTE_BATCH_SIZE: '4' });
    const store = LocalTokenStore.forDataDir(dataDir);
    const voters: Array<{ name: string; token: string }> = [];
    for (let i = 0; i < 24; i++) voters.push({ name: `outbox-${i}`, token: (await store.create(`outbox-${i}`)).token });
    const acked = new Set<string>();
    const castAll = async (server: ChildServer, from: number, to: number) => {
      await Promise.all(
        voters.slice(from, to).map(async (voter, i) => {
          const model = BOARD[i % BOARD.length]!;
          const answer = await call(server.url, 'POST', `/api/votes/${model}`, { token: voter.token, body: { vote_type: 'up' } });
          expect(answer.status, answer.text).toBe(200);
          acked.add(`${voter.name}\0${model}`);
        }),
      );
    };
    const ours = () => hubVoteLines().filter((line) => line.username.startsWith('outbox-'));

    let server = await spawnServer(env, { timeoutMs: 60_000 });
    try {
      hub.setFault({ mode: 'error500' });
      await castAll(server, 0, 8);
      // kill -9 during the outage: the acknowledged votes are in the outbox on disk.
      await server.kill();
      server = await spawnServer(env, { timeoutMs: 60_000 });
      await castAll(server, 8, 16);
      expect(ours()).toEqual([]);
      // Everything acknowledged is counted while the Hub is down.
      const counts = await Promise.all(BOARD.map(async (model) => (await call(server.url, 'GET', `/api/votes/model/${model}`)).body.up_votes as number));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(16);

      // Recovery; kill -9 as soon as the first batch is on the Hub (later batches not yet).
      hub.setFault({ mode: 'none' });
      const deadline = Date.now() + 20_000;
      while (ours().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await server.kill();
      expect(ours().length).toBeGreaterThan(0);

      server = await spawnServer(env, { timeoutMs: 60_000 });
      await castAll(server, 16, 24);
      const converge = Date.now() + 20_000;
      while (ours().length < acked.size && Date.now() < converge) await new Promise((r) => setTimeout(r, 100));
      // A few more push intervals: nothing is pushed twice.
      await new Promise((r) => setTimeout(r, 1500));
      const lines = ours();
      const keys = lines.map((line) => `${line.username}\0${line.model}`);
      const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
      expect(duplicates, 'votes pushed more than once').toEqual([]);
      expect(new Set(keys)).toEqual(acked);
      expect(lines.every((line) => line.vote_type === 'up')).toBe(true);
    } finally {
      hub.setFault({ mode: 'none' });
      await server.stop();
    }
  });
});
