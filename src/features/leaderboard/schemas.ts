/**
 * TypeBox schemas of the leaderboard API: built from the configured benchmarks, so the
 * OpenAPI document shows exactly the columns and evaluation keys this leaderboard serves.
 */
import { Type, type TSchema } from 'typebox';
import type { ColumnSpec } from '../../datasets/contents-table.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { HIDE_FLAGS, KNOWN_PRECISIONS, MAX_LIMIT, sortKeys } from './query.js';
import { MODEL_TYPE_KEYS } from './transform.js';

const nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);

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
  });
}

export function formattedItemSchema(benchmarks: readonly BenchmarkDefinition[]): TSchema {
  const evaluation = (b: BenchmarkDefinition) =>
    Type.Object({
      name: Type.Literal(b.name),
      value: nullable(Type.Number({ description: `Raw score (${b.raw_column})` })),
      normalized_score: nullable(Type.Number({ description: `Normalized score 0–100 (${b.normalized_column})` })),
    });
  return Type.Object({
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
  });
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
      params_min: Type.Optional(Type.Number({ minimum: 0, description: 'Minimum parameters in billions' })),
      params_max: Type.Optional(Type.Number({ minimum: 0, description: 'Maximum parameters in billions' })),
      official_only: Type.Optional(Type.Boolean({ description: 'Only official providers' })),
      hide: list(`Hide flagged groups (repeatable or comma-separated): ${HIDE_FLAGS.join(', ')}`, ['merged']),
      sort: Type.Optional(
        Type.String({ maxLength: 40, description: `Sort key, \`-\` prefix for descending: ${sortKeys(benchmarks).join(', ')}`, examples: ['-average'] }),
      ),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT })),
      offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    },
    { additionalProperties: false },
  );
}
