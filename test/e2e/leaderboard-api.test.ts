/** The leaderboard read API through a real listening server. */
import { copyFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDatasets } from '../../src/storage/local-repo.js';
import { writeContentsTable, leaderboardColumns, TYPE_EMOJI_COLUMN } from '../../src/datasets/contents-table.js';
import { encodeOfficialProviders, OFFICIAL_PROVIDERS_PATH } from '../../src/datasets/official-providers.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, seedContents, startTestApp, type TestApp } from '../helpers/app.js';

const records = [
  makeContentsRecord({ fullname: 'meta/Llama-3-8B', Type: '🟢 pretrained', 'Average ⬆️': 30, '#Params (B)': 8 }),
  makeContentsRecord({ fullname: 'mistral/Mixtral-8x7B', MoE: true, 'Average ⬆️': 35, '#Params (B)': 46.7 }),
  makeContentsRecord({ fullname: 'someone/merged', Merged: true, 'Average ⬆️': 25, Precision: 'float16', 'Official Providers': true }),
];
// Real tables name the highlight column `Official Providers` only.
for (const record of records) {
  record['Official Providers'] = record['Official Providers'] ?? false;
  delete record["Maintainer's Highlight"];
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ records, env: { RATE_LIMIT_MAX: '1000', CACHE_TTL: '0.2' } });
  await createLocalDatasets(t.dataDir)['official-providers'].commit(
    [{ op: 'put', path: OFFICIAL_PROVIDERS_PATH, content: encodeOfficialProviders(['meta']) }],
    'providers',
  );
  await t.services.leaderboard.refresh();
  // Brotli forms are made in the background; these tests check them.
  await Promise.all([t.services.leaderboard.current()!.raw.brotliReady, t.services.leaderboard.current()!.formatted.brotliReady]);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => fetch(`${t.url}${url}`, { headers: { 'accept-encoding': 'identity', ...headers } });

describe('GET /api/leaderboard', () => {
  it('returns every row with README types', async () => {
    const response = await get('/api/leaderboard');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { models: Record<string, unknown>[] };
    expect(body.models).toHaveLength(3);
    const row = body.models.find((m) => m.fullname === 'meta/Llama-3-8B')!;
    expect(typeof row['Average ⬆️']).toBe('number');
    expect(typeof row['Hub ❤️']).toBe('number');
    expect(typeof row['Available on the hub']).toBe('boolean');
    expect(typeof row.Generation).toBe('string');
    expect(body.models.find((m) => m.fullname === 'someone/merged')!["Maintainer's Highlight"]).toBe(true);
  });
});

describe('GET /api/leaderboard/formatted', () => {
  it('returns ranked items with the README shape', async () => {
    const body = (await (await get('/api/leaderboard/formatted')).json()) as { models: any[]; total?: number };
    expect(body.total).toBeUndefined();
    expect(body.models.map((m) => m.model.name)).toEqual(['mistral/Mixtral-8x7B', 'meta/Llama-3-8B', 'someone/merged']);
    expect(body.models.map((m) => m.rank)).toEqual([1, 2, 3]);
    const llama = body.models[1];
    expect(Object.keys(llama)).toEqual(['id', 'model', 'evaluations', 'features', 'metadata', 'rank']);
    expect(llama.model.type).toBe('pretrained');
    expect(llama.features.is_official_provider).toBe(true);
    expect(body.models[2].features.is_official_provider).toBe(true);
    expect(Object.keys(llama.metadata)).toEqual([
      'upload_date', 'submission_date', 'generation', 'base_model', 'hub_license', 'hub_hearts', 'params_billions', 'co2_cost',
    ]);
  });

  it('filters, sorts and pages with parameters and reports total/limit/offset', async () => {
    const body = (await (await get('/api/leaderboard/formatted?hide=moe&sort=-params&limit=1')).json()) as any;
    expect(body.total).toBe(2);
    expect(body.limit).toBe(1);
    expect(body.offset).toBe(0);
    expect(body.models.map((m: any) => m.model.name)).toEqual(['meta/Llama-3-8B']);
    const precision = (await (await get('/api/leaderboard/formatted?precision=float16&precision=bfloat16')).json()) as any;
    expect(precision.total).toBe(3);
  });

  it.each([
    ['/api/leaderboard/formatted?limit=0', 'limit'],
    ['/api/leaderboard/formatted?limit=abc', 'limit'],
    ['/api/leaderboard/formatted?offset=-1', 'offset'],
    ['/api/leaderboard/formatted?params_min=x', 'params_min'],
    ['/api/leaderboard/formatted?type=robot', 'robot'],
    ['/api/leaderboard/formatted?sort=wrong', 'wrong'],
    ['/api/leaderboard/formatted?search=%2F(a%2B)%2B%24%2F', 'regex'],
    ['/api/leaderboard/formatted?search=%2F%5B%2F', 'regex'],
  ])('answers 400 with a detail for %s', async (url, mention) => {
    const response = await get(url);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { detail: string; code: string; request_id: string };
    expect(body.detail).toContain(mention);
    expect(body.code).toMatch(/VALIDATION_ERROR|INVALID_REGEX/);
    expect(body.request_id).toBe(response.headers.get('x-request-id'));
  });
});

