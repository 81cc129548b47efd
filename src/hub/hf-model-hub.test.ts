import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAPTER_MODEL,
  ADAPTER_MODEL_ADAPTER_PARAMS,
  ALICE,
  BOB,
  CARD_WITHOUT_LICENSE_MODEL,
  CUSTOM_CODE_MODEL,
  GATED_ACCESS_USER,
  GATED_MODEL,
  GPTQ_MODEL,
  GPTQ_MODEL_STORED_PARAMS,
  MISSING_MODEL,
  NO_CARD_MODEL,
  NO_CHAT_TEMPLATE_MODEL,
  PRIVATE_MODEL,
  SHARDED_MODEL,
  SHARDED_MODEL_PARAMS,
  SHORT_CARD_MODEL,
  SMALL_MODEL_PARAMS,
  startHubEmulator,
  TOO_LARGE_MODEL,
  TOO_LARGE_MODEL_PARAMS,
  VALID_MODEL,
  VALID_MODEL_PARAMS,
  VALID_MODEL_V2_BRANCH,
  type HubEmulator,
} from '../../test/hub-emulator/index.js';
import { createHfModelHub, type HfModelHubOptions } from './hf-model-hub.js';
import { HubAccessError, HubUnavailableError } from './hub-errors.js';
import { codePointLength } from './model-card.js';
import type { ModelHub } from './model-hub.js';

let emulator: HubEmulator;
let hub: ModelHub;

function makeHub(options: Partial<HfModelHubOptions> = {}): ModelHub {
  return createHfModelHub({
    hubUrl: emulator.url,
    timeoutMs: 2_000,
    retries: 2,
    backoff: { baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 5_000 },
    ...options,
  });
}

/** Requests to the emulator since the last clearRequestLog, as "METHOD path". */
function calls(): string[] {
  return emulator.requestLog.map((r) => `${r.method} ${r.path}`);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
}

beforeAll(async () => {
  emulator = await startHubEmulator();
  hub = makeHub();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  emulator.setFault({ mode: 'none' });
  emulator.clearRequestLog();
});

describe('modelInfo', () => {
  it('maps the Hub model info', async () => {
    const info = await hub.modelInfo(VALID_MODEL);
    expect(info).toMatchObject({
      id: VALID_MODEL,
      sha: emulator.modelHead(VALID_MODEL),
      private: false,
      gated: false,
      likes: 42,
      downloads: 1234,
      license: 'apache-2.0',
      safetensorsTotal: VALID_MODEL_PARAMS,
      safetensorsParameters: { BF16: VALID_MODEL_PARAMS },
      libraryName: 'transformers',
      pipelineTag: 'text-generation',
      config: { architectures: ['LlamaForCausalLM'], model_type: 'llama' },
    });
    expect(info?.files).toEqual(expect.arrayContaining(['README.md', 'model.safetensors', 'tokenizer_config.json']));
    expect(info?.tags).toContain('license:apache-2.0');
    expect(info?.cardData).toMatchObject({ license: 'apache-2.0', language: ['en'] });
    expect(info?.config?.tokenizer_config?.chat_template).toEqual(expect.any(String));
    expect(Date.parse(info!.lastModified!)).not.toBeNaN();
    expect(Date.parse(info!.createdAt!)).not.toBeNaN();
  });

  it('resolves branches and pins shas', async () => {
    const main = await hub.modelInfo(VALID_MODEL, 'main');
    const v2 = await hub.modelInfo(VALID_MODEL, VALID_MODEL_V2_BRANCH);
    expect(v2?.sha).toBe(emulator.modelHead(VALID_MODEL, VALID_MODEL_V2_BRANCH));
    expect(v2?.sha).not.toBe(main?.sha);
    expect((await hub.modelInfo(VALID_MODEL, v2!.sha))?.sha).toBe(v2?.sha);
  });

  it('returns null for unknown repos, unknown revisions and impossible ids (without a request)', async () => {
    expect(await hub.modelInfo(MISSING_MODEL)).toBeNull();
    expect(await hub.modelInfo(VALID_MODEL, 'no-such-branch')).toBeNull();
    emulator.clearRequestLog();
    for (const bad of ['../etc/passwd', 'a/b/c', 'org/na--me', 'org/name.git', 'org/', '']) {
      expect(await hub.modelInfo(bad), bad).toBeNull();
    }
    expect(calls()).toEqual([]);
  });

  it('describes each fixture as the submission checks need it', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [CARD_WITHOUT_LICENSE_MODEL, { license: undefined, safetensorsTotal: SMALL_MODEL_PARAMS }],
      [CUSTOM_CODE_MODEL, { config: expect.objectContaining({ auto_map: expect.any(Object) }) }],
      [GPTQ_MODEL, { config: expect.objectContaining({ quantization_config: expect.objectContaining({ quant_method: 'gptq', bits: 4 }) }) }],
      [TOO_LARGE_MODEL, { safetensorsTotal: TOO_LARGE_MODEL_PARAMS }],
      [SHARDED_MODEL, { safetensorsTotal: undefined, files: expect.arrayContaining(['model.safetensors.index.json']) }],
      [ADAPTER_MODEL, { baseModel: VALID_MODEL, files: expect.arrayContaining(['adapter_config.json']) }],
      [GATED_MODEL, { gated: 'manual', safetensorsTotal: SMALL_MODEL_PARAMS }],
      [NO_CARD_MODEL, { cardData: undefined, license: undefined }],
    ];
    for (const [id, expected] of cases) {
      const info = (await hub.modelInfo(id)) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) {
        if (value === undefined) expect(info[key], `${id} ${key}`).toBeUndefined();
        else expect(info[key], `${id} ${key}`).toEqual(value);
      }
    }
    const noTemplate = await hub.modelInfo(NO_CHAT_TEMPLATE_MODEL);
    expect(noTemplate?.config?.tokenizer_config?.chat_template).toBeUndefined();
  });

  it('hides private models unless the token can see them', async () => {
    expect(await hub.modelInfo(PRIVATE_MODEL)).toBeNull();
    expect(await makeHub({ token: BOB.token }).modelInfo(PRIVATE_MODEL)).toBeNull();
    expect(await makeHub({ token: ALICE.token }).modelInfo(PRIVATE_MODEL)).toMatchObject({ private: true });
  });
});

