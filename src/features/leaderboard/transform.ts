/**
 * From contents records to the two API shapes of the original README: raw rows
 * (`GET /api/leaderboard`) and formatted items (`GET /api/leaderboard/formatted`).
 * Benchmarks come from configuration; no benchmark is named here.
 */
import {
  HIGHLIGHT_ALIASES,
  HIGHLIGHT_COLUMN,
  leaderboardColumns,
  type CellValue,
  type ColumnSpec,
  type ContentsRecord,
} from '../../datasets/contents-table.js';
import { cleanModelType, type ModelTypeKey } from '../../datasets/model-types.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';

/** A raw API row: the README's columns, in its order, with JSON types fixed per column. */
export type LeaderboardRow = Record<string, CellValue>;

/**
 * The API's column types. They follow the data's types except `Generation`, which the
 * README types as a string (the dataset stores an integer).
 */
export function apiColumns(benchmarks: readonly BenchmarkDefinition[]): ColumnSpec[] {
  return leaderboardColumns(benchmarks).map((column) =>
    column.name === 'Generation' ? { name: column.name, type: 'string' } : column,
  );
}

/** A cell coerced to its column's JSON type; anything unusable (NaN, junk) becomes null. */
export function coerceCell(value: CellValue | undefined, type: ColumnSpec['type']): CellValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'double':
    case 'int': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(number) ? number : null;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (/^(true|1)$/i.test(value)) return true;
      if (/^(false|0)$/i.test(value)) return false;
      return null;
    case 'string':
      return typeof value === 'string' ? value : String(value);
  }
}

/** A contents record as a raw API row (README columns only, `Official Providers` read as the highlight). */
export function toLeaderboardRow(record: ContentsRecord, columns: readonly ColumnSpec[]): LeaderboardRow {
  const row: LeaderboardRow = {};
  for (const column of columns) {
    let value = record[column.name];
    if ((value === undefined || value === null) && column.name === HIGHLIGHT_COLUMN) {
      for (const alias of HIGHLIGHT_ALIASES) if (record[alias] !== undefined) value = record[alias];
    }
    row[column.name] = coerceCell(value, column.type);
  }
  return row;
}

export interface Evaluation {
  name: string;
  value: number | null;
  normalized_score: number | null;
}

export interface FormattedItem {
  id: string;
  model: {
    name: string | null;
    sha: string | null;
    precision: string | null;
    type: ModelTypeKey;
    weight_type: string | null;
    architecture: string | null;
    average_score: number | null;
    has_chat_template: boolean;
  };
  evaluations: Record<string, Evaluation>;
  features: {
    is_not_available_on_hub: boolean;
    is_merged: boolean;
    is_moe: boolean;
    is_flagged: boolean;
    is_official_provider: boolean;
  };
  metadata: {
    upload_date: string | null;
    submission_date: string | null;
    generation: string | null;
    base_model: string | null;
    hub_license: string | null;
    hub_hearts: number | null;
    params_billions: number | null;
    co2_cost: number | null;
  };
  rank: number;
}

const str = (value: CellValue | undefined): string | null => (typeof value === 'string' ? value : null);
const num = (value: CellValue | undefined): number | null => (typeof value === 'number' ? value : null);
/** Python's str() of a bool, as the original's id used it. */
const pyBool = (value: CellValue | undefined): string => (value === true ? 'True' : value === false ? 'False' : 'None');

/** The org of `org/name` (none for a bare name). */
export function modelOrg(fullname: string | null): string | undefined {
  if (!fullname) return undefined;
  const slash = fullname.indexOf('/');
  return slash > 0 ? fullname.slice(0, slash) : undefined;
}

/** A raw row as a formatted item; `rank` is filled in once the table is ordered. */
export function toFormattedItem(
  row: LeaderboardRow,
  benchmarks: readonly BenchmarkDefinition[],
  officialProviders: ReadonlySet<string>,
): FormattedItem {
  const fullname = str(row.fullname);
  const org = modelOrg(fullname);
  const evaluations: Record<string, Evaluation> = {};
  for (const b of benchmarks) {
    evaluations[b.key] = { name: b.name, value: num(row[b.raw_column]), normalized_score: num(row[b.normalized_column]) };
  }
  return {
    id: `${fullname ?? 'None'}_${str(row.Precision) ?? 'None'}_${str(row['Model sha']) ?? 'None'}_${pyBool(row['Chat Template'])}`,
    model: {
      name: fullname,
      sha: str(row['Model sha']),
      precision: str(row.Precision),
      type: cleanModelType(row.Type),
      weight_type: str(row['Weight type']),
      architecture: str(row.Architecture),
      average_score: num(row['Average ⬆️']),
      has_chat_template: row['Chat Template'] === true,
    },
    evaluations,
    features: {
      // The original copied `Available on the hub` here without negating it; we negate.
      is_not_available_on_hub: row['Available on the hub'] === false,
      is_merged: row.Merged === true,
      is_moe: row.MoE === true,
      is_flagged: row.Flagged === true,
      is_official_provider: row[HIGHLIGHT_COLUMN] === true || (org !== undefined && officialProviders.has(org)),
    },
    metadata: {
      upload_date: str(row['Upload To Hub Date']),
      submission_date: str(row['Submission Date']),
      generation: str(row.Generation),
      base_model: str(row['Base Model']),
      hub_license: str(row['Hub License']),
      hub_hearts: num(row['Hub ❤️']),
      params_billions: num(row['#Params (B)']),
      co2_cost: num(row['CO₂ cost (kg)']),
    },
    rank: 0,
  };
}

/** Best average first; models without an average last; ties by id for a stable order. */
export function compareByAverage(a: FormattedItem, b: FormattedItem): number {
  const x = a.model.average_score;
  const y = b.model.average_score;
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Orders items by average and assigns competition ranks (1, 2, 2, 4). */
export function rankItems(items: FormattedItem[]): FormattedItem[] {
  items.sort(compareByAverage);
  let previous: number | null | undefined;
  let rank = 0;
  items.forEach((item, index) => {
    if (index === 0 || item.model.average_score !== previous) rank = index + 1;
    previous = item.model.average_score;
    item.rank = rank;
  });
  return items;
}
