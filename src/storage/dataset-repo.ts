/**
 * The storage port. Each of the service's datasets (contents, requests, votes,
 * official-providers, results) is a `DatasetRepo`: a set of files with a version that changes
 * with every commit, laid out exactly like the Hugging Face Hub dataset repos of the original.
 * Adapters: a local folder (local-repo.ts) and the Hub (hub-repo.ts). Features only see this
 * interface.
 */

export const DATASET_NAMES = ['contents', 'requests', 'votes', 'official-providers', 'results'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface DatasetFile {
  /** Path inside the dataset, `/`-separated, never starting with `/`. */
  path: string;
  size: number;
  /** Changes whenever the file's content changes (Hub: blob id; local: size + mtime). */
  oid: string;
}

export type CommitOperation =
  | { op: 'put'; path: string; content: Uint8Array }
  | { op: 'delete'; path: string };

export interface CommitResult {
  /** The dataset version after the commit. */
  version: string;
}

export interface CommitOptions {
  /**
   * Optimistic concurrency: the commit fails with `StaleVersionError` unless the dataset is
   * still at this version (the Hub's `parentCommit`).
   */
  parentVersion?: string;
}

export interface DatasetRepo {
  readonly name: DatasetName;
  /**
   * The current version. Cheap; also notices changes made behind the service's back (a file
   * replaced by hand, or another instance's commit on the Hub).
   */
  version(): Promise<string>;
  /** Files under `prefix` (a folder path, or '' for all), sorted by path. */
  list(prefix?: string): Promise<DatasetFile[]>;
  /** A file's bytes, or null when it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
  /**
   * Applies every operation or none, durably, then returns the new version. Operations on
   * one dataset are serialized.
   */
  commit(operations: CommitOperation[], message: string, options?: CommitOptions): Promise<CommitResult>;
  /** Called after each commit made through this repo (not for outside changes). */
  onCommit(listener: (version: string) => void): () => void;
}

/** The commit's `parentVersion` is no longer the dataset's version: re-read and retry. */
export class StaleVersionError extends Error {
  constructor(
    readonly dataset: DatasetName,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Dataset ${dataset} moved from version ${expected} to ${actual}`);
    this.name = 'StaleVersionError';
  }
}

/** The set of datasets the service works on. */
export type Datasets = Readonly<Record<DatasetName, DatasetRepo>>;

/** Rejects paths that could escape a dataset (absolute, `..`, backslashes, empty segments). */
export function assertSafeDatasetPath(filePath: string): void {
  const bad =
    filePath === '' ||
    filePath.startsWith('/') ||
    filePath.includes('\\') ||
    filePath.includes('\0') ||
    filePath.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new Error(`Unsafe dataset path: ${JSON.stringify(filePath)}`);
}
