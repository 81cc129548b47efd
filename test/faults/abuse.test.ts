/**
 * Abuse of a real server process:
 * - path traversal in model ids (`../`, `%2e%2e`, encoded slashes and backslashes, double
 *   encoding, NUL) on every route that takes a model id, in paths and bodies, and against the
 *   web UI's static files: always a 4xx, and no file appears anywhere outside the data dir's
 *   dataset folders (the server runs in a sandbox folder; a marker name is searched for in the
 *   sandbox, /tmp and the repository);
 * - oversized bodies (with and without Content-Length, a huge announced length): 413 with the
 *   error shape;
 * - slow clients (headers byte by byte, a slow body, idle connections): others are answered
 *   meanwhile, and the server's own timeouts end them;
 * - a flood from one IP: 429 for it while another loopback IP (127.0.0.2) is still served, and
 *   X-Forwarded-For does not get around it (trustProxy is off outside production);
 * - tokens with odd bytes (unicode, control characters, very long, Bearer variants, duplicated
 *   Authorization headers): a clean 400/401/431, never a 5xx.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../src/app.js';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { seedRequests } from '../e2e/fixtures/votes-setup.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';
import { baseEnv, killAll, ROOT, spawnServer, type ChildServer } from './helpers/child-server.js';
import { walkFiles } from './helpers/datasets.js';
import { byteByByte, call, rawExchange, type RawAnswer } from './helpers/http.js';

const BODY_LIMIT = 4096;
const DATASET_FOLDERS = ['contents', 'requests', 'votes', 'official-providers', 'results', 'auth'];
const MARKER = `pwn${randomBytes(5).toString('hex')}`;

let hub: HubEmulator;
let sandbox: string;
let dataDir: string;
let server: ChildServer;
let port: number;
let userToken: string;
let workerToken: string;
const extraDirs: string[] = [];

/** Slow clients started before the other tests, awaited by the last one. */
let slow: { headers: Promise<RawAnswer>[]; idle: Promise<RawAnswer>[]; body: Promise<RawAnswer>[]; settled: Set<Promise<RawAnswer>> } | undefined;

beforeAll(async () => {
  hub = await startHubEmulator();
  sandbox = await makeTempDir('faults-abuse-sandbox-');
  dataDir = path.join(sandbox, 'data');
  await mkdir(path.join(sandbox, 'cwd'), { recursive: true });
  await seedContents(dataDir, [makeContentsRecord({ fullname: 'abuse-org/model-a' })]);
  await seedRequests(dataDir, [{ model: 'queue-org/model-p' }]);
  const store = LocalTokenStore.forDataDir(dataDir);
  userToken = (await store.create('abuser')).token;
  workerToken = (await store.create('abuse-worker', { roles: ['worker'] })).token;
  server = await spawnServer(baseEnv(dataDir, { AUTH_PROVIDERS: 'hub,local', HUB_URL: hub.url, BODY_LIMIT: String(BODY_LIMIT) }), {
    cwd: path.join(sandbox, 'cwd'),
  });
  port = Number(new URL(server.url).port);
  startSlowClients();
});

afterAll(async () => {
  await server?.stop();
  await killAll();
  await hub?.close();
  for (const dir of [sandbox, ...extraDirs]) if (dir) await rm(dir, { recursive: true, force: true });
});

function startSlowClients(): void {
  const track = (promise: Promise<RawAnswer>) => {
    void promise.then(() => settled.add(promise));
    return promise;
  };
  const settled = new Set<Promise<RawAnswer>>();
  // Never completes its headers: one byte every 250 ms for over a minute.
  const headerBytes = byteByByte(`GET /api/leaderboard HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(300)}`);
  const headers = Array.from({ length: 10 }, () => track(rawExchange(port, headerBytes, { delayMs: 250, maxMs: HEADERS_TIMEOUT_MS + 15_000 })));
  const idle = Array.from({ length: 5 }, () => track(rawExchange(port, [], { maxMs: HEADERS_TIMEOUT_MS + 15_000 })));
  // Complete headers (a valid token, so the body is read), then a body far slower than allowed.
  const head = `POST /api/votes/abuse-org/model-a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${userToken}\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n`;
  const body = Array.from({ length: 5 }, () => track(rawExchange(port, [head, ...byteByByte(' '.repeat(1999))], { delayMs: 250, maxMs: REQUEST_TIMEOUT_MS + 15_000 })));
  slow = { headers, idle, body, settled };
}

