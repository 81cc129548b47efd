/**
 * One contents row from one evaluation: the scores of a results file plus what the request file
 * and the Hub's model info say about the model, laid out as the original's contents table
 * (datasets-and-scoring.md §1). Pure: every input is passed in, nothing is read here.
 */
import {
  HIGHLIGHT_ALIASES,
  HIGHLIGHT_COLUMN,
  leaderboardColumns,
  modelAnchorHtml,
  TYPE_EMOJI_COLUMN,
  type CellValue,
  type ColumnSpec,
  type ContentsRecord,
} from '../datasets/contents-table.js';
import type { EvalRequest } from '../datasets/request-file.js';
import { cleanModelType, MODEL_TYPE_LABELS } from '../datasets/model-types.js';
import type { ModelInfo } from '../hub/model-hub.js';
import type { BenchmarkDefinition } from './benchmarks.js';
import type { ScoredResults } from './results-file.js';

/** `{org}_{name}_{Precision}` (`/` of the model id replaced by `_`). */
export function evalName(modelId: string, precision: string): string {
  return `${modelId.replace('/', '_')}_${precision}`;
}


/** The model's place in the Hub model tree: its root ancestor and the number of steps to it. */
export interface Lineage {
  /** The root ancestor; the model itself for a base model; `{model} (Merge)` for a merge. */
  baseModel: string;
  generation: number;
}

/** `cardData.base_model` as a list (the Hub allows a string or a list). */
export function baseModelsOf(info: Pick<ModelInfo, 'cardData' | 'baseModel'> | null | undefined): string[] {
  const declared = info?.cardData?.base_model;
  const list = Array.isArray(declared) ? declared : typeof declared === 'string' ? [declared] : info?.baseModel ? [info.baseModel] : [];
  return list.filter((name): name is string => typeof name === 'string' && name.trim() !== '').map((name) => name.trim());
}

/**
 * Follows `base_model` up the model tree, as the original's `Base Model` / `Generation`
 * columns do: a model without a base is its own base (generation 0); a merge (several bases)
 * is `{model} (Merge)`, generation 1; otherwise the root ancestor and the number of hops.
 * `basesOf(id)` returns an ancestor's bases (null when unknown: the walk stops there).
 */
export async function resolveLineage(
  modelId: string,
  bases: readonly string[],
  basesOf: (id: string) => Promise<readonly string[] | null>,
  maxDepth = 10,
): Promise<Lineage> {
  const own = bases.filter((base) => base !== modelId);
  if (own.length === 0) return { baseModel: modelId, generation: 0 };
  if (own.length > 1) return { baseModel: `${modelId} (Merge)`, generation: 1 };
  let current = own[0]!;
  let generation = 1;
  const seen = new Set([modelId, current]);
  while (generation < maxDepth) {
    const next = ((await basesOf(current)) ?? []).filter((base) => base !== current);
    if (next.length !== 1 || seen.has(next[0]!)) break;
    current = next[0]!;
    seen.add(current);
    generation += 1;
  }
  return { baseModel: current, generation };
}

export interface ContentsRowInput {
  benchmarks: readonly BenchmarkDefinition[];
  scored: ScoredResults;
  /** `org/name`. */
  model: string;
  precision: string;
  /** The evaluated commit, when known. */
  sha: string | undefined;
  /** The model's request file, when the evaluation came from the queue. */
  request?: EvalRequest | undefined;
  /** The model type (`chat`, `fine-tuned`, …) when there is no request. */
  modelType?: string | undefined;
  /** Model info: an object when found, null when the model is not on the Hub, undefined when not asked. */
  hub?: ModelInfo | null | undefined;
  /** Parameter count (stored elements) when the Hub's model info has none. */
  parameterCount?: number | null | undefined;
  /** The model-tree lineage; derived from the request or `previous` when absent. */
  lineage?: Lineage | undefined;
  /** The row this one replaces: fields nothing else says are kept from it. */
  previous?: ContentsRecord | undefined;
  officialProviders: ReadonlySet<string>;
  /** Organization of the details datasets linked from `Model` (HF_ORGANIZATION). */
  organization: string;
  /** The ingestion time: the submission date of results without a request. */
  now: Date;
}

