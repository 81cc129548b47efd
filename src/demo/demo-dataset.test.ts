import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDataCommand } from '../cli/demo-data.js';
import { UsageError, type CliIo } from '../cli/command.js';
import { HIGHLIGHT_COLUMN, leaderboardColumns, readContentsTable, TYPE_EMOJI_COLUMN, type ContentsRecord } from '../datasets/contents-table.js';
import { readOfficialProviders } from '../datasets/official-providers.js';
import { decodeRequestFile, requestFilePath, type EvalRequest } from '../datasets/request-file.js';
import {
  decodeVoteLine,
  decodeVoteLines,
  encodeVoteLine,
  encodeVoteLines,
  VOTES_FILE_PATH,
  type VoteRecord,
} from '../datasets/vote-record.js';
import { DEFAULT_BENCHMARKS, higherBound, lowerBound, type BenchmarkDefinition } from '../scoring/benchmarks.js';
import { averageScore, normalizeScore } from '../scoring/normalize.js';
import { createLocalDatasets } from '../storage/local-repo.js';
import type { DatasetRepo } from '../storage/dataset-repo.js';
import { modelAnchorHtml } from '../datasets/contents-table.js';
import { createDemoDataset, type DemoSummary } from './demo-dataset.js';

const NOW = new Date('2025-02-13T12:00:00Z');
const TYPES = [
  '🟢 pretrained',
  '🟩 continuously pretrained',
  '🔶 fine-tuned on domain-specific datasets',
  '💬 chat models (RLHF, DPO, IFT, ...)',
  '🤝 base merges and moerges',
  '🌸 multimodal',
  '❓ other',
];

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'demo-dataset-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const decoder = new TextDecoder();
async function readText(repo: DatasetRepo, file: string): Promise<string> {
  const bytes = await repo.read(file);
  if (!bytes) throw new Error(`missing ${file}`);
  return decoder.decode(bytes);
}

async function allRequests(repo: DatasetRepo): Promise<Map<string, EvalRequest>> {
  const out = new Map<string, EvalRequest>();
  for (const file of await repo.list()) out.set(file.path, decodeRequestFile(await readText(repo, file.path)));
  return out;
}

