/** The Hub storage adapter against the Hub emulator (a real local HTTP server). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../test/hub-emulator/index.js';
import { StaleVersionError } from './dataset-repo.js';
import { HubDatasetNotFoundError, HubDatasetRepo, gitBlobOid } from './hub-repo.js';

const WRITER = { name: 'leaderboard-bot', token: 'hf_leaderboard_bot_token', orgs: ['board'], role: 'write' as const };
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null);

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator();
  hub.addUser(WRITER);
});
afterAll(() => hub.close());

async function openRepo(repoId: string, mirrorDir?: string, extra: Partial<ConstructorParameters<typeof HubDatasetRepo>[0]> = {}) {
  const dir = mirrorDir ?? (await mkdtemp(path.join(tmpdir(), 'hub-mirror-')));
  const repo = new HubDatasetRepo({
    name: 'requests',
    repoId,
    hubUrl: hub.url,
    token: WRITER.token,
    mirrorDir: dir,
    logger: pino({ level: 'silent' }),
    ...extra,
  });
  return { repo, dir };
}

/** Whole-file downloads (the library's `Range: bytes=0-0` probes are not downloads). */
const downloads = (repoId: string) =>
  hub.requestLog.filter((entry) => entry.method === 'GET' && entry.path.startsWith(`/datasets/${repoId}/resolve/`) && !entry.headers.range).length;

describe('HubDatasetRepo', () => {
  it('mirrors a dataset and downloads only changed files on a warm restart', async () => {
    hub.addDataset('board/requests-sync', { 'a/one.json': '{"n":1}', 'b/two.json': '{"n":2}' });
    const { repo, dir } = await openRepo('board/requests-sync');
    hub.clearRequestLog();
    expect(await repo.version()).toBe(hub.datasetHead('board/requests-sync'));
    expect(downloads('board/requests-sync')).toBe(3); // two files + .gitattributes
    expect(decode(await repo.read('a/one.json'))).toBe('{"n":1}');

    // A warm restart with nothing changed downloads nothing.
    hub.clearRequestLog();
    const { repo: warm } = await openRepo('board/requests-sync', dir);
    await warm.version();
    expect(downloads('board/requests-sync')).toBe(0);
    expect(decode(await warm.read('b/two.json'))).toBe('{"n":2}');

    // Another writer changes one file: only that one is downloaded.
    const { repo: other } = await openRepo('board/requests-sync');
    await other.commit([{ op: 'put', path: 'b/two.json', content: text('{"n":22}') }], 'change two');
    hub.clearRequestLog();
    const { repo: again } = await openRepo('board/requests-sync', dir);
    await again.version();
    expect(downloads('board/requests-sync')).toBe(1);
    expect(decode(await again.read('b/two.json'))).toBe('{"n":22}');
  });

  it('commits regular and LFS files, and a stale parent gives StaleVersionError', async () => {
    hub.addDataset('board/contents-commit');
    const { repo } = await openRepo('board/contents-commit');
    const parent = await repo.version();
    const parquet = new Uint8Array(4096).map((_, i) => i % 251);
    const { version } = await repo.commit(
      [
        { op: 'put', path: 'data/train-00000-of-00001.parquet', content: parquet },
        { op: 'put', path: 'notes.json', content: text('{}') },
      ],
      'add table',
      { parentVersion: parent },
    );
    expect(version).toBe(hub.datasetHead('board/contents-commit'));
    expect(hub.datasetFiles('board/contents-commit').get('data/train-00000-of-00001.parquet')).toEqual(parquet);
    expect(hub.requestLog.some((entry) => entry.path.endsWith('.git/info/lfs/objects/batch'))).toBe(true);
    await expect(
      repo.commit([{ op: 'put', path: 'notes.json', content: text('{"late":true}') }], 'late', { parentVersion: parent }),
    ).rejects.toBeInstanceOf(StaleVersionError);
    expect(decode(await repo.read('notes.json'))).toBe('{}');
  });

  it('retries a blind write that lost a race, after catching up', async () => {
    hub.addDataset('board/votes-race');
    const { repo: a } = await openRepo('board/votes-race');
    const { repo: b } = await openRepo('board/votes-race');
    await a.version();
    await b.version();
    await a.commit([{ op: 'put', path: 'a.jsonl', content: text('a\n') }], 'a');
    await b.commit([{ op: 'put', path: 'b.jsonl', content: text('b\n') }], 'b');
    const files = hub.datasetFiles('board/votes-race');
    expect(decode(files.get('a.jsonl') ?? null)).toBe('a\n');
    expect(decode(files.get('b.jsonl') ?? null)).toBe('b\n');
    expect(decode(await b.read('a.jsonl'))).toBe('a\n');
  });

  it('serves the mirror while the Hub is down', async () => {
    hub.addDataset('board/outage', { 'x.json': '1' });
    const { repo } = await openRepo('board/outage', undefined, { fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(500) }) });
    const head = await repo.version();
    hub.setFault({ mode: 'error500' });
    try {
      expect(await repo.version()).toBe(head);
      expect(decode(await repo.read('x.json'))).toBe('1');
    } finally {
      hub.setFault({ mode: 'none' });
    }
  });

  it('names a missing dataset, or creates it when allowed', async () => {
    const { repo } = await openRepo('board/missing');
    await expect(repo.version()).rejects.toBeInstanceOf(HubDatasetNotFoundError);
    const { repo: created } = await openRepo('board/created', undefined, { create: true });
    expect(await created.version()).toMatch(/^[0-9a-f]{40}$/);
  });

  it('computes git blob ids like git', () => {
    expect(gitBlobOid(text('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
