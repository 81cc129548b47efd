/**
 * Score arithmetic of the Open LLM Leaderboard v2, exactly as its documentation and published
 * data define it (see docs/datasets-and-scoring.md). Summation order matters for bit-exact
 * reproduction: every mean here sums left to right in the configured order.
 */
import { higherBound, lowerBound, type BenchmarkDefinition } from './benchmarks.js';

/** The random baseline of a task with `numChoices` answers (0 when not a multiple-choice task). */
export function randomBaseline(numChoices: number | undefined): number {
  return numChoices === undefined ? 0 : 1 / numChoices;
}

/**
 * normalize(v, lower) = max(0, v − lower) / (higher − lower) × 100, higher = 1 by default
 * (the leaderboard's `normalize_within_range`, clipped at 0 below the random baseline).
 */
export function normalizeScore(value: number, lower: number, higher = 1): number {
  return (Math.max(0, value - lower) / (higher - lower)) * 100;
}

/** Left-to-right sum divided by the count. */
export function meanInOrder(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export interface BenchmarkScore {
  /** The raw score (0–1): mean of the source values. */
  raw: number;
  /** The normalized score (0–100): mean of each source normalized against its own baseline. */
  normalized: number;
}

/**
 * A benchmark's raw and normalized scores from its source values, given in the order of
 * `definition.sources`.
 */
export function scoreBenchmark(definition: BenchmarkDefinition, values: readonly number[]): BenchmarkScore {
  if (values.length !== definition.sources.length) {
    throw new Error(`Benchmark ${definition.key} needs ${definition.sources.length} values, got ${values.length}`);
  }
  const normalized = values.map((value, i) => {
    const source = definition.sources[i]!;
    return normalizeScore(value, lowerBound(source), higherBound(source));
  });
  return { raw: meanInOrder(values), normalized: meanInOrder(normalized) };
}

/** Average ⬆️: the mean of the normalized scores, summed in the configured benchmark order. */
export function averageScore(normalizedScores: readonly number[]): number {
  return meanInOrder(normalizedScores);
}

/** Power draw of the reference evaluation node (8 × H100 SXM at 0.7 kW), in kW. */
const NODE_POWER_KW = 5.6;
/** Carbon intensity of the reference grid (Virginia), in g CO₂ per kWh. */
const GRID_G_PER_KWH = 269.8;

/** CO₂ cost in kg for an evaluation of `seconds`; −1 when the time is unknown or not positive. */
export function co2CostKg(seconds: number | null | undefined): number {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return -1;
  return (((seconds / 3600) * NODE_POWER_KW) * GRID_G_PER_KWH) / 1000;
}
