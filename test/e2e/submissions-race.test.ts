/**
 * No duplicate gets in under a race: identical submissions at once in one process, and a write
 * by another writer (another instance on the same dataset) between the checks and the commit.
 */
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeRequestFile, requestFilePath } from '../../src/datasets/request-file.js';
import type { CommitOperation, CommitOptions, CommitResult, DatasetFile, DatasetRepo } from '../../src/storage/dataset-repo.js';
import { createLocalDatasets, type LocalDatasetRepo } from '../../src/storage/local-repo.js';
import { makeTempDir } from '../helpers/app.js';
import { SHARDED_MODEL, startHubEmulator, VALID_MODEL, type HubEmulator } from '../hub-emulator/index.js';
import { makeRequest, startHarness, type Harness } from './submissions-harness.js';

/** The requests dataset, with a hook that lets "another writer" commit just before our next commit. */
class InterferingRepo implements DatasetRepo {
  readonly name;
  commits = 0;
  /** Runs once, right before the next commit goes to the store. */
  interfere: (() => Promise<void>) | undefined;

  constructor(readonly inner: LocalDatasetRepo) {
    this.name = inner.name;
  }

  version(): Promise<string> {
    return this.inner.version();
  }
  list(prefix?: string): Promise<DatasetFile[]> {
    return this.inner.list(prefix);
  }
  read(path: string): Promise<Uint8Array | null> {
    return this.inner.read(path);
  }
  async commit(operations: CommitOperation[], message: string, options?: CommitOptions): Promise<CommitResult> {
    this.commits += 1;
    const interfere = this.interfere;
    this.interfere = undefined;
    if (interfere) await interfere();
    return this.inner.commit(operations, message, options);
  }
  onCommit(listener: (version: string) => void): () => void {
    return this.inner.onCommit(listener);
  }
}

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator();
});
afterAll(() => hub.close());

describe('identical submissions at the same time', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('exactly one succeeds; the others get 409; one file, one queue entry', async () => {
    h = await startHarness({ hub });
    const sha = hub.modelHead(VALID_MODEL);
    // `main` and the sha it resolves to are the same submission.
    const bodies = Array.from({ length: 12 }, (_, i) => ({ model_id: VALID_MODEL, model_type: 'chat', revision: i % 2 === 0 ? 'main' : sha }));
    const responses = await Promise.all(bodies.map((body) => h.submit(body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    for (const r of responses.filter((r) => r.status === 409)) expect(r.body.code).toBe('DUPLICATE_SUBMISSION');
    expect([...(await h.requestFiles()).keys()]).toEqual([requestFilePath(VALID_MODEL, 'float16', 'Original')]);
    const status = await h.get('/api/models/status');
    expect(status.body.pending.map((item: { name: string }) => item.name)).toEqual([VALID_MODEL]);
  });

  it('different precisions of one model are different requests and all get in', async () => {
    h = await startHarness({ hub });
    const responses = await Promise.all(
      ['float16', 'bfloat16', '8bit', '4bit'].map((precision) => h.submit({ model_id: SHARDED_MODEL, model_type: 'pretrained', precision })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await h.requestFiles()).size).toBe(4);
  });
});

describe('another writer commits between the checks and the write', () => {
  let h: Harness;
  let dataDir: string;
  let repo: InterferingRepo;
  const start = async () => {
    dataDir = await makeTempDir();
    const local = createLocalDatasets(dataDir);
    repo = new InterferingRepo(local.requests);
    h = await startHarness({ hub, dataDir, deps: { datasets: { ...local, requests: repo } } });
  };
  afterEach(async () => {
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the same request written by the other writer: the commit is stale, re-checked, and refused as a duplicate', async () => {
    await start();
    const sha = hub.modelHead(VALID_MODEL);
    const theirs = makeRequest({ model: VALID_MODEL, revision: sha, precision: 'float16', sender: 'bob', submitted_time: '2025-01-15T09:59:59Z' });
    repo.interfere = async () => {
      await repo.inner.commit(
        [{ op: 'put', path: requestFilePath(VALID_MODEL, 'float16', 'Original'), content: new TextEncoder().encode(encodeRequestFile(theirs)) }],
        'another instance',
      );
    };
    const response = await h.submit({ model_id: VALID_MODEL, model_type: 'chat' });
    expect(response.status, JSON.stringify(response.body)).toBe(409);
    expect(response.body.code).toBe('DUPLICATE_SUBMISSION');
    // The other writer's file stands, untouched.
    expect(JSON.parse((await h.requestFiles()).get(requestFilePath(VALID_MODEL, 'float16', 'Original'))!).sender).toBe('bob');
    expect(repo.commits).toBe(1);
  });

  it('an unrelated write: the commit is retried at the new version and succeeds', async () => {
    await start();
    repo.interfere = async () => {
      const other = makeRequest({ model: 'someone/else', status: 'RUNNING' });
      await repo.inner.commit([{ op: 'put', path: requestFilePath(other.model, 'bfloat16', 'Original'), content: new TextEncoder().encode(encodeRequestFile(other)) }], 'pipeline');
    };
    const response = await h.submit({ model_id: VALID_MODEL, model_type: 'chat' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(repo.commits).toBe(2);
    expect([...(await h.requestFiles()).keys()].sort()).toEqual([requestFilePath(VALID_MODEL, 'float16', 'Original'), 'someone/else_eval_request_False_bfloat16_Original.json']);
    expect((await h.get('/api/models/status')).body.evaluating.map((i: { name: string }) => i.name)).toEqual(['someone/else']);
  });
});