describe('caching', () => {
  it('answers 304 to a matching If-None-Match, per encoding', async () => {
    for (const encoding of ['identity', 'gzip', 'br']) {
      const first = await get('/api/leaderboard/formatted', { 'accept-encoding': encoding });
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"/);
      expect(first.headers.get('vary')).toContain('Accept-Encoding');
      const second = await get('/api/leaderboard/formatted', { 'accept-encoding': encoding, 'if-none-match': etag });
      expect(second.status).toBe(304);
    }
    const filtered = await get('/api/leaderboard/formatted?limit=1');
    const again = await get('/api/leaderboard/formatted?limit=1', { 'if-none-match': filtered.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('serves gzip and brotli that decode to the identity bytes', async () => {
    const identity = Buffer.from(await (await get('/api/leaderboard')).arrayBuffer());
    const gz = await fetch(`${t.url}/api/leaderboard`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const br = await fetch(`${t.url}/api/leaderboard`, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    // fetch decodes transparently; compare with a raw decode too.
    expect(Buffer.from(await gz.arrayBuffer()).equals(identity)).toBe(true);
    expect(Buffer.from(await br.arrayBuffer()).equals(identity)).toBe(true);
    expect(gunzipSync(t.services.leaderboard.current()!.raw.gzip).equals(identity)).toBe(true);
    expect(brotliDecompressSync(t.services.leaderboard.current()!.raw.br!).equals(identity)).toBe(true);
  });

  it('picks up a contents file replaced by hand within CACHE_TTL, rebuilding once', async () => {
    const before = (await (await get('/api/leaderboard')).json()) as { models: unknown[] };
    const other = await makeTempDir();
    await seedContents(other, [...records, makeContentsRecord({ fullname: 'new/model', 'Average ⬆️': 50 })]);
    const file = 'contents/data/train-00000-of-00001.parquet';
    const rebuildsBefore = (await t.services.metrics.payloadRebuilds.get()).values[0]?.value ?? 0;
    await copyFile(path.join(other, file), path.join(t.dataDir, file));
    await utimes(path.join(t.dataDir, file), new Date(), new Date(Date.now() + 5000));
    await expect.poll(async () => ((await (await get('/api/leaderboard')).json()) as { models: unknown[] }).models.length, { timeout: 5000 }).toBe(before.models.length + 1);
    const rebuildsAfter = (await t.services.metrics.payloadRebuilds.get()).values[0]?.value ?? 0;
    expect(rebuildsAfter - rebuildsBefore).toBe(1);
  });

  it('picks up a commit through the store at once', async () => {
    const columns = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN];
    await writeContentsTable(createLocalDatasets(t.dataDir).contents, records.slice(0, 1), columns, 'shrink');
    // This store instance is not the app's; the periodic check notices within CACHE_TTL.
    await expect.poll(async () => ((await (await get('/api/leaderboard')).json()) as { models: unknown[] }).models.length, { timeout: 5000 }).toBe(1);
    await writeContentsTable(t.services.datasets.contents, records, columns, 'restore');
    await expect.poll(async () => ((await (await get('/api/leaderboard')).json()) as { models: unknown[] }).models.length, { timeout: 2000 }).toBe(3);
  });
});

describe('operations endpoints', () => {
  it('serves /health, /ready, /metrics, /docs and /openapi.json', async () => {
    expect((await get('/health')).status).toBe(200);
    const ready = (await (await get('/ready')).json()) as { status: string };
    expect(ready.status).toBe('ready');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('http_requests_total');
    expect(metrics).toContain('payload_rebuilds_total');
    expect(metrics).toMatch(/dataset_rows\{dataset="contents"\} \d+/);
    expect((await get('/docs')).status).toBe(200);
    const openapi = (await (await get('/openapi.json')).json()) as { paths: Record<string, Record<string, any>> };
    for (const [route, methods] of Object.entries(openapi.paths)) {
      for (const operation of Object.values(methods)) {
        expect(operation.operationId, route).toBeTruthy();
        expect(operation.summary, route).toBeTruthy();
        expect(Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)), route).toBe(true);
      }
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await get('/api/nope');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });

  it('sends CORS and security headers', async () => {
    const response = await get('/api/leaderboard', { origin: 'https://example.org' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const preflight = await fetch(`${t.url}/api/votes/a/b`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });
});

describe('readiness and rate limits', () => {
  it('answers 503 on /ready until the datasets are loaded', async () => {
    const dataDir = await makeTempDir();
    await seedContents(dataDir, records);
    const slow = await startTestApp({ dataDir, waitUntilLoaded: false });
    // Right after listen the load may still be running; both states are valid here, but a
    // 503 must have the error shape, and the service must end ready.
    const early = await fetch(`${slow.url}/ready`);
    if (early.status === 503) expect(((await early.json()) as { code: string }).code).toBe('NOT_READY');
    await slow.services.loaded;
    expect((await fetch(`${slow.url}/ready`)).status).toBe(200);
    await slow.close();
  });

  it('limits requests per IP with 429, Retry-After and RateLimit headers; health is exempt', async () => {
    const limited = await startTestApp({ records, env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60' } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${limited.url}/api/leaderboard`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const response = await fetch(`${limited.url}/api/leaderboard`);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    const body = (await response.json()) as { code: string; detail: string };
    expect(body.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 5; i++) expect((await fetch(`${limited.url}/health`)).status).toBe(200);
    await limited.close();
  });
});