function count<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe('createDemoDataset (defaults)', () => {
  let dir: string;
  let summary: DemoSummary;
  let records: ContentsRecord[];
  let columnNames: string[];

  beforeAll(async () => {
    dir = await tempDir();
    summary = await createDemoDataset(createLocalDatasets(dir), { now: NOW });
    const table = await readContentsTable(createLocalDatasets(dir).contents);
    expect(table.problems).toEqual([]);
    records = table.records;
    columnNames = table.columns.map((column) => column.name);
  });

  it('writes at least 500 rows with every leaderboard column plus T, typed as specified', async () => {
    expect(summary.models).toBe(600);
    expect(summary.rows).toBeGreaterThanOrEqual(600);
    expect(records).toHaveLength(summary.rows);
    const expected = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN];
    expect([...columnNames].sort()).toEqual(expected.map((column) => column.name).sort());
    const { columns } = await readContentsTable(createLocalDatasets(dir).contents);
    for (const spec of expected) expect(columns.find((column) => column.name === spec.name)?.type).toBe(spec.type);
    expect(columnNames.indexOf('T')).toBe(columnNames.indexOf('Type') + 1);
  });

  it('covers every type, precision and weight type, and both values of every flag', () => {
    expect(new Set(records.map((r) => r.Type))).toEqual(new Set(TYPES));
    expect(new Set(records.map((r) => r.Precision))).toEqual(new Set(['float16', 'bfloat16', '8bit', '4bit', 'GPTQ']));
    expect(new Set(records.map((r) => r['Weight type']))).toEqual(new Set(['Original', 'Delta', 'Adapter']));
    for (const flag of ['Merged', 'MoE', 'Flagged', 'Available on the hub', 'Chat Template', HIGHLIGHT_COLUMN]) {
      expect(new Set(records.map((r) => r[flag])), flag).toEqual(new Set([true, false]));
    }
    for (const record of records) expect(record.T).toBe((record.Type as string).split(' ')[0]);
    // Realistic proportions: bfloat16 and fine-tunes/merges dominate, flagged models are rare.
    const precisions = count(records.map((r) => r.Precision));
    expect(precisions.get('bfloat16')!).toBeGreaterThan(records.length / 2);
    expect(records.filter((r) => r.Flagged).length).toBeLessThan(records.length * 0.02);
    expect(new Set(records.map((r) => r.Architecture)).size).toBeGreaterThan(10);
    expect(new Set(records.map((r) => r['Hub License'])).size).toBeGreaterThan(8);
  });

  it('has names, links, shas, dates and numbers in the shapes of real rows', () => {
    const evalNames = new Set<string>();
    for (const r of records) {
      const fullname = r.fullname as string;
      const [org, name] = fullname.split('/') as [string, string];
      expect(fullname).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(r.eval_name).toBe(`${org}_${name}_${r.Precision}`);
      evalNames.add(r.eval_name as string);
      expect(r.Model).toBe(
        `<a target="_blank" href="https://huggingface.co/${fullname}" style="color: var(--link-text-color); text-decoration: underline;text-decoration-style: dotted;">${fullname}</a>  ` +
          `<a target="_blank" href="https://huggingface.co/datasets/open-llm-leaderboard/${org}__${name}-details" style="color: var(--link-text-color); text-decoration: underline;text-decoration-style: dotted;">📑</a>`,
      );
      expect(r['Model sha']).toMatch(/^[0-9a-f]{40}$/);
      if (r['Upload To Hub Date'] !== null) expect(r['Upload To Hub Date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (r['Submission Date'] !== null) expect(r['Submission Date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isInteger(r.Generation)).toBe(true);
      expect(Number.isInteger(r['Hub ❤️'])).toBe(true);
      expect(r['Hub ❤️']).toBeGreaterThanOrEqual(0);
      expect(typeof r['#Params (B)']).toBe('number');
      expect(r['CO₂ cost (kg)']).toBeGreaterThan(0);
      if (r['Weight type'] !== 'Original') expect(r['Base Model']).not.toBeNull();
    }
    expect(evalNames.size).toBe(records.length);
    // Some models in two precisions; some optional cells empty, as in real data.
    expect(summary.rows).toBeGreaterThan(summary.models);
    expect(records.some((r) => r['Base Model'] === null)).toBe(true);
    expect(records.some((r) => r['Hub License'] === null)).toBe(true);
    expect(records.some((r) => r['Upload To Hub Date'] === null)).toBe(true);
    // Hearts are skewed: the median is small, the top is large.
    const hearts = records.map((r) => r['Hub ❤️'] as number).sort((a, b) => a - b);
    expect(hearts[Math.floor(hearts.length / 2)]!).toBeLessThan(10);
    expect(hearts[hearts.length - 1]!).toBeGreaterThan(200);
  });

  it('obeys the normalization rules exactly', () => {
    const normalizedColumns = DEFAULT_BENCHMARKS.map((b) => b.normalized_column);
    for (const r of records) {
      expect(r['Average ⬆️']).toBe(averageScore(normalizedColumns.map((column) => r[column] as number)));
      for (const b of DEFAULT_BENCHMARKS) {
        const raw = r[b.raw_column] as number;
        const normalized = r[b.normalized_column] as number;
        expect(raw).toBeGreaterThanOrEqual(0);
        expect(raw).toBeLessThanOrEqual(1);
        expect(normalized).toBeGreaterThanOrEqual(0);
        expect(normalized).toBeLessThanOrEqual(100);
        if (b.sources.length === 1) expect(normalized).toBe(normalizeScore(raw, lowerBound(b.sources[0]!), higherBound(b.sources[0]!)));
      }
    }
    const averages = records.map((r) => r['Average ⬆️'] as number).sort((a, b) => a - b);
    const median = averages[Math.floor(averages.length / 2)]!;
    expect(median).toBeGreaterThan(10);
    expect(median).toBeLessThan(40);
    // Weak models land under the GPQA baseline and normalize to 0, as real ones do.
    expect(records.some((r) => r.GPQA === 0 && (r['GPQA Raw'] as number) > 0)).toBe(true);
  });

  it('writes official providers and highlights exactly their models', async () => {
    const { orgs } = await readOfficialProviders(createLocalDatasets(dir)['official-providers']);
    expect(orgs.size).toBe(summary.officialProviders);
    expect(orgs.size).toBeGreaterThanOrEqual(5);
    for (const r of records) expect(r[HIGHLIGHT_COLUMN]).toBe(orgs.has((r.fullname as string).split('/')[0]!));
  });

  it('writes a FINISHED request per row and pending, running and failed ones for other models', async () => {
    const requests = await allRequests(createLocalDatasets(dir).requests);
    expect(requests.size).toBe(summary.rows + 40);
    expect(summary.requests).toEqual({ pending: 30, running: 5, finished: summary.rows, failed: 5 });
    for (const r of records) {
      const request = requests.get(requestFilePath(r.fullname as string, r.Precision as string, r['Weight type'] as string));
      expect(request?.status).toBe('FINISHED');
      expect(request?.revision).toBe(r['Model sha']);
      expect(request?.params).toBe(r['#Params (B)']);
    }
    const onBoard = new Set(records.map((r) => r.fullname));
    const byStatus = count([...requests.values()].map((request) => request.status));
    expect(Object.fromEntries(byStatus)).toEqual({ FINISHED: summary.rows, PENDING: 30, RUNNING: 5, FAILED: 5 });
    for (const request of requests.values()) {
      expect(request.submitted_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(request.submitted_time)).toBeLessThanOrEqual(NOW.getTime());
      if (request.status === 'FINISHED') continue;
      expect(onBoard.has(request.model)).toBe(false);
      if (request.status === 'PENDING') {
        expect(request.job_id).toBe(-1);
        expect(request.job_start_time).toBeNull();
      } else {
        expect(request.job_id).not.toBe(-1);
        expect(request.job_start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
    }
  });

  it('writes votes, mostly on queued models, at most one per (model, revision, user, precision), in time order', async () => {
    const votes = decodeVoteLines(await readText(createLocalDatasets(dir).votes, VOTES_FILE_PATH));
    expect(votes).toHaveLength(summary.votes);
    expect(votes.length).toBeGreaterThanOrEqual(100);
    const keys = new Set(votes.map((v) => `${v.model}\0${v.revision}\0${v.username}\0${v.precision}`));
    expect(keys.size).toBe(votes.length);
    const requests = await allRequests(createLocalDatasets(dir).requests);
    const queued = new Set([...requests.values()].filter((r) => r.status === 'PENDING' || r.status === 'RUNNING').map((r) => r.model));
    const finished = new Map(records.map((r) => [r.fullname as string, r['Model sha']]));
    const onQueued = votes.filter((v) => queued.has(v.model)).length;
    expect(onQueued).toBeGreaterThan(votes.length / 2);
    expect(onQueued).toBeLessThan(votes.length);
    for (const vote of votes) {
      if (!queued.has(vote.model)) expect(finished.get(vote.model)).toBe(vote.revision);
      expect(Date.parse(vote.timestamp)).toBeLessThanOrEqual(NOW.getTime());
    }
    const timestamps = votes.map((v) => v.timestamp);
    expect(timestamps).toEqual([...timestamps].sort());
    expect(new Set(votes.map((v) => v.vote_type))).toEqual(new Set(['up', 'down']));
    // Each queued submission carries its sender's automatic upvote.
    for (const request of requests.values()) {
      if (request.status !== 'PENDING') continue;
      expect(votes.some((v) => v.model === request.model && v.username === request.sender && v.vote_type === 'up')).toBe(true);
    }
  });
});

describe('createDemoDataset (options)', () => {
  it('is deterministic: same seed and now, identical bytes in every file', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const options = { models: 120, votes: 500, requests: 16, seed: 7, now: NOW };
    await createDemoDataset(createLocalDatasets(a), options);
    await createDemoDataset(createLocalDatasets(b), options);
    for (const name of ['contents', 'requests', 'votes', 'official-providers'] as const) {
      const repoA = createLocalDatasets(a)[name];
      const repoB = createLocalDatasets(b)[name];
      const files = (await repoA.list()).map((f) => f.path);
      expect((await repoB.list()).map((f) => f.path)).toEqual(files);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(Buffer.from((await repoB.read(file))!).equals(Buffer.from((await repoA.read(file))!)), file).toBe(true);
    }
    // Another seed gives another board.
    const c = await tempDir();
    await createDemoDataset(createLocalDatasets(c), { ...options, seed: 8 });
    const contentsA = await createLocalDatasets(a).contents.read('data/train-00000-of-00001.parquet');
    const contentsC = await createLocalDatasets(c).contents.read('data/train-00000-of-00001.parquet');
    expect(Buffer.from(contentsA!).equals(Buffer.from(contentsC!))).toBe(false);
  });

  it('writes exactly the requested numbers of votes and queue requests, and replaces an earlier demo', async () => {
    const dir = await tempDir();
    await createDemoDataset(createLocalDatasets(dir), { models: 50, votes: 3000, requests: 200, now: NOW });
    const summary = await createDemoDataset(createLocalDatasets(dir), { models: 20, votes: 1234, requests: 8, now: NOW });
    expect(summary.votes).toBe(1234);
    expect(summary.requests.pending + summary.requests.running + summary.requests.failed).toBe(8);
    const datasets = createLocalDatasets(dir);
    expect(decodeVoteLines(await readText(datasets.votes, VOTES_FILE_PATH))).toHaveLength(1234);
    expect(await datasets.requests.list()).toHaveLength(summary.rows + 8);
    expect((await readContentsTable(datasets.contents)).records).toHaveLength(summary.rows);
  });

  it('handles zero votes and zero queue requests', async () => {
    const dir = await tempDir();
    const summary = await createDemoDataset(createLocalDatasets(dir), { models: 10, votes: 0, requests: 0, now: NOW });
    expect(summary.requests).toEqual({ pending: 0, running: 0, finished: summary.rows, failed: 0 });
    expect(await readText(createLocalDatasets(dir).votes, VOTES_FILE_PATH)).toBe('');
  });

  it('follows configured benchmarks and organization', async () => {
    const benchmarks: BenchmarkDefinition[] = [
      {
        key: 'quiz',
        name: 'Quiz',
        raw_column: 'Quiz Raw',
        normalized_column: 'Quiz',
        aggregate: 'mean',
        sources: [
          { task: 'quiz_easy', metric: 'acc,none', num_choices: 4 },
          { task: 'quiz_hard', metric: 'acc,none', num_choices: 3 },
          { task: 'quiz_open', metric: 'exact_match,none' },
        ],
      },
      DEFAULT_BENCHMARKS[3]!,
      {
        key: 'judge',
        name: 'Judge',
        raw_column: 'Judge Raw',
        normalized_column: 'Judge',
        aggregate: 'task',
        sources: [{ task: 'judge_score', metric: 'score,none', lower_bound: 0.1, higher_bound: 10 }],
      },
    ];
    const dir = await tempDir();
    await createDemoDataset(createLocalDatasets(dir), { models: 60, benchmarks, now: NOW, organization: 'my-board' });
    const { records, columns } = await readContentsTable(createLocalDatasets(dir).contents);
    const names = columns.map((column) => column.name);
    expect(names).toContain('Quiz Raw');
    expect(names).toContain('GPQA');
    expect(names).not.toContain('BBH');
    expect(new Set(records.map((r) => r['Judge Raw'])).size).toBeGreaterThan(30);
    for (const r of records) {
      expect(r['Average ⬆️']).toBe(averageScore([r.Quiz as number, r.GPQA as number, r.Judge as number]));
      expect(r['Judge Raw']).toBeLessThanOrEqual(10);
      expect(r.Judge).toBe(normalizeScore(r['Judge Raw'] as number, 0.1, 10));
      expect(r.Judge).toBeLessThanOrEqual(100);
      expect(r.Model).toContain(`https://huggingface.co/datasets/my-board/${(r.fullname as string).replace('/', '__')}-details`);
    }
  });

  it('rejects impossible counts', async () => {
    const datasets = createLocalDatasets(await tempDir());
    await expect(createDemoDataset(datasets, { models: 0 })).rejects.toThrow(/models/);
    await expect(createDemoDataset(datasets, { votes: -1 })).rejects.toThrow(/votes/);
    await expect(createDemoDataset(datasets, { requests: 1.5 })).rejects.toThrow(/requests/);
  });

  it('builds the Model anchor of the original', () => {
    expect(modelAnchorHtml('0-hero/Matter-0.2-7B-DPO', 'open-llm-leaderboard')).toBe(
      '<a target="_blank" href="https://huggingface.co/0-hero/Matter-0.2-7B-DPO" style="color: var(--link-text-color); text-decoration: underline;text-decoration-style: dotted;">0-hero/Matter-0.2-7B-DPO</a>  <a target="_blank" href="https://huggingface.co/datasets/open-llm-leaderboard/0-hero__Matter-0.2-7B-DPO-details" style="color: var(--link-text-color); text-decoration: underline;text-decoration-style: dotted;">📑</a>',
    );
  });
});

describe('demo-data command', () => {
  function io(): CliIo & { lines: string[]; errors: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    return { env: {}, out: (l) => lines.push(l), err: (l) => errors.push(l), interactive: false, lines, errors };
  }

  it('writes a DATA_DIR layout and prints a one-line summary', async () => {
    const dir = path.join(await tempDir(), 'data');
    const cli = io();
    const code = await demoDataCommand.run(['--models', '30', '--out', dir, '--seed', '3', '--votes=50', '--requests', '4', '--now', NOW.toISOString()], cli);
    expect(code).toBe(0);
    expect(cli.lines).toHaveLength(1);
    expect(cli.lines[0]).toMatch(/30 models .*50 votes/);
    expect((await readdir(dir)).sort()).toEqual(['contents', 'official-providers', 'requests', 'votes']);
    expect(await readdir(path.join(dir, 'contents', 'data'))).toEqual(['train-00000-of-00001.parquet']);
    expect(await readdir(path.join(dir, 'votes'))).toEqual(['votes_data.jsonl']);
    // An existing dataset folder is only replaced with --force.
    const again = io();
    expect(await demoDataCommand.run(['--out', dir, '--models', '5'], again)).toBe(1);
    expect(again.errors.join('\n')).toMatch(/--force/);
    expect(await demoDataCommand.run(['--out', dir, '--models', '5', '--force'], io())).toBe(0);
  });

  it('rejects bad arguments with a UsageError', async () => {
    const dir = await tempDir();
    for (const argv of [
      [],
      ['--out', dir, '--models', 'abc'],
      ['--out', dir, '--models', '0'],
      ['--out', dir, '--votes', '-3'],
      ['--out', dir, '--seed', '1.5'],
      ['--out', dir, '--now', 'yesterday'],
      ['--out', dir, '--unknown'],
      ['--out', dir, 'extra'],
    ]) {
      await expect(demoDataCommand.run(argv, io()), argv.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
  });
});

describe('vote rows', () => {
  const vote: VoteRecord = {
    model: 'org/model-7B',
    revision: 'a'.repeat(40),
    username: 'alice',
    timestamp: '2025-01-02T03:04:05Z',
    vote_type: 'up',
    precision: 'bfloat16',
  };

  it('encodes as Python json.dumps did, and decodes back', () => {
    const line = encodeVoteLine(vote);
    expect(line).toBe(
      `{"model": "org/model-7B", "revision": "${'a'.repeat(40)}", "username": "alice", "timestamp": "2025-01-02T03:04:05Z", "vote_type": "up", "precision": "bfloat16"}`,
    );
    expect(decodeVoteLine(line)).toEqual(vote);
    const unusual = { ...vote, username: 'zoë "the" \\ user 🚀' };
    const escaped = encodeVoteLine(unusual);
    expect(escaped).toContain('"username": "zo\\u00eb \\"the\\" \\\\ user \\ud83d\\ude80"');
    expect(decodeVoteLine(escaped)).toEqual(unusual);
    expect(decodeVoteLines(encodeVoteLines([vote, unusual]))).toEqual([vote, unusual]);
    // Compact JSON (other writers) and CRLF line ends are read too.
    expect(decodeVoteLines(`${JSON.stringify(vote)}\r\n\n${JSON.stringify(unusual)}\n`)).toEqual([vote, unusual]);
  });

  it('rejects malformed lines with an error naming the problem and the line', () => {
    const bad: [string, RegExp][] = [
      ['not json', /invalid JSON/],
      ['[1,2]', /not a JSON object/],
      ['"text"', /not a JSON object/],
      [JSON.stringify({ ...vote, vote_type: 'sideways' }), /vote_type/],
      [JSON.stringify({ ...vote, timestamp: '2025-01-02 03:04:05' }), /timestamp/],
      [JSON.stringify({ ...vote, timestamp: '2025-02-30T03:04:05Z' }), /timestamp/],
      [JSON.stringify({ ...vote, timestamp: '2025-01-02T03:04:05.123Z' }), /timestamp/],
      [JSON.stringify({ ...vote, precision: undefined }), /missing "precision"/],
      [JSON.stringify({ ...vote, username: 42 }), /"username" must be a string/],
      [JSON.stringify({ ...vote, model: '' }), /"model" is empty/],
      [JSON.stringify({ ...vote, extra: 1 }), /unexpected field "extra"/],
      ['', /empty line/],
    ];
    for (const [line, message] of bad) expect(() => decodeVoteLine(line), line).toThrow(message);
    expect(() => decodeVoteLines(`${encodeVoteLine(vote)}\n{broken\n`)).toThrow(/^line 2: invalid JSON/);
    expect(() => encodeVoteLine({ ...vote, vote_type: 'meh' as 'up' })).toThrow(/vote_type/);
    expect(decodeVoteLine(JSON.stringify({ ...vote, timestamp: '2024-02-29T23:59:59Z' })).timestamp).toBe('2024-02-29T23:59:59Z');
  });
});
