/**
 * The evaluation pipeline end to end on the Hub emulator: submit → claim → status → results →
 * the model is on the leaderboard with the right scores and rank; failures, timeouts, races,
 * rejected results files, and exports.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeContentsParquet } from '../../src/datasets/contents-table.js';
import { decodeRequestFile, type EvalRequest } from '../../src/datasets/request-file.js';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { ADMIN_USER, VALID_MODEL, SEED_DATE } from '../hub-emulator/index.js';
import { startHarness, type Harness } from './submissions-harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/results/${name}`, import.meta.url), 'utf8');

/** [raw, normalized] of test/fixtures/results/valid-model-bfloat16.json, computed with exact fractions. */
const EXPECTED: Record<string, [number, number]> = {
  ifeval: [0.2042824151030377, 20.42824151030377],
  bbh: [0.42433973996499685, 19.030974280815137],
  math: [0.0891238670694864, 8.91238670694864],
  gpqa: [0.25838926174496646, 1.1185682326621944],
  musr: [0.4535, 16.020833333333336],
  mmlu_pro: [0.1400432180851064, 4.44924645390071],
};
const EXPECTED_AVERAGE = Object.values(EXPECTED).reduce((sum, [, normalized]) => sum + normalized, 0) / 6;

function expectRelative(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

let h: Harness;
let worker: string;
let admin: string;

async function call(method: string, url: string, body?: unknown, token?: string | null) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${h.app.url}${url}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers, text };
}

const claim = (token = worker) => call('POST', '/api/evaluations/claim', undefined, token);
const setStatus = (job: string, body: unknown, token = worker) => call('POST', `/api/evaluations/${job}/status`, body, token);
const postResults = (job: string, body: unknown, token = worker) => call('POST', `/api/evaluations/${job}/results`, body, token);

async function requestFile(path: string): Promise<EvalRequest> {
  return decodeRequestFile((await h.requestFiles()).get(path)!);
}

/** The valid-model results file, for the emulator's commit of the model. */
function validResults(): Record<string, any> {
  const doc = JSON.parse(fixture('valid-model-bfloat16.json'));
  doc.config.model_sha = h.hub.modelHead(VALID_MODEL);
  doc.config.model_revision = doc.config.model_sha;
  return doc;
}

function pendingRequest(model: string, submitted: string, extra: Partial<EvalRequest> = {}): EvalRequest {
  return {
    model,
    base_model: '',
    revision: 'f'.repeat(40),
    precision: 'bfloat16',
    params: 7,
    architectures: 'LlamaForCausalLM',
    weight_type: 'Original',
    status: 'PENDING',
    submitted_time: submitted,
    model_type: 'fine-tuned',
    job_id: -1,
    job_start_time: null,
    use_chat_template: false,
    sender: 'someone',
    ...extra,
  };
}

beforeAll(async () => {
  h = await startHarness({ env: { AUTH_PROVIDERS: 'hub,local', JOB_TIMEOUT: '3600', ADMIN_USERS: ADMIN_USER.name } });
  const store = LocalTokenStore.forDataDir(h.app.dataDir);
  worker = (await store.create('gpu-worker', { roles: ['worker'] })).token;
  admin = ADMIN_USER.token;
});
afterAll(() => h?.close());

