/**
 * kill -9 under load. A real server process gets a storm of writes and is SIGKILLed after a
 * random number of acknowledgements; this happens over several rounds on the same DATA_DIR.
 * After each kill the files on disk are checked as they are (before any recovery): every
 * request JSON and contents parquet decodes, every votes line parses except a torn last one.
 * After each restart every acknowledged write is there (a write that was in flight at the kill
 * may or may not be), temporary commit files are gone, and /ready reports only the torn lines.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { baseEnv, killAll, spawnServer, type ChildServer } from './helpers/child-server.js';
import { checkDataDir, type DataDirReport } from './helpers/datasets.js';
import { call } from './helpers/http.js';
import { faultSeed, randomInt, seededRandom, shuffle } from './helpers/random.js';

const USERS = 24;
const MODELS = 12;
const WORKERS = 16;
const ROUNDS = 3;

const dirs: string[] = [];
afterAll(async () => {
  await killAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

type VoteState = 'up' | 'down' | 'none';
type VoteAction = 'up' | 'down' | 'retract';

async function setup(prefix: string) {
  const dataDir = await makeTempDir(prefix);
  dirs.push(dataDir);
  const models = Array.from({ length: MODELS }, (_, i) => `crash-org/model-${i}`);
  await seedContents(dataDir, models.map((fullname) => makeContentsRecord({ fullname })));
  const store = LocalTokenStore.forDataDir(dataDir);
  const tokens = new Map<string, string>();
  for (let i = 0; i < USERS; i++) tokens.set(`user${i}`, (await store.create(`user${i}`)).token);
  return { dataDir, models, tokens };
}

/** The on-disk check right after a kill: nothing half-written is readable as data. */
function expectConsistentAfterKill(report: DataDirReport, knownFragments: Set<string>): void {
  expect(report.invalid, 'request JSON / contents parquet that do not decode').toEqual([]);
  for (const file of report.votes) {
    // Lines torn by an earlier kill stay in the log (it is never rewritten) and are skipped.
    const unexpected = file.badLines.filter((bad) => !knownFragments.has(bad.text));
    expect(unexpected, `unparseable lines in the middle of votes/${file.file}`).toEqual([]);
    if (file.tornTail !== undefined) knownFragments.add(file.tornTail);
  }
}

/** After a restart: recovery swept every temporary commit file and journal. */
function expectNoTemporaryFiles(report: DataDirReport): void {
  expect(report.temporary, 'temporary commit files or journals left after the restart').toEqual([]);
}

