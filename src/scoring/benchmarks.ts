/**
 * Benchmarks as data. A leaderboard's benchmarks — their keys, display names, contents columns
 * and how their scores come out of lm-evaluation-harness results — are a configuration
 * (BENCHMARKS_FILE, JSON or YAML). The six Open LLM Leaderboard v2 benchmarks are the default.
 * No code path names a benchmark.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { readJsonOrYaml } from '../config.js';

/** One value taken from a results file: `results[task][metric]`. */
export const ScoreSource = Type.Object(
  {
    task: Type.String({ minLength: 1, description: 'Harness task key, e.g. leaderboard_bbh_navigate' }),
    metric: Type.String({ minLength: 1, description: 'Metric key with its filter, e.g. acc_norm,none' }),
    num_choices: Type.Optional(
      Type.Integer({ minimum: 2, description: 'Answer choices: the random baseline is 1/num_choices. Omit for a baseline of 0.' }),
    ),
    lower_bound: Type.Optional(
      Type.Number({
        minimum: 0,
        exclusiveMaximum: 1,
        description: 'The random baseline given directly (instead of num_choices), for a metric whose chance level is not 1/n.',
      }),
    ),
    higher_bound: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'The best possible value of the metric (default 1). Values above it are rejected at ingestion.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const BenchmarkDefinition = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Key under `evaluations` in /formatted, e.g. bbh' }),
    name: Type.String({ minLength: 1, description: 'Display name, e.g. "MATH Level 5"' }),
    raw_column: Type.String({ minLength: 1, description: 'Contents column of the raw score, e.g. "BBH Raw"' }),
    normalized_column: Type.String({ minLength: 1, description: 'Contents column of the normalized score (0–100), e.g. "BBH"' }),
    aggregate: Type.Union([Type.Literal('task'), Type.Literal('mean')], {
      description:
        '`task`: the single source value (a task, or a group such as leaderboard_math_hard); `mean`: the unweighted mean of the sources (subtasks, or several metrics of one task), summed in the listed order. Normalized = mean of each source normalized against its own baseline.',
    }),
    sources: Type.Array(ScoreSource, { minItems: 1 }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type BenchmarkDefinition = Static<typeof BenchmarkDefinition>;
export type ScoreSource = Static<typeof ScoreSource>;

/** The random baseline of a source: `lower_bound`, else 1/num_choices, else 0. */
export function lowerBound(source: ScoreSource): number {
  if (source.lower_bound !== undefined) return source.lower_bound;
  return source.num_choices === undefined ? 0 : 1 / source.num_choices;
}

/** The best possible value of a source's metric (default 1). */
export function higherBound(source: ScoreSource): number {
  return source.higher_bound ?? 1;
}

export const BenchmarksFile = Type.Object(
  { benchmarks: Type.Array(BenchmarkDefinition, { minItems: 1 }) },
  { additionalProperties: false },
);

const checkBenchmarksFile = Compile(BenchmarksFile);

function bbh(sub: string, numChoices: number) {
  return { task: `leaderboard_bbh_${sub}`, metric: 'acc_norm,none', num_choices: numChoices };
}

/** The Open LLM Leaderboard v2 benchmarks, in the order of the contents table. */
export const DEFAULT_BENCHMARKS: readonly BenchmarkDefinition[] = [
  {
    key: 'ifeval',
    name: 'IFEval',
    raw_column: 'IFEval Raw',
    normalized_column: 'IFEval',
    aggregate: 'mean',
    sources: [
      { task: 'leaderboard_ifeval', metric: 'prompt_level_strict_acc,none' },
      { task: 'leaderboard_ifeval', metric: 'inst_level_strict_acc,none' },
    ],
  },
  {
    key: 'bbh',
    name: 'BBH',
    raw_column: 'BBH Raw',
    normalized_column: 'BBH',
    aggregate: 'mean',
    sources: [
      bbh('sports_understanding', 2),
      bbh('tracking_shuffled_objects_three_objects', 3),
      bbh('navigate', 2),
      bbh('snarks', 2),
      bbh('date_understanding', 6),
      bbh('reasoning_about_colored_objects', 18),
      bbh('object_counting', 19),
      bbh('logical_deduction_seven_objects', 7),
      bbh('geometric_shapes', 11),
      bbh('web_of_lies', 2),
      bbh('movie_recommendation', 6),
      bbh('logical_deduction_five_objects', 5),
      bbh('salient_translation_error_detection', 6),
      bbh('disambiguation_qa', 3),
      bbh('temporal_sequences', 4),
      bbh('hyperbaton', 2),
      bbh('logical_deduction_three_objects', 3),
      bbh('causal_judgement', 2),
      bbh('formal_fallacies', 2),
      bbh('tracking_shuffled_objects_seven_objects', 7),
      bbh('ruin_names', 6),
      bbh('penguins_in_a_table', 5),
      bbh('boolean_expressions', 2),
      bbh('tracking_shuffled_objects_five_objects', 5),
    ],
  },
  {
    key: 'math',
    name: 'MATH Level 5',
    raw_column: 'MATH Lvl 5 Raw',
    normalized_column: 'MATH Lvl 5',
    aggregate: 'task',
    sources: [{ task: 'leaderboard_math_hard', metric: 'exact_match,none' }],
  },
  {
    key: 'gpqa',
    name: 'GPQA',
    raw_column: 'GPQA Raw',
    normalized_column: 'GPQA',
    aggregate: 'task',
    sources: [{ task: 'leaderboard_gpqa', metric: 'acc_norm,none', num_choices: 4 }],
  },
  {
    key: 'musr',
    name: 'MUSR',
    raw_column: 'MUSR Raw',
    normalized_column: 'MUSR',
    aggregate: 'mean',
    sources: [
      { task: 'leaderboard_musr_murder_mysteries', metric: 'acc_norm,none', num_choices: 2 },
      { task: 'leaderboard_musr_object_placements', metric: 'acc_norm,none', num_choices: 5 },
      { task: 'leaderboard_musr_team_allocation', metric: 'acc_norm,none', num_choices: 3 },
    ],
  },
  {
    key: 'mmlu_pro',
    name: 'MMLU-PRO',
    raw_column: 'MMLU-PRO Raw',
    normalized_column: 'MMLU-PRO',
    aggregate: 'task',
    sources: [{ task: 'leaderboard_mmlu_pro', metric: 'acc,none', num_choices: 10 }],
  },
];

export class BenchmarksFileError extends Error {
  constructor(file: string, reason: string) {
    super(`Invalid BENCHMARKS_FILE ${file}: ${reason}`);
    this.name = 'BenchmarksFileError';
  }
}

/** Reads and validates a benchmarks file (JSON or YAML); throws BenchmarksFileError. */
export function loadBenchmarks(file: string | undefined): readonly BenchmarkDefinition[] {
  if (file === undefined) return DEFAULT_BENCHMARKS;
  let parsed: unknown;
  try {
    parsed = readJsonOrYaml(file);
  } catch (error) {
    throw new BenchmarksFileError(file, (error as Error).message);
  }
  return validateBenchmarks(parsed, file);
}

export function validateBenchmarks(parsed: unknown, origin = 'benchmarks'): readonly BenchmarkDefinition[] {
  if (!checkBenchmarksFile.Check(parsed)) {
    const first = [...checkBenchmarksFile.Errors(parsed)][0];
    const where = first ? `${first.instancePath || '/'} ${first.message}` : 'does not match the schema';
    throw new BenchmarksFileError(origin, where);
  }
  const { benchmarks } = parsed as Static<typeof BenchmarksFile>;
  const seen = new Set<string>();
  for (const b of benchmarks) {
    for (const name of [`key ${b.key}`, `column ${b.raw_column}`, `column ${b.normalized_column}`]) {
      if (seen.has(name)) throw new BenchmarksFileError(origin, `duplicate ${name}`);
      seen.add(name);
    }
    if (b.aggregate === 'task' && b.sources.length !== 1) {
      throw new BenchmarksFileError(origin, `benchmark ${b.key}: aggregate "task" takes exactly one source`);
    }
    const sourceKeys = new Set<string>();
    for (const source of b.sources) {
      const where = `benchmark ${b.key}, source ${source.task} ${source.metric}`;
      if (source.num_choices !== undefined && source.lower_bound !== undefined) {
        throw new BenchmarksFileError(origin, `${where}: give num_choices or lower_bound, not both`);
      }
      if (lowerBound(source) >= higherBound(source)) {
        throw new BenchmarksFileError(origin, `${where}: the lower bound must be below higher_bound`);
      }
      const key = `${source.task}\0${source.metric}`;
      if (sourceKeys.has(key)) throw new BenchmarksFileError(origin, `${where}: listed twice`);
      sourceKeys.add(key);
    }
  }
  return Object.freeze(benchmarks.map((b) => Object.freeze(b)));
}