describe('modelCard', () => {
  it('splits front matter and text like huggingface_hub', async () => {
    const card = await hub.modelCard(VALID_MODEL, 'main');
    expect(card?.metadata).toMatchObject({ license: 'apache-2.0', tags: ['llama', 'emulated'] });
    expect(card?.text.startsWith('\n# Valid model')).toBe(true);
    expect(card?.text).not.toContain('license:');
    expect(codePointLength(card!.text)).toBeGreaterThanOrEqual(200);
  });

  it('reads the requested revision', async () => {
    expect((await hub.modelCard(VALID_MODEL, VALID_MODEL_V2_BRANCH))?.text).toContain('v2 branch');
  });

  it('returns null without README.md, and for unknown repos', async () => {
    expect(await hub.modelCard(NO_CARD_MODEL, 'main')).toBeNull();
    expect(await hub.modelCard(MISSING_MODEL, 'main')).toBeNull();
    expect(await hub.modelCard(VALID_MODEL, 'no-such-branch')).toBeNull();
  });

  it('exposes missing licenses and short texts (counted in code points)', async () => {
    const noLicense = await hub.modelCard(CARD_WITHOUT_LICENSE_MODEL, 'main');
    expect(noLicense?.metadata['license']).toBeUndefined();
    expect(noLicense?.metadata['tags']).toEqual(['emulated']);
    const short = await hub.modelCard(SHORT_CARD_MODEL, 'main');
    expect(short?.metadata).toEqual({ license: 'mit' });
    expect(short!.text.length).toBe(240); // UTF-16 units would wrongly pass a ">= 200" rule
    expect(codePointLength(short!.text)).toBe(180);
  });
});

