/**
 * In-memory, git-like state of the Hub emulator: repositories, immutable commits, branches and
 * content-addressed blobs. No HTTP here; the route modules read and mutate this store.
 */
import { createHash, randomBytes } from 'node:crypto';

export type RepoType = 'model' | 'dataset';
export type GatedMode = false | 'auto' | 'manual';

/**
 * A file whose logical size is larger than the bytes kept in memory: bytes after `head` read as
 * zeros. Used for safetensors weights (a real header followed by gigabytes of zero "weights")
 * so that fixture models can declare realistic parameter counts without allocating them.
 */
export interface SparseFileContent {
  sparse: true;
  head: Uint8Array;
  size: number;
}

export type FileContent = string | Uint8Array | SparseFileContent;

export interface StoredBlob {
  /** Materialised bytes: the whole content, or only the head of a sparse file. */
  bytes: Uint8Array;
  /** Logical size in bytes (>= bytes.length). */
  size: number;
  /**
   * SHA-256 of the content (the LFS oid). For a sparse file this is a synthetic value,
   * SHA-256("sparse\0<size>\0" + head), so that gigabyte files need not be hashed.
   */
  sha256: string;
  /** Git blob id (sha1 of "blob <n>\0" + data); for LFS files the id of the pointer file. */
  gitOid: string;
  lfs: boolean;
  /** The git-lfs pointer text for LFS files. */
  pointer?: Uint8Array;
}

export interface FileEntry {
  blob: StoredBlob;
  /** Sha of the commit that last added or changed this path. */
  lastCommit: string;
}

export interface Commit {
  sha: string;
  parents: string[];
  title: string;
  description: string;
  date: string;
  files: ReadonlyMap<string, FileEntry>;
}

export interface RepoState {
  type: RepoType;
  /** "org/name" */
  id: string;
  /** Hub-style 24-hex object id (`_id`). */
  internalId: string;
  private: boolean;
  gated: GatedMode;
  /** User names granted access to a gated repo. */
  gatedAccess: Set<string>;
  createdAt: string;
  likes: number;
  downloads: number;
  libraryName: string | undefined;
  pipelineTag: string | undefined;
  /** When false, model info never carries a `safetensors` field (forces header parsing). */
  safetensorsInfo: boolean;
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  /** Uploaded or committed LFS objects by SHA-256. */
  lfsObjects: Map<string, StoredBlob>;
  commitCounter: number;
}

export type CommitOperation =
  | { kind: 'put'; path: string; blob: StoredBlob }
  | { kind: 'delete'; path: string }
  | { kind: 'deleteFolder'; path: string };

export class CommitError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/** Paths stored as LFS objects: what the emulator's preupload answers `lfs` for. */
const LFS_EXTENSIONS = /\.(parquet|safetensors|bin|pt|pth|ckpt|h5|onnx|gguf|arrow|zip|gz|tar|msgpack)$/i;
/** The Hub refuses regular (non-LFS) files above 10 MB. */
export const MAX_REGULAR_FILE_SIZE = 10 * 1024 * 1024;

export function isLfsPath(path: string, size: number): boolean {
  return LFS_EXTENSIONS.test(path) || size > MAX_REGULAR_FILE_SIZE;
}

export const DEFAULT_GITATTRIBUTES = [
  '*.bin filter=lfs diff=lfs merge=lfs -text',
  '*.parquet filter=lfs diff=lfs merge=lfs -text',
  '*.safetensors filter=lfs diff=lfs merge=lfs -text',
  '*.pt filter=lfs diff=lfs merge=lfs -text',
  '*.gguf filter=lfs diff=lfs merge=lfs -text',
  '*.arrow filter=lfs diff=lfs merge=lfs -text',
  '',
].join('\n');

const encoder = new TextEncoder();