/** One request with the exact path bytes (no URL normalisation), optional local address. */
function rawRequest(
  method: string,
  requestPath: string,
  options: { headers?: Record<string, string | string[]>; body?: string | Buffer; localAddress?: string; port?: number } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const headers = { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const request = http.request({
      host: '127.0.0.1',
      port: options.port ?? port,
      method,
      path: requestPath,
      headers,
      agent: false,
      timeout: 15_000,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    request.on('timeout', () => request.destroy(new Error(`no answer: ${method} ${requestPath}`)));
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.end(body);
  });
}

function expectErrorShape(answer: { status: number; headers: http.IncomingHttpHeaders; text: string }, where: string): void {
  let body: { detail?: unknown; code?: unknown; request_id?: unknown };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    throw new Error(`${where}: not JSON (${answer.status}): ${answer.text.slice(0, 200)}`);
  }
  expect(typeof body.detail, where).toBe('string');
  expect(typeof body.code, where).toBe('string');
  expect(body.request_id, where).toBe(answer.headers['x-request-id']);
}

/** Every file (and folder) whose name contains MARKER under `root`, depth- and count-bounded. */
async function findMarker(root: string, maxDepth: number, budget = { entries: 200_000 }): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > maxDepth || budget.entries <= 0) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      budget.entries--;
      const full = path.join(dir, entry.name);
      if (entry.name.includes(MARKER)) found.push(full);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') await walk(full, depth + 1);
    }
  };
  await walk(root, 0);
  return found;
}

/** Files of the sandbox outside the dataset folders of DATA_DIR. */
async function filesOutsideDatasets(): Promise<string[]> {
  return (await walkFiles(sandbox)).filter((file) => !DATASET_FOLDERS.some((folder) => file.startsWith(`data/${folder}/`)));
}

