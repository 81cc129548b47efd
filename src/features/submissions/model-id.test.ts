import { describe, expect, it } from 'vitest';
import { modelIdProblem, parseModelId, quotaNamespace } from './model-id.js';

describe('Hub repo ids', () => {
  it.each(['org/model', 'meta-llama/Llama-3.1-8B-Instruct', 'gpt2', 'a/b', 'org_1/m.v2_final', `o/${'x'.repeat(96)}`, 'Qwen/Qwen2.5-0.5B'])('accepts %s', (id) => {
    expect(modelIdProblem(id)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['a/b/c', /more than one/],
    ['../etc/passwd', /more than one/],
    ['../passwd', /"--" or "\.\."/],
    ['org/a..b', /"--" or "\.\."/],
    ['org/a--b', /"--" or "\.\."/],
    ['org/model.git', /\.git/],
    ['/model', /each part/],
    ['org/', /each part/],
    ['-org/model', /each part/],
    ['org/model.', /each part/],
    ['org/mo del', /each part/],
    ['org/mödel', /each part/],
    ['org\\model', /each part/],
    ['org/mo\0del', /each part/],
    [`o/${'x'.repeat(97)}`, /longer than 96/],
  ])('rejects %j', (id, why) => {
    expect(modelIdProblem(id)).toMatch(why);
    expect(parseModelId(id)).toBeUndefined();
  });

  it('parses the namespace and the name', () => {
    expect(parseModelId('org/name')).toEqual({ id: 'org/name', namespace: 'org', name: 'name' });
    expect(parseModelId('gpt2')).toEqual({ id: 'gpt2', namespace: undefined, name: 'gpt2' });
  });

  it('counts quotas on the namespace; a model without one is its own', () => {
    expect(quotaNamespace('org/name')).toBe('org');
    expect(quotaNamespace('gpt2')).toBe('gpt2');
  });
});
