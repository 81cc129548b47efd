/**
 * Server-side filtering, sorting and paging of the formatted leaderboard (the original did
 * this only in the browser). Works on the precomputed items; never touches storage.
 */
import safeRegex from 'safe-regex2';
import { AppError } from '../../http/errors.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { MODEL_TYPE_KEYS, type ModelTypeKey } from '../../datasets/model-types.js';
import type { FormattedItem } from './transform.js';

export const HIDE_FLAGS = ['merged', 'moe', 'flagged', 'unavailable'] as const;
export type HideFlag = (typeof HIDE_FLAGS)[number];
export const KNOWN_PRECISIONS = ['float16', 'bfloat16', '8bit', '4bit', 'GPTQ', 'float32'] as const;

export const MAX_LIMIT = 10_000;
const MAX_REGEX_LENGTH = 200;

/** The query string as Fastify hands it over (arrays for repeatable parameters). */
export interface RawLeaderboardQuery {
  search?: string;
  type?: string[];
  precision?: string[];
  params_min?: number;
  params_max?: number;
  official_only?: boolean;
  hide?: string[];
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface LeaderboardQuery {
  match?: (name: string) => boolean;
  types?: ReadonlySet<ModelTypeKey>;
  precisions?: ReadonlySet<string>;
  paramsMin?: number;
  paramsMax?: number;
  officialOnly: boolean;
  hide: ReadonlySet<HideFlag>;
  sort: { key: string; descending: boolean; value: (item: FormattedItem) => number | string | null };
  limit?: number;
  offset: number;
}

/** Repeatable parameters also accept comma-separated values: `precision=float16,bfloat16`. */
function splitValues(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

/** `text` (case-insensitive substring) or `/pattern/flags` (a safe regular expression). */
export function compileSearch(search: string): ((name: string) => boolean) | undefined {
  const text = search.trim();
  if (text === '') return undefined;
  const regexForm = /^\/(.+)\/([a-z]*)$/s.exec(text);
  if (!regexForm) {
    const needle = text.toLowerCase();
    return (name) => name.toLowerCase().includes(needle);
  }
  const [, pattern = '', flags = ''] = regexForm;
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new AppError('INVALID_REGEX', `The search regex is longer than ${MAX_REGEX_LENGTH} characters.`);
  }
  if (!/^[imsu]*$/.test(flags)) {
    throw new AppError('INVALID_REGEX', `Unsupported regex flags "${flags}"; use i, m, s or u.`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags.includes('i') ? flags : `${flags}i`);
  } catch (error) {
    throw new AppError('INVALID_REGEX', `Invalid search regex: ${(error as Error).message}`);
  }
  // Reject patterns with nested quantifiers (catastrophic backtracking, e.g. /(a+)+$/).
  if (!safeRegex(regex)) {
    throw new AppError('INVALID_REGEX', 'The search regex could take exponential time (nested quantifiers); simplify it.');
  }
  return (name) => regex.test(name);
}

export function sortKeys(benchmarks: readonly BenchmarkDefinition[]): string[] {
  return ['average', 'params', 'hub_hearts', 'submission_date', 'rank', ...benchmarks.map((b) => b.key)];
}

function sortValue(key: string): (item: FormattedItem) => number | string | null {
  switch (key) {
    case 'average':
    case 'rank':
      return (item) => item.model.average_score;
    case 'params':
      return (item) => item.metadata.params_billions;
    case 'hub_hearts':
      return (item) => item.metadata.hub_hearts;
    case 'submission_date':
      return (item) => item.metadata.submission_date;
    default:
      return (item) => item.evaluations[key]?.normalized_score ?? null;
  }
}

/** Validates the raw query into a compiled query; bad values are 400s naming the parameter. */
export function parseLeaderboardQuery(raw: RawLeaderboardQuery, benchmarks: readonly BenchmarkDefinition[]): LeaderboardQuery {
  const types = splitValues(raw.type).map((value) => {
    const type = value.toLowerCase() as ModelTypeKey;
    if (!MODEL_TYPE_KEYS.includes(type)) {
      throw new AppError('VALIDATION_ERROR', `Unknown type "${value}"; use one of: ${MODEL_TYPE_KEYS.join(', ')}.`);
    }
    return type;
  });
  const precisions = splitValues(raw.precision).map((value) => {
    const known = KNOWN_PRECISIONS.find((p) => p.toLowerCase() === value.toLowerCase());
    if (!known) throw new AppError('VALIDATION_ERROR', `Unknown precision "${value}"; use one of: ${KNOWN_PRECISIONS.join(', ')}.`);
    return known.toLowerCase();
  });
  const hide = splitValues(raw.hide).map((value) => {
    const flag = value.toLowerCase() as HideFlag;
    if (!HIDE_FLAGS.includes(flag)) throw new AppError('VALIDATION_ERROR', `Unknown hide value "${value}"; use one of: ${HIDE_FLAGS.join(', ')}.`);
    return flag;
  });
  // The schema's integer/minimum/maximum do not catch "1e309": Fastify's Ajv coerces it to
  // Infinity and lets it through, and `"limit":Infinity` is not JSON.
  for (const name of ['params_min', 'params_max', 'limit', 'offset'] as const) {
    const value = raw[name];
    if (value !== undefined && !Number.isFinite(value)) throw new AppError('VALIDATION_ERROR', `Invalid query field "${name}": must be a finite number.`);
  }
  if (raw.params_min !== undefined && raw.params_max !== undefined && raw.params_min > raw.params_max) {
    throw new AppError('VALIDATION_ERROR', 'params_min must not be greater than params_max.');
  }
  const sortText = (raw.sort ?? '-average').trim();
  const descending = sortText.startsWith('-');
  const key = descending ? sortText.slice(1) : sortText;
  const keys = sortKeys(benchmarks);
  if (!keys.includes(key)) throw new AppError('VALIDATION_ERROR', `Unknown sort key "${key}"; use one of: ${keys.join(', ')} (prefix - for descending).`);
  return {
    match: raw.search === undefined ? undefined : compileSearch(raw.search),
    types: types.length ? new Set(types) : undefined,
    precisions: precisions.length ? new Set(precisions) : undefined,
    paramsMin: raw.params_min,
    paramsMax: raw.params_max,
    officialOnly: raw.official_only === true,
    hide: new Set(hide),
    // `rank` ascending means best first, which is average descending.
    sort: { key, descending: key === 'rank' ? !descending : descending, value: sortValue(key) },
    limit: raw.limit,
    offset: raw.offset ?? 0,
  };
}

function matches(item: FormattedItem, query: LeaderboardQuery): boolean {
  if (query.match && !query.match(item.model.name ?? '')) return false;
  if (query.types && !query.types.has(item.model.type)) return false;
  if (query.precisions && !query.precisions.has((item.model.precision ?? '').toLowerCase())) return false;
  const params = item.metadata.params_billions;
  if (query.paramsMin !== undefined && (params === null || params < query.paramsMin)) return false;
  if (query.paramsMax !== undefined && (params === null || params > query.paramsMax)) return false;
  if (query.officialOnly && !item.features.is_official_provider) return false;
  if (query.hide.has('merged') && item.features.is_merged) return false;
  if (query.hide.has('moe') && item.features.is_moe) return false;
  if (query.hide.has('flagged') && item.features.is_flagged) return false;
  if (query.hide.has('unavailable') && item.features.is_not_available_on_hub) return false;
  return true;
}

export interface QueryResult {
  /** Indexes into the ranked item list, in answer order. */
  indexes: number[];
  total: number;
}

/** Filters, sorts (nulls last, stable by rank) and pages the ranked items. */
export function runLeaderboardQuery(items: readonly FormattedItem[], query: LeaderboardQuery): QueryResult {
  const selected: number[] = [];
  for (let i = 0; i < items.length; i++) if (matches(items[i]!, query)) selected.push(i);
  const isDefaultOrder = (query.sort.key === 'average' || query.sort.key === 'rank') && query.sort.descending;
  if (!isDefaultOrder) {
    const { value, descending } = query.sort;
    const keyed = selected.map((index) => ({ index, key: value(items[index]!) }));
    keyed.sort((a, b) => {
      if (a.key === b.key) return a.index - b.index;
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      const order = a.key < b.key ? -1 : 1;
      return descending ? -order : order;
    });
    for (let i = 0; i < keyed.length; i++) selected[i] = keyed[i]!.index;
  }
  const end = query.limit === undefined ? undefined : query.offset + query.limit;
  return { indexes: selected.slice(query.offset, end), total: selected.length };
}
