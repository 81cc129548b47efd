import {
  commit,
  createRepo,
  datasetInfo,
  deleteFile,
  downloadFile,
  fileDownloadInfo,
  fileExists,
  HubApiError,
  listFiles,
  modelInfo,
  oauthHandleRedirect,
  oauthLoginUrl,
  parseSafetensorsMetadata,
  repoExists,
  uploadFiles,
  whoAmI,
} from '@huggingface/hub';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAPTER_MODEL,
  ADMIN_USER,
  ALICE,
  BOB,
  CARD_WITHOUT_LICENSE_MODEL,
  FIXTURE_MODEL_IDS,
  GATED_ACCESS_USER,
  GATED_MODEL,
  GPTQ_MODEL,
  GPTQ_MODEL_STORED_PARAMS,
  MISSING_MODEL,
  PRIVATE_MODEL,
  SHARDED_MODEL,
  SHARDED_MODEL_PARAMS,
  SMALL_MODEL_PARAMS,
  startHubEmulator,
  TOO_LARGE_MODEL,
  TOO_LARGE_MODEL_PARAMS,
  VALID_MODEL,
  VALID_MODEL_PARAMS,
  VALID_MODEL_V2_BRANCH,
  type HubEmulator,
} from './index.js';

let hub: HubEmulator;

beforeAll(async () => {
  hub = await startHubEmulator();
});
afterAll(async () => {
  await hub.close();
});
afterEach(() => {
  hub.setFault({ mode: 'none' });
  hub.setTreePageSize(1000);
});

const admin = (): { hubUrl: string; accessToken: string } => ({ hubUrl: hub.url, accessToken: ADMIN_USER.token });

async function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return fetch(`${hub.url}${path}`, { method, headers });
}

async function expectHubError(promise: Promise<unknown>, status: number): Promise<HubApiError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected HubApiError ${status}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HubApiError);
  expect((err as HubApiError).statusCode).toBe(status);
  return err as HubApiError;
}

