/**
 * Reading a contents table from outside (a pandas CSV export, JSON, JSONL or parquet) into
 * records and column specs ready for `writeContentsTable`.
 *
 * The import is lossless: column names and order are kept as the source has them (`T`,
 * `Official Providers` and unknown columns included), numbers are parsed with `Number()` (exact
 * for the shortest round-trip text pandas writes), `True`/`False` become booleans and empty cells
 * become null. Known leaderboard columns have fixed types; other columns get the narrowest type
 * all their values fit. Any value that does not fit its column fails the whole import with an
 * error naming the 1-based data row and the column.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import {
  decodeContentsParquet,
  HIGHLIGHT_ALIASES,
  HIGHLIGHT_COLUMN,
  leaderboardColumns,
  TYPE_EMOJI_COLUMN,
  type CellValue,
  type ColumnSpec,
  type ColumnType,
  type ContentsRecord,
} from './contents-table.js';
import { DEFAULT_BENCHMARKS, type BenchmarkDefinition } from '../scoring/benchmarks.js';

export const CONTENTS_FORMATS = ['csv', 'json', 'jsonl', 'parquet'] as const;
export type ContentsFormat = (typeof CONTENTS_FORMATS)[number];

/** A malformed input; `row` is the 1-based data row (header excluded) when one is to blame. */
export class ContentsImportError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly column?: string,
  ) {
    const where = [row === undefined ? '' : `row ${row}`, column === undefined ? '' : `column ${JSON.stringify(column)}`]
      .filter(Boolean)
      .join(', ');
    super(where === '' ? message : `${where}: ${message}`);
    this.name = 'ContentsImportError';
  }
}

export interface ParsedContents {
  records: ContentsRecord[];
  columns: ColumnSpec[];
  /** Things worth telling the operator that do not stop the import (missing columns, …). */
  warnings: string[];
}

export interface ParseContentsOptions {
  /** Benchmarks whose columns have fixed types (default: the six v2 benchmarks). */
  benchmarks?: readonly BenchmarkDefinition[];
  /** Called now and then while rows are converted, and once at the end. */
  onProgress?: (done: number, total: number) => void;
}

/** The format implied by a file name, or undefined. */
export function formatFromFileName(fileName: string): ContentsFormat | undefined {
  const match = /\.(csv|json|jsonl|ndjson|parquet)$/i.exec(fileName);
  if (!match) return undefined;
  const ext = match[1]!.toLowerCase();
  return ext === 'ndjson' ? 'jsonl' : (ext as ContentsFormat);
}

/**
 * The columns whose type is fixed whatever the input says: the leaderboard columns of the
 * default and the given benchmarks, the `T` emoji column and the highlight column's aliases.
 */
export function knownColumnTypes(benchmarks: readonly BenchmarkDefinition[] = DEFAULT_BENCHMARKS): Map<string, ColumnType> {
  const known = new Map<string, ColumnType>();
  for (const column of [...leaderboardColumns(DEFAULT_BENCHMARKS), ...leaderboardColumns(benchmarks), TYPE_EMOJI_COLUMN]) {
    known.set(column.name, column.type);
  }
  for (const alias of HIGHLIGHT_ALIASES) known.set(alias, 'boolean');
  return known;
}

/** Parses a whole input file in the given format. */
export async function parseContents(
  bytes: Uint8Array,
  format: ContentsFormat,
  options: ParseContentsOptions = {},
): Promise<ParsedContents> {
  switch (format) {
    case 'csv':
      return parseContentsCsv(decodeText(bytes), options);
    case 'json':
      return parseContentsJson(decodeText(bytes), options);
    case 'jsonl':
      return parseContentsJsonl(decodeText(bytes), options);
    case 'parquet':
      return parseContentsParquet(bytes, options);
  }
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ContentsImportError('the file is not valid UTF-8 text');
  }
}

// ---------------------------------------------------------------------------------------------
// Sources: each format yields a header and rows of raw values (strings for CSV).

interface RawTable {
  names: string[];
  /** One array per row, aligned with `names`; undefined = absent. */
  rows: unknown[][];
  /** Whether the values are text to be parsed (CSV) or already typed (JSON, parquet). */
  textual: boolean;
  /** Types the source itself declares (parquet), used for unknown columns. */
  declared?: Map<string, ColumnType>;
}

/**
 * A CSV with a header line (RFC 4180 quoting). A leading column with an empty header is the
 * pandas index and is dropped.
 */
