/**
 * The example leaderboard with other benchmarks (examples/other-benchmarks): a configuration
 * file, no code change. Results come in through the CLI and through the worker API, and
 * /formatted shows exactly the configured evaluations with hand-computed scores.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/run.js';
import { encodeRequestFile, requestFilePath, type EvalRequest } from '../../src/datasets/request-file.js';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { createLocalDatasets } from '../../src/storage/local-repo.js';
import { makeTempDir, startTestApp, type TestApp } from '../helpers/app.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';

const example = (file: string) => fileURLToPath(new URL(`../../examples/other-benchmarks/${file}`, import.meta.url));
const REASONER_SHA = '3a6c9f0e1b2d4c5a6b7c8d9e0f1a2b3c4d5e6f70';

/** By hand: (k/n − 1/4)/(3/4) × 100 for ARC and HellaSwag (clipped at 0); GSM8K the mean of two exact matches × 100. */
const REASONER = {
  arc: [620 / 1172, ((620 / 1172 - 0.25) / 0.75) * 100],
  hellaswag: [7900 / 10042, ((7900 / 10042 - 0.25) / 0.75) * 100],
  gsm8k: [(500 / 1319 + 530 / 1319) / 2, ((500 / 1319) * 100 + (530 / 1319) * 100) / 2],
} as const;
const TINY = {
  arc: [290 / 1172, 0],
  hellaswag: [2400 / 10042, 0],
  gsm8k: [(13 / 1319 + 21 / 1319) / 2, ((13 / 1319) * 100 + (21 / 1319) * 100) / 2],
} as const;

function expectRelative(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

let hub: HubEmulator;
let dataDir: string;
let env: Record<string, string>;
let app: TestApp;
let worker: string;

beforeAll(async () => {
  hub = await startHubEmulator();
  dataDir = await makeTempDir();
  env = { DATA_DIR: dataDir, HUB_URL: hub.url, LOG_LEVEL: 'silent', BENCHMARKS_FILE: example('benchmarks.yaml'), HUB_TIMEOUT: '5' };
});
afterAll(async () => {
  await app?.close();
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a leaderboard with other benchmarks, from a configuration file', () => {
  it('the CLI ingests a results file evaluated elsewhere', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { env, out: (line) => out.push(line), err: (line) => err.push(line), interactive: false };
    const code = await runCli(['ingest-results', example('results/tiny-1b.json'), '--model-type', 'pretrained'], io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toContain('example-org_tiny-1b_float16');
  });

  it('the worker API refuses a file without a configured task, then ingests the right one', async () => {
    const request: EvalRequest = {
      model: 'example-org/reasoner-7b',
      base_model: '',
      revision: REASONER_SHA,
      precision: 'bfloat16',
      params: 7.616,
      architectures: 'Qwen2ForCausalLM',
      weight_type: 'Original',
      status: 'PENDING',
      submitted_time: '2025-01-19T09:00:00Z',
      model_type: 'chat',
      job_id: -1,
      job_start_time: null,
      use_chat_template: true,
      sender: 'alice',
    };
    await createLocalDatasets(dataDir).requests.commit(
      [{ op: 'put', path: requestFilePath(request.model, 'bfloat16', 'Original'), content: new TextEncoder().encode(encodeRequestFile(request)) }],
      'seed',
    );
    worker = (await LocalTokenStore.forDataDir(dataDir).create('worker', { roles: ['worker'] })).token;
    app = await startTestApp({ dataDir, env: { ...env, AUTH_PROVIDERS: 'local', RATE_LIMIT_MAX: '1000' } });
    const post = (url: string, body?: unknown) =>
      fetch(`${app.url}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${worker}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });

    const job = (await (await post('/api/evaluations/claim')).json()) as { job_id: string; model: string };
    expect(job.model).toBe('example-org/reasoner-7b');

    const doc = JSON.parse(readFileSync(example('results/reasoner-7b.json'), 'utf8'));
    const withoutGsm8k = structuredClone(doc);
    delete withoutGsm8k.results.gsm8k['exact_match,flexible-extract'];
    const refused = await post(`/api/evaluations/${job.job_id}/results`, withoutGsm8k);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { detail: string }).detail).toContain('task "gsm8k" has no metric "exact_match,flexible-extract" (needed by GSM8K)');

    const accepted = await post(`/api/evaluations/${job.job_id}/results`, doc);
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { eval_name: string }).eval_name).toBe('example-org_reasoner-7b_bfloat16');
  });

  it('/formatted shows exactly the configured evaluations, scored and ranked', async () => {
    const body = (await (await fetch(`${app.url}/api/leaderboard/formatted`)).json()) as { models: any[] };
    expect(body.models.map((m) => [m.model.name, m.rank])).toEqual([
      ['example-org/reasoner-7b', 1],
      ['example-org/tiny-1b', 2],
    ]);
    for (const [item, expected] of [
      [body.models[0], REASONER],
      [body.models[1], TINY],
    ] as const) {
      expect(Object.keys(item.evaluations)).toEqual(['arc', 'hellaswag', 'gsm8k']);
      expect(item.evaluations.arc.name).toBe('ARC-Challenge');
      for (const key of ['arc', 'hellaswag', 'gsm8k'] as const) {
        expectRelative(item.evaluations[key].value, expected[key][0]);
        expectRelative(item.evaluations[key].normalized_score, expected[key][1]);
      }
      expectRelative(item.model.average_score, (expected.arc[1] + expected.hellaswag[1] + expected.gsm8k[1]) / 3);
    }
    expect(body.models[0].model.type).toBe('chat');
    expect(body.models[1].model.type).toBe('pretrained');
    // Not on the Hub (the emulator does not know these models).
    expect(body.models[1].features.is_not_available_on_hub).toBe(true);

    const raw = (await (await fetch(`${app.url}/api/leaderboard`)).json()) as { models: Record<string, unknown>[] };
    const columns = Object.keys(raw.models[0]!);
    expect(columns).toEqual(expect.arrayContaining(['ARC Raw', 'ARC', 'HellaSwag Raw', 'HellaSwag', 'GSM8K Raw', 'GSM8K']));
    expect(columns).not.toContain('IFEval');
    const csv = await (await fetch(`${app.url}/api/leaderboard/export?format=csv`)).text();
    expect(csv.split('\r\n')[0]).toContain(',ARC Raw,ARC,HellaSwag Raw,HellaSwag,GSM8K Raw,GSM8K,');
  });
});