export function sha1Hex(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

export function sha256Hex(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function gitBlobOid(data: Uint8Array): string {
  return sha1Hex(`blob ${data.length}\0`, data);
}

export function lfsPointer(sha256: string, size: number): Uint8Array {
  return encoder.encode(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);
}

/** Builds a blob; `lfs` stores it as a git-lfs object (served as a pointer on `raw`). */
export function makeBlob(content: FileContent, opts: { lfs: boolean }): StoredBlob {
  let bytes: Uint8Array;
  let size: number;
  let sha256: string;
  if (typeof content === 'string') {
    bytes = encoder.encode(content);
    size = bytes.length;
    sha256 = sha256Hex(bytes);
  } else if (content instanceof Uint8Array) {
    bytes = content;
    size = bytes.length;
    sha256 = sha256Hex(bytes);
  } else {
    bytes = content.head;
    size = Math.max(content.size, content.head.length);
    sha256 = sha256Hex(`sparse\0${size}\0`, content.head);
  }
  if (opts.lfs) {
    const pointer = lfsPointer(sha256, size);
    return { bytes, size, sha256, gitOid: gitBlobOid(pointer), lfs: true, pointer };
  }
  if (bytes.length !== size) {
    throw new Error('a sparse file must be stored as an LFS file');
  }
  return { bytes, size, sha256, gitOid: gitBlobOid(bytes), lfs: false };
}

/** Reads `[start, endInclusive]` of a blob, materialising zeros past the stored head. */
export function readBlobRange(blob: StoredBlob, start: number, endInclusive: number): Uint8Array {
  const length = Math.max(0, endInclusive - start + 1);
  const out = new Uint8Array(length);
  if (start < blob.bytes.length) {
    out.set(blob.bytes.subarray(start, Math.min(blob.bytes.length, start + length)));
  }
  return out;
}

/** The full content of a blob (zeros past the head of sparse files). */
export function blobContent(blob: StoredBlob): Uint8Array {
  if (blob.bytes.length === blob.size) return blob.bytes;
  return readBlobRange(blob, 0, blob.size - 1);
}

const REPO_NAME = /^[\w.-]{1,96}$/;

/** huggingface_hub's rule: `namespace/name`, `[\w.-]{1,96}` each, no `--` or `..`, no `.git` suffix. */
export function isValidRepoName(id: string): boolean {
  const parts = id.split('/');
  if (parts.length !== 2) return false;
  return parts.every(
    (part) => REPO_NAME.test(part) && !part.includes('--') && !part.includes('..') && !part.endsWith('.git'),
  );
}

/** Rejects paths that could not exist in a git tree (absolute, dot segments, empty segments, .git). */
export function isValidFilePath(path: string): boolean {
  if (path.length === 0 || path.length > 1000 || path.startsWith('/') || path.endsWith('/')) return false;
  if (path.includes('\\') || path.includes('\0')) return false;
  const segments = path.split('/');
  return segments.every((s) => s.length > 0 && s !== '.' && s !== '..') && segments[0] !== '.git';
}

function treeDigest(files: ReadonlyMap<string, FileEntry>): string {
  const lines = [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, entry]) => `${path}\0${entry.blob.gitOid}\n`);
  return sha1Hex(lines.join(''));
}

export interface CreateRepoOptions {
  private?: boolean;
  gated?: GatedMode;
  gatedAccess?: Iterable<string>;
  createdAt?: string;
  likes?: number;
  downloads?: number;
  libraryName?: string;
  pipelineTag?: string;
  safetensorsInfo?: boolean;
}

export class RepoStore {
  private readonly repos = new Map<string, RepoState>();

  private static key(type: RepoType, id: string): string {
    return `${type}:${id}`;
  }

  get(type: RepoType, id: string): RepoState | undefined {
    return this.repos.get(RepoStore.key(type, id));
  }

  require(type: RepoType, id: string): RepoState {
    const repo = this.get(type, id);
    if (!repo) throw new Error(`emulator: no ${type} repo "${id}"`);
    return repo;
  }

  /** Creates a repo whose `main` branch has one commit holding `files`. */
  create(
    type: RepoType,
    id: string,
    opts: CreateRepoOptions,
    initial: { files: Map<string, StoredBlob>; title: string; date?: string },
  ): RepoState {
    if (this.get(type, id)) throw new Error(`emulator: ${type} repo "${id}" already exists`);
    const createdAt = opts.createdAt ?? initial.date ?? new Date().toISOString();
    const repo: RepoState = {
      type,
      id,
      internalId: sha1Hex(`${type}:${id}`).slice(0, 24),
      private: opts.private ?? false,
      gated: opts.gated ?? false,
      gatedAccess: new Set(opts.gatedAccess ?? []),
      createdAt,
      likes: opts.likes ?? 0,
      downloads: opts.downloads ?? 0,
      libraryName: opts.libraryName,
      pipelineTag: opts.pipelineTag,
      safetensorsInfo: opts.safetensorsInfo ?? true,
      refs: new Map(),
      commits: new Map(),
      lfsObjects: new Map(),
      commitCounter: 0,
    };
    this.repos.set(RepoStore.key(type, id), repo);
    const ops: CommitOperation[] = [...initial.files].map(([path, blob]) => ({ kind: 'put', path, blob }));
    this.applyCommit(repo, {
      branch: 'main',
      title: initial.title,
      description: '',
      ops,
      date: initial.date ?? createdAt,
      createBranchFrom: null,
    });
    return repo;
  }