/** Runs `jobs` with WORKERS concurrent workers until `shouldKill()` says so; kills the server then. */
async function storm<J>(
  server: ChildServer,
  jobs: J[],
  send: (job: J) => Promise<{ status: number; body: unknown }>,
  onAck: (job: J, body: any) => void,
  shouldKill: () => boolean,
): Promise<{ inFlightAtKill: J[]; killed: boolean }> {
  let next = 0;
  let killed = false;
  const inFlight = new Set<J>();
  const inFlightAtKill: J[] = [];
  const worker = async () => {
    while (!killed && next < jobs.length) {
      const job = jobs[next++]!;
      inFlight.add(job);
      let answer: { status: number; body: unknown } | undefined;
      try {
        answer = await send(job);
      } catch (error) {
        if (!killed) throw error;
      }
      inFlight.delete(job);
      if (answer === undefined) {
        inFlightAtKill.push(job); // the connection died with the server
        continue;
      }
      if (answer.status < 200 || answer.status >= 300) {
        throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
      onAck(job, answer.body);
      if (!killed && shouldKill()) {
        killed = true;
        server.child.kill('SIGKILL');
        inFlightAtKill.push(...inFlight);
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await server.exited();
  return { inFlightAtKill, killed };
}

function serverEnv(dataDir: string) {
  return baseEnv(dataDir, { CACHE_TTL: '300' });
}

describe('kill -9 during a vote storm', () => {
  it('keeps every acknowledged vote and change, and leaves only valid votes lines', async () => {
    const random = seededRandom(faultSeed('vote storm'));
    const { dataDir, models, tokens } = await setup('faults-vote-crash-');
    const users = [...tokens.keys()];
    const confirmed = new Map<string, VoteState>();
    const possible = new Map<string, Set<VoteState>>();
    const key = (user: string, model: string) => `${user}\0${model}`;
    const fragments = new Set<string>();
    let totalAcks = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const server = await spawnServer(serverEnv(dataDir));
      if (round > 0) expectNoTemporaryFiles(await checkDataDir(dataDir));
      const jobs: Array<{ user: string; model: string; action: VoteAction }> = [];
      for (const user of users) {
        for (const model of models) {
          const roll = random();
          const action: VoteAction = round === 0 ? (roll < 0.6 ? 'up' : 'down') : roll < 0.4 ? 'up' : roll < 0.8 ? 'down' : 'retract';
          jobs.push({ user, model, action });
        }
      }
      shuffle(random, jobs);
      const killAfter = randomInt(random, 30, Math.floor(jobs.length * 0.6));
      let acks = 0;
      const result = await storm(
        server,
        jobs,
        (job) =>
          job.action === 'retract'
            ? call(server.url, 'DELETE', `/api/votes/${job.model}`, { token: tokens.get(job.user)! })
            : call(server.url, 'POST', `/api/votes/${job.model}`, { token: tokens.get(job.user)!, body: { vote_type: job.action } }),
        (job) => {
          acks++;
          const k = key(job.user, job.model);
          confirmed.set(k, job.action === 'retract' ? 'none' : job.action);
          possible.delete(k);
        },
        () => acks >= killAfter,
      );
      expect(result.killed, 'the storm ended before the kill').toBe(true);
      expect(server.child.signalCode).toBe('SIGKILL');
      totalAcks += acks;
      for (const job of result.inFlightAtKill) {
        const k = key(job.user, job.model);
        const set = possible.get(k) ?? new Set<VoteState>();
        set.add(job.action === 'retract' ? 'none' : job.action);
        possible.set(k, set);
      }
      expectConsistentAfterKill(await checkDataDir(dataDir), fragments);
    }

    const server = await spawnServer(serverEnv(dataDir));
    try {
      expectNoTemporaryFiles(await checkDataDir(dataDir));
      const wrong: string[] = [];
      for (const user of users) {
        const votes = (await call<Array<{ model: string; vote_type: string }>>(server.url, 'GET', `/api/votes/user/${user}`)).body;
        for (const model of models) {
          const k = key(user, model);
          const actual: VoteState = (votes.find((v) => v.model === model)?.vote_type as VoteState | undefined) ?? 'none';
          const allowed = new Set<VoteState>([confirmed.get(k) ?? 'none', ...(possible.get(k) ?? [])]);
          if (!allowed.has(actual)) wrong.push(`${user} ${model}: ${actual}, expected ${[...allowed].join(' or ')}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(totalAcks).toBeGreaterThan(ROUNDS * 30 - 1);
      // /ready lists torn lines, and nothing else, as problems.
      const ready = await call<{ problems: Array<{ dataset: string; reason: string }> }>(server.url, 'GET', '/ready');
      expect(ready.status).toBe(200);
      for (const problem of ready.body.problems) expect(problem.reason).toMatch(/torn last line|line \d+/);
      expect(ready.body.problems.length).toBeLessThanOrEqual(fragments.size);
    } finally {
      await server.stop();
    }
  });
});

describe('kill -9 during submissions', () => {
  it('keeps every acknowledged submission (valid request file, its vote) and never a torn request file', async () => {
    const random = seededRandom(faultSeed('submission storm'));
    const { dataDir, models, tokens } = await setup('faults-submit-crash-');
    const users = [...tokens.keys()];
    const fragments = new Set<string>();
    const acked: Array<{ model: string; user: string; path: string; voteRecorded: boolean }> = [];
    const ackedVotes = new Map<string, 'up' | 'down'>();
    let submitted = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const server = await spawnServer(serverEnv(dataDir));
      if (round > 0) expectNoTemporaryFiles(await checkDataDir(dataDir));
      // Submissions of new models, interleaved with votes on the board's models.
      type Job = { kind: 'submit'; user: string; model: string } | { kind: 'vote'; user: string; model: string; vote: 'up' | 'down' };
      const jobs: Job[] = [];
      for (let i = 0; i < 60; i++) {
        const user = users[i % users.length]!;
        jobs.push({ kind: 'submit', user, model: `ns-${round}-${i % 7}/model-${round}-${i}` });
        jobs.push({ kind: 'vote', user, model: models[randomInt(random, 0, models.length - 1)]!, vote: random() < 0.5 ? 'up' : 'down' });
      }
      shuffle(random, jobs);
      // Same (user, model) vote twice in one round would make the expected value ambiguous.
      const seen = new Set<string>();
      const roundJobs = jobs.filter((job) => job.kind === 'submit' || (!seen.has(`${job.user}\0${job.model}`) && seen.add(`${job.user}\0${job.model}`)));
      const killAfter = randomInt(random, 3, 20);
      let submitAcks = 0;
      const result = await storm(
        server,
        roundJobs,
        (job) =>
          job.kind === 'submit'
            ? call(server.url, 'POST', '/api/models/submit', {
                token: tokens.get(job.user)!,
                body: { model_id: job.model, model_type: 'fine-tuned', precision: 'bfloat16' },
              })
            : call(server.url, 'POST', `/api/votes/${job.model}`, { token: tokens.get(job.user)!, body: { vote_type: job.vote } }),
        (job, body) => {
          if (job.kind === 'submit') {
            submitAcks++;
            acked.push({ model: job.model, user: job.user, path: body.path, voteRecorded: body.vote_recorded });
          } else {
            ackedVotes.set(`${job.user}\0${job.model}`, job.vote);
          }
        },
        () => submitAcks >= killAfter,
      );
      expect(result.killed, 'the storm ended before the kill').toBe(true);
      submitted += submitAcks;
      // Votes in flight at the kill make their key ambiguous: forget what we expected there.
      for (const job of result.inFlightAtKill) if (job.kind === 'vote') ackedVotes.delete(`${job.user}\0${job.model}`);
      expectConsistentAfterKill(await checkDataDir(dataDir), fragments);
    }

    const server = await spawnServer(serverEnv(dataDir));
    try {
      const report = await checkDataDir(dataDir);
      expectNoTemporaryFiles(report);
      expect(report.invalid).toEqual([]);
      const missing: string[] = [];
      for (const submission of acked) {
        expect(report.requestFiles).toContain(submission.path);
        const status = await call(server.url, 'GET', `/api/models/${submission.model}/status`);
        if (status.status !== 200 || status.body.status !== 'PENDING') missing.push(`${submission.model}: ${status.status} ${status.text}`);
      }
      expect(missing).toEqual([]);
      const pending = (await call<Array<{ name: string }>>(server.url, 'GET', '/api/models/pending')).body.map((item) => item.name);
      for (const submission of acked) expect(pending).toContain(submission.model);
      // The submitter's automatic up vote, when the answer said it was recorded; and every acked vote.
      const lost: string[] = [];
      for (const user of users) {
        const votes = (await call<Array<{ model: string; vote_type: string }>>(server.url, 'GET', `/api/votes/user/${user}`)).body;
        for (const submission of acked.filter((s) => s.user === user && s.voteRecorded)) {
          if (!votes.some((v) => v.model === submission.model && v.vote_type === 'up')) lost.push(`auto vote ${user} ${submission.model}`);
        }
        for (const [k, vote] of ackedVotes) {
          const [voter, model] = k.split('\0');
          if (voter === user && !votes.some((v) => v.model === model && v.vote_type === vote)) lost.push(`vote ${user} ${model} ${vote}`);
        }
      }
      expect(lost).toEqual([]);
      expect(submitted).toBeGreaterThanOrEqual(ROUNDS * 3);
    } finally {
      await server.stop();
    }
  });
});
