/** The vote outbox against the Hub emulator: exactly-once pushes across crashes. */
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../../test/hub-emulator/index.js';
import { encodeVoteLine, type VoteRecord } from '../../datasets/vote-record.js';
import { HubDatasetRepo } from '../../storage/hub-repo.js';
import { batchPath, OUTBOX_FILE, readDatasetVotes, VoteOutbox } from './vote-outbox.js';

const WRITER = { name: 'outbox-bot', token: 'hf_outbox_bot_token', orgs: ['outbox'], role: 'write' as const };
const logger = pino({ level: 'silent' });
let hub: HubEmulator;

beforeAll(async () => {
  hub = await startHubEmulator();
  hub.addUser(WRITER);
});
afterAll(() => hub.close());

const vote = (username: string, timestamp: string, voteType: 'up' | 'down' = 'up'): VoteRecord => ({
  model: 'org/model',
  revision: 'main',
  username,
  timestamp,
  vote_type: voteType,
  precision: 'bfloat16',
});

async function setup(name: string) {
  hub.addDataset(`outbox/${name}`);
  const repo = new HubDatasetRepo({
    name: 'votes',
    repoId: `outbox/${name}`,
    hubUrl: hub.url,
    token: WRITER.token,
    mirrorDir: await mkdtemp(path.join(tmpdir(), 'outbox-mirror-')),
    logger,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
  return { repo, dir };
}

const hubLines = (name: string) =>
  [...hub.datasetFiles(`outbox/${name}`)].filter(([file]) => file.endsWith('.jsonl')).flatMap(([, bytes]) => new TextDecoder().decode(bytes).split('\n').filter(Boolean));

describe('VoteOutbox', () => {
  it('pushes complete lines in batches and skips a batch already pushed before a crash', async () => {
    const { repo, dir } = await setup('crash');
    const lines = ['a', 'b', 'c', 'd', 'e'].map((user, i) => encodeVoteLine(vote(user, `2026-01-01T00:00:0${i}Z`)));
    // Two complete lines and a torn third (written when the process died): only two are pushed.
    await writeFile(path.join(dir, OUTBOX_FILE), `${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 20)}`);
    const outbox = await VoteOutbox.open(dir, repo, { batchSize: 2, intervalMs: 1000, logger });
    expect(await outbox.push()).toBe(2);
    expect(hubLines('crash')).toEqual([lines[0], lines[1]]);
    expect(hub.datasetFiles('outbox/crash').has(batchPath(outbox.instance, 0))).toBe(true);

    // The crash happened after the commit but before the watermark was saved.
    await writeFile(path.join(dir, 'pushed.json'), JSON.stringify({ offset: 0, lastPushAt: null, lastError: null }));
    const head = hub.datasetHead('outbox/crash');
    const reopened = await VoteOutbox.open(dir, repo, { batchSize: 2, intervalMs: 1000, logger });
    expect(reopened.instance).toBe(outbox.instance);
    expect(await reopened.push()).toBe(2); // acknowledged as pushed, without a new commit
    expect(hub.datasetHead('outbox/crash')).toBe(head);
    expect(hubLines('crash')).toHaveLength(2);

    // The log continues on a fresh line after the torn one, as the vote log writes it.
    await appendFile(path.join(dir, OUTBOX_FILE), `\n${lines[3]}\n${lines[4]}\n`);
    expect((await reopened.status()).pendingVotes).toBe(3); // the torn fragment, now a (bad) line, and two votes
    await reopened.push();
    expect((await reopened.status()).pendingVotes).toBe(0);
    const { entries, problems } = await readDatasetVotes(repo, logger);
    expect(entries.map((entry) => entry.username)).toEqual(['a', 'b', 'd', 'e']);
    expect(problems).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(dir, 'pushed.json'), 'utf8')).lastError).toBeNull();
  });

  it('replays the dataset by timestamp, whatever the file order', async () => {
    const { repo } = await setup('order');
    await repo.commit(
      [
        { op: 'put', path: 'instances/zzz/votes-00000000000000.jsonl', content: new TextEncoder().encode(`${encodeVoteLine(vote('u', '2026-01-01T00:00:01Z', 'up'))}\n`) },
        { op: 'put', path: 'instances/aaa/votes-00000000000000.jsonl', content: new TextEncoder().encode(`${encodeVoteLine(vote('u', '2026-01-01T00:00:02Z', 'down'))}\n`) },
      ],
      'two instances',
    );
    const { entries } = await readDatasetVotes(repo, logger);
    expect(entries.map((entry) => entry.vote_type)).toEqual(['up', 'down']);
  });
});
