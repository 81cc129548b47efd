/**
 * Leaderboard exports in three formats, for the export route and the `export` command:
 * - csv: the contents columns (the raw API columns), RFC 4180 (CRLF, quotes doubled, fields with
 *   a comma, quote or line break quoted), a header line, empty for null;
 * - json: the formatted items, ranked, as a JSON array;
 * - parquet: the contents columns with the contents table's types.
 * The rows are those of a leaderboard query (the parameters of /formatted), in its order.
 */
import { encodeContentsParquet, leaderboardColumns, type CellValue, type ColumnSpec, type ContentsTable } from '../../datasets/contents-table.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import { fitRowToColumns } from '../../scoring/contents-row.js';
import { runLeaderboardQuery, type LeaderboardQuery } from '../leaderboard/query.js';
import {
  apiColumns,
  rankItems,
  toFormattedItem,
  toLeaderboardRow,
  type FormattedItem,
  type LeaderboardRow,
} from '../leaderboard/transform.js';

export const EXPORT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

/** The leaderboard as the API serves it: raw rows (table order) and ranked items. */
export interface LeaderboardView {
  rows: readonly LeaderboardRow[];
  items: readonly FormattedItem[];
}

/** Builds the view from a contents table, as the leaderboard service does. */
export function leaderboardView(
  table: Pick<ContentsTable, 'records'>,
  benchmarks: readonly BenchmarkDefinition[],
  officialProviders: ReadonlySet<string>,
): LeaderboardView {
  const columns = apiColumns(benchmarks);
  const rows = table.records.map((record) => toLeaderboardRow(record, columns));
  const items = rankItems(rows.map((row) => toFormattedItem(row, benchmarks, officialProviders)));
  return { rows, items };
}

/** The rows behind each ranked item (items do not keep their row), cached per view. */
const rowsOfItems = new WeakMap<readonly FormattedItem[], LeaderboardRow[]>();

function itemRows(view: LeaderboardView, benchmarks: readonly BenchmarkDefinition[]): LeaderboardRow[] {
  let cached = rowsOfItems.get(view.items);
  if (cached) return cached;
  // An item is recomputed from each row and matched by id and average: rows that agree on both
  // are interchangeable for the order, so the first unused one is taken.
  const key = (item: FormattedItem) => `${item.id}\0${item.model.average_score}`;
  const byKey = new Map<string, LeaderboardRow[]>();
  for (const row of view.rows) {
    const k = key(toFormattedItem(row, benchmarks, new Set()));
    const list = byKey.get(k);
    if (list) list.push(row);
    else byKey.set(k, [row]);
  }
  cached = view.items.map((item) => byKey.get(key(item))!.shift()!);
  rowsOfItems.set(view.items, cached);
  return cached;
}

/** The items and rows a query selects, in its order. */
export function selectExport(
  view: LeaderboardView,
  query: LeaderboardQuery,
  benchmarks: readonly BenchmarkDefinition[],
): { items: FormattedItem[]; rows: LeaderboardRow[] } {
  const rows = itemRows(view, benchmarks);
  const { indexes } = runLeaderboardQuery(view.items, query);
  return { items: indexes.map((i) => view.items[i]!), rows: indexes.map((i) => rows[i]!) };
}

function csvField(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV of rows over `columns` (header first, CRLF line ends). */
export function encodeCsv(rows: readonly LeaderboardRow[], columns: readonly ColumnSpec[]): string {
  const lines = [columns.map((column) => csvField(column.name)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column.name])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The export of a selection in a format. */
export function encodeExport(
  format: ExportFormat,
  selection: { items: readonly FormattedItem[]; rows: readonly LeaderboardRow[] },
  benchmarks: readonly BenchmarkDefinition[],
): Uint8Array {
  switch (format) {
    case 'csv':
      return new TextEncoder().encode(encodeCsv(selection.rows, apiColumns(benchmarks)));
    case 'json':
      return new TextEncoder().encode(JSON.stringify(selection.items));
    case 'parquet': {
      // The table's own types (Generation is an integer there; the API serves it as a string).
      const columns = leaderboardColumns(benchmarks);
      return encodeContentsParquet(
        selection.rows.map((row) => fitRowToColumns(row, columns)),
        columns,
      );
    }
  }
}
