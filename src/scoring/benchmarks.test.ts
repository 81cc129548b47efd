/** Benchmark definitions from configuration: the default, the example file, and validation errors. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BenchmarksFileError, DEFAULT_BENCHMARKS, loadBenchmarks, lowerBound, validateBenchmarks } from './benchmarks.js';

const example = fileURLToPath(new URL('../../examples/other-benchmarks/benchmarks.yaml', import.meta.url));

const quiz = (sources: unknown[], extra: Record<string, unknown> = {}) => ({
  benchmarks: [{ key: 'quiz', name: 'Quiz', raw_column: 'Quiz Raw', normalized_column: 'Quiz', aggregate: 'mean', sources, ...extra }],
});

describe('benchmarks configuration', () => {
  it('the default is the six v2 benchmarks with the documented baselines', () => {
    expect(DEFAULT_BENCHMARKS.map((b) => b.key)).toEqual(['ifeval', 'bbh', 'math', 'gpqa', 'musr', 'mmlu_pro']);
    expect(DEFAULT_BENCHMARKS.find((b) => b.key === 'bbh')!.sources).toHaveLength(24);
    expect(lowerBound(DEFAULT_BENCHMARKS.find((b) => b.key === 'gpqa')!.sources[0]!)).toBe(0.25);
    expect(lowerBound(DEFAULT_BENCHMARKS.find((b) => b.key === 'mmlu_pro')!.sources[0]!)).toBe(0.1);
    expect(lowerBound(DEFAULT_BENCHMARKS.find((b) => b.key === 'math')!.sources[0]!)).toBe(0);
  });

  it('loads the example YAML file', () => {
    const benchmarks = loadBenchmarks(example);
    expect(benchmarks.map((b) => [b.key, b.raw_column, b.normalized_column, b.aggregate])).toEqual([
      ['arc', 'ARC Raw', 'ARC', 'task'],
      ['hellaswag', 'HellaSwag Raw', 'HellaSwag', 'task'],
      ['gsm8k', 'GSM8K Raw', 'GSM8K', 'mean'],
    ]);
    expect(benchmarks[2]!.sources.map((s) => s.metric)).toEqual(['exact_match,strict-match', 'exact_match,flexible-extract']);
  });

  it.each([
    [quiz([{ task: 't', metric: 'acc,none', num_choices: 4, lower_bound: 0.2 }]), 'not both'],
    [quiz([{ task: 't', metric: 'acc,none', num_choices: 1 }]), 'num_choices'],
    [quiz([{ task: 't', metric: 'acc,none', lower_bound: 0.5, higher_bound: 0.5 }]), 'below higher_bound'],
    [quiz([{ task: 't', metric: 'acc,none' }, { task: 't', metric: 'acc,none' }]), 'listed twice'],
    [quiz([{ task: 't', metric: 'acc,none' }, { task: 'u', metric: 'acc,none' }], { aggregate: 'task' }), 'exactly one source'],
    [quiz([]), 'sources'],
    [quiz([{ task: 't', metric: 'acc,none' }], { key: 'Bad Key' }), '/benchmarks/0/key'],
    [{ benchmarks: [{ key: 'quiz' }] }, 'required properties name'],
  ])('rejects an invalid file (%#), naming the problem', (file, needle) => {
    expect(() => validateBenchmarks(file, 'b.yaml')).toThrow(BenchmarksFileError);
    expect(() => validateBenchmarks(file, 'b.yaml')).toThrow(needle);
  });
});