describe('whoami-v2', () => {
  it('describes the user behind a token', async () => {
    const me = await whoAmI({ accessToken: ALICE.token, hubUrl: hub.url });
    expect(me).toMatchObject({ type: 'user', name: 'alice', orgs: [{ type: 'org', name: 'emulated' }] });
    expect(me.auth).toMatchObject({ type: 'access_token', accessToken: { role: 'read' } });
    expect(me.auth.accessToken?.createdAt).toBeInstanceOf(Date);
  });

  it('reports fineGrained tokens with scoped entities', async () => {
    hub.addUser({ name: 'carol', token: 'hf_carol_fine', orgs: ['team'], role: 'fineGrained' });
    const res = await get('/api/whoami-v2', { Authorization: 'Bearer hf_carol_fine' });
    const body = (await res.json()) as { auth: { accessToken: { role: string; fineGrained: { scoped: unknown[] } } } };
    expect(body.auth.accessToken.role).toBe('fineGrained');
    expect(body.auth.accessToken.fineGrained.scoped).toHaveLength(2);
  });

  it('answers 401 JSON for a missing or unknown token', async () => {
    const err = await expectHubError(whoAmI({ accessToken: 'hf_nobody', hubUrl: hub.url }), 401);
    expect(err.message).toContain('Invalid credentials in Authorization header');
    const res = await get('/api/whoami-v2');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('model info', () => {
  it('returns the fields @huggingface/hub asks for', async () => {
    const info = await modelInfo({
      name: VALID_MODEL,
      hubUrl: hub.url,
      additionalFields: ['sha', 'safetensors', 'cardData', 'config', 'filePaths', 'library_name', 'tags', 'createdAt'],
    });
    expect(info.name).toBe(VALID_MODEL);
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(info).toMatchObject({ private: false, gated: false, likes: 42, downloads: 1234, task: 'text-generation' });
    expect(info.safetensors).toEqual({ parameters: { BF16: VALID_MODEL_PARAMS }, total: VALID_MODEL_PARAMS });
    expect(info.cardData).toMatchObject({ license: 'apache-2.0' });
    expect(info.config).toMatchObject({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      tokenizer_config: { chat_template: expect.any(String) },
    });
    expect(info.filePaths).toEqual(
      expect.arrayContaining(['README.md', 'config.json', 'tokenizer_config.json', 'model.safetensors']),
    );
    expect(info.library_name).toBe('transformers');
    expect(info.tags).toEqual(expect.arrayContaining(['license:apache-2.0', 'safetensors', 'llama']));
    expect(info.updatedAt.getTime()).not.toBeNaN();
  });

  it('resolves main, HEAD, a branch and a full sha', async () => {
    const main = await modelInfo({ name: VALID_MODEL, hubUrl: hub.url, revision: 'main', additionalFields: ['sha'] });
    const head = await modelInfo({ name: VALID_MODEL, hubUrl: hub.url, additionalFields: ['sha'] });
    const v2 = await modelInfo({
      name: VALID_MODEL,
      hubUrl: hub.url,
      revision: VALID_MODEL_V2_BRANCH,
      additionalFields: ['sha'],
    });
    const pinned = await modelInfo({ name: VALID_MODEL, hubUrl: hub.url, revision: v2.sha, additionalFields: ['sha'] });
    expect(head.sha).toBe(main.sha);
    expect(v2.sha).not.toBe(main.sha);
    expect(pinned.sha).toBe(v2.sha);
    expect(hub.modelHead(VALID_MODEL, VALID_MODEL_V2_BRANCH)).toBe(v2.sha);
  });

  it('answers 404 with X-Error-Code for unknown repos and revisions', async () => {
    const repo = await get(`/api/models/${MISSING_MODEL}/revision/main`);
    expect(repo.status).toBe(404);
    expect(repo.headers.get('x-error-code')).toBe('RepoNotFound');
    const rev = await get(`/api/models/${VALID_MODEL}/revision/no-such-branch`);
    expect(rev.status).toBe(404);
    expect(rev.headers.get('x-error-code')).toBe('RevisionNotFound');
    expect(await rev.json()).toEqual({ error: expect.stringContaining('no-such-branch') });
  });

  it('returns only the expanded fields, and 400 for an unknown one', async () => {
    const res = await get(`/api/models/${VALID_MODEL}/revision/main?expand=sha&expand=likes`);
    expect(Object.keys((await res.json()) as object).sort()).toEqual(['_id', 'id', 'likes', 'sha']);
    expect((await get(`/api/models/${VALID_MODEL}/revision/main?expand=nope`)).status).toBe(400);
  });

  it('computes safetensors totals from the same headers a client parses', async () => {
    const expected: Record<string, number> = {
      [VALID_MODEL]: VALID_MODEL_PARAMS,
      [TOO_LARGE_MODEL]: TOO_LARGE_MODEL_PARAMS,
      [GPTQ_MODEL]: GPTQ_MODEL_STORED_PARAMS,
      [GATED_MODEL]: SMALL_MODEL_PARAMS,
      [CARD_WITHOUT_LICENSE_MODEL]: SMALL_MODEL_PARAMS,
    };
    for (const [id, total] of Object.entries(expected)) {
      const info = await modelInfo({ name: id, hubUrl: hub.url, additionalFields: ['safetensors'] });
      expect(info.safetensors?.total, id).toBe(total);
      const parsed = await parseSafetensorsMetadata({
        repo: id,
        hubUrl: hub.url,
        accessToken: GATED_ACCESS_USER.token,
        computeParametersCount: false,
      });
      const header = parsed.sharded ? {} : parsed.header;
      const sum = Object.entries(header)
        .filter(([k]) => k !== '__metadata__')
        .reduce((s, [, t]) => s + (t as { shape: number[] }).shape.reduce((a, b) => a * b, 1), 0);
      expect(sum, id).toBe(total);
    }
  });

  it('gives the sharded model no safetensors info, but parseable shards', async () => {
    const info = await modelInfo({ name: SHARDED_MODEL, hubUrl: hub.url, additionalFields: ['safetensors'] });
    expect(info.safetensors).toBeUndefined();
    const parsed = await parseSafetensorsMetadata({ repo: SHARDED_MODEL, hubUrl: hub.url, computeParametersCount: true });
    expect(parsed.sharded).toBe(true);
    expect(parsed.parameterCount).toEqual({ BF16: SHARDED_MODEL_PARAMS });
  });

  it('serves every seeded fixture', async () => {
    for (const id of FIXTURE_MODEL_IDS) {
      const res = await get(`/api/models/${id}/revision/main?expand=sha`, { Authorization: `Bearer ${ALICE.token}` });
      expect(res.status, id).toBe(200);
    }
    const adapter = await modelInfo({ name: ADAPTER_MODEL, hubUrl: hub.url, additionalFields: ['config', 'cardData'] });
    expect(adapter.config).toMatchObject({ peft: { base_model_name_or_path: VALID_MODEL } });
    expect(adapter.cardData).toMatchObject({ base_model: VALID_MODEL });
  });
});

describe('access control', () => {
  it('serves gated model info to anyone but gates its files', async () => {
    const info = await modelInfo({ name: GATED_MODEL, hubUrl: hub.url });
    expect(info.gated).toBe('manual');
    const anonymous = await get(`/${GATED_MODEL}/resolve/main/config.json`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-error-code')).toBe('GatedRepo');
    const bob = await get(`/${GATED_MODEL}/resolve/main/config.json`, { Authorization: `Bearer ${BOB.token}` });
    expect(bob.status).toBe(403);
    expect(bob.headers.get('x-error-code')).toBe('GatedRepo');
    const granted = await downloadFile({
      repo: GATED_MODEL,
      path: 'config.json',
      hubUrl: hub.url,
      accessToken: GATED_ACCESS_USER.token,
    });
    expect(JSON.parse(await granted!.text())).toMatchObject({ model_type: 'llama' });
  });

  it('hides private repos like missing ones', async () => {
    const anonymous = await get(`/api/models/${PRIVATE_MODEL}`);
    expect([anonymous.status, anonymous.headers.get('x-error-code')]).toEqual([401, 'RepoNotFound']);
    const bob = await get(`/api/models/${PRIVATE_MODEL}`, { Authorization: `Bearer ${BOB.token}` });
    expect([bob.status, bob.headers.get('x-error-code')]).toEqual([404, 'RepoNotFound']);
    expect(await repoExists({ repo: PRIVATE_MODEL, hubUrl: hub.url, accessToken: BOB.token })).toBe(false);
    const alice = await modelInfo({ name: PRIVATE_MODEL, hubUrl: hub.url, accessToken: ALICE.token });
    expect(alice.private).toBe(true);
  });

  it('answers repoExists', async () => {
    expect(await repoExists({ repo: VALID_MODEL, hubUrl: hub.url })).toBe(true);
    expect(await repoExists({ repo: MISSING_MODEL, hubUrl: hub.url })).toBe(false);
  });
});

describe('tree listing', () => {
  it('pages with an absolute Link header', async () => {
    hub.setTreePageSize(2);
    const first = await get(`/api/models/${VALID_MODEL}/tree/main?recursive=true&expand=false`);
    const link = first.headers.get('link');
    expect(link).toMatch(new RegExp(`^<${hub.url}/api/models/${VALID_MODEL}/tree/main\\?.*cursor=.*>; rel="next"$`));
    hub.clearRequestLog();
    const files = [];
    for await (const f of listFiles({ repo: VALID_MODEL, hubUrl: hub.url, recursive: true })) files.push(f);
    const expected = [...hub.modelFiles(VALID_MODEL).keys()].sort();
    expect(files.map((f) => f.path)).toEqual(expected);
    expect(hub.requestLog.filter((r) => r.path.includes('/tree/'))).toHaveLength(Math.ceil(expected.length / 2));
  });

  it('lists sizes, blob oids and LFS info', async () => {
    const entries = [];
    for await (const f of listFiles({ repo: VALID_MODEL, hubUrl: hub.url, expand: true })) entries.push(f);
    const config = entries.find((e) => e.path === 'config.json')!;
    const content = hub.modelFiles(VALID_MODEL).get('config.json')!;
    const gitOid = createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
    expect(config).toMatchObject({ type: 'file', size: content.length, oid: gitOid });
    expect(config.lastCommit?.id).toBe(hub.modelHead(VALID_MODEL));
    const weights = entries.find((e) => e.path === 'model.safetensors')!;
    expect(weights.lfs).toMatchObject({ oid: expect.stringMatching(/^[0-9a-f]{64}$/), size: weights.size });
    expect(weights.size).toBeGreaterThan(VALID_MODEL_PARAMS * 2);
  });

  it('lists folders non-recursively and 404s unknown folders', async () => {
    hub.addDataset('emulated/nested', { 'a/b/c.json': '{}', 'a/d.json': '{}', 'e.json': '{}' });
    const root = [];
    for await (const f of listFiles({ repo: 'datasets/emulated/nested', hubUrl: hub.url })) root.push(f);
    expect(root.map((e) => [e.type, e.path])).toEqual([
      ['file', '.gitattributes'],
      ['directory', 'a'],
      ['file', 'e.json'],
    ]);
    const sub = [];
    for await (const f of listFiles({ repo: 'datasets/emulated/nested', path: 'a', hubUrl: hub.url })) sub.push(f);
    expect(sub.map((e) => e.path)).toEqual(['a/b', 'a/d.json']);
    const missing = await get('/api/datasets/emulated/nested/tree/main/zzz');
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
  });
});

describe('file downloads', () => {
  it('answers Range requests with 206 and Content-Range', async () => {
    const size = (await fileDownloadInfo({ repo: VALID_MODEL, path: 'model.safetensors', hubUrl: hub.url }))!.size;
    const res = await get(`/${VALID_MODEL}/resolve/main/model.safetensors`, { Range: 'bytes=0-7' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-7/${size}`);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(res.headers.get('x-repo-commit')).toBe(hub.modelHead(VALID_MODEL));
    const headerLength = new DataView(await res.arrayBuffer()).getBigUint64(0, true);
    expect(Number(headerLength)).toBeGreaterThan(1000);
    const blob = await downloadFile({ repo: VALID_MODEL, path: 'model.safetensors', hubUrl: hub.url });
    const viaSlice = new DataView(await blob!.slice(0, 8).arrayBuffer()).getBigUint64(0, true);
    expect(viaSlice).toBe(headerLength);
  });

  it('answers 200 without Range, 416 past the end, 404 EntryNotFound for missing files', async () => {
    const readme = await get(`/${VALID_MODEL}/resolve/main/README.md`);
    expect(readme.status).toBe(200);
    expect(readme.headers.get('etag')).toBeTruthy();
    expect(await readme.text()).toContain('license: apache-2.0');
    const past = await get(`/${VALID_MODEL}/resolve/main/README.md`, { Range: 'bytes=999999-' });
    expect(past.status).toBe(416);
    const missing = await get(`/${VALID_MODEL}/resolve/main/nope.txt`);
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
    expect(await downloadFile({ repo: VALID_MODEL, path: 'nope.txt', hubUrl: hub.url })).toBeNull();
    const badRev = await get(`/${VALID_MODEL}/resolve/nope/README.md`);
    expect(badRev.headers.get('x-error-code')).toBe('RevisionNotFound');
  });

  it('serves LFS pointers on raw and answers HEAD', async () => {
    expect(await fileExists({ repo: VALID_MODEL, path: 'model.safetensors', hubUrl: hub.url })).toBe(true);
    expect(await fileExists({ repo: VALID_MODEL, path: 'nope', hubUrl: hub.url })).toBe(false);
    const pointer = await (await get(`/${VALID_MODEL}/raw/main/model.safetensors`)).text();
    expect(pointer).toMatch(/^version https:\/\/git-lfs.github.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize \d+\n$/);
  });

  it('serves each branch its own content', async () => {
    const v2 = await downloadFile({ repo: VALID_MODEL, path: 'README.md', revision: VALID_MODEL_V2_BRANCH, hubUrl: hub.url });
    expect(await v2!.text()).toContain('v2 branch');
  });
});

describe('write path', () => {
  const repo = { type: 'dataset' as const, name: 'leaderboard/write-test' };

  it('creates repos, and answers 409 when the repo exists', async () => {
    const created = await createRepo({ repo, ...admin() });
    expect(created.repoUrl).toBe(`${hub.url}/datasets/leaderboard/write-test`);
    expect([...hub.datasetFiles(repo.name).keys()]).toEqual(['.gitattributes']);
    await expectHubError(createRepo({ repo, ...admin() }), 409);
  });

  it('refuses writes without a write token for the namespace', async () => {
    await expectHubError(createRepo({ repo: { type: 'dataset', name: 'leaderboard/x' }, accessToken: ALICE.token, hubUrl: hub.url }), 403);
    await expectHubError(createRepo({ repo: { type: 'dataset', name: 'other-org/x' }, ...admin() }), 403);
    const anonymous = await fetch(`${hub.url}/api/datasets/${repo.name}/commit/main`, {
      method: 'POST',
      body: '{"key":"header","value":{"summary":"x"}}',
    });
    expect(anonymous.status).toBe(401);
    const bob = uploadFiles({ repo, accessToken: BOB.token, hubUrl: hub.url, useXet: false, files: [{ path: 'x.json', content: new Blob(['{}']) }] });
    await expectHubError(bob, 403);
  });

  it('commits regular and LFS files through @huggingface/hub', async () => {
    const parquet = new Uint8Array(4096).map((_, i) => i % 251);
    hub.clearRequestLog();
    const result = await uploadFiles({
      repo,
      ...admin(),
      useXet: false,
      files: [
        { path: 'requests/org/model_eval_request.json', content: new Blob(['{"status":"PENDING"}']) },
        { path: 'data/contents.parquet', content: new Blob([parquet]) },
      ],
    });
    expect(result?.commit.oid).toBe(hub.datasetHead(repo.name));
    expect(result?.commit.url).toBe(`${hub.url}/datasets/${repo.name}/commit/${hub.datasetHead(repo.name)}`);
    const files = hub.datasetFiles(repo.name);
    expect(new TextDecoder().decode(files.get('requests/org/model_eval_request.json'))).toBe('{"status":"PENDING"}');
    expect(files.get('data/contents.parquet')).toEqual(parquet);

    const calls = hub.requestLog.map((r) => `${r.method} ${r.path.replace(/\/[0-9a-f]{64}$/, '/<oid>')}`);
    expect(calls).toEqual([
      `POST /api/datasets/${repo.name}/preupload/main`,
      `POST /datasets/${repo.name}.git/info/lfs/objects/batch`,
      `PUT /__emulator/lfs/dataset/${repo.name}/<oid>`,
      `POST /api/datasets/${repo.name}/commit/main`,
    ]);
    const put = hub.requestLog.find((r) => r.method === 'PUT')!;
    expect(put.headers['authorization']).toBeUndefined();

    const listed = [];
    for await (const f of listFiles({ repo: `datasets/${repo.name}`, hubUrl: hub.url, recursive: true })) listed.push(f);
    expect(listed.find((f) => f.path === 'data/contents.parquet')?.lfs?.oid).toBe(
      createHash('sha256').update(parquet).digest('hex'),
    );
    const downloaded = await downloadFile({ repo: `datasets/${repo.name}`, path: 'data/contents.parquet', hubUrl: hub.url });
    expect(new Uint8Array(await downloaded!.arrayBuffer())).toEqual(parquet);
  });

  it('skips the upload of an LFS object the repo already has', async () => {
    const parquet = new Uint8Array(4096).map((_, i) => i % 251);
    hub.clearRequestLog();
    await uploadFiles({ repo, ...admin(), useXet: false, files: [{ path: 'copy.parquet', content: new Blob([parquet]) }] });
    expect(hub.requestLog.some((r) => r.method === 'PUT')).toBe(false);
    expect(hub.datasetFiles(repo.name).get('copy.parquet')).toEqual(parquet);
  });

  it('answers 412 to a stale parentCommit and accepts the current one', async () => {
    const info = await datasetInfo({ name: repo.name, hubUrl: hub.url, additionalFields: ['sha'] });
    expect(info.sha).toBe(hub.datasetHead(repo.name));
    const stale = info.sha;
    await commit({
      repo,
      ...admin(),
      title: 'concurrent writer',
      useXet: false,
      operations: [{ operation: 'addOrUpdate', path: 'votes.jsonl', content: new Blob(['{"a":1}\n']) }],
    });
    const err = await expectHubError(
      commit({
        repo,
        ...admin(),
        title: 'late writer',
        parentCommit: stale,
        useXet: false,
        operations: [{ operation: 'addOrUpdate', path: 'votes.jsonl', content: new Blob(['{"b":2}\n']) }],
      }),
      412,
    );
    expect(err.message).toContain('A commit has happened since');
    const ok = await commit({
      repo,
      ...admin(),
      title: 'fresh writer',
      parentCommit: hub.datasetHead(repo.name),
      useXet: false,
      operations: [{ operation: 'addOrUpdate', path: 'votes.jsonl', content: new Blob(['{"b":2}\n']) }],
    });
    expect(ok?.commit.oid).toBe(hub.datasetHead(repo.name));
    expect(new TextDecoder().decode(hub.datasetFiles(repo.name).get('votes.jsonl'))).toBe('{"b":2}\n');
  });

  it('deletes files', async () => {
    await deleteFile({ repo, ...admin(), path: 'votes.jsonl' });
    expect(hub.datasetFiles(repo.name).has('votes.jsonl')).toBe(false);
  });

  it('rejects an lfsFile never uploaded, a bad checksum and a bad signature', async () => {
    const oid = 'a'.repeat(64);
    const body = [
      { key: 'header', value: { summary: 'x' } },
      { key: 'lfsFile', value: { path: 'x.parquet', algo: 'sha256', size: 3, oid } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const res = await fetch(`${hub.url}/api/datasets/${repo.name}/commit/main`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_USER.token}`, 'Content-Type': 'application/x-ndjson' },
      body,
    });
    expect(res.status).toBe(400);

    const batch = await fetch(`${hub.url}/datasets/${repo.name}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_USER.token}`, 'Content-Type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', transfers: ['basic'], objects: [{ oid, size: 3 }] }),
    });
    const href = ((await batch.json()) as { objects: Array<{ actions: { upload: { href: string } } }> }).objects[0]!
      .actions.upload.href;
    expect(href.startsWith(`${hub.url}/`)).toBe(true);
    expect((await fetch(href, { method: 'PUT', body: 'abc' })).status).toBe(400);
    expect((await fetch(href.replace(/sig=[0-9a-f]+/, 'sig=00'), { method: 'PUT', body: 'abc' })).status).toBe(403);
  });

  it('seeds datasets for tests', () => {
    hub.addDataset('leaderboard/seeded', { 'votes_data.jsonl': '{"model":"m"}\n' });
    expect(hub.datasetHead('leaderboard/seeded')).toMatch(/^[0-9a-f]{40}$/);
    expect(new TextDecoder().decode(hub.datasetFiles('leaderboard/seeded').get('votes_data.jsonl'))).toBe('{"model":"m"}\n');
  });
});

describe('faults', () => {
  it('answers 500 and 429 with Retry-After on matching routes only', async () => {
    hub.setFault({ mode: 'error500', routes: /\/resolve\// });
    expect((await get(`/${VALID_MODEL}/resolve/main/README.md`)).status).toBe(500);
    expect((await get(`/api/models/${VALID_MODEL}`)).status).toBe(200);
    hub.setFault({ mode: 'error429', retryAfterSeconds: 7 });
    const limited = await get(`/api/models/${VALID_MODEL}`);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect(await limited.json()).toEqual({ error: expect.any(String) });
    hub.setFault({ mode: 'error429', forMs: 0 });
    expect((await get(`/api/models/${VALID_MODEL}`)).status).toBe(200);
    hub.setFault({ mode: 'none' });
    expect((await get(`/api/models/${VALID_MODEL}`)).status).toBe(200);
  });

  it('holds requests in timeout mode, and close() still terminates', async () => {
    const local = await startHubEmulator({ seed: false });
    local.setFault({ mode: 'timeout' });
    const held = fetch(`${local.url}/api/whoami-v2`).then(
      () => 'answered',
      () => 'failed',
    );
    const aborted = await fetch(`${local.url}/api/whoami-v2`, { signal: AbortSignal.timeout(100) }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(aborted).toBe('TimeoutError');
    await local.close();
    expect(await held).toBe('failed');
    expect(local.requestLog).toHaveLength(2);
  });
});

describe('request log', () => {
  it('records method, path, query and headers', async () => {
    hub.clearRequestLog();
    await get(`/api/models/${VALID_MODEL}/revision/main?expand=sha`, { Authorization: `Bearer ${ALICE.token}` });
    expect(hub.requestLog).toEqual([
      {
        method: 'GET',
        path: `/api/models/${VALID_MODEL}/revision/main`,
        query: 'expand=sha',
        headers: expect.objectContaining({ authorization: `Bearer ${ALICE.token}` }),
      },
    ]);
  });
});

describe('oauth', () => {
  async function signIn(loginHint?: string): Promise<Awaited<ReturnType<typeof oauthHandleRedirect>>> {
    const storage: { nonce?: string; codeVerifier?: string } = {};
    const loginUrl = await oauthLoginUrl({
      hubUrl: hub.url,
      clientId: 'test-client',
      redirectUrl: 'http://127.0.0.1:9/callback',
      scopes: 'openid profile email',
      state: 'xyz',
      localStorage: storage,
    });
    const url = new URL(loginUrl);
    if (loginHint) url.searchParams.set('login_hint', loginHint);
    const redirect = await fetch(url, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    return oauthHandleRedirect({
      redirectedUrl: redirect.headers.get('location')!,
      nonce: storage.nonce!,
      codeVerifier: storage.codeVerifier!,
      hubUrl: hub.url,
    });
  }

  it('runs the PKCE authorization-code flow of @huggingface/hub', async () => {
    const result = await signIn();
    expect(result.accessToken).toMatch(/^hf_oauth_/);
    expect(result.state).toBe('xyz');
    expect(result.userInfo).toMatchObject({ preferred_username: 'alice', email: ALICE.name + '@emulated.invalid' });
    const me = await whoAmI({ accessToken: result.accessToken, hubUrl: hub.url });
    expect(me.name).toBe('alice');
    expect((await signIn('bob')).userInfo.preferred_username).toBe('bob');
  });

  it('rejects a wrong code_verifier and a reused code', async () => {
    const challenge = createHash('sha256').update('right-verifier').digest('base64url');
    const authorize = await fetch(
      `${hub.url}/oauth/authorize?client_id=c&response_type=code&redirect_uri=${encodeURIComponent('http://localhost:1/cb')}` +
        `&code_challenge=${challenge}&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
    const exchange = (verifier: string): Promise<Response> =>
      fetch(`${hub.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'http://localhost:1/cb',
          code_verifier: verifier,
        }).toString(),
      });
    const wrong = await exchange('wrong-verifier');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange('right-verifier')).status).toBe(400); // codes are single-use
  });
});