describe('submit → claim → status → results → leaderboard', () => {
  let jobId: string;
  let path: string;

  it('a submission is claimed: RUNNING with a job id and start time in its request file', async () => {
    const submitted = await h.submit({ model_id: VALID_MODEL, precision: 'bfloat16', model_type: 'chat', use_chat_template: true });
    expect(submitted.status).toBe(200);
    path = submitted.body.path;

    h.clock.set('2025-01-15T11:00:00Z');
    const claimed = await claim();
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: 'RUNNING',
      model: VALID_MODEL,
      revision: h.hub.modelHead(VALID_MODEL),
      precision: 'bfloat16',
      use_chat_template: true,
      job_start_time: '2025-01-15T11:00:00Z',
      worker: 'gpu-worker',
      request_file: path,
    });
    jobId = claimed.body.job_id;
    const file = await requestFile(path);
    expect(file).toMatchObject({ status: 'RUNNING', job_id: jobId, job_start_time: '2025-01-15T11:00:00Z', sender: 'alice' });

    const queue = await h.get('/api/models/status');
    expect(queue.body.evaluating.map((item: any) => item.name)).toContain(VALID_MODEL);
    // Nothing else is pending.
    expect((await claim()).status).toBe(204);
  });

  it('RUNNING with a log URL is a heartbeat kept in the request file', async () => {
    h.clock.set('2025-01-15T11:30:00Z');
    const response = await setStatus(jobId, { status: 'RUNNING', log_url: 'https://logs.example/job/1' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'RUNNING', job_updated_time: '2025-01-15T11:30:00Z', log_url: 'https://logs.example/job/1' });
    expect(await requestFile(path)).toMatchObject({ job_updated_time: '2025-01-15T11:30:00Z', log_url: 'https://logs.example/job/1' });
  });

  it('a results file missing a task is a 400 naming it, and nothing changes', async () => {
    const before = await h.requestFiles();
    const contentsBefore = await h.app.services.datasets.contents.version();
    const missing = JSON.parse(fixture('missing-gpqa.json'));
    const response = await postResults(jobId, missing);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_ERROR');
    expect(response.body.detail).toContain('leaderboard_gpqa');
    expect(response.body.problems).toEqual(['missing task "leaderboard_gpqa" (needed by GPQA)']);
    expect(await h.requestFiles()).toEqual(before);
    expect(await h.app.services.datasets.contents.version()).toBe(contentsBefore);
    expect(await h.app.services.datasets.results.list()).toEqual([]);
  });

  it('results for another model or another commit are refused', async () => {
    const other = validResults();
    other.config.model_name = 'emulated/sharded-model';
    other.model_name = 'emulated/sharded-model';
    expect((await postResults(jobId, other)).status).toBe(400);
    const otherSha = validResults();
    otherSha.config.model_sha = '1'.repeat(40);
    const response = await postResults(jobId, otherSha);
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('1'.repeat(40));
  });

  it('the results put the model on the leaderboard with the documented scores and its rank', async () => {
    h.clock.set('2025-01-15T12:00:00Z');
    const response = await postResults(jobId, validResults());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      eval_name: 'emulated_valid-model_bfloat16',
      model: VALID_MODEL,
      precision: 'bfloat16',
      revision: h.hub.modelHead(VALID_MODEL),
      request_file: path,
      replaced: false,
      results_file: 'emulated/valid-model/results_2025-01-15T12-00-00.000000.json',
    });
    expectRelative(response.body.average, EXPECTED_AVERAGE);

    // The leaderboard shows it at once, with the right scores and rank.
    const formatted = await h.get('/api/leaderboard/formatted');
    const names = formatted.body.models.map((m: any) => m.model.name);
    expect(names).toEqual(['board/model-a', VALID_MODEL]);
    const item = formatted.body.models[1];
    expect(item.rank).toBe(2);
    expect(item.id).toBe(`${VALID_MODEL}_bfloat16_${h.hub.modelHead(VALID_MODEL)}_True`);
    expectRelative(item.model.average_score, EXPECTED_AVERAGE);
    for (const [key, [raw, normalized]] of Object.entries(EXPECTED)) {
      expectRelative(item.evaluations[key].value, raw);
      expectRelative(item.evaluations[key].normalized_score, normalized);
    }
    expect(item.model).toMatchObject({ type: 'chat', precision: 'bfloat16', weight_type: 'Original', architecture: 'LlamaForCausalLM', has_chat_template: true });
    expect(item.metadata).toMatchObject({
      upload_date: SEED_DATE.slice(0, 10),
      submission_date: '2025-01-15',
      generation: '0',
      base_model: VALID_MODEL,
      hub_license: 'apache-2.0',
      hub_hearts: 42,
      params_billions: 6.738,
    });
    expect(item.metadata.co2_cost).toBeCloseTo((2875.1234 / 3600) * 5.6 * 0.2698, 12);
    expect(item.features).toEqual({ is_not_available_on_hub: false, is_merged: false, is_moe: false, is_flagged: false, is_official_provider: false });

    const raw = await h.get('/api/leaderboard');
    const row = raw.body.models.find((r: any) => r.fullname === VALID_MODEL);
    expect(row).toMatchObject({ eval_name: 'emulated_valid-model_bfloat16', Type: '💬 chat models (RLHF, DPO, IFT, ...)', 'Model sha': h.hub.modelHead(VALID_MODEL) });
    expect(row.Model).toContain('href="https://huggingface.co/emulated/valid-model"');
    expect(row.Model).toContain('open-llm-leaderboard/emulated__valid-model-details');

    // The request is FINISHED, the results file is stored verbatim.
    expect(await requestFile(path)).toMatchObject({ status: 'FINISHED', job_id: jobId, results_file: response.body.results_file });
    const stored = await h.app.services.datasets.results.read(response.body.results_file);
    expect(JSON.parse(new TextDecoder().decode(stored!))).toEqual(validResults());
    const queue = await h.get('/api/models/status');
    expect(queue.body.finished.map((i: any) => i.name)).toContain(VALID_MODEL);
    expect((await call('GET', `/api/evaluations/${jobId}`, undefined, worker)).body.status).toBe('FINISHED');
  });

  it('posting again replaces the row of the same eval_name (no duplicate)', async () => {
    h.clock.set('2025-01-15T12:05:00Z');
    const again = validResults();
    again.results.leaderboard_math_hard['exact_match,none'] = 0.25;
    const response = await postResults(jobId, again);
    expect(response.status).toBe(200);
    expect(response.body.replaced).toBe(true);
    const rows = (await h.get('/api/leaderboard')).body.models.filter((r: any) => r.fullname === VALID_MODEL);
    expect(rows).toHaveLength(1);
    expect(rows[0]['MATH Lvl 5']).toBe(25);
    expect(await h.app.services.datasets.results.list(VALID_MODEL)).toHaveLength(2);
    // Two posts in the same second get distinct file names.
    const third = await postResults(jobId, validResults());
    expect(third.body.results_file).not.toBe(response.body.results_file);
    expect(await h.app.services.datasets.results.list(VALID_MODEL)).toHaveLength(3);
  });

  it('takes results files of several MB, and NaN as Python writes it; refuses more than BODY_LIMIT × 16', async () => {
    const big = validResults();
    big.configs = { padding: 'x'.repeat(3_000_000) };
    const text = JSON.stringify(big, null, 2).replace('"N/A"', 'NaN');
    expect(text.length).toBeGreaterThan(3_000_000);
    const response = await postResults(jobId, text);
    expect(response.status).toBe(200);
    const stored = await h.app.services.datasets.results.read(response.body.results_file);
    expect(new TextDecoder().decode(stored!)).toBe(text);
    const huge = await postResults(jobId, JSON.stringify({ results: {}, padding: 'x'.repeat(17 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
  });

  it('a finished job takes no other status', async () => {
    expect((await setStatus(jobId, { status: 'FAILED', reason: 'late' })).status).toBe(409);
    expect((await setStatus(jobId, { status: 'FINISHED' })).status).toBe(200);
  });
});

describe('worker API rules', () => {
  it('needs a worker or admin token', async () => {
    expect((await claim('')).status).toBe(401);
    const alice = await claim('hf_alice_token');
    expect(alice.status).toBe(403);
    expect(alice.body.detail).toContain('worker');
    expect((await claim(admin)).status).toBe(204);
    expect((await setStatus('nope', { status: 'RUNNING' })).status).toBe(404);
    expect((await setStatus('nope', { status: 'DONE' })).status).toBe(400);
    expect((await setStatus('nope', { status: 'FAILED', log_url: 'file:///etc/passwd' })).status).toBe(400);
  });

  it('claims in queue order (net votes, then oldest); racing workers never share a request', async () => {
    await h.seedRequests([
      pendingRequest('queue/old', '2025-01-01T00:00:00Z'),
      pendingRequest('queue/new', '2025-01-10T00:00:00Z'),
      pendingRequest('queue/voted', '2025-01-12T00:00:00Z'),
      pendingRequest('queue/newest', '2025-01-14T00:00:00Z'),
    ]);
    await h.app.services.votes.castVote('bob', { model: 'queue/voted', revision: 'f'.repeat(40), precision: 'bfloat16', vote_type: 'up' });
    const first = await claim();
    expect(first.body.model).toBe('queue/voted');

    const results = await Promise.all([claim(), claim(admin), claim(), claim(admin), claim()]);
    const jobs = results.filter((r) => r.status === 200).map((r) => r.body);
    expect(results.filter((r) => r.status === 204)).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.model))).toEqual(new Set(['queue/old', 'queue/new', 'queue/newest']));
    expect(new Set(jobs.map((j) => j.job_id)).size).toBe(3);
    const files = await h.requestFiles();
    const running = [...files.values()].map(decodeRequestFile).filter((r) => r.model.startsWith('queue/'));
    expect(running.every((r) => r.status === 'RUNNING')).toBe(true);
    // End these jobs, so that the clock jumps of later tests do not time them out.
    for (const job of [first.body, ...jobs]) expect((await setStatus(job.job_id, { status: 'FAILED', reason: 'test over' })).status).toBe(200);
  });

  it('FAILED keeps the reason and log URL, and the queue shows the reason', async () => {
    await h.seedRequests([pendingRequest('fails/model', '2025-01-02T00:00:00Z')]);
    const job = (await claim()).body;
    expect(job.model).toBe('fails/model');
    const failed = await setStatus(job.job_id, { status: 'FAILED', reason: 'CUDA out of memory', log_url: 'https://logs.example/2' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'FAILED', reason: 'CUDA out of memory', log_url: 'https://logs.example/2' });
    const file = await requestFile(job.request_file);
    expect(file).toMatchObject({ status: 'FAILED', reason: 'CUDA out of memory', log_url: 'https://logs.example/2', job_id: job.job_id });
    const queue = await h.get('/api/models/status');
    expect(queue.body.failed.find((i: any) => i.name === 'fails/model')).toMatchObject({ reason: 'CUDA out of memory', log_url: 'https://logs.example/2' });
    const modelStatus = await h.get('/api/models/fails/model/status');
    expect(modelStatus.body.requests[0]).toMatchObject({ reason: 'CUDA out of memory', log_url: 'https://logs.example/2' });
    expect(modelStatus.body.requests[0].job_end_time).toMatch(/Z$/);
    // Repeating the same report is harmless; changing it is not.
    expect((await setStatus(job.job_id, { status: 'FAILED', reason: 'CUDA out of memory' })).status).toBe(200);
    expect((await setStatus(job.job_id, { status: 'RUNNING' })).status).toBe(409);
  });

  it('a job without a status update for JOB_TIMEOUT goes back to pending; a heartbeat keeps it', async () => {
    await h.seedRequests([pendingRequest('slow/model', '2025-01-03T00:00:00Z'), pendingRequest('alive/model', '2025-01-04T00:00:00Z')]);
    h.clock.set('2025-02-01T00:00:00Z');
    const slow = (await claim()).body;
    const alive = (await claim()).body;
    expect([slow.model, alive.model]).toEqual(['slow/model', 'alive/model']);

    h.clock.set('2025-02-01T00:59:00Z');
    expect((await setStatus(alive.job_id, { status: 'RUNNING' })).status).toBe(200);
    expect(await h.app.services.evaluation.sweepTimeouts()).toBe(0);

    // A job another pipeline started (no job_updated_time, as the original wrote them) is left alone.
    await h.seedRequests([pendingRequest('external/job', '2024-12-01T00:00:00Z', { status: 'RUNNING', job_id: 4242, job_start_time: '2024-12-01T01:00:00Z' })]);

    h.clock.set('2025-02-01T01:00:01Z');
    expect(await h.app.services.evaluation.sweepTimeouts()).toBe(1);
    expect((await requestFile('external/job_eval_request_False_bfloat16_Original.json')).status).toBe('RUNNING');
    const requeued = await requestFile(slow.request_file);
    expect(requeued).toMatchObject({ status: 'PENDING', job_id: -1, job_start_time: null, timed_out_job_id: slow.job_id });
    expect(requeued.worker).toBeUndefined();
    expect((await requestFile(alive.request_file)).status).toBe('RUNNING');

    // The timed-out worker is told; the request is claimable again with a new job.
    const late = await setStatus(slow.job_id, { status: 'RUNNING' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('went back to the queue');
    const reclaimed = (await claim()).body;
    expect(reclaimed.model).toBe('slow/model');
    expect(reclaimed.job_id).not.toBe(slow.job_id);
    expect((await setStatus(slow.job_id, { status: 'RUNNING' })).status).toBe(404);

    // A claim also sweeps: the heartbeat-less alive/model job expires an hour after its heartbeat.
    h.clock.set('2025-02-01T02:00:00Z');
    await setStatus(reclaimed.job_id, { status: 'RUNNING' });
    expect((await claim()).body.model).toBe('alive/model');
  });
});

describe('GET /api/leaderboard/export', () => {
  it('csv: the contents columns, RFC 4180, in the order and selection of the query', async () => {
    const response = await call('GET', '/api/leaderboard/export?format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="leaderboard.csv"');
    const lines = response.text.split('\r\n');
    expect(lines[0]!.startsWith('eval_name,Precision,Type,Weight type,Architecture,Model,fullname,Model sha,Average ⬆️,')).toBe(true);
    expect(lines).toHaveLength(4); // header, two rows, final empty
    expect(lines[1]!.startsWith('board_model-a_bfloat16,')).toBe(true);
    expect(lines[2]).toContain('"💬 chat models (RLHF, DPO, IFT, ...)"');
    expect(lines[2]).toContain('"<a target=""_blank"" href=""https://huggingface.co/emulated/valid-model""');
    const filtered = await call('GET', '/api/leaderboard/export?format=csv&search=valid');
    expect(filtered.text.split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('json: the formatted items of the same query', async () => {
    const exported = await call('GET', '/api/leaderboard/export?format=json&sort=-bbh&limit=1');
    const formatted = await h.get('/api/leaderboard/formatted?sort=-bbh&limit=1');
    expect(exported.body).toEqual(formatted.body.models);
  });

  it('parquet: the contents columns with the table types', async () => {
    const response = await fetch(`${h.app.url}/api/leaderboard/export?format=parquet&search=valid`);
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const { records, columns } = await decodeContentsParquet(new Uint8Array(await response.arrayBuffer()));
    expect(records).toHaveLength(1);
    expect(columns.find((c) => c.name === 'Generation')!.type).toBe('int');
    expect(records[0]).toMatchObject({ fullname: VALID_MODEL, 'Hub ❤️': 42, Generation: 0 });
    expectRelative(records[0]!['IFEval'] as number, EXPECTED.ifeval![1]);
  });

  it('rejects an unknown format or parameter', async () => {
    expect((await call('GET', '/api/leaderboard/export?format=xlsx')).status).toBe(400);
    expect((await call('GET', '/api/leaderboard/export')).status).toBe(400);
    expect((await call('GET', '/api/leaderboard/export?format=csv&sort=nope')).status).toBe(400);
  });
});