const dateOnly = (value: string | Date | null | undefined): string | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
};

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

function keep<T extends CellValue>(previous: ContentsRecord | undefined, column: string, fallback: T): CellValue {
  const value = previous?.[column];
  return value === undefined || value === null ? fallback : value;
}

/** `merge` / `mergekit` among the model's tags. */
export function isMergedModel(info: Pick<ModelInfo, 'tags'>): boolean {
  return info.tags.some((tag) => tag === 'merge' || tag === 'mergekit');
}

/** A mixture of experts: a `moe` tag, a Mixtral/MoE architecture or model type, or experts in the config. */
export function isMoeModel(info: Pick<ModelInfo, 'tags' | 'config' | 'id'>): boolean {
  if (info.tags.some((tag) => tag.toLowerCase() === 'moe')) return true;
  const config = info.config;
  const experts = [config?.num_local_experts, config?.num_experts, config?.n_routed_experts];
  if (experts.some((value) => typeof value === 'number' && value > 1)) return true;
  const names = [...(config?.architectures ?? []), config?.model_type ?? ''];
  return names.some((name) => /mixtral|moe/i.test(name));
}

/** The parameter count in billions as the original rounded it (3 decimals), ×8 for GPTQ. */
export function paramsBillions(storedElements: number, precision: string): number {
  const factor = precision.toLowerCase() === 'gptq' ? 8 : 1;
  return Math.round((storedElements * factor) / 1e6) / 1e3;
}

/** The full contents row of an evaluation (README columns plus `T`). */
export function buildContentsRow(input: ContentsRowInput): ContentsRecord {
  const { scored, request, hub, previous, model, precision } = input;
  const typeKey = request?.model_type ?? input.modelType;
  const typeLabel =
    typeKey !== undefined ? MODEL_TYPE_LABELS[cleanModelType(typeKey)] : (nonEmpty(previous?.Type) ?? MODEL_TYPE_LABELS.other);
  const org = model.includes('/') ? model.slice(0, model.indexOf('/')) : undefined;

  const architecture =
    (nonEmpty(request?.architectures) !== undefined && request?.architectures !== '?' ? request!.architectures : undefined) ??
    (hub?.config?.architectures?.length ? hub.config.architectures.join(';') : undefined) ??
    nonEmpty(previous?.Architecture) ??
    '?';

  let params: CellValue;
  if (request && typeof request.params === 'number' && request.params > 0) params = request.params;
  else if (hub?.safetensorsTotal) params = paramsBillions(hub.safetensorsTotal, precision);
  else if (input.parameterCount) params = paramsBillions(input.parameterCount, precision);
  else params = keep(previous, '#Params (B)', null);

  // Hub facts: fresh when asked, none when the model is gone, the previous row's when not asked.
  const fromHub = <T extends CellValue>(column: string, fresh: (info: ModelInfo) => T, gone: CellValue): CellValue =>
    hub ? fresh(hub) : hub === null ? gone : keep(previous, column, gone);

  let lineage = input.lineage;
  if (!lineage) {
    const previousBase = nonEmpty(previous?.['Base Model']);
    const requestBase = nonEmpty(request?.base_model);
    if (previousBase !== undefined && typeof previous?.Generation === 'number') {
      lineage = { baseModel: previousBase, generation: previous.Generation };
    } else if (requestBase !== undefined && requestBase !== model) lineage = { baseModel: requestBase, generation: 1 };
    else lineage = { baseModel: model, generation: 0 };
  }

  const row: ContentsRecord = {
    eval_name: evalName(model, precision),
    Precision: precision,
    Type: typeLabel,
    T: typeLabel.split(' ')[0]!,
    'Weight type': nonEmpty(request?.weight_type) ?? nonEmpty(previous?.['Weight type']) ?? 'Original',
    Architecture: architecture,
    Model: modelAnchorHtml(model, input.organization),
    fullname: model,
    'Model sha': input.sha ?? nonEmpty(request?.revision) ?? hub?.sha ?? keep(previous, 'Model sha', null),
    'Average ⬆️': scored.average,
    'Hub License': fromHub('Hub License', (info) => info.license ?? nonEmpty(info.cardData?.license_name) ?? null, null),
    'Hub ❤️': fromHub('Hub ❤️', (info) => info.likes, 0),
    '#Params (B)': params,
    'Available on the hub': hub === undefined ? keep(previous, 'Available on the hub', true) : hub !== null,
    Merged: fromHub('Merged', isMergedModel, false),
    MoE: fromHub('MoE', isMoeModel, false),
    Flagged: keep(previous, 'Flagged', false),
    'Chat Template':
      typeof request?.use_chat_template === 'boolean'
        ? request.use_chat_template
        : (scored.info.chatTemplate ?? keep(previous, 'Chat Template', false)),
    'CO₂ cost (kg)': scored.co2,
  };
  input.benchmarks.forEach((benchmark, i) => {
    const score = scored.benchmarks[i]!;
    row[benchmark.raw_column] = score.raw;
    row[benchmark.normalized_column] = score.normalized;
  });
  row[HIGHLIGHT_COLUMN] = org !== undefined && input.officialProviders.has(org);
  row['Upload To Hub Date'] = fromHub('Upload To Hub Date', (info) => dateOnly(info.createdAt), null);
  row['Submission Date'] = dateOnly(request?.submitted_time) ?? keep(previous, 'Submission Date', dateOnly(input.now));
  row.Generation = lineage.generation;
  row['Base Model'] = lineage.baseModel;
  return row;
}

