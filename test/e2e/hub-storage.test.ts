/**
 * STORAGE=hub against the Hub emulator: two instances on the same datasets, votes through the
 * outbox during a Hub outage (each reaches the Hub exactly once), a restart mid-push, and
 * submissions that never get in twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeContentsParquet, leaderboardColumns, TYPE_EMOJI_COLUMN, CONTENTS_PARQUET_PATH } from '../../src/datasets/contents-table.js';
import { decodeVoteLines } from '../../src/datasets/vote-record.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ORG = 'board';
const WRITER = { name: 'board-bot', token: 'hf_board_bot_token', orgs: [ORG], role: 'write' as const };
const MODEL = 'acme/llama-7b';

let hub: HubEmulator;
const cleanup: string[] = [];

beforeAll(async () => {
  hub = await startHubEmulator();
  hub.addUser(WRITER);
  const columns = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN];
  hub.addDataset(`${ORG}/contents`, { [CONTENTS_PARQUET_PATH]: encodeContentsParquet([makeContentsRecord({ fullname: MODEL })], columns) });
  for (const name of ['requests', 'votes', 'official-providers', 'results']) hub.addDataset(`${ORG}/${name}`);
});
afterAll(async () => {
  await hub.close();
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

async function instance(cacheDir?: string, extraEnv: Record<string, string> = {}): Promise<{ app: TestApp; token: string; cacheDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hub-instance-data-'));
  const cache = cacheDir ?? (await mkdtemp(path.join(tmpdir(), 'hub-instance-cache-')));
  cleanup.push(dataDir, cache);
  const { token } = await LocalTokenStore.forDataDir(dataDir).create(`voter-${path.basename(dataDir)}`);
  const app = await startTestApp({
    dataDir,
    env: {
      STORAGE: 'hub',
      HUB_URL: hub.url,
      HF_TOKEN: WRITER.token,
      HF_ORGANIZATION: ORG,
      CACHE_DIR: cache,
      CACHE_TTL: '0.3',
      VOTE_PUSH_INTERVAL: '0.2',
      VOTE_RATE_LIMIT: '100000',
      RATE_LIMIT_MAX: '100000',
      MODEL_VALIDATION: 'off',
      AUTH_PROVIDERS: 'local',
      ...extraEnv,
    },
  });
  return { app, token, cacheDir: cache };
}

/** Every vote line across the Hub votes dataset. */
function hubVoteLines(): Array<{ username: string; vote_type: string }> {
  const lines: Array<{ username: string; vote_type: string }> = [];
  for (const [file, bytes] of hub.datasetFiles(`${ORG}/votes`)) {
    if (!file.endsWith('.jsonl')) continue;
    lines.push(...decodeVoteLines(new TextDecoder().decode(bytes)).map((record) => ({ username: record.username, vote_type: record.vote_type })));
  }
  return lines;
}