describe('parameterCount', () => {
  it('uses safetensors.total from model info without touching files', async () => {
    emulator.clearRequestLog();
    expect(await hub.parameterCount(VALID_MODEL, 'main')).toBe(VALID_MODEL_PARAMS);
    expect(calls()).toEqual([`GET /api/models/${VALID_MODEL}/revision/main`]);
    const info = await hub.modelInfo(TOO_LARGE_MODEL);
    emulator.clearRequestLog();
    expect(await hub.parameterCount(TOO_LARGE_MODEL, 'main', info!)).toBe(TOO_LARGE_MODEL_PARAMS);
    expect(calls()).toEqual([]);
  });

  it('falls back to header parsing, pinned to the resolved sha', async () => {
    const info = await hub.modelInfo(VALID_MODEL);
    emulator.clearRequestLog();
    const count = await hub.parameterCount(VALID_MODEL, 'main', { ...info!, safetensorsTotal: undefined });
    expect(count).toBe(VALID_MODEL_PARAMS);
    const fileCalls = calls().filter((c) => c.includes('/model.safetensors'));
    expect(fileCalls.length).toBeGreaterThan(0);
    expect(fileCalls.every((c) => c.includes(`/${info!.sha}/`))).toBe(true);
  });

  it('parses every shard of a sharded model', async () => {
    emulator.clearRequestLog();
    expect(await hub.parameterCount(SHARDED_MODEL, 'main')).toBe(SHARDED_MODEL_PARAMS);
    const shards = new Set(
      calls()
        .filter((c) => c.startsWith('GET') && /model-0000\d-of-00002\.safetensors$/.test(c))
        .map((c) => c.split('/').pop()),
    );
    expect(shards.size).toBe(2);
  });

  it('adds the base model to an adapter', async () => {
    expect(await hub.parameterCount(ADAPTER_MODEL, 'main')).toBe(ADAPTER_MODEL_ADAPTER_PARAMS + VALID_MODEL_PARAMS);
    expect(await hub.parameterCount(ADAPTER_MODEL, 'main', undefined, SHARDED_MODEL)).toBe(
      ADAPTER_MODEL_ADAPTER_PARAMS + SHARDED_MODEL_PARAMS,
    );
    expect(await hub.parameterCount(ADAPTER_MODEL, 'main', undefined, MISSING_MODEL)).toBeNull();
  });

  it('counts GPTQ weights as stored elements, the same way from info and from headers', async () => {
    const info = await hub.modelInfo(GPTQ_MODEL);
    expect(await hub.parameterCount(GPTQ_MODEL, 'main', info!)).toBe(GPTQ_MODEL_STORED_PARAMS);
    expect(await hub.parameterCount(GPTQ_MODEL, 'main', { ...info!, safetensorsTotal: undefined })).toBe(
      GPTQ_MODEL_STORED_PARAMS,
    );
  });

  it('returns null without safetensors weights or repo', async () => {
    emulator.addModel({ id: 'emulated/pytorch-only', files: { 'config.json': '{}', 'pytorch_model.bin': new Uint8Array(16) } });
    expect(await hub.parameterCount('emulated/pytorch-only', 'main')).toBeNull();
    expect(await hub.parameterCount(MISSING_MODEL, 'main')).toBeNull();
  });

  it('returns null for a malformed safetensors header', async () => {
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 8n, true);
    bad.set(new TextEncoder().encode('not json'), 8);
    emulator.addModel({ id: 'emulated/bad-header', files: { 'model.safetensors': bad }, safetensorsInfo: false });
    expect(await hub.parameterCount('emulated/bad-header', 'main')).toBeNull();
  });
});

describe('tokenizerConfig and fileText', () => {
  it('reads tokenizer_config.json', async () => {
    expect(await hub.tokenizerConfig(VALID_MODEL, 'main')).toMatchObject({ chat_template: expect.any(String) });
    const noTemplate = await hub.tokenizerConfig(NO_CHAT_TEMPLATE_MODEL, 'main');
    expect(noTemplate).toMatchObject({ eos_token: '</s>' });
    expect(noTemplate).not.toHaveProperty('chat_template');
  });

  it('returns null when the file is absent or not a JSON object', async () => {
    emulator.addModel({ id: 'emulated/odd-tokenizer', files: { 'tokenizer_config.json': '[1,2]' } });
    expect(await hub.tokenizerConfig('emulated/odd-tokenizer', 'main')).toBeNull();
    expect(await hub.tokenizerConfig(SHARDED_MODEL, 'no-such-branch')).toBeNull();
    expect(await hub.fileText(VALID_MODEL, 'main', 'nope.txt')).toBeNull();
  });

  it('refuses paths that escape the repo, and caps large files', async () => {
    emulator.clearRequestLog();
    expect(await hub.fileText(VALID_MODEL, 'main', '../x')).toBeNull();
    expect(await hub.fileText(VALID_MODEL, 'main', '/etc/passwd')).toBeNull();
    expect(calls()).toEqual([]);
    const small = makeHub({ maxFileBytes: 10 });
    expect(await small.fileText(VALID_MODEL, 'main', 'README.md')).toBe('---\nlicens');
  });
});

