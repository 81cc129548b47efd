/**
 * Corrupt and missing data on disk. A real server process starts on a DATA_DIR with a truncated
 * parquet, an empty parquet, invalid request files, bad JSONL lines in the middle of votes
 * files, a torn last votes line and unreadable official-providers files. It must start, serve
 * everything that is readable, list each bad file on /ready, and log each problem exactly once
 * (counted in its stdout JSON log lines), also after the datasets are re-read. A DATA_DIR whose
 * dataset folders are missing must start too, and serve empty lists.
 */
import { chmod, chown, mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENTS_PARQUET_PATH, encodeContentsParquet, leaderboardColumns, TYPE_EMOJI_COLUMN } from '../../src/datasets/contents-table.js';
import { encodeRequestFile } from '../../src/datasets/request-file.js';
import { encodeVoteLine } from '../../src/datasets/vote-record.js';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeRequest } from '../e2e/submissions-harness.js';
import { baseEnv, killAll, spawnServer, type ChildServer, type LogLine } from './helpers/child-server.js';
import { checkVotesFiles } from './helpers/datasets.js';
import { call } from './helpers/http.js';

const dirs: string[] = [];
afterAll(async () => {
  await killAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const vote = (username: string, model: string, vote_type: 'up' | 'down') =>
  encodeVoteLine({ model, revision: 'main', username, timestamp: '2025-01-01T00:00:00Z', vote_type, precision: 'bfloat16' });

/** The bad files, by dataset, as /ready should list them. */
const BAD = {
  contents: ['data/train-00001-of-00003.parquet', 'data/train-00002-of-00003.parquet', 'data/zz-unreadable.parquet'],
  requests: [
    'broken-org/truncated_eval_request_False_bfloat16_Original.json',
    'broken-org/not-an-object_eval_request_False_bfloat16_Original.json',
    'broken-org/no-model_eval_request_False_bfloat16_Original.json',
    'broken-org/unreadable_eval_request_False_bfloat16_Original.json',
  ],
  votes: ['votes_data.jsonl', 'votes_2024.jsonl'],
  'official-providers': ['data/train-00000-of-00001.jsonl', 'data/train-00000-of-00002.jsonl', 'data/zz-extra.json'],
} as const;

/** Files made unreadable (mode 000): a real EACCES for the server. */
const UNREADABLE = [
  `contents/${BAD.contents[2]}`,
  `requests/${BAD.requests[3]}`,
  `official-providers/${BAD['official-providers'][0]}`,
];

/**
 * Root reads a mode-000 file anyway, so when the tests run as root the server runs as `nobody`
 * (65534) over a DATA_DIR it owns, and the unreadable files stay root's.
 */
const UNPRIVILEGED = process.getuid?.() === 0 ? 65534 : undefined;

async function chownTree(dir: string, uid: number): Promise<void> {
  await chown(dir, uid, uid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid);
    else await chown(full, uid, uid);
  }
}

/** Makes `UNREADABLE` unreadable to the server; returns the spawn options and env for it. */
async function lockDown(dataDir: string): Promise<{ uid?: number; env: Record<string, string> }> {
  if (UNPRIVILEGED === undefined) {
    for (const file of UNREADABLE) await chmod(path.join(dataDir, file), 0o000);
    return { env: {} };
  }
  const home = await makeTempDir('faults-nobody-home-');
  dirs.push(home);
  await chownTree(home, UNPRIVILEGED);
  await chownTree(dataDir, UNPRIVILEGED);
  for (const file of UNREADABLE) {
    await chown(path.join(dataDir, file), 0, 0);
    await chmod(path.join(dataDir, file), 0o000);
  }
  // tsx keeps its cache under TMPDIR: it must be writable by the server's user.
  return { uid: UNPRIVILEGED, env: { TMPDIR: home, HOME: home } };
}

async function write(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

/** Problem log lines of a file ("skipped an unreadable dataset file" and any other line naming it). */
function logLinesAbout(logs: LogLine[], dataset: string, file: string): LogLine[] {
  return logs.filter(
    (line) =>
      line.level >= 40 &&
      ((line.path === file && (line.dataset === dataset || line.dataset === undefined)) || (line.file === file && dataset === 'votes')),
  );
}

describe('corrupt dataset files', () => {
  let dataDir: string;
  let server: ChildServer;
  let token: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('faults-corrupt-');
    dirs.push(dataDir);
    await seedContents(dataDir, [makeContentsRecord({ fullname: 'good-org/model-a' }), makeContentsRecord({ fullname: 'good-org/model-b' })]);
    const columns = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN];
    const other = encodeContentsParquet([makeContentsRecord({ fullname: 'bad-org/model-c' })], columns);
    await write(path.join(dataDir, 'contents', BAD.contents[0]), other.slice(0, Math.floor(other.length / 2)));
    await write(path.join(dataDir, 'contents', BAD.contents[1]), new Uint8Array(0));
    await write(path.join(dataDir, 'contents', BAD.contents[2]), encodeContentsParquet([makeContentsRecord({ fullname: 'locked-org/model-d' })], columns));

    const requests = path.join(dataDir, 'requests');
    await write(path.join(requests, 'queue-org/model-p_eval_request_False_bfloat16_Original.json'), encodeRequestFile(makeRequest({ model: 'queue-org/model-p' })));
    await write(
      path.join(requests, 'queue-org/model-q_eval_request_False_float16_Original.json'),
      encodeRequestFile(makeRequest({ model: 'queue-org/model-q', precision: 'float16', status: 'FINISHED' })),
    );
    const full = encodeRequestFile(makeRequest({ model: 'broken-org/truncated' }));
    await write(path.join(requests, BAD.requests[0]), full.slice(0, full.length - 40));
    await write(path.join(requests, BAD.requests[1]), '[1, 2, 3]\n');
    await write(path.join(requests, BAD.requests[2]), '{"status": "PENDING", "precision": "bfloat16"}\n');
    await write(path.join(requests, BAD.requests[3]), encodeRequestFile(makeRequest({ model: 'broken-org/unreadable' })));

    const votes = path.join(dataDir, 'votes');
    await write(
      path.join(votes, 'votes_data.jsonl'),
      [vote('voter1', 'good-org/model-a', 'up'), '{"model": "good-org/model-a", "revision": "ma', vote('voter2', 'good-org/model-a', 'down'), vote('voter3', 'good-org/model-a', 'up'), ''].join('\n') +
        '{"model": "good-org/model-b", "rev',
    );
    await write(path.join(votes, 'votes_2024.jsonl'), [vote('voter4', 'good-org/model-b', 'up'), 'not json at all', vote('voter5', 'good-org/model-b', 'up'), ''].join('\n'));

    const providers = path.join(dataDir, 'official-providers');
    await write(path.join(providers, BAD['official-providers'][0]), '{"CURATED_SET": ["good-org"]}\n');
    await write(path.join(providers, BAD['official-providers'][1]), new Uint8Array([0x00, 0x01, 0xff, 0xfe, 0x7b, 0x22]));
    await write(path.join(providers, BAD['official-providers'][2]), '{"CURATED_SET": "not a list"}');

    token = (await LocalTokenStore.forDataDir(dataDir).create('fault-voter')).token;
    const locked = await lockDown(dataDir);
    server = await spawnServer(baseEnv(dataDir, { CACHE_TTL: '0.5', ...locked.env }), locked.uid !== undefined ? { uid: locked.uid } : {});
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('starts and lists every bad file on /ready', async () => {
    const ready = await call<{ status: string; problems: Array<{ dataset: string; path: string; reason: string }> }>(server.url, 'GET', '/ready');
    expect(ready.status).toBe(200);
    const listed = ready.body.problems.map((p) => `${p.dataset}:${p.path}`);
    for (const [dataset, files] of Object.entries(BAD)) for (const file of files) expect(listed).toContain(`${dataset}:${file}`);
    // Nothing else is reported as a problem.
    for (const problem of ready.body.problems) expect((BAD as Record<string, readonly string[]>)[problem.dataset]).toContain(problem.path);
    for (const problem of ready.body.problems) expect(problem.reason).not.toMatch(/\/tmp\/|node_modules|at .*\.ts:\d+/);
    // The EACCES files are named as unreadable (not as a crash of their whole dataset).
    for (const file of UNREADABLE) {
      const [dataset, ...rest] = file.split('/');
      const problem = ready.body.problems.find((p) => p.dataset === dataset && p.path === rest.join('/'));
      expect(problem?.reason).toMatch(/EACCES/);
    }
  });

  it('serves the readable rest', async () => {
    const board = await call<{ models: Array<{ fullname: string }> }>(server.url, 'GET', '/api/leaderboard');
    expect(board.status).toBe(200);
    expect(board.body.models.map((m) => m.fullname).sort()).toEqual(['good-org/model-a', 'good-org/model-b']);
    expect((await call(server.url, 'GET', '/api/leaderboard/formatted')).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/leaderboard/formatted?limit=1')).status).toBe(200);

    const queue = await call<Record<string, Array<{ name: string }>>>(server.url, 'GET', '/api/models/status');
    expect(queue.status).toBe(200);
    expect(queue.body.pending!.map((i) => i.name)).toEqual(['queue-org/model-p']);
    expect(queue.body.finished!.map((i) => i.name)).toEqual(['queue-org/model-q']);
    expect((await call(server.url, 'GET', '/api/models/broken-org/truncated/status')).status).toBe(404);

    const a = await call(server.url, 'GET', '/api/votes/model/good-org/model-a');
    expect([a.body.up_votes, a.body.down_votes]).toEqual([2, 1]);
    const b = await call(server.url, 'GET', '/api/votes/model/good-org/model-b');
    expect([b.body.up_votes, b.body.down_votes]).toEqual([2, 0]);

    // Writes still work, and the next line of the votes log does not glue onto the torn one.
    const cast = await call(server.url, 'POST', '/api/votes/good-org/model-b', { token, body: { vote_type: 'down' } });
    expect(cast.status).toBe(200);
    const live = (await checkVotesFiles(path.join(dataDir, 'votes'))).find((f) => f.file === 'votes_data.jsonl')!;
    expect(live.tornTail).toBeUndefined();
    expect(live.entries.some((e) => e.username === 'fault-voter' && e.vote_type === 'down')).toBe(true);
  });

  it('logs each problem exactly once, also after the datasets are re-read', async () => {
    const problems = (await call<{ problems: Array<{ dataset: string; path: string }> }>(server.url, 'GET', '/ready')).body.problems;
    const expectOnce = () => {
      for (const [dataset, files] of Object.entries(BAD)) {
        for (const file of files) {
          const expected = problems.filter((p) => p.dataset === dataset && p.path === file).length;
          const lines = logLinesAbout(server.logs, dataset, file);
          expect(lines.length, `${dataset}/${file} logged ${lines.length}× for ${expected} problem(s): ${JSON.stringify(lines)}`).toBe(expected);
        }
      }
    };
    expectOnce();

    // Force re-reads: a new contents version (mtime) and a new request file.
    const rebuilds = () => server.logs.filter((l) => l.msg === 'leaderboard rebuilt').length;
    const before = rebuilds();
    const now = new Date();
    await utimes(path.join(dataDir, 'contents', CONTENTS_PARQUET_PATH), now, new Date(now.getTime() + 5000));
    const submit = await call(server.url, 'POST', '/api/models/submit', { token, body: { model_id: 'late-org/model-z', model_type: 'pretrained' } });
    expect(submit.status).toBe(200);
    const deadline = Date.now() + 15_000;
    while (rebuilds() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(rebuilds(), 'the leaderboard was not rebuilt after the contents changed').toBeGreaterThan(before);
    expectOnce();
    // No error-level line: nothing crashed while loading.
    expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect((await readFile(path.join(dataDir, 'requests', 'late-org/model-z_eval_request_False_float16_Original.json'), 'utf8')).length).toBeGreaterThan(0);
  });
});

describe('missing dataset folders', () => {
  it('starts with only the contents dataset, and serves empty lists', async () => {
    const dataDir = await makeTempDir('faults-missing-');
    dirs.push(dataDir);
    await seedContents(dataDir, [makeContentsRecord({ fullname: 'only-org/model-a' })]);
    const server = await spawnServer(baseEnv(dataDir));
    try {
      const ready = await call(server.url, 'GET', '/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.problems).toEqual([]);
      expect((await call(server.url, 'GET', '/api/leaderboard')).body.models).toHaveLength(1);
      const queue = await call(server.url, 'GET', '/api/models/status');
      expect(queue.status).toBe(200);
      expect([queue.body.pending, queue.body.evaluating, queue.body.finished]).toEqual([[], [], []]);
      expect((await call(server.url, 'GET', '/api/models/pending')).body).toEqual([]);
      expect((await call(server.url, 'GET', '/api/votes/model/only-org/model-a')).body.total_votes).toBe(0);
      expect((await call(server.url, 'GET', '/api/votes/user/nobody')).body).toEqual([]);
      // No auth/ folder: any token is a clean 401.
      const noTokens = await call(server.url, 'POST', '/api/votes/only-org/model-a', { token: 'lbt_000000000000_' + 'a'.repeat(43), body: { vote_type: 'up' } });
      expect(noTokens.status).toBe(401);
      expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('serves the board without highlights when the official-providers folder is not a folder, and reports it', async () => {
    const dataDir = await makeTempDir('faults-notadir-');
    dirs.push(dataDir);
    await seedContents(dataDir, [makeContentsRecord({ fullname: 'only-org/model-a' })]);
    await writeFile(path.join(dataDir, 'official-providers'), 'not a folder');
    const server = await spawnServer(baseEnv(dataDir), { timeoutMs: 20_000 });
    try {
      const ready = await call(server.url, 'GET', '/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.problems).toEqual([expect.objectContaining({ dataset: 'official-providers', path: '.' })]);
      expect(ready.body.problems[0].reason).not.toContain(dataDir);
      expect((await call(server.url, 'GET', '/api/leaderboard')).body.models).toHaveLength(1);
      expect(server.logs.filter((l) => l.msg === 'skipped an unreadable dataset file')).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});