const vote = (a: { app: TestApp; token: string }, voteType = 'up') =>
  fetch(`${a.app.url}/api/votes/${MODEL}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ vote_type: voteType, revision: 'main', precision: 'bfloat16' }),
  });

const upVotes = async (a: { app: TestApp }) =>
  ((await (await fetch(`${a.app.url}/api/votes/model/${MODEL}`)).json()) as { up_votes: number }).up_votes;

describe('STORAGE=hub', () => {
  it('serves the Hub contents and converges two instances on votes', async () => {
    const a = await instance();
    const b = await instance();
    try {
      const board = (await (await fetch(`${a.app.url}/api/leaderboard`)).json()) as { models: Array<{ fullname: string }> };
      expect(board.models.map((m) => m.fullname)).toEqual([MODEL]);
      expect((await vote(a)).status).toBe(200);
      expect(await upVotes(a)).toBe(1);
      // B sees A's vote once A has pushed it and B has checked the dataset head.
      await expect.poll(() => upVotes(b), { timeout: 10_000, interval: 100 }).toBe(1);
      expect((await vote(b)).status).toBe(200);
      await expect.poll(() => upVotes(a), { timeout: 10_000, interval: 100 }).toBe(2);
    } finally {
      await a.app.close();
      await b.app.close();
    }
  });

  it('acknowledges votes during a Hub outage and pushes each exactly once after recovery', async () => {
    const before = hubVoteLines().length;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'hub-outage-data-'));
    cleanup.push(dataDir);
    const a = await instance();
    const store = LocalTokenStore.forDataDir(a.app.dataDir);
    const voters = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(`storm-${i}`)));
    hub.setFault({ mode: 'error500', routes: /votes/ });
    let acknowledged = 0;
    try {
      const responses = await Promise.all(
        voters.map(({ token }) =>
          fetch(`${a.app.url}/api/votes/${MODEL}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ vote_type: 'up', revision: 'main', precision: 'bfloat16' }),
          }),
        ),
      );
      acknowledged = responses.filter((r) => r.status === 200).length;
      expect(acknowledged).toBe(20);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(hubVoteLines().length).toBe(before);
    } finally {
      hub.setFault({ mode: 'none' });
    }
    await expect.poll(() => hubVoteLines().length, { timeout: 15_000, interval: 100 }).toBe(before + acknowledged);
    // Nothing more is pushed later: exactly once.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(hubVoteLines().length).toBe(before + acknowledged);
    const storm = hubVoteLines().filter((line) => line.username.startsWith('storm-'));
    expect(new Set(storm.map((line) => line.username)).size).toBe(20);
    await a.app.close();
  });

  it('resumes the outbox after a restart without pushing anything twice', async () => {
    const first = await instance();
    const store = LocalTokenStore.forDataDir(first.app.dataDir);
    const voters = await Promise.all(Array.from({ length: 5 }, (_, i) => store.create(`restart-${i}`)));
    hub.setFault({ mode: 'error500', routes: /votes/ });
    for (const { token } of voters) {
      const response = await fetch(`${first.app.url}/api/votes/${MODEL}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ vote_type: 'up', revision: 'main', precision: 'bfloat16' }),
      });
      expect(response.status).toBe(200);
    }
    // Stop while the Hub is down: the final push fails, the votes stay in the outbox.
    await first.app.close();
    hub.setFault({ mode: 'none' });
    const countRestart = () => hubVoteLines().filter((line) => line.username.startsWith('restart-')).length;
    expect(countRestart()).toBe(0);
    const second = await instance(first.cacheDir);
    try {
      await expect.poll(countRestart, { timeout: 15_000, interval: 100 }).toBe(5);
      await second.app.services.voteOutbox!.push();
      expect(countRestart()).toBe(5);
      expect((await second.app.services.voteOutbox!.status()).pendingVotes).toBe(0);
    } finally {
      await second.app.close();
    }
  });

  it('never admits the same submission twice across two instances', async () => {
    const a = await instance();
    const b = await instance();
    try {
      const submit = (x: { app: TestApp; token: string }) =>
        fetch(`${x.app.url}/api/models/submit`, {
          method: 'POST',
          headers: { authorization: `Bearer ${x.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model_id: 'race/twin-model', model_type: 'chat', precision: 'bfloat16' }),
        });
      const statuses = (await Promise.all([submit(a), submit(b), submit(a), submit(b)])).map((r) => r.status);
      expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(3);
      const files = [...hub.datasetFiles(`${ORG}/requests`).keys()].filter((file) => file.startsWith('race/'));
      expect(files).toEqual(['race/twin-model_eval_request_False_bfloat16_Original.json']);
    } finally {
      await a.app.close();
      await b.app.close();
    }
  });

  it('re-syncs at once on a Hub webhook with the right secret', async () => {
    const a = await instance(undefined, { CACHE_TTL: '300', WEBHOOK_SECRET: 'hook-secret' });
    try {
      const rows = async () => ((await (await fetch(`${a.app.url}/api/leaderboard`)).json()) as { models: unknown[] }).models.length;
      expect(await rows()).toBe(1);
      // Another writer changes the table on the Hub.
      const columns = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN];
      const writer = await instance();
      await writer.app.services.datasets.contents.commit(
        [{ op: 'put', path: CONTENTS_PARQUET_PATH, content: encodeContentsParquet([makeContentsRecord({ fullname: MODEL }), makeContentsRecord({ fullname: 'acme/second' })], columns) }],
        'add a row',
      );
      await writer.app.close();
      const hook = (secret?: string) =>
        fetch(`${a.app.url}/api/webhooks/hub`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(secret ? { 'x-webhook-secret': secret } : {}) },
          body: JSON.stringify({ event: { action: 'update', scope: 'repo.content' }, repo: { type: 'dataset', name: `${ORG}/contents` } }),
        });
      expect((await hook('wrong')).status).toBe(401);
      expect((await hook()).status).toBe(401);
      expect(await rows()).toBe(1);
      expect((await hook('hook-secret')).status).toBe(202);
      await expect.poll(rows, { timeout: 5000, interval: 50 }).toBe(2);
    } finally {
      await a.app.close();
    }
  });

  it('answers 404 on the webhook when no secret is configured', async () => {
    const a = await instance();
    try {
      const response = await fetch(`${a.app.url}/api/webhooks/hub`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await a.app.close();
    }
  });
});
