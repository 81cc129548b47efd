/**
 * The official-providers dataset: a table whose first row's `CURATED_SET` column lists the
 * organizations whose models are highlighted. Read from parquet, JSONL or JSON files.
 */
import { parquetReadObjects } from 'hyparquet';
import type { DatasetRepo } from '../storage/dataset-repo.js';

export const OFFICIAL_PROVIDERS_PATH = 'data/train-00000-of-00001.jsonl';

export interface OfficialProviders {
  orgs: ReadonlySet<string>;
  problems: { path: string; reason: string }[];
}

export async function readOfficialProviders(repo: DatasetRepo): Promise<OfficialProviders> {
  const files = (await repo.list()).filter((f) => /\.(parquet|jsonl|json)$/.test(f.path));
  const problems: OfficialProviders['problems'] = [];
  for (const file of files) {
    try {
      // Inside the try: an unreadable file (EACCES…) is a problem of that file, not of the board.
      const bytes = await repo.read(file.path).catch(unreadable);
      if (!bytes) continue;
      const firstRow = await readFirstRow(file.path, bytes);
      const set = firstRow?.CURATED_SET;
      if (!Array.isArray(set)) throw new Error('first row has no CURATED_SET list');
      return { orgs: new Set(set.filter((org): org is string => typeof org === 'string')), problems };
    } catch (error) {
      problems.push({ path: file.path, reason: (error as Error).message });
    }
  }
  return { orgs: new Set(), problems };
}

async function readFirstRow(filePath: string, bytes: Uint8Array): Promise<Record<string, unknown> | undefined> {
  if (filePath.endsWith('.parquet')) {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file: buffer, rowStart: 0, rowEnd: 1 })) as Record<string, unknown>[];
    return rows[0];
  }
  const text = new TextDecoder().decode(bytes).trim();
  if (filePath.endsWith('.json')) {
    const parsed = JSON.parse(text) as unknown;
    return (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
  }
  const firstLine = text.split('\n').find((line) => line.trim() !== '');
  return firstLine === undefined ? undefined : (JSON.parse(firstLine) as Record<string, unknown>);
}

/** A read error as a problem reason, without the absolute path the system message carries. */
function unreadable(error: unknown): never {
  throw new Error(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
}

export function encodeOfficialProviders(orgs: readonly string[]): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify({ CURATED_SET: [...orgs].sort() })}\n`);
}
