/**
 * POST /api/models/submit against the Hub emulator: every rule, in order, each with its own
 * clear 4xx and nothing written; a valid model lands in the queue with the original's file at
 * the original's path, byte for byte.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeOfficialProviders, OFFICIAL_PROVIDERS_PATH } from '../../src/datasets/official-providers.js';
import {
  ADAPTER_MODEL,
  CARD_WITHOUT_LICENSE_MODEL,
  CUSTOM_CODE_MODEL,
  GATED_ACCESS_USER,
  GATED_MODEL,
  GPTQ_MODEL,
  MISSING_MODEL,
  NO_CARD_MODEL,
  NO_CHAT_TEMPLATE_MODEL,
  PRIVATE_MODEL,
  SHARDED_MODEL,
  SHORT_CARD_MODEL,
  startHubEmulator,
  TOO_LARGE_MODEL,
  VALID_MODEL,
  VALID_MODEL_V2_BRANCH,
  type HubEmulator,
} from '../hub-emulator/index.js';
import { makeRequest, startHarness, type Harness } from './submissions-harness.js';

let hub: HubEmulator;
let h: Harness;
beforeAll(async () => {
  hub = await startHubEmulator();
  h = await startHarness({ hub });
});
afterAll(async () => {
  await h.close();
  await hub.close();
});

/** Each test starts from an empty requests dataset. */
beforeEach(async () => {
  const repo = h.app.services.datasets.requests;
  const files = await repo.list();
  if (files.length > 0) await repo.commit(files.map((file) => ({ op: 'delete' as const, path: file.path })), 'reset');
  await h.app.services.requests.refresh();
  h.clock.set('2025-01-15T10:00:00Z');
});

const submission = (overrides: Record<string, unknown> = {}) => ({ model_id: VALID_MODEL, model_type: 'chat', ...overrides });

/** Submits, expects the status and code, and checks that nothing was written. */
async function expectRejected(body: unknown, status: number, code: string, detail?: RegExp | string) {
  const before = await h.requestFiles();
  const response = await h.submit(body);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.code).toBe(code);
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.request_id).toBeTruthy();
  if (detail) expect(response.body.detail).toMatch(detail);
  expect(await h.requestFiles()).toEqual(before);
  return response.body;
}

