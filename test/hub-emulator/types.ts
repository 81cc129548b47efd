/** Public types of the Hub emulator (re-exported by ./index.ts). */
import type { FileContent, GatedMode } from './repo-store.js';

export type { FileContent, GatedMode, SparseFileContent } from './repo-store.js';

export type TokenRole = 'read' | 'write' | 'admin' | 'fineGrained';

export interface EmulatedUser {
  name: string;
  /** Must start with `hf_` (the @huggingface/hub client refuses other tokens). */
  token: string;
  /** Organisations the user belongs to (grants write on them with a write/admin/fineGrained token). */
  orgs?: string[];
  /** Token role reported by whoami-v2. Default `read`. `admin` may write to any namespace. */
  role?: TokenRole;
}

export interface EmulatedModel {
  /** "org/name" */
  id: string;
  /** Content of `main` (one commit). A `.gitattributes` is added unless given. */
  files: Record<string, FileContent>;
  /**
   * Extra branches, each one commit on top of `main`: files added or replaced, `null` deletes.
   * E.g. `{ v2: { files: { 'README.md': '...' } } }`.
   */
  branches?: Record<string, { files: Record<string, FileContent | null>; title?: string }>;
  private?: boolean;
  gated?: GatedMode;
  /** User names allowed to download files of a gated model. */
  gatedAccess?: string[];
  likes?: number;
  downloads?: number;
  /** ISO date of repo creation and of the first commit. */
  createdAt?: string;
  libraryName?: string;
  pipelineTag?: string;
  /**
   * Default true: model info carries `safetensors: {parameters, total}` computed from the
   * `model.safetensors` / `model.safetensors.index.json` headers, like the Hub. False: absent.
   */
  safetensorsInfo?: boolean;
}

export interface FaultSpec {
  mode: 'error500' | 'error429' | 'timeout' | 'none';
  /** Fault lasts this long (ms) from now; omitted = until `setFault({mode:'none'})`. */
  forMs?: number;
  /** `Retry-After` seconds sent with 429 (default 1) and 500 (only if given). */
  retryAfterSeconds?: number;
  /** Only requests whose `path?query` matches are affected (default: all). */
  routes?: RegExp;
}

export interface RequestLogEntry {
  method: string;
  /** Decoded-as-received pathname, e.g. `/api/models/emulated/valid-model/revision/main`. */
  path: string;
  /** Query string without `?` (may be empty). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface HubEmulator {
  /** e.g. `http://127.0.0.1:54321` (no trailing slash). */
  url: string;
  /** Stops listening and destroys every open socket (including requests held by `timeout` faults). */
  close(): Promise<void>;
  addUser(user: EmulatedUser): void;
  addModel(model: EmulatedModel): void;
  /** Creates a public dataset repo with `.gitattributes` plus `files` on `main`. */
  addDataset(name: string, files?: Record<string, string | Uint8Array>): void;
  /** Current content of `main` of a dataset (includes `.gitattributes`). */
  datasetFiles(name: string): Map<string, Uint8Array>;
  /** Head commit sha (40 hex) of `main` of a dataset. */
  datasetHead(name: string): string;
  /**
   * Current content of a model branch. Sparse weight files (see SparseFileContent) yield only
   * their stored head (8-byte length + safetensors header), not gigabytes of zeros.
   */
  modelFiles(id: string, branch?: string): Map<string, Uint8Array>;
  /** Head commit sha of a model branch (default `main`). */
  modelHead(id: string, branch?: string): string;
  setFault(fault: FaultSpec): void;
  /** Page size of tree listings (default 1000; `?limit=` overrides per request). */
  setTreePageSize(size: number): void;
  /** User that `/oauth/authorize` signs in when the request has no `login_hint` (default `alice`). */
  setOAuthUser(name: string): void;
  /** Every request received, in arrival order (also requests answered by a fault). */
  requestLog: RequestLogEntry[];
  clearRequestLog(): void;
}

export interface StartHubEmulatorOptions {
  /** 0 / omitted = a free port. */
  port?: number;
  /** Default true: seed the fixture models and users of ./fixtures.ts. */
  seed?: boolean;
  /** Default 1000. */
  treePageSize?: number;
  /** Default 127.0.0.1. */
  host?: string;
}
