import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { VoteRecord } from '../../datasets/vote-record.js';
import { decodeLogEntry, encodeLogEntry, type VoteLogEntry } from './vote-log-entry.js';
import { VoteLog } from './vote-log.js';

const logger = pino({ level: 'silent' });

function vote(i: number, overrides: Partial<VoteRecord> = {}): VoteRecord {
  return {
    model: `org/model-${i}`,
    revision: 'main',
    username: `user${i}`,
    timestamp: '2025-01-02T03:04:05Z',
    vote_type: 'up',
    precision: 'bfloat16',
    ...overrides,
  };
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'vote-log-'));
}

describe('vote log entries', () => {
  it('writes votes exactly as the original rows and round-trips retractions', () => {
    const row = vote(1, { username: 'zoë' });
    expect(encodeLogEntry(row)).toBe(
      '{"model": "org/model-1", "revision": "main", "username": "zo\\u00eb", "timestamp": "2025-01-02T03:04:05Z", "vote_type": "up", "precision": "bfloat16"}',
    );
    const retraction: VoteLogEntry = { ...row, vote_type: 'retract' };
    const line = encodeLogEntry(retraction);
    expect(line).toContain('"vote_type": "retract"');
    expect(decodeLogEntry(line)).toEqual(retraction);
    expect(() => decodeLogEntry('{"model": "a/b"}')).toThrow();
    expect(() => decodeLogEntry(line.replace('retract', 'sideways'))).toThrow();
  });
});

describe('VoteLog', () => {
  it('appends durably and replays every line after reopening', async () => {
    const dir = await tempDir();
    const { log, entries } = await VoteLog.open(dir, logger);
    expect(entries).toEqual([]);
    await log.append(vote(1));
    await log.append({ ...vote(1), vote_type: 'retract' });
    await log.close();
    const reopened = await VoteLog.open(dir, logger);
    expect(reopened.entries).toEqual([vote(1), { ...vote(1), vote_type: 'retract' }]);
    expect(reopened.problems).toEqual([]);
    await reopened.log.close();
  });

  it('group-commits: appends made while a sync is pending share it', async () => {
    const dir = await tempDir();
    const { log } = await VoteLog.open(dir, logger);
    // All 50 are queued before any I/O completes, so at most two write+sync rounds cover them.
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(vote(i))));
    const stats = log.stats();
    expect(stats.appended).toBe(50);
    expect(stats.syncs).toBeGreaterThanOrEqual(1);
    expect(stats.syncs).toBeLessThanOrEqual(2);
    await log.close();
    const text = await readFile(path.join(dir, 'votes_data.jsonl'), 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(50);
  });

  it('skips a torn last line with a warning, never rewrites it, and starts the next append on a fresh line', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'votes_data.jsonl');
    const good = encodeLogEntry(vote(1));
    const torn = encodeLogEntry(vote(2)).slice(0, 40);
    await writeFile(file, `${good}\n${torn}`);
    const { log, entries, problems } = await VoteLog.open(dir, logger);
    expect(entries).toEqual([vote(1)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.reason).toMatch(/torn last line/);
    await log.append(vote(3));
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text.startsWith(`${good}\n${torn}\n`)).toBe(true);
    const reopened = await VoteLog.open(dir, logger);
    expect(reopened.entries).toEqual([vote(1), vote(3)]);
    expect(reopened.problems).toHaveLength(1);
    await reopened.log.close();
  });

  it('skips malformed lines anywhere and reads every *.jsonl, the live file last', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'votes_data.jsonl'), `${encodeLogEntry(vote(3))}\nnot json\n\n`);
    await writeFile(path.join(dir, 'archive-2024.jsonl'), `${encodeLogEntry(vote(1))}\n`);
    await writeFile(path.join(dir, 'b-import.jsonl'), `${encodeLogEntry(vote(2))}\n`);
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
    const { log, entries, problems } = await VoteLog.open(dir, logger);
    expect(entries).toEqual([vote(1), vote(2), vote(3)]);
    expect(problems).toEqual([{ path: 'votes_data.jsonl', reason: expect.stringMatching(/^line 2: invalid JSON/) }]);
    await log.append(vote(4));
    await log.close();
    // Only the live file grows.
    expect(await readFile(path.join(dir, 'archive-2024.jsonl'), 'utf8')).toBe(`${encodeLogEntry(vote(1))}\n`);
    expect((await readFile(path.join(dir, 'votes_data.jsonl'), 'utf8')).endsWith(`${encodeLogEntry(vote(4))}\n`)).toBe(true);
  });

  it('appends after lines written by another writer (the file is opened in append mode)', async () => {
    const dir = await tempDir();
    const { log } = await VoteLog.open(dir, logger);
    await log.append(vote(1));
    await appendFile(path.join(dir, 'votes_data.jsonl'), `${encodeLogEntry(vote(2))}\n`);
    await log.append(vote(3));
    await log.close();
    const reopened = await VoteLog.open(dir, logger);
    expect(reopened.entries).toEqual([vote(1), vote(2), vote(3)]);
    await reopened.log.close();
  });

  it('rejects appends after close and invalid rows before writing anything', async () => {
    const dir = await tempDir();
    const { log } = await VoteLog.open(dir, logger);
    await expect(log.append(vote(1, { timestamp: 'yesterday' }))).rejects.toThrow(/timestamp/);
    await log.close();
    await expect(log.append(vote(1))).rejects.toThrow(/closed/);
    expect(await readFile(path.join(dir, 'votes_data.jsonl'), 'utf8')).toBe('');
  });
});
