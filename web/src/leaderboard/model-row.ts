/**
 * The leaderboard's row model: each formatted item flattened once, when the data arrives,
 * into what the table, the filters and the search read. No per-render work per row.
 * Pure module (no DOM): unit-tested from Node.
 */
import type { FormattedItem, ModelType } from '../api/types.js';

export interface Benchmark {
  key: string;
  name: string;
}

export interface Score {
  /** Raw score in percent (value × 100), or null. */
  raw: number | null;
  /** Normalized score, 0–100, or null. */
  normalized: number | null;
}

export interface ModelRow {
  id: string;
  rank: number;
  /** `org/name` */
  name: string;
  org: string;
  type: ModelType;
  precision: string;
  weightType: string;
  architecture: string;
  sha: string;
  hasChatTemplate: boolean;
  average: number | null;
  /** Mean of the raw scores, in percent. */
  rawAverage: number | null;
  scores: Record<string, Score>;
  params: number | null;
  license: string;
  hearts: number | null;
  co2: number | null;
  uploadDate: string | null;
  submissionDate: string | null;
  generation: string | null;
  baseModel: string;
  merged: boolean;
  moe: boolean;
  flagged: boolean;
  unavailable: boolean;
  official: boolean;
  /** Lower-cased name, for the search. */
  searchName: string;
}

/** The benchmarks, in the order the API lists them (configuration, never hard-coded). */
export function benchmarksOf(items: readonly FormattedItem[]): Benchmark[] {
  const first = items[0];
  if (!first) return [];
  return Object.entries(first.evaluations).map(([key, evaluation]) => ({ key, name: evaluation.name || key }));
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function toRow(item: FormattedItem, benchmarks: readonly Benchmark[]): ModelRow {
  const name = item.model.name ?? item.id;
  const scores: Record<string, Score> = {};
  let rawSum = 0;
  let rawCount = 0;
  for (const b of benchmarks) {
    const evaluation = item.evaluations[b.key];
    const value = finite(evaluation?.value);
    const raw = value === null ? null : value * 100;
    scores[b.key] = { raw, normalized: finite(evaluation?.normalized_score) };
    if (raw !== null) {
      rawSum += raw;
      rawCount += 1;
    }
  }
  return {
    id: item.id,
    rank: item.rank,
    name,
    org: name.includes('/') ? name.slice(0, name.indexOf('/')) : '',
    type: item.model.type,
    precision: item.model.precision ?? '',
    weightType: item.model.weight_type ?? '',
    architecture: item.model.architecture ?? '',
    sha: item.model.sha ?? '',
    hasChatTemplate: item.model.has_chat_template,
    average: finite(item.model.average_score),
    rawAverage: rawCount === benchmarks.length && rawCount > 0 ? rawSum / rawCount : null,
    scores,
    params: finite(item.metadata.params_billions),
    license: item.metadata.hub_license ?? '',
    hearts: finite(item.metadata.hub_hearts),
    co2: finite(item.metadata.co2_cost),
    uploadDate: item.metadata.upload_date,
    submissionDate: item.metadata.submission_date,
    generation: item.metadata.generation,
    baseModel: item.metadata.base_model ?? '',
    merged: item.features.is_merged,
    moe: item.features.is_moe,
    flagged: item.features.is_flagged,
    unavailable: item.features.is_not_available_on_hub,
    official: item.features.is_official_provider,
    searchName: name.toLowerCase(),
  };
}

export interface LeaderboardData {
  rows: ModelRow[];
  benchmarks: Benchmark[];
  byId: Map<string, ModelRow>;
  /** Entries per model name, best first. */
  byName: Map<string, ModelRow[]>;
  precisions: string[];
  maxParams: number;
}

export function toLeaderboardData(items: readonly FormattedItem[]): LeaderboardData {
  const benchmarks = benchmarksOf(items);
  const rows = items.map((item) => toRow(item, benchmarks));
  const byId = new Map<string, ModelRow>();
  const byName = new Map<string, ModelRow[]>();
  const precisions = new Set<string>();
  let maxParams = 0;
  for (const row of rows) {
    byId.set(row.id, row);
    const list = byName.get(row.name);
    if (list) list.push(row);
    else byName.set(row.name, [row]);
    if (row.precision) precisions.add(row.precision);
    if (row.params !== null && row.params > maxParams) maxParams = row.params;
  }
  for (const list of byName.values()) list.sort((a, b) => a.rank - b.rank);
  return { rows, benchmarks, byId, byName, precisions: [...precisions].sort(), maxParams };
}

/** The score shown for a benchmark in the chosen display. */
export function scoreOf(row: ModelRow, key: string, display: ScoreDisplay): number | null {
  const score = row.scores[key];
  if (!score) return null;
  return display === 'raw' ? score.raw : score.normalized;
}

export function averageOf(row: ModelRow, display: ScoreDisplay): number | null {
  return display === 'raw' ? row.rawAverage : row.average;
}

export type ScoreDisplay = 'normalized' | 'raw';
