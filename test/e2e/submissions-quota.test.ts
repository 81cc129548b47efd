/** The submission quota: per model namespace, in a sliding window, with its exemptions. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeOfficialProviders, OFFICIAL_PROVIDERS_PATH } from '../../src/datasets/official-providers.js';
import { formatUtcSeconds } from '../../src/datasets/request-file.js';
import { GPTQ_MODEL, NO_CHAT_TEMPLATE_MODEL, SHARDED_MODEL, startHubEmulator, VALID_MODEL, type HubEmulator } from '../hub-emulator/index.js';
import { makeRequest, startHarness, type Harness } from './submissions-harness.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2025-01-15T10:00:00Z');
const ago = (ms: number) => formatUtcSeconds(new Date(NOW - ms));

/** Four requests of `emulated` inside the 7-day window (the oldest 6 days ago) and two outside. */
const usedQuota = (namespace = 'emulated') => [
  makeRequest({ model: `${namespace}/old-a`, submitted_time: ago(1 * DAY), status: 'FINISHED' }),
  makeRequest({ model: `${namespace}/old-b`, submitted_time: ago(2 * DAY), status: 'FAILED' }),
  makeRequest({ model: `${namespace}/old-c`, submitted_time: ago(3 * DAY) }),
  makeRequest({ model: `${namespace}/old-d`, submitted_time: ago(6 * DAY), status: 'RUNNING' }),
  makeRequest({ model: `${namespace}/old-e`, submitted_time: ago(8 * DAY) }),
  makeRequest({ model: `${namespace}/old-f`, submitted_time: ago(30 * DAY) }),
];

let hub: HubEmulator;
let h: Harness;
beforeAll(async () => {
  hub = await startHubEmulator();
});
afterAll(() => hub.close());
afterEach(() => h.close());

describe('SUBMISSION_QUOTA per SUBMISSION_PERIOD_DAYS', () => {
  it('counts the namespace\'s requests in the window; the 6th gets 429 saying when it resets; the window slides', async () => {
    h = await startHarness({ hub });
    await h.seedRequests(usedQuota());
    expect((await h.submit({ model_id: VALID_MODEL, model_type: 'chat' })).status).toBe(200);

    const before = await h.requestFiles();
    hub.clearRequestLog();
    // By another user: the quota belongs to the model's namespace, not to the submitter.
    const refused = await h.submit({ model_id: SHARDED_MODEL, model_type: 'pretrained' }, 'hf_bob_token');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('QUOTA_EXCEEDED');
    expect(refused.body.detail).toBe(
      'Organisation or user `emulated` already has 5 model requests submitted in the last 7 days (quota: 5). The next submission is possible at 2025-01-16T10:00:00Z (in 1d).',
    );
    expect(refused.headers.get('retry-after')).toBe(String(24 * 3600));
    expect(refused.body).toMatchObject({ quota: 5, used: 5, resets_at: '2025-01-16T10:00:00.000Z' });
    // Checked before the Hub is asked anything, and nothing is written.
    expect(hub.requestLog.filter((entry) => entry.path.startsWith('/api/models'))).toEqual([]);
    expect(await h.requestFiles()).toEqual(before);

    // One second before the reset it is still refused; at the reset one more fits.
    h.clock.set('2025-01-16T09:59:59Z');
    expect((await h.submit({ model_id: SHARDED_MODEL, model_type: 'pretrained' })).headers.get('retry-after')).toBe('1');
    h.clock.set('2025-01-16T10:00:00Z');
    expect((await h.submit({ model_id: SHARDED_MODEL, model_type: 'pretrained' })).status).toBe(200);
    expect((await h.submit({ model_id: GPTQ_MODEL, model_type: 'pretrained', precision: 'GPTQ' })).status).toBe(429);
  });

  it('compares namespaces case-insensitively and leaves other namespaces alone', async () => {
    h = await startHarness({ hub });
    await h.seedRequests([...usedQuota('Emulated').slice(0, 4), makeRequest({ model: 'emulated/fifth', submitted_time: ago(DAY) }), ...usedQuota('someone-else')]);
    expect((await h.submit({ model_id: VALID_MODEL, model_type: 'chat' })).status).toBe(429);
  });

  it('is configurable', async () => {
    h = await startHarness({ hub, env: { SUBMISSION_QUOTA: '2', SUBMISSION_PERIOD_DAYS: '1' } });
    await h.seedRequests([makeRequest({ model: 'emulated/x', submitted_time: ago(23 * 3600 * 1000) }), makeRequest({ model: 'emulated/y', submitted_time: ago(2 * DAY) })]);
    expect((await h.submit({ model_id: VALID_MODEL, model_type: 'chat' })).status).toBe(200);
    const refused = await h.submit({ model_id: SHARDED_MODEL, model_type: 'pretrained' });
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/already has 2 model requests submitted in the last day \(quota: 2\)\. The next submission is possible at 2025-01-15T11:00:00Z \(in 1h\)/);
  });

  it('holds under concurrent submissions of different models', async () => {
    h = await startHarness({ hub });
    await h.seedRequests(usedQuota());
    const responses = await Promise.all(
      [VALID_MODEL, SHARDED_MODEL, NO_CHAT_TEMPLATE_MODEL].map((model_id) => h.submit({ model_id, model_type: 'pretrained' })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 429, 429]);
    expect((await h.requestFiles()).size).toBe(7);
  });
});

describe('exemptions', () => {
  it('QUOTA_EXEMPT namespaces are unlimited', async () => {
    h = await startHarness({ hub, env: { QUOTA_EXEMPT: 'other-org,Emulated' } });
    await h.seedRequests(usedQuota());
    const responses = await Promise.all([VALID_MODEL, SHARDED_MODEL].map((model_id) => h.submit({ model_id, model_type: 'pretrained' })));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
  });

  it('official providers are unlimited', async () => {
    h = await startHarness({ hub });
    await h.app.services.datasets['official-providers'].commit([{ op: 'put', path: OFFICIAL_PROVIDERS_PATH, content: encodeOfficialProviders(['emulated']) }], 'providers');
    await h.app.services.leaderboard.refresh();
    await h.seedRequests(usedQuota());
    const responses = await Promise.all([VALID_MODEL, SHARDED_MODEL].map((model_id) => h.submit({ model_id, model_type: 'pretrained' })));
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
  });
});
