/**
 * TypeBox schemas of the leaderboard API: built from the configured benchmarks, so the
 * OpenAPI document shows exactly the columns and evaluation keys this leaderboard serves.
 */
import { Type, type TSchema } from 'typebox';
import { HIGHLIGHT_COLUMN, leaderboardColumns, modelAnchorHtml, type CellValue, type ColumnSpec } from '../../datasets/contents-table.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { evalName } from '../../scoring/contents-row.js';
import { HIDE_FLAGS, KNOWN_PRECISIONS, MAX_LIMIT, sortKeys } from './query.js';
import { MODEL_TYPE_KEYS, MODEL_TYPE_LABELS } from '../../datasets/model-types.js';

const nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);

// ── Examples of the OpenAPI document ─────────────────────────────────────────────────────────
// One model, the same in the raw row and the formatted item. The scores are built per configured
// benchmark (the i-th benchmark gets the i-th pair, cycling), so the examples always have exactly
// the columns and evaluation keys this leaderboard serves.

const EXAMPLE_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const EXAMPLE_SHA = '0e9e39f249a16976918f6564b8830bc894c89659';
const EXAMPLE_PRECISION = 'bfloat16';
/** Raw score (0–1) and normalized score (0–100) of the i-th benchmark in the examples. */
const EXAMPLE_SCORES: ReadonlyArray<readonly [raw: number, normalized: number]> = [
  [0.7856, 78.56],
  [0.5073, 29.89],
  [0.1722, 17.22],
  [0.2676, 2.35],
  [0.387, 8.41],
  [0.3762, 30.69],
];
const exampleScore = (index: number): readonly [number, number] => EXAMPLE_SCORES[index % EXAMPLE_SCORES.length] ?? [0, 0];
const round2 = (value: number) => Math.round(value * 100) / 100;
/** The average of the example: the mean of the normalized scores of `count` benchmarks. */
function exampleAverage(count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i += 1) sum += exampleScore(i)[1];
  return count === 0 ? 0 : round2(sum / count);
}

/** The example's cells of the fixed (non-benchmark) README columns. */
const EXAMPLE_CELLS: Readonly<Record<string, CellValue>> = {
  eval_name: evalName(EXAMPLE_MODEL, EXAMPLE_PRECISION),
  Precision: EXAMPLE_PRECISION,
  Type: MODEL_TYPE_LABELS.chat,
  'Weight type': 'Original',
  Architecture: 'LlamaForCausalLM',
  Model: modelAnchorHtml(EXAMPLE_MODEL, 'open-llm-leaderboard'),
  fullname: EXAMPLE_MODEL,
  'Model sha': EXAMPLE_SHA,
  'Hub License': 'llama3.1',
  'Hub ❤️': 3487,
  '#Params (B)': 8.03,
  'Available on the hub': true,
  Merged: false,
  MoE: false,
  Flagged: false,
  'Chat Template': true,
  'CO₂ cost (kg)': 1.41,
  [HIGHLIGHT_COLUMN]: true,
  'Upload To Hub Date': '2024-07-18',
  'Submission Date': '2024-07-23',
  Generation: 1,
  'Base Model': 'meta-llama/Llama-3.1-8B',
};
const FIXED_COLUMNS = new Set(leaderboardColumns([]).map((column) => column.name));

function exampleCell(column: ColumnSpec, value: CellValue | undefined): CellValue {
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'string':
      return String(value);
    case 'int':
      return typeof value === 'number' ? Math.round(value) : null;
    case 'double':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
  }
}

/**
 * The example row: the fixed columns from EXAMPLE_CELLS; the benchmark columns, which come in
 * (raw, normalized) pairs in table order, from EXAMPLE_SCORES; any other column null.
 */
function leaderboardRowExample(columns: readonly ColumnSpec[]): Record<string, CellValue> {
  const benchmarkColumns = columns.filter((column) => !FIXED_COLUMNS.has(column.name) && column.type === 'double');
  const benchmarkCount = Math.floor(benchmarkColumns.length / 2);
  const row: Record<string, CellValue> = {};
  for (const column of columns) {
    const index = benchmarkColumns.indexOf(column);
    const value =
      column.name === 'Average ⬆️'
        ? exampleAverage(benchmarkCount)
        : index >= 0 && index < benchmarkCount * 2
          ? exampleScore(Math.floor(index / 2))[index % 2]
          : EXAMPLE_CELLS[column.name];
    row[column.name] = exampleCell(column, value);
  }
  return row;
}