describe('gated models', () => {
  it('serves info and Hub-computed counts without access', async () => {
    expect(await hub.modelInfo(GATED_MODEL)).toMatchObject({ gated: 'manual' });
    expect(await hub.parameterCount(GATED_MODEL, 'main')).toBe(SMALL_MODEL_PARAMS);
  });

  it('throws HubAccessError for files without access', async () => {
    const anonymous = await rejection(hub.modelCard(GATED_MODEL, 'main'));
    expect(anonymous).toBeInstanceOf(HubAccessError);
    expect(anonymous).toMatchObject({ reason: 'gated', status: 401, repoId: GATED_MODEL });
    const bob = await rejection(makeHub({ token: BOB.token }).tokenizerConfig(GATED_MODEL, 'main'));
    expect(bob).toMatchObject({ reason: 'gated', status: 403 });
    const info = await hub.modelInfo(GATED_MODEL);
    const headers = await rejection(hub.parameterCount(GATED_MODEL, 'main', { ...info!, safetensorsTotal: undefined }));
    expect(headers).toBeInstanceOf(HubAccessError);
  });

  it('reads files with a token that was granted access', async () => {
    const granted = makeHub({ token: GATED_ACCESS_USER.token });
    expect((await granted.modelCard(GATED_MODEL, 'main'))?.metadata).toMatchObject({ license: 'apache-2.0' });
    const info = await granted.modelInfo(GATED_MODEL);
    expect(await granted.parameterCount(GATED_MODEL, 'main', { ...info!, safetensorsTotal: undefined })).toBe(
      SMALL_MODEL_PARAMS,
    );
  });
});

describe('failures', () => {
  it('rejects tokens the client library would refuse', () => {
    expect(() => createHfModelHub({ hubUrl: emulator.url, token: 'not-hf' })).toThrow(TypeError);
  });

  it('reports a token the Hub rejects as unavailable (operator problem)', async () => {
    const err = await rejection(makeHub({ token: 'hf_revoked' }).modelInfo(VALID_MODEL));
    expect(err).toBeInstanceOf(HubUnavailableError);
    expect(err).toMatchObject({ reason: 'invalid-credentials', status: 401 });
  });

  it('retries 5xx, then throws HubUnavailableError', async () => {
    emulator.setFault({ mode: 'error500' });
    emulator.clearRequestLog();
    const err = await rejection(hub.modelInfo(VALID_MODEL));
    expect(err).toBeInstanceOf(HubUnavailableError);
    expect(err).toMatchObject({ reason: 'server-error', status: 500, attempts: 3 });
    expect(emulator.requestLog).toHaveLength(3);
  });

  it('retries 429, then throws HubUnavailableError (Retry-After capped)', async () => {
    emulator.setFault({ mode: 'error429', retryAfterSeconds: 3600 });
    emulator.clearRequestLog();
    const capped = makeHub({ backoff: { baseDelayMs: 1, maxRetryAfterMs: 5 } });
    const err = await rejection(capped.modelCard(VALID_MODEL, 'main'));
    expect(err).toMatchObject({ reason: 'rate-limited', status: 429, attempts: 3 });
    expect(emulator.requestLog).toHaveLength(3);
  });

  it('waits as long as Retry-After says before retrying', async () => {
    // The fault lasts 500 ms and asks clients to come back after 1 s. A client that honours
    // Retry-After retries once, after the fault, and succeeds; the same client with Retry-After
    // capped to 0 ms retries inside the fault window and fails. Counts, not durations, are checked.
    const honouring = makeHub({ retries: 1, backoff: { baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 5_000 } });
    emulator.setFault({ mode: 'error429', retryAfterSeconds: 1, forMs: 500 });
    emulator.clearRequestLog();
    expect((await honouring.modelInfo(VALID_MODEL))?.sha).toBe(emulator.modelHead(VALID_MODEL));
    expect(emulator.requestLog).toHaveLength(2);

    const ignoring = makeHub({ retries: 1, backoff: { baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 } });
    emulator.setFault({ mode: 'error429', retryAfterSeconds: 1, forMs: 500 });
    emulator.clearRequestLog();
    expect(await rejection(ignoring.modelInfo(VALID_MODEL))).toMatchObject({ reason: 'rate-limited' });
    expect(emulator.requestLog).toHaveLength(2);
  });

  it('times out a Hub that never answers', async () => {
    emulator.setFault({ mode: 'timeout', routes: /\/resolve\// });
    emulator.clearRequestLog();
    const impatient = makeHub({ timeoutMs: 100, retries: 1 });
    const err = await rejection(impatient.modelCard(VALID_MODEL, 'main'));
    expect(err).toBeInstanceOf(HubUnavailableError);
    expect(err).toMatchObject({ reason: 'timeout', attempts: 2 });
    expect(emulator.requestLog).toHaveLength(2);
    expect(await impatient.modelInfo(VALID_MODEL)).not.toBeNull(); // other routes unaffected
  });

  it('reports an unreachable Hub as a network failure', async () => {
    const gone = await startHubEmulator({ seed: false });
    await gone.close();
    const err = await rejection(makeHub({ hubUrl: gone.url, retries: 1 }).modelInfo(VALID_MODEL));
    expect(err).toBeInstanceOf(HubUnavailableError);
    expect(err).toMatchObject({ reason: 'network', attempts: 2 });
  });
});
