import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { ModelInfo } from '../../hub/model-hub.js';
import type { QueueEntry } from '../queue/requests-index.js';
import { architecturesOf, checkBaseModelField, checkDuplicate, checkQuota, normalizeSubmission, paramsInBillions, revisionProblem, sizeLimitFactor } from './validation.js';

const info = (config: ModelInfo['config']) => ({ config }) as ModelInfo;
const entry = (path: string, request: Record<string, unknown>) => ({ path, request }) as unknown as QueueEntry;

describe('normalizeSubmission', () => {
  it('applies the original form\'s defaults and stores GPTQ for gptq', () => {
    expect(normalizeSubmission({ model_id: ' org/m ', model_type: 'chat' })).toEqual({
      modelId: 'org/m',
      baseModel: '',
      revision: 'main',
      precision: 'float16',
      weightType: 'Original',
      modelType: 'chat',
      useChatTemplate: false,
    });
    expect(normalizeSubmission({ model_id: 'org/m', model_type: 'chat', precision: 'gptq' }).precision).toBe('GPTQ');
    expect(normalizeSubmission({ model_id: 'org/m', model_type: 'chat', revision: ' ' }).revision).toBe('main');
  });
});

describe('sizes', () => {
  it('writes params as the original: billions rounded to 3 decimals, ×8 for GPTQ', () => {
    expect(paramsInBillions(6_738_415_616, 'float16', 'org/m')).toBe(6.738);
    expect(paramsInBillions(7_000_000_000, 'bfloat16', 'org/m')).toBe(7);
    expect(paramsInBillions(261_184_512, 'GPTQ', 'org/m')).toBe(2.089);
    expect(paramsInBillions(261_184_512, '4bit', 'org/m-GPTQ')).toBe(2.089);
  });

  it('scales the limit with the memory a precision saves', () => {
    expect(sizeLimitFactor('float16')).toBe(1);
    expect(sizeLimitFactor('bfloat16')).toBe(1);
    expect(sizeLimitFactor('8bit')).toBe(2);
    expect(sizeLimitFactor('4bit')).toBe(4);
    expect(sizeLimitFactor('GPTQ', info({ quantization_config: { bits: 8 } }))).toBe(2);
    expect(sizeLimitFactor('GPTQ', info({ quantization_config: { bits: 3 } }))).toBeCloseTo(16 / 3);
    expect(sizeLimitFactor('GPTQ', info({}))).toBe(4);
  });

  it('joins architectures with ";"', () => {
    expect(architecturesOf(info({ architectures: ['A', 'B'] }))).toBe('A;B');
    expect(architecturesOf(info(undefined))).toBe('');
  });
});

describe('revisions', () => {
  it.each(['main', 'v2', 'refs/pr/1', 'release-1.0', 'a'.repeat(40)])('accepts %s', (revision) => expect(revisionProblem(revision)).toBeUndefined());
  it.each(['../main', 'a b', 'main~1', 'HEAD^', 'a:b', '/main', 'main/', 'x.lock', 'a@{1}', 'a\\b', 'tab\there'])('rejects %j', (revision) =>
    expect(revisionProblem(revision)).toBeDefined(),
  );
});

describe('rules without the Hub', () => {
  const draft = normalizeSubmission({ model_id: 'org/m', model_type: 'chat', precision: 'gptq' });

  it('needs a base model for Delta and Adapter only', () => {
    expect(() => checkBaseModelField({ ...draft, weightType: 'Adapter' })).toThrow(/base_model is required for Adapter/);
    expect(() => checkBaseModelField({ ...draft, weightType: 'Original' })).not.toThrow();
    expect(() => checkBaseModelField({ ...draft, weightType: 'Delta', baseModel: 'org/base' })).not.toThrow();
  });

  it('compares precisions case-insensitively for duplicates (the React form wrote gptq)', () => {
    const entries = [entry('org/m_eval_request_False_gptq_Original.json', { model: 'org/m', revision: 's', precision: 'gptq', status: 'FINISHED' })];
    expect(() => checkDuplicate(draft, 'org/m', 's', entries)).toThrow(/already in the system with status: finished/);
    expect(() => checkDuplicate(draft, 'org/m', 'other-sha', entries)).not.toThrow();
    expect(() => checkDuplicate(draft, 'org/m', 's', [entry('x', { model: 'org/m', revision: 's', precision: 'GPTQ', status: 'FAILED' })])).not.toThrow();
  });

  it('refuses over quota with Retry-After', () => {
    const now = new Date('2025-01-15T10:00:00Z');
    const requests = [{ model: 'org/a', submitted_time: '2025-01-15T09:00:00Z', status: 'PENDING' }] as never[];
    try {
      checkQuota('org/m', requests, { quota: 1, periodDays: 7, exempt: [], officialProviders: new Set() }, now);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429, options: { headers: { 'retry-after': String(7 * 24 * 3600 - 3600) } } });
    }
  });
});

describe('MODEL_VALIDATION setting', () => {
  it('defaults to auto, accepts hub and off, and refuses off in production', () => {
    expect(loadConfig({}).modelValidation).toBe('auto');
    expect(loadConfig({ MODEL_VALIDATION: 'OFF' }).modelValidation).toBe('off');
    expect(() => loadConfig({ MODEL_VALIDATION: 'maybe' })).toThrow(/MODEL_VALIDATION must be one of auto, hub, off/);
    expect(() => loadConfig({ ENVIRONMENT: 'production', MODEL_VALIDATION: 'off' })).toThrow(/MODEL_VALIDATION must be hub or auto when ENVIRONMENT=production/);
    expect(loadConfig({ ENVIRONMENT: 'production' }).modelValidation).toBe('auto');
  });

  it('has the documented submission defaults', () => {
    const config = loadConfig({});
    expect([config.submissionQuota, config.submissionPeriodDays, config.quotaExempt, config.maxModelSizeB, config.hubTimeout]).toEqual([5, 7, [], 100, 10]);
  });
});