describe('a valid submission', () => {
  it('writes the original file, byte for byte, at the original path, and answers success', async () => {
    const sha = hub.modelHead(VALID_MODEL);
    const response = await h.submit({ ...submission(), precision: 'bfloat16', use_chat_template: true });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({
      status: 'success',
      message: 'The model was submitted successfully, and the vote has been recorded',
      model: VALID_MODEL,
      revision: sha,
      precision: 'bfloat16',
      path: 'emulated/valid-model_eval_request_False_bfloat16_Original.json',
      vote_recorded: true,
    });
    const files = await h.requestFiles();
    expect([...files.keys()]).toEqual(['emulated/valid-model_eval_request_False_bfloat16_Original.json']);
    expect(files.get('emulated/valid-model_eval_request_False_bfloat16_Original.json')).toBe(
      [
        '{',
        '  "model": "emulated/valid-model",',
        '  "base_model": "",',
        `  "revision": "${sha}",`,
        '  "precision": "bfloat16",',
        '  "params": 6.738,',
        '  "architectures": "LlamaForCausalLM",',
        '  "weight_type": "Original",',
        '  "status": "PENDING",',
        '  "submitted_time": "2025-01-15T10:00:00Z",',
        '  "model_type": "chat",',
        '  "job_id": -1,',
        '  "job_start_time": null,',
        '  "use_chat_template": true,',
        '  "sender": "alice"',
        '}',
      ].join('\n'),
    );
  });

  it('is in the queue as soon as the 2xx is sent, with the automatic up vote', async () => {
    // (Votes persist across tests; this revision has none yet.)
    const sha = hub.modelHead(VALID_MODEL, VALID_MODEL_V2_BRANCH);
    expect(h.app.services.votes.netVotes(VALID_MODEL, sha)).toBe(0);
    expect((await h.submit(submission({ revision: VALID_MODEL_V2_BRANCH }))).status).toBe(200);
    const pending = await h.get('/api/models/pending');
    expect(pending.body).toHaveLength(1);
    expect(pending.body[0]).toMatchObject({ name: VALID_MODEL, revision: sha, submitter: 'alice', status: 'PENDING', precision: 'float16', votes: 1, wait_time: '0.0s' });
    expect(h.app.services.votes.netVotes(VALID_MODEL, sha)).toBe(1);
    expect(h.app.services.votes.modelVotes(VALID_MODEL)).toContainEqual(expect.objectContaining({ username: 'alice', revision: sha, precision: 'float16', vote_type: 'up' }));
  });

  it('applies the form defaults: revision main, float16, Original, no chat template', async () => {
    const response = await h.submit({ model_id: NO_CHAT_TEMPLATE_MODEL, model_type: 'pretrained' });
    expect(response.status).toBe(200);
    const file = JSON.parse((await h.requestFiles()).get('emulated/no-chat-template-model_eval_request_False_float16_Original.json')!);
    expect(file).toMatchObject({ precision: 'float16', weight_type: 'Original', use_chat_template: false, revision: hub.modelHead(NO_CHAT_TEMPLATE_MODEL), params: 1.1 });
  });

  it('pins a branch to its commit sha', async () => {
    const response = await h.submit(submission({ revision: VALID_MODEL_V2_BRANCH }));
    expect(response.status).toBe(200);
    expect(response.body.revision).toBe(hub.modelHead(VALID_MODEL, VALID_MODEL_V2_BRANCH));
    expect(response.body.revision).not.toBe(hub.modelHead(VALID_MODEL));
  });

  it('accepts gptq and stores GPTQ, counting packed weights ×8', async () => {
    const response = await h.submit({ model_id: GPTQ_MODEL, model_type: 'fine-tuned', precision: 'gptq' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.path).toBe('emulated/gptq-model_eval_request_False_GPTQ_Original.json');
    const file = JSON.parse((await h.requestFiles()).get(response.body.path)!);
    expect(file.precision).toBe('GPTQ');
    expect(file.params).toBe(Math.round((261_184_512 * 8) / 1e6) / 1000);
  });

  it('counts a sharded model from its shard headers', async () => {
    const response = await h.submit({ model_id: SHARDED_MODEL, model_type: 'pretrained', precision: 'bfloat16' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(JSON.parse((await h.requestFiles()).get(response.body.path)!)).toMatchObject({ params: 7.242, architectures: 'MistralForCausalLM' });
  });

  it('counts an adapter as adapter + base', async () => {
    const response = await h.submit({ model_id: ADAPTER_MODEL, model_type: 'fine-tuned', weight_type: 'Adapter', base_model: VALID_MODEL });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.path).toBe('emulated/adapter-model_eval_request_False_float16_Adapter.json');
    const file = JSON.parse((await h.requestFiles()).get(response.body.path)!);
    expect(file).toMatchObject({ base_model: VALID_MODEL, weight_type: 'Adapter', params: 6.747 });
  });

  it('scales the size limit with the precision: too large in float16, fine in 8bit', async () => {
    await expectRejected({ model_id: TOO_LARGE_MODEL, model_type: 'pretrained' }, 422, 'SUBMISSION_REJECTED', /Model too large for float16: 119\.823B parameters \(limit: 100B\)/);
    const response = await h.submit({ model_id: TOO_LARGE_MODEL, model_type: 'pretrained', precision: '8bit' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });

  it('replaces a FAILED request of the same revision', async () => {
    const sha = hub.modelHead(VALID_MODEL);
    await h.seedRequests([makeRequest({ model: VALID_MODEL, revision: sha, precision: 'float16', status: 'FAILED' })]);
    const response = await h.submit(submission());
    expect(response.status).toBe(200);
    const file = JSON.parse((await h.requestFiles()).get(response.body.path)!);
    expect(file).toMatchObject({ status: 'PENDING', sender: 'alice' });
  });
});

describe('identity', () => {
  it('needs a token (401) and refuses a user_id that is not the token\'s user (403)', async () => {
    expect((await h.submit(submission(), null)).status).toBe(401);
    expect((await h.submit(submission(), 'hf_not_a_token')).status).toBe(401);
    await expectRejected(submission({ user_id: 'bob' }), 403, 'FORBIDDEN', /does not match the authenticated user "alice"/);
    // Its own name is fine.
    expect((await h.submit(submission({ user_id: 'alice' }))).status).toBe(200);
  });
});

describe('rejections, in the original order', () => {
  it.each([
    [{ model_type: 'chat', precision: 'fp8' }, /precision/],
    [{ model_type: 'chatbot' }, /model_type/],
    [{ model_type: 'chat', weight_type: 'LoRA' }, /weight_type/],
    [{ model_type: 'chat', use_chat_template: 'maybe' }, /use_chat_template/],
  ])('1. enum values: %j → 400', async (overrides, detail) => {
    await expectRejected(submission(overrides), 400, 'VALIDATION_ERROR', detail);
  });

  it('1. a missing model_id or model_type → 400', async () => {
    await expectRejected({ model_type: 'chat' }, 400, 'VALIDATION_ERROR', /model_id/);
    await expectRejected({ model_id: VALID_MODEL }, 400, 'VALIDATION_ERROR', /model_type/);
  });

  it.each(['../../etc/passwd', 'a/b/c', 'org/--model', 'org/a..b', '-org/model', 'org/model-', 'org/model.git', 'org/mo del', 'org/mödel', `org/${'x'.repeat(97)}`, '/model', 'org/'])(
    '2. model id syntax: %s → 400, no Hub call',
    async (modelId) => {
      hub.clearRequestLog();
      await expectRejected(submission({ model_id: modelId }), 400, 'VALIDATION_ERROR', /Invalid model_id/);
      expect(hub.requestLog.filter((entry) => entry.path.startsWith('/api/models'))).toEqual([]);
    },
  );

  it('2. revision syntax (git ref rules) → 400, no Hub call', async () => {
    hub.clearRequestLog();
    await expectRejected(submission({ revision: '../../api/whoami-v2' }), 400, 'VALIDATION_ERROR', /Invalid revision/);
    await expectRejected(submission({ revision: 'main branch' }), 400, 'VALIDATION_ERROR', /Invalid revision/);
    expect(hub.requestLog.filter((entry) => entry.path.startsWith('/api/models'))).toEqual([]);
  });

  it('3. Delta and Adapter weights need a base model → 400', async () => {
    await expectRejected({ model_id: ADAPTER_MODEL, model_type: 'fine-tuned', weight_type: 'Adapter' }, 400, 'VALIDATION_ERROR', /base_model is required for Adapter/);
    await expectRejected({ model_id: VALID_MODEL, model_type: 'fine-tuned', weight_type: 'Delta', base_model: '' }, 400, 'VALIDATION_ERROR', /base_model is required for Delta/);
    await expectRejected({ model_id: ADAPTER_MODEL, model_type: 'fine-tuned', weight_type: 'Adapter', base_model: '../x' }, 400, 'VALIDATION_ERROR', /Invalid base_model/);
  });

  it('5. a model or revision the Hub does not know → 404', async () => {
    await expectRejected(submission({ model_id: MISSING_MODEL }), 404, 'MODEL_NOT_FOUND', /emulated\/missing-model not found on the Hugging Face Hub at revision "main"/);
    await expectRejected(submission({ revision: 'no-such-branch' }), 404, 'MODEL_NOT_FOUND', /revision "no-such-branch"/);
    // A private model is invisible to a server without access: not found as well.
    await expectRejected(submission({ model_id: PRIVATE_MODEL }), 404, 'MODEL_NOT_FOUND');
  });

  it('7. a gated model the leaderboard has no access to → 422', async () => {
    await expectRejected({ model_id: GATED_MODEL, model_type: 'chat' }, 422, 'SUBMISSION_REJECTED', /gated and requires special access permissions/);
  });

  it('8. an official provider\'s model that finished once → 422', async () => {
    await h.app.services.datasets['official-providers'].commit([{ op: 'put', path: OFFICIAL_PROVIDERS_PATH, content: encodeOfficialProviders(['emulated']) }], 'providers');
    await h.app.services.leaderboard.refresh();
    try {
      await h.seedRequests([makeRequest({ model: VALID_MODEL, revision: 'a'.repeat(40), precision: 'bfloat16', status: 'FINISHED' })]);
      await expectRejected(submission(), 422, 'SUBMISSION_REJECTED', 'Model emulated/valid-model is an official provider model with a completed evaluation. To re-evaluate, please open a discussion.');
    } finally {
      await h.app.services.datasets['official-providers'].commit([{ op: 'delete', path: OFFICIAL_PROVIDERS_PATH }], 'providers');
      await h.app.services.leaderboard.refresh();
    }
  });

  it.each(['PENDING', 'RUNNING', 'FINISHED'])('9. the same model, sha and precision %s → 409', async (status) => {
    const sha = hub.modelHead(VALID_MODEL);
    await h.seedRequests([makeRequest({ model: VALID_MODEL, revision: sha, precision: 'float16', status, weight_type: 'Delta' })]);
    const state = status === 'PENDING' ? 'pending' : status === 'RUNNING' ? 'evaluating' : 'finished';
    const body = await expectRejected(submission(), 409, 'DUPLICATE_SUBMISSION', `Model emulated/valid-model revision ${sha} in float16 is already in the system with status: ${state}.`);
    expect(body.status).toBe(state);
    // `main` or the sha itself: the same commit.
    await expectRejected(submission({ revision: sha }), 409, 'DUPLICATE_SUBMISSION');
    // Another precision is another request.
    expect((await h.submit(submission({ precision: 'bfloat16' }))).status).toBe(200);
  });

  it('9. a new revision does not replace a request being evaluated → 409', async () => {
    await h.seedRequests([makeRequest({ model: VALID_MODEL, revision: 'b'.repeat(40), precision: 'float16', status: 'RUNNING' })]);
    await expectRejected(submission(), 409, 'DUPLICATE_SUBMISSION', /is being evaluated at revision b{40}/);
  });

  it('10. custom code (auto_map) → 422', async () => {
    await expectRejected(
      { model_id: CUSTOM_CODE_MODEL, model_type: 'chat' },
      422,
      'SUBMISSION_REJECTED',
      "The model requires `trust_remote_code=True` to launch, and for safety reasons, we don't accept such models automatically.",
    );
  });

  it('11. model card: missing, without license, too short (in code points) → 422', async () => {
    await expectRejected({ model_id: NO_CARD_MODEL, model_type: 'chat' }, 422, 'SUBMISSION_REJECTED', 'Please add a model card to your model to explain how you trained/fine-tuned it.');
    await expectRejected(
      { model_id: CARD_WITHOUT_LICENSE_MODEL, model_type: 'chat' },
      422,
      'SUBMISSION_REJECTED',
      'License not found. Please add a license to your model card using the `license` metadata or a `license_name`/`license_link` pair.',
    );
    await expectRejected({ model_id: SHORT_CARD_MODEL, model_type: 'chat' }, 422, 'SUBMISSION_REJECTED', 'Please add a description to your model card, it is too short.');
  });

  it('12. a base model that does not exist → 404', async () => {
    await expectRejected(
      { model_id: ADAPTER_MODEL, model_type: 'fine-tuned', weight_type: 'Adapter', base_model: MISSING_MODEL },
      404,
      'MODEL_NOT_FOUND',
      'Base model emulated/missing-model not found on the Hugging Face Hub.',
    );
  });

  it('13. a model above the size limit → 422', async () => {
    await expectRejected({ model_id: TOO_LARGE_MODEL, model_type: 'pretrained', precision: 'bfloat16' }, 422, 'SUBMISSION_REJECTED', /Model too large for bfloat16/);
  });

  it('14. a chat template asked for but missing → 422', async () => {
    await expectRejected(
      { model_id: NO_CHAT_TEMPLATE_MODEL, model_type: 'chat', use_chat_template: true },
      422,
      'SUBMISSION_REJECTED',
      "The model emulated/no-chat-template-model doesn't have a chat_template in its tokenizer_config.json. Please add a chat_template before submitting or submit without it.",
    );
  });

  it('stops at the first broken rule: a private-looking id is a syntax error before anything else', async () => {
    // Syntax (2) before base model (3): both are wrong, the first is reported.
    await expectRejected({ model_id: 'a/b/c', model_type: 'chat', weight_type: 'Adapter' }, 400, 'VALIDATION_ERROR', /Invalid model_id/);
    // Card (11) before size (13) before chat template (14).
    await expectRejected({ model_id: NO_CARD_MODEL, model_type: 'chat', use_chat_template: true }, 422, 'SUBMISSION_REJECTED', /model card/);
  });
});

describe('the Hub unreachable', () => {
  it('→ 503 with a clear detail, nothing written', async () => {
    hub.setFault({ mode: 'error500', routes: /^\/api\/models\// });
    try {
      const body = await expectRejected(submission(), 503, 'HUB_UNAVAILABLE', /could not be validated: the Hub could not be reached or answered with an error\. Nothing was submitted/);
      expect(body.detail).toContain(VALID_MODEL);
    } finally {
      hub.setFault({ mode: 'none' });
    }
    expect((await h.submit(submission())).status).toBe(200);
  });
});

describe('with a server token', () => {
  it('accepts a gated model the token was granted, and refuses a private model it can see', async () => {
    const granted = await startHarness({ hub, serverToken: GATED_ACCESS_USER.token });
    try {
      const response = await granted.submit({ model_id: GATED_MODEL, model_type: 'chat' });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    } finally {
      await granted.close();
    }
    const member = await startHarness({ hub, serverToken: 'hf_alice_token' });
    try {
      const response = await member.submit({ model_id: PRIVATE_MODEL, model_type: 'chat' });
      expect(response.status).toBe(422);
      expect(response.body.detail).toBe('Model emulated/private-model is private: only public models can be evaluated.');
    } finally {
      await member.close();
    }
  });
});

describe('MODEL_VALIDATION=off', () => {
  it('keeps the checks that need no Hub and makes no Hub call', async () => {
    const off = await startHarness({ hub, env: { MODEL_VALIDATION: 'off' } });
    try {
      hub.clearRequestLog();
      const response = await off.submit({ model_id: 'someone/not-on-any-hub', model_type: 'merge', revision: 'v1.0' });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const file = JSON.parse((await off.requestFiles()).get('someone/not-on-any-hub_eval_request_False_float16_Original.json')!);
      expect(file).toMatchObject({ revision: 'v1.0', params: 0, architectures: '', model_type: 'merge', sender: 'alice' });
      expect(hub.requestLog.filter((entry) => entry.path.startsWith('/api/models'))).toEqual([]);
      // Still refused: syntax, duplicates.
      expect((await off.submit({ model_id: '../x', model_type: 'merge' })).status).toBe(400);
      expect((await off.submit({ model_id: 'someone/not-on-any-hub', model_type: 'merge', revision: 'v1.0' })).status).toBe(409);
    } finally {
      await off.close();
    }
  });
});
