import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StaleVersionError } from './dataset-repo.js';
import { LocalDatasetRepo } from './local-repo.js';

const text = (s: string) => new TextEncoder().encode(s);

async function repo() {
  const root = await mkdtemp(path.join(tmpdir(), 'local-repo-'));
  return { root, repo: new LocalDatasetRepo('requests', root) };
}

describe('LocalDatasetRepo', () => {
  it('commits several files at once and lists them sorted', async () => {
    const { repo: r } = await repo();
    const before = await r.version();
    const { version } = await r.commit(
      [
        { op: 'put', path: 'b/two.json', content: text('2') },
        { op: 'put', path: 'a/one.json', content: text('1') },
      ],
      'add',
    );
    expect(version).not.toBe(before);
    expect((await r.list()).map((f) => f.path)).toEqual(['a/one.json', 'b/two.json']);
    expect((await r.list('a')).map((f) => f.path)).toEqual(['a/one.json']);
    expect(new TextDecoder().decode((await r.read('b/two.json'))!)).toBe('2');
    expect(await r.read('missing.json')).toBeNull();
  });

  it('deletes files and notifies listeners with the new version', async () => {
    const { repo: r } = await repo();
    await r.commit([{ op: 'put', path: 'x.json', content: text('x') }], 'add');
    const seen: string[] = [];
    r.onCommit((v) => seen.push(v));
    const { version } = await r.commit([{ op: 'delete', path: 'x.json' }], 'remove');
    expect(await r.read('x.json')).toBeNull();
    expect(seen).toEqual([version]);
  });

  it('refuses a stale parent version (optimistic concurrency)', async () => {
    const { repo: r } = await repo();
    const parent = await r.version();
    await r.commit([{ op: 'put', path: 'x.json', content: text('1') }], 'first', { parentVersion: parent });
    await expect(r.commit([{ op: 'put', path: 'x.json', content: text('2') }], 'second', { parentVersion: parent })).rejects.toBeInstanceOf(
      StaleVersionError,
    );
    expect(new TextDecoder().decode((await r.read('x.json'))!)).toBe('1');
  });

  it('serializes concurrent commits so that exactly one of two racing writers wins', async () => {
    const { repo: r } = await repo();
    const parent = await r.version();
    const results = await Promise.allSettled([
      r.commit([{ op: 'put', path: 'x.json', content: text('a') }], 'a', { parentVersion: parent }),
      r.commit([{ op: 'put', path: 'x.json', content: text('b') }], 'b', { parentVersion: parent }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('rejects paths that would escape the dataset', async () => {
    const { repo: r } = await repo();
    for (const bad of ['../evil.json', '/abs.json', 'a/../../b', 'a\\b', '']) {
      expect(() => r.commit([{ op: 'put', path: bad, content: text('x') }], 'bad')).toThrow(/Unsafe/);
    }
    await expect(r.read('../etc/passwd')).rejects.toThrow(/Unsafe/);
  });

  it('notices files changed behind its back in its version', async () => {
    const { root, repo: r } = await repo();
    await r.commit([{ op: 'put', path: 'x.json', content: text('1') }], 'add');
    const before = await r.version();
    await writeFile(path.join(root, 'y.json'), '2');
    expect(await r.version()).not.toBe(before);
  });

  it('rolls a journalled commit forward and sweeps temporary files at open', async () => {
    const { root } = await repo();
    // Simulate a crash after the journal was made durable but before the renames.
    await writeFile(path.join(root, 'a.json.abc.tmp-commit'), 'A');
    await writeFile(path.join(root, 'b.json.def.tmp-commit'), 'B');
    await writeFile(path.join(root, 'orphan.json.123.tmp-commit'), 'half');
    await writeFile(
      path.join(root, '.commit-journal.json'),
      JSON.stringify([
        { op: 'rename', from: 'a.json.abc.tmp-commit', to: 'a.json' },
        { op: 'rename', from: 'b.json.def.tmp-commit', to: 'b.json' },
      ]),
    );
    const reopened = new LocalDatasetRepo('requests', root);
    expect((await reopened.list()).map((f) => f.path)).toEqual(['a.json', 'b.json']);
    expect(await readFile(path.join(root, 'b.json'), 'utf8')).toBe('B');
    expect((await readdir(root)).sort()).toEqual(['a.json', 'b.json']);
  });
});
