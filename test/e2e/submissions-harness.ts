/**
 * Shared setup of the submission and queue e2e tests: the seeded Hub emulator, the whole app on
 * a real port with Hub tokens (AUTH_PROVIDERS=hub) and Hub validation against the emulator, a
 * settable clock, and helpers to read the requests dataset as files on disk.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../../src/config.js';
import { encodeRequestFile, formatUtcSeconds, requestFilePath, type EvalRequest } from '../../src/datasets/request-file.js';
import { createHfModelHub } from '../../src/hub/hf-model-hub.js';
import type { AppDeps } from '../../src/app.js';
import { createLocalDatasets } from '../../src/storage/local-repo.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';

export interface Clock {
  now: Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function makeClock(iso = '2025-01-15T10:00:00Z'): Clock {
  const clock: Clock = {
    now: new Date(iso),
    set: (value) => void (clock.now = new Date(value)),
    advance: (ms) => void (clock.now = new Date(clock.now.getTime() + ms)),
  };
  return clock;
}

export interface Harness {
  hub: HubEmulator;
  app: TestApp;
  clock: Clock;
  /** POST /api/models/submit with a Bearer token (default: alice's). */
  submit(body: unknown, token?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
  get(url: string): Promise<{ status: number; body: any }>;
  /** Every file of the requests dataset on disk: path → text. */
  requestFiles(): Promise<Map<string, string>>;
  /** Writes request files directly (as another writer would), then refreshes the index. */
  seedRequests(requests: EvalRequest[]): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Env;
  /** Token the server uses for Hub reads (HF_TOKEN). */
  serverToken?: string;
  deps?: AppDeps;
  /** Share an emulator between several apps. */
  hub?: HubEmulator;
  /** An existing DATA_DIR (kept at close). */
  dataDir?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const hub = options.hub ?? (await startHubEmulator());
  const clock = makeClock();
  const app = await startTestApp({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    records: [makeContentsRecord({ fullname: 'board/model-a' })],
    env: {
      HUB_URL: hub.url,
      AUTH_PROVIDERS: 'hub',
      MODEL_VALIDATION: 'hub',
      RATE_LIMIT_MAX: '100000',
      ...(options.serverToken ? { HF_TOKEN: options.serverToken } : {}),
      ...options.env,
    },
    deps: {
      now: () => clock.now,
      // The real adapter against the emulator, with test-sized retries and backoff.
      modelHub: createHfModelHub({
        hubUrl: hub.url,
        ...(options.serverToken ? { token: options.serverToken } : {}),
        timeoutMs: 5000,
        retries: 1,
        backoff: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 },
      }),
      ...options.deps,
    },
  });
  const requestsDir = path.join(app.dataDir, 'requests');
  const call = async (method: string, url: string, body?: unknown, token?: string | null) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${app.url}${url}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    hub,
    app,
    clock,
    submit: (body, token = 'hf_alice_token') => call('POST', '/api/models/submit', body, token),
    get: (url) => call('GET', url),
    async requestFiles() {
      const repo = createLocalDatasets(app.dataDir).requests;
      const files = new Map<string, string>();
      for (const file of await repo.list()) files.set(file.path, await readFile(path.join(requestsDir, ...file.path.split('/')), 'utf8'));
      return files;
    },
    async seedRequests(requests) {
      await app.services.datasets.requests.commit(
        requests.map((request) => ({
          op: 'put' as const,
          path: requestFilePath(request.model, String(request.precision), String(request.weight_type)),
          content: new TextEncoder().encode(encodeRequestFile(request)),
        })),
        'seed',
      );
      await app.services.requests.refresh();
    },
    async close() {
      await app.close();
      if (!options.hub) await hub.close();
    },
  };
}

/** A complete request file; `overrides` win. */
export function makeRequest(overrides: Partial<EvalRequest> & { model: string }): EvalRequest {
  return {
    base_model: '',
    revision: 'f'.repeat(40),
    precision: 'bfloat16',
    params: 7.0,
    architectures: 'LlamaForCausalLM',
    weight_type: 'Original',
    status: 'PENDING',
    submitted_time: formatUtcSeconds(new Date('2025-01-15T09:00:00Z')),
    model_type: 'fine-tuned',
    job_id: -1,
    job_start_time: null,
    use_chat_template: false,
    sender: 'someone',
    ...overrides,
  };
}