describe('path traversal in model ids', () => {
  it('answers 4xx on every model-id route and never creates a file outside the dataset folders', async () => {
    const before = await filesOutsideDatasets();
    const M = MARKER;
    const pairs: Array<[string, string]> = [
      ['..', M],
      ['..', `..%2F${M}`],
      ['%2e%2e', M],
      ['%2E%2E%2F%2E%2E', M],
      ['.', M],
      [M, '..'],
      ['..%2f..%2f..%2f..%2ftmp', M],
      ['..%5c..%5c', M],
      ['%252e%252e%252f', M],
      ['....', M],
      ['..%00', M],
      [`${M}%00`, 'x'],
      ['%c0%ae%c0%ae', M],
      ['..;', M],
      ['abuse-org', `..%2F..%2F..%2F${M}`],
    ];
    const singles = [`..%2F..%2F..%2F..%2Ftmp%2F${M}`, `%2e%2e%2F${M}`, `..%252F${M}`, `${M}%2F..%2F..`, `..%5C${M}`, `%2F${M}`, '..', '.', `abuse-org%2F..%2F..%2F${M}`];
    const answers: Array<{ where: string; status: number; text: string; headers: http.IncomingHttpHeaders }> = [];
    const hit = async (method: string, url: string, options: Parameters<typeof rawRequest>[2] = {}) => {
      const answer = await rawRequest(method, url, options);
      answers.push({ where: `${method} ${url}`, ...answer });
    };
    const auth = { authorization: `Bearer ${userToken}`, 'content-type': 'application/json' };
    for (const [org, name] of pairs) {
      await hit('POST', `/api/votes/${org}/${name}`, { headers: auth, body: '{"vote_type":"up"}' });
      await hit('DELETE', `/api/votes/${org}/${name}`, { headers: auth, body: '{}' });
      await hit('GET', `/api/votes/model/${org}/${name}`);
      await hit('GET', `/api/models/${org}/${name}/status`);
    }
    for (const id of singles) {
      await hit('POST', `/api/votes/${id}`, { headers: auth, body: '{"vote_type":"up"}' });
      await hit('DELETE', `/api/votes/${id}`, { headers: auth, body: '{}' });
      await hit('GET', `/api/models/${id}/status`);
      await hit('GET', `/api/evaluations/${id}`, { headers: { authorization: `Bearer ${workerToken}` } });
    }
    const bodyIds = [`../../../../tmp/${M}`, `../${M}`, `/tmp/${M}`, `abuse-org/../../${M}`, `abuse-org/..%2f${M}`, `..\\..\\${M}`, `abuse-org/${M}/../..`, `${M}/..`, `abuse-org/${M}\u0000`, `./${M}`, `abuse-org/./${M}`, `abuse-org//${M}`];
    for (const id of bodyIds) {
      await hit('POST', '/api/models/submit', { headers: auth, body: JSON.stringify({ model_id: id, model_type: 'pretrained' }) });
      await hit('POST', '/api/models/submit', {
        headers: auth,
        body: JSON.stringify({ model_id: 'abuse-org/base-check', base_model: id, weight_type: 'Delta', model_type: 'fine-tuned' }),
      });
    }
    // The worker API: a results file naming a model by a traversal path.
    const claim = await call(server.url, 'POST', '/api/evaluations/claim', { token: workerToken });
    expect(claim.status, claim.text).toBe(200);
    for (const id of bodyIds.slice(0, 6)) {
      await hit('POST', `/api/evaluations/${claim.body.job_id}/results`, {
        headers: { authorization: `Bearer ${workerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ results: { leaderboard_ifeval: { 'inst_level_strict_acc,none': 0.5 } }, config_general: { model_name: id, model_sha: 'a'.repeat(40), model_dtype: 'torch.bfloat16' } }),
      });
    }

    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    process.stdout.write(`[faults] traversal: ${answers.length} requests, statuses ${JSON.stringify(Object.fromEntries(byStatus))}\n`);
    const notRejected = answers.filter((a) => a.status < 400 || a.status >= 500).map((a) => `${a.where} → ${a.status}: ${a.text.slice(0, 160)}`);
    expect(notRejected).toEqual([]);
    for (const answer of answers) expectErrorShape(answer, answer.where);

    // The user-votes route takes any name (it is not a path on disk): harmless, but never a file.
    for (const id of singles) expect((await rawRequest('GET', `/api/votes/user/${id}`)).status).toBeLessThan(500);

    // The web UI's static files: nothing outside web/dist is ever sent.
    for (const url of [
      '/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/..%5c..%5cpackage.json',
      '/....//....//package.json',
      '//etc/passwd',
      '/%2F%2Fetc%2Fpasswd',
      '/assets/..%252f..%252f..%252fpackage.json',
      '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%00../../package.json',
      `/${encodeURIComponent(ROOT)}%2Fpackage.json`,
    ]) {
      const answer = await rawRequest('GET', url);
      expect(answer.status, url).toBeLessThan(500);
      expect(answer.text, url).not.toContain('"name": "open-leaderboard-server"');
      expect(answer.text, url).not.toMatch(/root:x:0:0/);
    }

    // No file anywhere outside the dataset folders; the marker nowhere (not even inside them).
    expect(await filesOutsideDatasets()).toEqual(before);
    expect(await findMarker(sandbox, 12)).toEqual([]);
    expect(await findMarker('/tmp', 3)).toEqual([]);
    expect(await findMarker(ROOT, 6)).toEqual([]);
    expect(await findMarker('/', 1)).toEqual([]);
  });
});

describe('oversized bodies', () => {
  it('answers 413 with the error shape, with or without Content-Length', async () => {
    const big = JSON.stringify({ vote_type: 'up', revision: 'x'.repeat(BODY_LIMIT * 3) });
    const auth = { authorization: `Bearer ${userToken}`, 'content-type': 'application/json' };
    const withLength = await rawRequest('POST', '/api/votes/abuse-org/model-a', { headers: auth, body: big });
    expect(withLength.status).toBe(413);
    expectErrorShape(withLength, 'content-length');

    // Chunked, no Content-Length: the limit is counted while reading.
    const chunked = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/votes/abuse-org/model-a', headers: { ...auth, 'transfer-encoding': 'chunked' }, agent: false });
      request.on('error', reject);
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      });
      for (let i = 0; i < 12; i++) request.write(big.slice(i * 1024, (i + 1) * 1024));
      request.end();
    });
    expect(chunked.status).toBe(413);
    expectErrorShape(chunked, 'chunked');

    const submit = await rawRequest('POST', '/api/models/submit', { headers: auth, body: JSON.stringify({ model_id: 'a/b', model_type: 'pretrained', base_model: 'y'.repeat(BODY_LIMIT * 2) }) });
    expect(submit.status).toBe(413);
    expectErrorShape(submit, 'submit');

    // Results uploads allow 16 × BODY_LIMIT, not more.
    const results = await rawRequest('POST', '/api/evaluations/some-job/results', {
      headers: { authorization: `Bearer ${workerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ results: {}, padding: 'z'.repeat(BODY_LIMIT * 17) }),
    });
    expect(results.status).toBe(413);
    expectErrorShape(results, 'results');

    // A huge announced length is refused at once, without waiting for the bytes.
    const announced = await rawExchange(
      port,
      [`POST /api/votes/abuse-org/model-a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${userToken}\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{"vote_type":`],
      { maxMs: 10_000, closeAfterAnswer: true },
    );
    expect(announced.status).toBe(413);
    expect(announced.ended).toBe('closed');

    // Without a token the body is never read: 401, not a 5xx.
    const anonymous = await rawRequest('POST', '/api/votes/abuse-org/model-a', { headers: { 'content-type': 'application/json' }, body: big });
    expect([401, 413]).toContain(anonymous.status);
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('odd tokens', () => {
  it('answers a clean 400/401/431, never a 5xx', async () => {
    const asHeader = (value: Buffer) =>
      Buffer.concat([Buffer.from('GET /api/auth/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: '), value, Buffer.from('\r\n\r\n')]);
    const cases: Array<[string, Buffer, number[]]> = [
      ['unicode', Buffer.from('Bearer hf_🦙é\u202e', 'utf8'), [401]],
      ['latin1 bytes', Buffer.from('Bearer hf_\xe9\xff\xa0x', 'latin1'), [401]],
      ['local prefix + unicode', Buffer.from(`Bearer lbt_${'0'.repeat(12)}_🦙`, 'utf8'), [401]],
      ['NUL', Buffer.from('Bearer hf_\x00x', 'latin1'), [400]],
      ['control 0x01', Buffer.from('Bearer hf_\x01x', 'latin1'), [400]],
      ['DEL', Buffer.from('Bearer hf_\x7fx', 'latin1'), [400]],
      ['escape sequence', Buffer.from('Bearer hf_\x1b[31mred', 'latin1'), [400]],
      ['obs-fold', Buffer.from('Bearer\r\n hf_x', 'latin1'), [400]],
      ['long (8 KB)', Buffer.from(`Bearer hf_${'a'.repeat(8000)}`), [401]],
      ['very long (40 KB)', Buffer.from(`Bearer hf_${'a'.repeat(40_000)}`), [431]],
      ['Bearer only', Buffer.from('Bearer'), [401]],
      ['Bearer and a space', Buffer.from('Bearer '), [401]],
      ['two tokens', Buffer.from(`Bearer ${userToken} ${userToken}`), [401]],
      ['comma list', Buffer.from(`Bearer ${userToken},Bearer ${userToken}`), [401]],
      ['Basic', Buffer.from('Basic YWJ1c2VyOnNlY3JldA=='), [401]],
      ['Token scheme', Buffer.from(`Token ${userToken}`), [401]],
      ['NBSP separator', Buffer.concat([Buffer.from('Bearer'), Buffer.from([0xa0]), Buffer.from(userToken)]), [401]],
      ['quoted', Buffer.from(`Bearer "${userToken}"`), [401]],
      ['valid, lower-case scheme', Buffer.from(`bearer ${userToken}`), [200]],
      ['valid, upper-case scheme', Buffer.from(`BEARER ${userToken}`), [200]],
      ['valid, tab', Buffer.from(`Bearer\t${userToken}`), [200]],
      ['valid, trailing spaces', Buffer.from(`Bearer ${userToken}   `), [200]],
      ['valid token + 1 char', Buffer.from(`Bearer ${userToken}x`), [401]],
      ['valid token truncated', Buffer.from(`Bearer ${userToken.slice(0, -1)}`), [401]],
    ];
    const wrong: string[] = [];
    for (const [name, value, expected] of cases) {
      const answer = await rawExchange(port, [asHeader(value)], { maxMs: 10_000 });
      if (answer.status === undefined || !expected.includes(answer.status)) wrong.push(`${name}: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);

    // Duplicated Authorization headers: the first one counts; a bad first one is never rescued by a good second one.
    const twice = (first: string, second: string) => rawRequest('GET', '/api/auth/me', { headers: { authorization: [first, second] } });
    const badThenGood = await twice('Bearer hf_not_a_token', `Bearer ${userToken}`);
    expect(badThenGood.status).toBe(401);
    expectErrorShape(badThenGood, 'bad then good');
    const goodThenBad = await twice(`Bearer ${userToken}`, 'Bearer hf_not_a_token');
    expect(goodThenBad.status).toBeLessThan(500);
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('slow clients', () => {
  it('do not block others', async () => {
    expect(slow).toBeDefined();
    const all = [...slow!.headers, ...slow!.idle, ...slow!.body];
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const vote = await call(server.url, 'POST', '/api/votes/abuse-org/model-a', { token: userToken, body: { vote_type: i % 2 ? 'up' : 'down' }, timeoutMs: 5000 });
      const board = await call(server.url, 'GET', '/api/leaderboard', { timeoutMs: 5000 });
      statuses.push(vote.status, board.status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The slow clients were still connected the whole time.
    expect(all.filter((p) => slow!.settled.has(p))).toEqual([]);
  });

  it("are ended by the server's own timeouts (headers and whole request)", async () => {
    const headers = await Promise.all([...slow!.headers, ...slow!.idle]);
    for (const answer of headers) {
      expect(answer.ended, 'a slow-headers client was never cut off by the server').toBe('closed');
      if (answer.status !== undefined) expect(answer.status).toBe(408);
    }
    const bodies = await Promise.all(slow!.body);
    for (const answer of bodies) {
      expect(answer.ended, 'a slow-body client was never cut off by the server').toBe('closed');
      if (answer.status !== undefined) expect(answer.status).toBe(408);
    }
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
    // The votes sent slowly were never recorded (the body never completed).
    expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('a flood from one IP', () => {
  it('gets 429 while another IP is still served, and X-Forwarded-For does not get around it', async () => {
    const floodDir = await makeTempDir('faults-flood-');
    extraDirs.push(floodDir);
    await seedContents(floodDir, [makeContentsRecord({ fullname: 'flood-org/model-a' })]);
    const flooded = await spawnServer(baseEnv(floodDir, { RATE_LIMIT_MAX: '20', RATE_LIMIT_WINDOW: '60' }));
    try {
      const floodPort = Number(new URL(flooded.url).port);
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof rawRequest>> | undefined;
      for (let i = 0; i < 35; i++) {
        const answer = await rawRequest('GET', '/api/leaderboard', { port: floodPort, localAddress: '127.0.0.1' });
        statuses.push(answer.status);
        if (answer.status === 429) limited ??= answer;
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      expectErrorShape(limited!, '429');
      expect(JSON.parse(limited!.text).code).toBe('RATE_LIMITED');
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);

      // Another client address on loopback is served normally.
      const other = await rawRequest('GET', '/api/leaderboard', { port: floodPort, localAddress: '127.0.0.2' });
      expect(other.status).toBe(200);
      // Spoofing a forwarded address changes nothing outside production (trustProxy off).
      const spoofed = await rawRequest('GET', '/api/leaderboard', { port: floodPort, localAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(spoofed.status).toBe(429);
      // Health checks are exempt.
      expect((await rawRequest('GET', '/health', { port: floodPort, localAddress: '127.0.0.1' })).status).toBe(200);
    } finally {
      await flooded.stop();
    }
  });
});
