/** Each scoring formula against numbers computed by hand (datasets-and-scoring.md §3, reference.md §6). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCHMARKS, type BenchmarkDefinition } from './benchmarks.js';
import { averageScore, co2CostKg, meanInOrder, normalizeScore, scoreBenchmark } from './normalize.js';

const benchmark = (key: string): BenchmarkDefinition => DEFAULT_BENCHMARKS.find((b) => b.key === key)!;

/** |a − b| ≤ 1e-12 × |b| (the doc's tolerance for values other than the average). */
function expectRelative(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe('normalizeScore', () => {
  it('maps the random baseline to 0 and a perfect score to 100, clipping below the baseline', () => {
    expect(normalizeScore(0.25, 0.25)).toBe(0);
    expect(normalizeScore(1, 0.25)).toBe(100);
    expect(normalizeScore(0.1, 0.25)).toBe(0);
    expect(normalizeScore(0.5, 0, 0.5)).toBe(100);
  });
});

describe('scoreBenchmark (the documented examples)', () => {
  it('MuSR 0.7 / 0.4 / 0.6 → 40 / 25 / 40 → 35.00 [normalization doc]', () => {
    const score = scoreBenchmark(benchmark('musr'), [0.7, 0.4, 0.6]);
    expect(score.normalized).toBeCloseTo(35, 10);
    // (0.7 − 0.5)/0.5 = 40 %, (0.4 − 0.2)/0.8 = 25 %, (0.6 − 1/3)/(2/3) = 40 %.
    expectRelative(score.normalized, (40 + 25 + 40) / 3);
    expectRelative(score.raw, (0.7 + 0.4 + 0.6) / 3);
  });

  it('GPQA 0.6 → (0.6 − 0.25)/0.75 × 100 = 46.67', () => {
    const score = scoreBenchmark(benchmark('gpqa'), [0.6]);
    expect(score.normalized.toFixed(2)).toBe('46.67');
    expectRelative(score.normalized, 140 / 3);
    expect(score.raw).toBe(0.6);
  });

  it('IFEval: raw (prompt + inst)/2, normalized (prompt×100 + inst×100)/2, bit for bit', () => {
    const prompt = 0.16635859519408502;
    const inst = 0.2422062350119904;
    const score = scoreBenchmark(benchmark('ifeval'), [prompt, inst]);
    expect(score.normalized).toBe((prompt * 100 + inst * 100) / 2);
    expect(score.raw).toBe((prompt + inst) / 2);
    expect(scoreBenchmark(benchmark('ifeval'), [0.5, 0.6]).normalized).toBeCloseTo(55, 12);
  });

  it('MATH Lvl 5: raw × 100 (baseline 0)', () => {
    expect(scoreBenchmark(benchmark('math'), [0.15]).normalized).toBe(0.15 * 100);
    expect(scoreBenchmark(benchmark('math'), [0]).normalized).toBe(0);
  });

  it('MMLU-PRO: max(0, (raw − 0.1)/0.9) × 100', () => {
    expectRelative(scoreBenchmark(benchmark('mmlu_pro'), [0.55]).normalized, 50);
    expect(scoreBenchmark(benchmark('mmlu_pro'), [0.1]).normalized).toBe(0);
    expect(scoreBenchmark(benchmark('mmlu_pro'), [0.05]).normalized).toBe(0);
  });

  it('BBH: 24 subtasks, each against its own number of choices, unweighted mean', () => {
    // value, choices, normalized by hand: max(0, v − 1/n)/(1 − 1/n) × 100
    const table: Array<[string, number, number, number]> = [
      ['sports_understanding', 0.6, 2, 20],
      ['tracking_shuffled_objects_three_objects', 0.5, 3, 25],
      ['navigate', 0.9, 2, 80],
      ['snarks', 0.1, 2, 0],
      ['date_understanding', 0.3, 6, 16],
      ['reasoning_about_colored_objects', 0.8, 18, 1340 / 17],
      ['object_counting', 0.4, 19, 110 / 3],
      ['logical_deduction_seven_objects', 0.7, 7, 65],
      ['geometric_shapes', 0.2, 11, 12],
      ['web_of_lies', 0.55, 2, 10],
      ['movie_recommendation', 0.45, 6, 34],
      ['logical_deduction_five_objects', 0.35, 5, 18.75],
      ['salient_translation_error_detection', 0.65, 6, 58],
      ['disambiguation_qa', 0.25, 3, 0],
      ['temporal_sequences', 0.75, 4, 200 / 3],
      ['hyperbaton', 0.85, 2, 70],
      ['logical_deduction_three_objects', 0.15, 3, 0],
      ['causal_judgement', 0.95, 2, 90],
      ['formal_fallacies', 0.05, 2, 0],
      ['tracking_shuffled_objects_seven_objects', 0.5, 7, 125 / 3],
      ['ruin_names', 0.6, 6, 52],
      ['penguins_in_a_table', 0.4, 5, 25],
      ['boolean_expressions', 0.3, 2, 0],
      ['tracking_shuffled_objects_five_objects', 0.2, 5, 0],
    ];
    const bbh = benchmark('bbh');
    expect(bbh.sources.map((s) => s.task)).toEqual(table.map(([name]) => `leaderboard_bbh_${name}`));
    expect(bbh.sources.map((s) => s.num_choices)).toEqual(table.map(([, , choices]) => choices));
    const score = scoreBenchmark(bbh, table.map(([, value]) => value));
    // Sum of the hand values: 799.5745098039216 → / 24; also checked with exact fractions.
    expectRelative(score.normalized, 33.31556372549019);
    expectRelative(score.normalized, table.reduce((sum, [, , , hand]) => sum + hand, 0) / 24);
    expectRelative(score.raw, 11.5 / 24);
  });
});

describe('averageScore', () => {
  it('sums left to right in the configured order, then divides', () => {
    const values = [57.130358688896, 73.68789340671, 31.59707232006, 64.072701678818, 35.569684484061, 74.846937736362];
    // Left to right gives …151165; right to left (and an exact sum) give …15117.
    expect(averageScore(values)).toBe(56.150774719151165);
    expect(averageScore([...values].reverse())).toBe(56.15077471915117);
    expect(meanInOrder([1, 2, 3, 4])).toBe(2.5);
  });
});

describe('co2CostKg', () => {
  it('t/3600 × 5.6 kW × 269.8 g/kWh / 1000, −1 when the time is missing or not positive', () => {
    expect(co2CostKg(3600)).toBeCloseTo(1.51088, 12);
    expect(co2CostKg(2875.1234)).toBeCloseTo((2875.1234 / 3600) * 5.6 * 0.2698, 12);
    expect(co2CostKg(0)).toBe(-1);
    expect(co2CostKg(-5)).toBe(-1);
    expect(co2CostKg(undefined)).toBe(-1);
    expect(co2CostKg(null)).toBe(-1);
  });
});
