/**
 * Read-modify-write of the two datasets the evaluation pipeline changes — request files and the
 * contents table — with optimistic concurrency: each attempt reads at a dataset version and
 * commits with that version as `parentVersion`, so a concurrent writer (another instance, a
 * submission, a second worker) makes the commit fail with StaleVersionError and the change is
 * recomputed on fresh data. Nothing here holds a lock across instances.
 */
import { CONTENTS_PARQUET_PATH, encodeContentsParquet, readContentsTable, type ColumnSpec, type ContentsRecord } from '../../datasets/contents-table.js';
import { decodeRequestFile, encodeRequestFile, type EvalRequest } from '../../datasets/request-file.js';
import { AppError } from '../../http/errors.js';
import { StaleVersionError, type DatasetRepo } from '../../storage/dataset-repo.js';

/** Attempts before a write gives up (each one re-reads the data). */
export const MAX_WRITE_ATTEMPTS = 8;

/** Runs `attempt` until it commits without a StaleVersionError (at most MAX_WRITE_ATTEMPTS times). */
export async function retryOnStale<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleVersionError) || i >= MAX_WRITE_ATTEMPTS) {
        if (error instanceof StaleVersionError) {
          throw new AppError('CONFLICT', `Could not ${what}: the dataset kept changing during the write. Retry in a moment.`, {
            headers: { 'retry-after': '1' },
          });
        }
        throw error;
      }
    }
  }
}

/** What a request update decides after reading the current file. */
export type RequestChange =
  /** Write this request (unknown fields of the file are kept by the caller's spread). */
  | { write: EvalRequest; message: string }
  /** Leave the file alone. */
  | { write?: undefined };

/**
 * Reads the request file at `path`, lets `decide` compute the new content from the current one,
 * and commits it at the version it was read. Returns the request as written (or as read when
 * `decide` wrote nothing); null when the file does not exist.
 */
export async function updateRequestFile(
  repo: DatasetRepo,
  path: string,
  decide: (current: EvalRequest) => RequestChange,
): Promise<{ request: EvalRequest; written: boolean } | null> {
  return retryOnStale(`update ${path}`, async () => {
    const version = await repo.version();
    const bytes = await repo.read(path);
    if (!bytes) return null;
    const current = decodeRequestFile(new TextDecoder().decode(bytes));
    const change = decide(current);
    if (!change.write) return { request: current, written: false };
    await repo.commit(
      [{ op: 'put', path, content: new TextEncoder().encode(encodeRequestFile(change.write)) }],
      change.message,
      { parentVersion: version },
    );
    return { request: change.write, written: true };
  });
}

/** A request with `fields` set and `remove` deleted, every other field kept in place. */
export function withFields(request: EvalRequest, fields: Partial<EvalRequest>, remove: readonly string[] = []): EvalRequest {
  const next: EvalRequest = { ...request, ...fields };
  for (const key of remove) delete next[key];
  return next;
}

export interface ContentsChange {
  records: ContentsRecord[];
  columns: ColumnSpec[];
  message: string;
}

/**
 * Reads the whole contents table, lets `change` compute the new one (synchronously, from the
 * table just read) and writes it as the single parquet file at the version it was read.
 * Refuses to write when a parquet file of the table could not be read: rewriting would drop
 * its rows.
 */
export async function updateContentsTable(
  repo: DatasetRepo,
  change: (table: { records: ContentsRecord[]; columns: ColumnSpec[] }) => ContentsChange | null,
): Promise<{ version: string; changed: boolean }> {
  return retryOnStale('update the contents table', async () => {
    const version = await repo.version();
    const table = await readContentsTable(repo);
    if (table.problems.length > 0) {
      const first = table.problems[0]!;
      throw new AppError(
        'CONFLICT',
        `The contents table cannot be rewritten: ${first.path} is unreadable (${first.reason}). Fix or remove it first.`,
      );
    }
    const next = change(table);
    if (!next) return { version, changed: false };
    const others = (await repo.list('data')).filter((file) => file.path.endsWith('.parquet') && file.path !== CONTENTS_PARQUET_PATH);
    const result = await repo.commit(
      [
        { op: 'put', path: CONTENTS_PARQUET_PATH, content: encodeContentsParquet(next.records, next.columns) },
        ...others.map((file) => ({ op: 'delete' as const, path: file.path })),
      ],
      next.message,
      { parentVersion: version },
    );
    return { version: result.version, changed: true };
  });
}
