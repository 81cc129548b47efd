/**
 * The contents dataset: the leaderboard table, stored as parquet under `data/` exactly like
 * the Hub dataset `{org}/contents`. This module knows the table's columns and converts between
 * parquet files and plain records. Records keep every column a file has (also columns the API
 * does not serve, such as `T`), so a table survives import → store → export unchanged.
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { BenchmarkDefinition } from '../scoring/benchmarks.js';
import type { DatasetRepo } from '../storage/dataset-repo.js';

export type CellValue = string | number | boolean | null;
export type ContentsRecord = Record<string, CellValue>;
export type ColumnType = 'string' | 'double' | 'int' | 'boolean';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** Where the table is written; readers accept any `*.parquet` under `data/`. */
export const CONTENTS_PARQUET_PATH = 'data/train-00000-of-00001.parquet';

/** The column the README calls `Maintainer's Highlight`; real tables call it `Official Providers`. */
export const HIGHLIGHT_COLUMN = "Maintainer's Highlight";
export const HIGHLIGHT_ALIASES = ['Official Providers'] as const;

/**
 * The columns of the raw API rows, in the README's order, for a set of benchmarks: each
 * benchmark contributes its raw and normalized column after `CO₂ cost (kg)`.
 */
export function leaderboardColumns(benchmarks: readonly BenchmarkDefinition[]): ColumnSpec[] {
  return [
    { name: 'eval_name', type: 'string' },
    { name: 'Precision', type: 'string' },
    { name: 'Type', type: 'string' },
    { name: 'Weight type', type: 'string' },
    { name: 'Architecture', type: 'string' },
    { name: 'Model', type: 'string' },
    { name: 'fullname', type: 'string' },
    { name: 'Model sha', type: 'string' },
    { name: 'Average ⬆️', type: 'double' },
    { name: 'Hub License', type: 'string' },
    { name: 'Hub ❤️', type: 'int' },
    { name: '#Params (B)', type: 'double' },
    { name: 'Available on the hub', type: 'boolean' },
    { name: 'Merged', type: 'boolean' },
    { name: 'MoE', type: 'boolean' },
    { name: 'Flagged', type: 'boolean' },
    { name: 'Chat Template', type: 'boolean' },
    { name: 'CO₂ cost (kg)', type: 'double' },
    ...benchmarks.flatMap((b): ColumnSpec[] => [
      { name: b.raw_column, type: 'double' },
      { name: b.normalized_column, type: 'double' },
    ]),
    { name: HIGHLIGHT_COLUMN, type: 'boolean' },
    { name: 'Upload To Hub Date', type: 'string' },
    { name: 'Submission Date', type: 'string' },
    { name: 'Generation', type: 'int' },
    { name: 'Base Model', type: 'string' },
  ];
}

const LINK_STYLE = 'color: var(--link-text-color); text-decoration: underline;text-decoration-style: dotted;';

/**
 * The original's `Model` cell: a link to the model, two spaces, and a 📑 link to its details
 * dataset `{organization}/{org}__{name}-details`.
 */
export function modelAnchorHtml(fullname: string, organization: string): string {
  const details = `https://huggingface.co/datasets/${organization}/${fullname.replace('/', '__')}-details`;
  return (
    `<a target="_blank" href="https://huggingface.co/${fullname}" style="${LINK_STYLE}">${fullname}</a>` +
    `  <a target="_blank" href="${details}" style="${LINK_STYLE}">📑</a>`
  );
}

/** The type emoji column `T` that real tables carry beside `Type`. */
export const TYPE_EMOJI_COLUMN: ColumnSpec = { name: 'T', type: 'string' };

export interface ContentsTable {
  records: ContentsRecord[];
  /** Column specs in file order (union over files). */
  columns: ColumnSpec[];
  /** Files that could not be read, with the reason; the rest of the table is still served. */
  problems: { path: string; reason: string }[];
}