/** The columns of a new contents table: the README's, with `T` after `Type`. */
export function newContentsColumns(benchmarks: readonly BenchmarkDefinition[]): ColumnSpec[] {
  const columns = leaderboardColumns(benchmarks);
  columns.splice(columns.findIndex((column) => column.name === 'Type') + 1, 0, TYPE_EMOJI_COLUMN);
  return columns;
}

/**
 * The columns to write: the table's own (order and types kept), plus any column of `wanted`
 * the table lacks (e.g. the benchmark columns of a new configuration), appended.
 */
export function mergeColumns(existing: readonly ColumnSpec[], wanted: readonly ColumnSpec[]): ColumnSpec[] {
  if (existing.length === 0) return [...wanted];
  const names = new Set(existing.map((column) => column.name));
  const hasHighlight = names.has(HIGHLIGHT_COLUMN) || HIGHLIGHT_ALIASES.some((alias) => names.has(alias));
  return [
    ...existing,
    ...wanted.filter((column) => !names.has(column.name) && !(column.name === HIGHLIGHT_COLUMN && hasHighlight)),
  ];
}

/** A value converted to a column's type (a table imported from CSV may type a column differently). */
function fitCell(value: CellValue | undefined, column: ColumnSpec): CellValue {
  if (value === null || value === undefined) return null;
  if (value === '' && column.type !== 'string') return null;
  switch (column.type) {
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'int': {
      const number = Number(value);
      return Number.isFinite(number) ? Math.round(number) : null;
    }
    case 'double': {
      const number = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(number) ? number : null;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      return /^(true|1)$/i.test(value) ? true : /^(false|0)$/i.test(value) ? false : null;
  }
}

/**
 * The row as the table stores it: every column of `columns` (values fitted to their types,
 * the highlight written under whichever name the table uses), nothing else.
 */
export function fitRowToColumns(row: ContentsRecord, columns: readonly ColumnSpec[]): ContentsRecord {
  const out: ContentsRecord = {};
  for (const column of columns) {
    let value = row[column.name];
    if (value === undefined && (HIGHLIGHT_ALIASES as readonly string[]).includes(column.name)) value = row[HIGHLIGHT_COLUMN];
    out[column.name] = fitCell(value, column);
  }
  return out;
}

/** Records with `row` replacing every record of the same `eval_name` (or appended). */
export function upsertContentsRow(records: readonly ContentsRecord[], row: ContentsRecord): ContentsRecord[] {
  const out: ContentsRecord[] = [];
  let placed = false;
  for (const record of records) {
    if (record.eval_name === row.eval_name) {
      if (!placed) out.push(row);
      placed = true;
    } else out.push(record);
  }
  if (!placed) out.push(row);
  return out;
}