/** The example formatted item: the example row as /api/leaderboard/formatted shows it. */
function formattedItemExample(benchmarks: readonly BenchmarkDefinition[]) {
  return {
    id: `${EXAMPLE_MODEL}_${EXAMPLE_PRECISION}_${EXAMPLE_SHA}_True`,
    model: {
      name: EXAMPLE_MODEL,
      sha: EXAMPLE_SHA,
      precision: EXAMPLE_PRECISION,
      type: 'chat',
      weight_type: 'Original',
      architecture: 'LlamaForCausalLM',
      average_score: exampleAverage(benchmarks.length),
      has_chat_template: true,
    },
    evaluations: Object.fromEntries(
      benchmarks.map((b, i) => {
        const [value, normalized] = exampleScore(i);
        return [b.key, { name: b.name, value, normalized_score: normalized }];
      }),
    ),
    features: { is_not_available_on_hub: false, is_merged: false, is_moe: false, is_flagged: false, is_official_provider: true },
    metadata: {
      upload_date: '2024-07-18',
      submission_date: '2024-07-23',
      generation: '1',
      base_model: 'meta-llama/Llama-3.1-8B',
      hub_license: 'llama3.1',
      hub_hearts: 3487,
      params_billions: 8.03,
      co2_cost: 1.41,
    },
    rank: 12,
  };
}

function cellSchema(column: ColumnSpec): TSchema {
  switch (column.type) {
    case 'double':
      return nullable(Type.Number());
    case 'int':
      return nullable(Type.Integer());
    case 'boolean':
      return nullable(Type.Boolean());
    case 'string':
      return nullable(Type.String());
  }
}

export function leaderboardRowSchema(columns: readonly ColumnSpec[]): TSchema {
  return Type.Object(Object.fromEntries(columns.map((column) => [column.name, cellSchema(column)])), {
    description: 'A contents row with the README columns (numbers as numbers, booleans as booleans, null where missing)',
    examples: [leaderboardRowExample(columns)],
  });
}

export function formattedItemSchema(benchmarks: readonly BenchmarkDefinition[]): TSchema {
  const evaluation = (b: BenchmarkDefinition) =>
    Type.Object({
      name: Type.Literal(b.name),
      value: nullable(Type.Number({ description: `Raw score (${b.raw_column})` })),
      normalized_score: nullable(Type.Number({ description: `Normalized score 0–100 (${b.normalized_column})` })),
    });
  return Type.Object(
    {
      id: Type.String({ description: '`{fullname}_{Precision}_{Model sha}_{Chat Template}` as the original built it' }),
      model: Type.Object({
        name: nullable(Type.String({ description: 'fullname, `org/name`' })),
        sha: nullable(Type.String()),
        precision: nullable(Type.String()),
        type: Type.Union(MODEL_TYPE_KEYS.map((key) => Type.Literal(key)), { description: 'Clean model type key' }),
        weight_type: nullable(Type.String()),
        architecture: nullable(Type.String()),
        average_score: nullable(Type.Number()),
        has_chat_template: Type.Boolean(),
      }),
      evaluations: Type.Object(Object.fromEntries(benchmarks.map((b) => [b.key, evaluation(b)]))),
      features: Type.Object({
        is_not_available_on_hub: Type.Boolean(),
        is_merged: Type.Boolean(),
        is_moe: Type.Boolean(),
        is_flagged: Type.Boolean(),
        is_official_provider: Type.Boolean(),
      }),
      metadata: Type.Object({
        upload_date: nullable(Type.String()),
        submission_date: nullable(Type.String()),
        generation: nullable(Type.String()),
        base_model: nullable(Type.String()),
        hub_license: nullable(Type.String()),
        hub_hearts: nullable(Type.Number()),
        params_billions: nullable(Type.Number()),
        co2_cost: nullable(Type.Number({ description: 'CO₂ cost in kg' })),
      }),
      rank: Type.Integer({ minimum: 1, description: 'Rank by average score (ties share a rank)' }),
    },
    { examples: [formattedItemExample(benchmarks)] },
  );
}

export function leaderboardQuerySchema(benchmarks: readonly BenchmarkDefinition[]): TSchema {
  const list = (description: string, examples: string[]) =>
    Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20, description, examples: [examples] }));
  return Type.Object(
    {
      search: Type.Optional(
        Type.String({ maxLength: 300, description: 'Case-insensitive substring of the model name, or `/regex/`', examples: ['llama'] }),
      ),
      type: list(`Model types (repeatable or comma-separated): ${MODEL_TYPE_KEYS.join(', ')}`, ['chat']),
      precision: list(`Precisions (repeatable or comma-separated): ${KNOWN_PRECISIONS.join(', ')}`, ['bfloat16']),
      params_min: Type.Optional(Type.Number({ minimum: 0, description: 'Minimum parameters in billions', examples: [3] })),
      params_max: Type.Optional(Type.Number({ minimum: 0, description: 'Maximum parameters in billions', examples: [14] })),
      official_only: Type.Optional(Type.Boolean({ description: 'Only official providers', examples: [false] })),
      hide: list(`Hide flagged groups (repeatable or comma-separated): ${HIDE_FLAGS.join(', ')}`, ['merged']),
      sort: Type.Optional(
        Type.String({ maxLength: 40, description: `Sort key, \`-\` prefix for descending: ${sortKeys(benchmarks).join(', ')}`, examples: ['-average'] }),
      ),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: 'Page size', examples: [50] })),
      offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Items to skip before the page', examples: [0] })),
    },
    { additionalProperties: false },
  );
}