/** Reads every `*.parquet` under `data/` of the contents dataset. */
export async function readContentsTable(repo: DatasetRepo): Promise<ContentsTable> {
  const files = (await repo.list('data')).filter((file) => file.path.endsWith('.parquet'));
  const table: ContentsTable = { records: [], columns: [], problems: [] };
  const known = new Map<string, ColumnSpec>();
  for (const file of files) {
    try {
      // Inside the try: an unreadable file (EACCES…) is a problem of that file, not of the table.
      const bytes = await repo.read(file.path).catch(unreadable);
      if (!bytes) continue;
      const { records, columns } = await decodeContentsParquet(bytes);
      for (const column of columns) {
        if (!known.has(column.name)) {
          known.set(column.name, column);
          table.columns.push(column);
        }
      }
      for (const record of records) table.records.push(record);
    } catch (error) {
      table.problems.push({ path: file.path, reason: (error as Error).message });
    }
  }
  return table;
}

/** A read error as a problem reason, without the absolute path the system message carries. */
function unreadable(error: unknown): never {
  throw new Error(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
}

/** Decodes one parquet file into records (INT64 → number, missing → null). */
export async function decodeContentsParquet(bytes: Uint8Array): Promise<{ records: ContentsRecord[]; columns: ColumnSpec[] }> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const columns: ColumnSpec[] = metadata.schema
    .slice(1)
    .filter((element) => element.num_children === undefined)
    .map((element) => ({ name: element.name, type: columnTypeOf(element.type, element.converted_type) }));
  const rows = (await parquetReadObjects({ file: buffer, metadata })) as Record<string, unknown>[];
  const records = rows.map((row) => {
    const record: ContentsRecord = {};
    for (const column of columns) record[column.name] = toCell(row[column.name]);
    return record;
  });
  return { records, columns };
}

function columnTypeOf(type: string | undefined, convertedType: string | undefined): ColumnType {
  switch (type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'int';
    case 'FLOAT':
    case 'DOUBLE':
      return 'double';
    default:
      return convertedType === 'UTF8' || type === 'BYTE_ARRAY' ? 'string' : 'string';
  }
}

function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value);
}

/** Encodes records as a snappy parquet file with the given columns and types. */
export function encodeContentsParquet(records: readonly ContentsRecord[], columns: readonly ColumnSpec[]): Uint8Array {
  const columnData = columns.map((column) => ({
    name: column.name,
    type: PARQUET_TYPE[column.type],
    nullable: true,
    data: records.map((record) => toParquetValue(record[column.name] ?? null, column)),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as never, createdBy: 'open-leaderboard-server' }));
}

const PARQUET_TYPE = { string: 'STRING', double: 'DOUBLE', int: 'INT64', boolean: 'BOOLEAN' } as const;

function toParquetValue(value: CellValue, column: ColumnSpec): unknown {
  if (value === null) return null;
  switch (column.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new Error(`Column ${column.name}: ${JSON.stringify(value)} is not an integer`);
      }
      return BigInt(value);
    case 'double':
      if (typeof value !== 'number') throw new Error(`Column ${column.name}: ${JSON.stringify(value)} is not a number`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new Error(`Column ${column.name}: ${JSON.stringify(value)} is not a boolean`);
      return value;
    case 'string':
      return String(value);
  }
}

/** Writes the whole table as the dataset's single parquet file, replacing any other parquet file. */
export async function writeContentsTable(
  repo: DatasetRepo,
  records: readonly ContentsRecord[],
  columns: readonly ColumnSpec[],
  message: string,
): Promise<string> {
  const others = (await repo.list('data')).filter((f) => f.path.endsWith('.parquet') && f.path !== CONTENTS_PARQUET_PATH);
  const { version } = await repo.commit(
    [
      { op: 'put', path: CONTENTS_PARQUET_PATH, content: encodeContentsParquet(records, columns) },
      ...others.map((f) => ({ op: 'delete' as const, path: f.path })),
    ],
    message,
  );
  return version;
}