  /** Resolves a branch name, `HEAD`, or a full commit sha to a commit. */
  resolve(repo: RepoState, rev: string): Commit | undefined {
    const ref = rev === 'HEAD' ? 'main' : rev;
    const sha = repo.refs.get(ref) ?? (/^[0-9a-f]{40}$/.test(rev) ? rev : undefined);
    return sha ? repo.commits.get(sha) : undefined;
  }

  head(repo: RepoState, branch = 'main'): Commit {
    const commit = this.resolve(repo, branch);
    if (!commit) throw new Error(`emulator: ${repo.id} has no branch ${branch}`);
    return commit;
  }

  /**
   * Applies operations on top of `branch` and moves the branch. `createBranchFrom` creates the
   * branch from that commit sha (null = orphan/initial commit). Throws CommitError on invalid ops.
   */
  applyCommit(
    repo: RepoState,
    args: {
      branch: string;
      title: string;
      description: string;
      ops: CommitOperation[];
      date?: string;
      parentCommit?: string;
      createBranchFrom?: string | null;
    },
  ): Commit {
    let parent: Commit | undefined;
    if (args.createBranchFrom !== undefined) {
      if (repo.refs.has(args.branch)) throw new CommitError(409, `Branch ${args.branch} already exists`);
      parent = args.createBranchFrom === null ? undefined : repo.commits.get(args.createBranchFrom);
      if (args.createBranchFrom !== null && !parent) {
        throw new CommitError(404, `Invalid rev id: ${args.createBranchFrom}`, 'RevisionNotFound');
      }
    } else {
      const sha = repo.refs.get(args.branch);
      if (!sha) throw new CommitError(404, `Invalid rev id: ${args.branch}`, 'RevisionNotFound');
      parent = repo.commits.get(sha);
    }
    if (args.parentCommit !== undefined) {
      const wanted = args.parentCommit.toLowerCase();
      if (!/^[0-9a-f]{5,40}$/.test(wanted)) {
        throw new CommitError(400, `Invalid parentCommit: ${args.parentCommit}`);
      }
      if (!parent || !parent.sha.startsWith(wanted)) {
        throw new CommitError(412, 'A commit has happened since. Please refresh and try again.');
      }
    }
    const files = new Map(parent?.files ?? []);
    const touched = new Set<string>();
    for (const op of args.ops) {
      if (!isValidFilePath(op.path)) throw new CommitError(400, `Invalid path: ${JSON.stringify(op.path)}`);
      if (op.kind === 'put') {
        files.set(op.path, { blob: op.blob, lastCommit: '' });
        touched.add(op.path);
        if (op.blob.lfs) repo.lfsObjects.set(op.blob.sha256, op.blob);
      } else if (op.kind === 'delete') {
        if (!files.delete(op.path)) {
          throw new CommitError(404, `Cannot delete ${op.path}: file does not exist`, 'EntryNotFound');
        }
        touched.delete(op.path);
      } else {
        const prefix = `${op.path}/`;
        let found = false;
        for (const path of [...files.keys()]) {
          if (path.startsWith(prefix)) {
            files.delete(path);
            touched.delete(path);
            found = true;
          }
        }
        if (!found) throw new CommitError(404, `Cannot delete ${op.path}: folder does not exist`, 'EntryNotFound');
      }
    }
    repo.commitCounter += 1;
    const sha = sha1Hex(
      `${repo.type}:${repo.id}\0${parent?.sha ?? ''}\0${args.title}\0${treeDigest(files)}\0${repo.commitCounter}`,
    );
    for (const path of touched) {
      const entry = files.get(path);
      if (entry) files.set(path, { blob: entry.blob, lastCommit: sha });
    }
    const commit: Commit = {
      sha,
      parents: parent ? [parent.sha] : [],
      title: args.title,
      description: args.description,
      date: args.date ?? new Date().toISOString(),
      files,
    };
    repo.commits.set(sha, commit);
    repo.refs.set(args.branch, sha);
    return commit;
  }
}

/** A random 40-hex id, e.g. for OAuth codes and request ids. */
export function randomHex(bytes = 20): string {
  return randomBytes(bytes).toString('hex');
}
