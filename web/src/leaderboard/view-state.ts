/**
 * Every bit of the leaderboard's view state lives in the URL, under the parameter names the
 * original frontend used (`search`, `types`, `precision`, `params`, `filters`, `official`,
 * `pinned`, `columns`, `scoreDisplay`) plus `sort`/`order`. Defaults are left out, so a
 * copied link is short and reproduces the view. Pure module (no DOM): unit-tested from Node.
 */
import { MODEL_TYPES, type ModelType } from '../api/types.js';
import type { ModelRow, ScoreDisplay } from './model-row.js';

/** The slider's top: a range ending here has no upper bound. */
export const PARAMS_MAX = 140;
export const DEFAULT_PARAMS: readonly [number, number] = [0, PARAMS_MAX];

export const HIDE_FLAGS = ['is_merged', 'is_moe', 'is_flagged', 'is_not_available_on_hub'] as const;
export type HideFlag = (typeof HIDE_FLAGS)[number];

const HIDE_ALIASES: Record<string, HideFlag> = {
  is_merged: 'is_merged',
  merged: 'is_merged',
  is_moe: 'is_moe',
  moe: 'is_moe',
  is_flagged: 'is_flagged',
  flagged: 'is_flagged',
  is_not_available_on_hub: 'is_not_available_on_hub',
  unavailable: 'is_not_available_on_hub',
};

export interface SortState {
  id: string;
  desc: boolean;
}

export interface ViewState {
  search: string;
  /** Empty: every type. */
  types: ModelType[];
  /** Empty: every precision. */
  precisions: string[];
  params: [number, number];
  hide: HideFlag[];
  official: boolean;
  pinned: string[];
  /** Null: the default columns. */
  columns: string[] | null;
  scoreDisplay: ScoreDisplay;
  /** Null: by rank (best first). */
  sort: SortState | null;
}

export const DEFAULT_VIEW: Readonly<ViewState> = Object.freeze<ViewState>({
  search: '',
  types: [],
  precisions: [],
  params: [DEFAULT_PARAMS[0], DEFAULT_PARAMS[1]],
  hide: [],
  official: false,
  pinned: [],
  columns: null,
  scoreDisplay: 'normalized',
  sort: null,
});

export interface SizePreset {
  id: 'edge' | 'small' | 'medium' | 'large';
  range: [number, number];
}

/** Quick presets by size (billions of parameters; the upper bound is exclusive). */
export const SIZE_PRESETS: readonly SizePreset[] = [
  { id: 'edge', range: [0, 3] },
  { id: 'small', range: [3, 7] },
  { id: 'medium', range: [7, 65] },
  { id: 'large', range: [65, PARAMS_MAX] },
];

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export function isDefaultParams(range: readonly [number, number]): boolean {
  return range[0] <= DEFAULT_PARAMS[0] && range[1] >= DEFAULT_PARAMS[1];
}

export function parseViewState(search: string | URLSearchParams): ViewState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const types = unique(list(params.get('types')).map((t) => t.toLowerCase())).filter((t): t is ModelType =>
    (MODEL_TYPES as readonly string[]).includes(t),
  );
  const range = list(params.get('params')).map(Number);
  let paramsRange: [number, number] = [DEFAULT_PARAMS[0], DEFAULT_PARAMS[1]];
  if (range.length === 2 && range.every((n) => Number.isFinite(n))) {
    const low = Math.max(0, Math.min(range[0]!, range[1]!));
    const high = Math.min(PARAMS_MAX, Math.max(range[0]!, range[1]!));
    paramsRange = [low, high];
  }
  const hide = unique(list(params.get('filters')).map((f) => HIDE_ALIASES[f.toLowerCase()]).filter((f): f is HideFlag => f !== undefined));
  const sortId = params.get('sort')?.trim();
  const order = params.get('order')?.trim().toLowerCase();
  const columns = params.get('columns');
  return {
    search: params.get('search') ?? '',
    types,
    precisions: unique(list(params.get('precision'))),
    params: paramsRange,
    hide,
    official: params.get('official') === 'true',
    pinned: unique(list(params.get('pinned'))),
    columns: columns === null ? null : unique(list(columns)),
    scoreDisplay: params.get('scoreDisplay') === 'raw' ? 'raw' : 'normalized',
    sort: sortId ? { id: sortId, desc: order !== 'asc' } : null,
  };
}

/** Query-string encoding that keeps `,` `/` `:` `@` readable (all legal in a query). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/gi, '@');
}

/** The query string (without `?`) of a view; defaults are omitted. */
export function serializeViewState(state: ViewState): string {
  const out: [string, string][] = [];
  if (state.search.trim() !== '') out.push(['search', state.search]);
  if (state.types.length > 0 && state.types.length < MODEL_TYPES.length) out.push(['types', state.types.join(',')]);
  if (state.precisions.length > 0) out.push(['precision', state.precisions.join(',')]);
  if (!isDefaultParams(state.params)) out.push(['params', `${state.params[0]},${state.params[1]}`]);
  if (state.hide.length > 0) out.push(['filters', state.hide.join(',')]);
  if (state.official) out.push(['official', 'true']);
  if (state.pinned.length > 0) out.push(['pinned', state.pinned.join(',')]);
  if (state.columns !== null) out.push(['columns', state.columns.join(',')]);
  if (state.scoreDisplay !== 'normalized') out.push(['scoreDisplay', state.scoreDisplay]);
  if (state.sort) {
    out.push(['sort', state.sort.id]);
    out.push(['order', state.sort.desc ? 'desc' : 'asc']);
  }
  return out.map(([key, value]) => `${key}=${encode(value)}`).join('&');
}

/** True when a filter (not search, pins or display) narrows the list. */
export function hasActiveFilters(state: ViewState): boolean {
  return state.types.length > 0 || state.precisions.length > 0 || !isDefaultParams(state.params) || state.hide.length > 0 || state.official;
}

/** One predicate for the filters (the search is compiled separately). */
export function makeRowFilter(state: ViewState, search?: (row: ModelRow) => boolean): (row: ModelRow) => boolean {
  const types = state.types.length > 0 ? new Set<string>(state.types) : undefined;
  const precisions = state.precisions.length > 0 ? new Set(state.precisions.map((p) => p.toLowerCase())) : undefined;
  const paramsActive = !isDefaultParams(state.params);
  const [low, high] = state.params;
  const unbounded = high >= PARAMS_MAX;
  const hide = new Set(state.hide);
  const hideMerged = hide.has('is_merged');
  const hideMoe = hide.has('is_moe');
  const hideFlagged = hide.has('is_flagged');
  const hideUnavailable = hide.has('is_not_available_on_hub');
  const official = state.official;
  return (row) => {
    if (types && !types.has(row.type)) return false;
    if (precisions && !precisions.has(row.precision.toLowerCase())) return false;
    if (paramsActive) {
      if (row.params === null || row.params < low) return false;
      if (!unbounded && row.params >= high) return false;
    }
    if (hideMerged && row.merged) return false;
    if (hideMoe && row.moe) return false;
    if (hideFlagged && row.flagged) return false;
    if (hideUnavailable && row.unavailable) return false;
    if (official && !row.official) return false;
    if (search && !search(row)) return false;
    return true;
  };
}
