/** Harness results files → benchmark scores, on the synthetic fixtures in test/fixtures/results. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCHMARKS, validateBenchmarks } from './benchmarks.js';
import {
  extractBenchmarkValues,
  parseResultsText,
  precisionFromDtype,
  readResultsModelInfo,
  ResultsFileError,
  scoreResults,
} from './results-file.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/results/${name}`, import.meta.url), 'utf8');

function expectRelative(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe('scoreResults on an lm-evaluation-harness v2 results file', () => {
  const doc = parseResultsText(fixture('valid-model-bfloat16.json'));
  const scored = scoreResults(doc, DEFAULT_BENCHMARKS);

  it('reads the model facts from `config` and the top level', () => {
    expect(scored.info).toEqual({
      model: 'emulated/valid-model',
      sha: '0'.repeat(40),
      dtype: 'torch.bfloat16',
      precision: 'bfloat16',
      evaluationSeconds: 2875.1234,
      chatTemplate: true,
    });
  });

  it('gives each benchmark the numbers computed independently with exact fractions', () => {
    // [raw, normalized] from an exact-rational implementation of the documented formulas.
    const expected: Record<string, [number, number]> = {
      ifeval: [0.2042824151030377, 20.42824151030377],
      bbh: [0.42433973996499685, 19.030974280815137],
      math: [0.0891238670694864, 8.91238670694864],
      gpqa: [0.25838926174496646, 1.1185682326621944],
      musr: [0.4535, 16.020833333333336],
      mmlu_pro: [0.1400432180851064, 4.44924645390071],
    };
    expect(scored.benchmarks.map((b) => b.key)).toEqual(Object.keys(expected));
    for (const b of scored.benchmarks) {
      expectRelative(b.raw, expected[b.key]![0]);
      expectRelative(b.normalized, expected[b.key]![1]);
    }
    // BBH raw is the mean of the 24 subtasks, not the (size-weighted) group value in the file.
    const results = doc.results as Record<string, Record<string, number>>;
    expect(results.leaderboard_bbh!['acc_norm,none']).not.toBeCloseTo(expected.bbh![0], 6);
    // Six subtasks are below their random baseline and count as 0.
    expect(scored.benchmarks[1]!.values).toHaveLength(24);
  });

  it('averages the normalized scores left to right and prices the evaluation time', () => {
    const n = scored.benchmarks.map((b) => b.normalized);
    expect(scored.average).toBe((((((n[0]! + n[1]!) + n[2]!) + n[3]!) + n[4]!) + n[5]!) / 6);
    expect(scored.co2).toBeCloseTo((2875.1234 / 3600) * 5.6 * 0.2698, 12);
  });
});

describe('readResultsModelInfo', () => {
  it('prefers config_general (older leaderboard files), with torch.float16 → float16', () => {
    const info = readResultsModelInfo(parseResultsText(fixture('config-general-float16.json')));
    expect(info).toEqual({
      model: 'test-org/older-format-model',
      sha: 'b'.repeat(40),
      dtype: 'torch.float16',
      precision: 'float16',
      evaluationSeconds: 1500,
    });
  });

  it('falls back to model_args and ignores a revision that is not a sha', () => {
    const info = readResultsModelInfo({
      config: { model_args: 'pretrained=org/m,revision=main,dtype=bfloat16', model_revision: 'main' },
      total_evaluation_time_seconds: 'not a number',
      chat_template: null,
    });
    expect(info).toEqual({ model: 'org/m', dtype: 'bfloat16', precision: 'bfloat16', chatTemplate: false });
  });

  it.each([
    ['torch.bfloat16', 'bfloat16'],
    ['bfloat16', 'bfloat16'],
    ['torch.float16', 'float16'],
    ['float16', 'float16'],
    ['torch.float32', 'float32'],
    ['8bit', '8bit'],
    ['4bit', '4bit'],
    ['GPTQ', 'GPTQ'],
    ['torch.complex64', undefined],
  ])('precisionFromDtype(%s) = %s', (dtype, precision) => {
    expect(precisionFromDtype(dtype)).toBe(precision);
  });
});

describe('errors name what is missing', () => {
  it('a missing task group', () => {
    const doc = parseResultsText(fixture('missing-gpqa.json'));
    let error: unknown;
    try {
      scoreResults(doc, DEFAULT_BENCHMARKS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResultsFileError);
    expect((error as ResultsFileError).problems).toEqual(['missing task "leaderboard_gpqa" (needed by GPQA)']);
    expect((error as ResultsFileError).message).toContain('leaderboard_gpqa');
  });

  it('a missing metric, a non-number and an out-of-range value, all at once', () => {
    const doc = parseResultsText(fixture('valid-model-bfloat16.json'));
    const results = doc.results as Record<string, Record<string, unknown>>;
    delete results.leaderboard_ifeval!['inst_level_strict_acc,none'];
    results.leaderboard_mmlu_pro!['acc,none'] = 'N/A';
    results.leaderboard_bbh_navigate!['acc_norm,none'] = 1.5;
    expect(() => extractBenchmarkValues(doc, DEFAULT_BENCHMARKS)).toThrow(ResultsFileError);
    try {
      extractBenchmarkValues(doc, DEFAULT_BENCHMARKS);
    } catch (e) {
      expect((e as ResultsFileError).problems).toEqual([
        'task "leaderboard_ifeval" has no metric "inst_level_strict_acc,none" (needed by IFEval)',
        'task "leaderboard_bbh_navigate" metric "acc_norm,none" is 1.5, outside [0, 1]',
        'task "leaderboard_mmlu_pro" metric "acc,none" is "N/A", not a number',
      ]);
    }
  });

  it('a file that is not JSON or has no results', () => {
    expect(() => parseResultsText('{"results": ')).toThrow(/not valid JSON/);
    expect(() => parseResultsText('[1]')).toThrow(/not a JSON object/);
    expect(() => extractBenchmarkValues({}, DEFAULT_BENCHMARKS)).toThrow(/no "results" object/);
  });

  it('reads NaN written by Python as null (a stderr, not a needed value)', () => {
    const doc = parseResultsText('{"results": {"t": {"acc,none": 0.5, "acc_stderr,none": NaN}}}');
    expect(doc).toEqual({ results: { t: { 'acc,none': 0.5, 'acc_stderr,none': null } } });
  });
});

describe('other benchmarks from configuration', () => {
  it('a mean of several metrics with explicit bounds', () => {
    const [quiz] = validateBenchmarks({
      benchmarks: [
        {
          key: 'quiz',
          name: 'Quiz',
          raw_column: 'Quiz Raw',
          normalized_column: 'Quiz',
          aggregate: 'mean',
          sources: [
            { task: 'quiz', metric: 'acc,none', lower_bound: 0.2 },
            { task: 'quiz', metric: 'f1,none', higher_bound: 0.8 },
          ],
        },
      ],
    });
    const scored = scoreResults({ results: { quiz: { 'acc,none': 0.6, 'f1,none': 0.4 } } }, [quiz!]);
    // (0.6 − 0.2)/0.8 = 50 %, 0.4/0.8 = 50 %.
    expectRelative(scored.benchmarks[0]!.normalized, 50);
    expectRelative(scored.average, 50);
    expect(scored.co2).toBe(-1);
  });
});