export function parseContentsCsv(text: string, options: ParseContentsOptions = {}): ParsedContents {
  let lines: string[][];
  try {
    lines = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new ContentsImportError(`invalid CSV: ${(error as Error).message}`);
  }
  const header = lines[0];
  if (header === undefined) throw new ContentsImportError('the file is empty (no header line)');
  const dropIndex = header.length > 0 && header[0] === '';
  const names = dropIndex ? header.slice(1) : header;
  const rows: unknown[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length !== header.length) {
      throw new ContentsImportError(`has ${line.length} fields, the header has ${header.length}`, i);
    }
    rows.push(dropIndex ? line.slice(1) : line);
  }
  return buildTable({ names, rows, textual: true }, options);
}

/** A JSON array of row objects, or `{"models": [...]}` as `GET /api/leaderboard` returns it. */
export function parseContentsJson(text: string, options: ParseContentsOptions = {}): ParsedContents {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(text));
  } catch (error) {
    throw new ContentsImportError(`invalid JSON: ${(error as Error).message}`);
  }
  const list =
    Array.isArray(parsed)
      ? parsed
      : parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { models?: unknown }).models)
        ? ((parsed as { models: unknown[] }).models)
        : undefined;
  if (list === undefined) throw new ContentsImportError('JSON input must be an array of row objects or {"models": [...]}');
  return buildTable(objectRows(list), options);
}

/** One JSON object per line; blank lines are skipped. */
export function parseContentsJsonl(text: string, options: ParseContentsOptions = {}): ParsedContents {
  const objects: unknown[] = [];
  for (const line of stripBom(text).split('\n')) {
    if (line.trim() === '') continue;
    try {
      objects.push(JSON.parse(line));
    } catch (error) {
      throw new ContentsImportError(`invalid JSON (${(error as Error).message})`, objects.length + 1);
    }
  }
  return buildTable(objectRows(objects), options);
}

/** A parquet file (any writer: pandas/pyarrow, this service, …). */
export async function parseContentsParquet(bytes: Uint8Array, options: ParseContentsOptions = {}): Promise<ParsedContents> {
  let decoded;
  try {
    decoded = await decodeContentsParquet(bytes);
  } catch (error) {
    throw new ContentsImportError(`invalid parquet file: ${(error as Error).message}`);
  }
  // pyarrow stores a pandas index as `__index_level_N__`: not a data column.
  const columns = decoded.columns.filter((column) => !/^__index_level_\d+__$/.test(column.name));
  const names = columns.map((column) => column.name);
  return buildTable(
    {
      names,
      rows: decoded.records.map((record) => names.map((name) => record[name])),
      textual: false,
      declared: new Map(columns.map((column) => [column.name, column.type])),
    },
    options,
  );
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Row objects → a table whose columns are the union of keys in first-seen order. */
function objectRows(list: readonly unknown[]): RawTable {
  const names: string[] = [];
  const index = new Map<string, number>();
  list.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new ContentsImportError('is not a JSON object', i + 1);
    }
    for (const key of Object.keys(item)) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
      }
    }
  });
  const rows = list.map((item) => {
    const row: unknown[] = new Array(names.length);
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) row[index.get(key)!] = value;
    return row;
  });
  return { names, rows, textual: false };
}

// ---------------------------------------------------------------------------------------------
// Typing and conversion.

const INTEGER_TEXT = /^[+-]?\d+$/;
/** An integer written as a float (`3.0`), as pandas writes int columns that hold a NaN. */
const INTEGRAL_FLOAT_TEXT = /^[+-]?\d+\.0*$/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY_TEXT = /^([+-]?)(?:inf|infinity)$/i;
const NAN_TEXT = /^[+-]?nan$/i;

function buildTable(table: RawTable, options: ParseContentsOptions): ParsedContents {
  const known = knownColumnTypes(options.benchmarks);
  const seen = new Set<string>();
  table.names.forEach((name, i) => {
    if (name === '') throw new ContentsImportError(`column ${i + 1} has no name`);
    if (seen.has(name)) throw new ContentsImportError(`column ${JSON.stringify(name)} appears twice`);
    seen.add(name);
  });
  const columns: ColumnSpec[] = table.names.map((name, c) => ({
    name,
    type: known.get(name) ?? table.declared?.get(name) ?? inferType(table, c),
  }));

  const total = table.rows.length;
  const records: ContentsRecord[] = new Array(total);
  for (let r = 0; r < total; r++) {
    const row = table.rows[r]!;
    const record: ContentsRecord = {};
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const result = convertCell(row[c], column.type, table.textual);
      if (typeof result === 'object' && result !== null) {
        throw new ContentsImportError(`${describe(row[c])} ${result.problem}`, r + 1, column.name);
      }
      record[column.name] = result;
    }
    records[r] = record;
    if (options.onProgress && (r + 1) % 500 === 0) options.onProgress(r + 1, total);
  }
  options.onProgress?.(total, total);
  return { records, columns, warnings: warningsFor(records, columns, options.benchmarks ?? DEFAULT_BENCHMARKS) };
}

/** The narrowest type every non-empty value of an unknown column fits. */
function inferType(table: RawTable, c: number): ColumnType {
  let allInt = true;
  let allNumber = true;
  let allBoolean = true;
  let any = false;
  for (const row of table.rows) {
    const value = row[c];
    if (value === undefined || value === null || (table.textual && value === '')) continue;
    any = true;
    if (table.textual) {
      const text = value as string;
      if (allInt && !(INTEGER_TEXT.test(text) && Number.isSafeInteger(Number(text)))) allInt = false;
      if (allNumber && !isNumberText(text)) allNumber = false;
      if (allBoolean && parseBooleanText(text) === undefined) allBoolean = false;
    } else {
      if (allInt && !(typeof value === 'number' && Number.isSafeInteger(value))) allInt = false;
      if (allNumber && typeof value !== 'number') allNumber = false;
      if (allBoolean && typeof value !== 'boolean') allBoolean = false;
    }
    if (!allInt && !allNumber && !allBoolean) return 'string';
  }
  if (!any) return 'string';
  return allInt ? 'int' : allNumber ? 'double' : allBoolean ? 'boolean' : 'string';
}

function isNumberText(text: string): boolean {
  return NUMBER_TEXT.test(text) || INFINITY_TEXT.test(text) || NAN_TEXT.test(text);
}

function parseBooleanText(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** The cell value, or `{problem}` saying why the value does not fit the column. */
function convertCell(value: unknown, type: ColumnType, textual: boolean): CellValue | { problem: string } {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    if (textual && value === '') return null;
    if (type === 'string') return value;
    return convertText(value.trim(), type);
  }
  switch (type) {
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      if (typeof value === 'bigint') return value.toString();
      return JSON.stringify(value);
    case 'int':
      if (typeof value === 'bigint') {
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(value)
          : { problem: 'is too large for an integer column' };
      }
      if (typeof value === 'number') {
        if (Number.isNaN(value)) return null;
        return Number.isSafeInteger(value) ? value : { problem: 'is not an integer' };
      }
      return { problem: 'is not an integer' };
    case 'double':
      if (typeof value === 'number') return Number.isNaN(value) ? null : value;
      if (typeof value === 'bigint') return Number(value);
      return { problem: 'is not a number' };
    case 'boolean':
      return typeof value === 'boolean' ? value : { problem: 'is not a boolean (True/False)' };
  }
}

function convertText(text: string, type: Exclude<ColumnType, 'string'>): CellValue | { problem: string } {
  switch (type) {
    case 'int': {
      if (!INTEGER_TEXT.test(text) && !INTEGRAL_FLOAT_TEXT.test(text)) {
        return NAN_TEXT.test(text) ? null : { problem: 'is not an integer' };
      }
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : { problem: 'is too large for an integer column' };
    }
    case 'double': {
      if (NUMBER_TEXT.test(text)) return Number(text);
      const infinity = INFINITY_TEXT.exec(text);
      if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
      if (NAN_TEXT.test(text)) return null;
      return { problem: 'is not a number' };
    }
    case 'boolean': {
      const value = parseBooleanText(text);
      return value === undefined ? { problem: 'is not a boolean (True/False)' } : value;
    }
  }
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function warningsFor(
  records: readonly ContentsRecord[],
  columns: readonly ColumnSpec[],
  benchmarks: readonly BenchmarkDefinition[],
): string[] {
  const warnings: string[] = [];
  const present = new Set(columns.map((column) => column.name));
  const missing = leaderboardColumns(benchmarks)
    .map((column) => column.name)
    .filter((name) => !present.has(name) && !(name === HIGHLIGHT_COLUMN && HIGHLIGHT_ALIASES.some((a) => present.has(a))));
  if (missing.length > 0) warnings.push(`missing leaderboard columns: ${missing.map((n) => JSON.stringify(n)).join(', ')}`);
  if (records.length === 0) warnings.push('the table has no rows');
  if (present.has('eval_name')) {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const record of records) {
      const name = record.eval_name;
      if (typeof name !== 'string') continue;
      if (seen.has(name)) duplicates.add(name);
      seen.add(name);
    }
    if (duplicates.size > 0) {
      const sample = [...duplicates].slice(0, 3).map((n) => JSON.stringify(n)).join(', ');
      warnings.push(`${duplicates.size} duplicate eval_name value(s), e.g. ${sample}`);
    }
  }
  return warnings;
}
