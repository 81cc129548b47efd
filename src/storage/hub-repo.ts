/**
 * The Hugging Face Hub adapter of the storage port: a dataset repo on the Hub, read through a
 * local mirror under CACHE_DIR.
 *
 * - `version()` is one cheap request (the dataset's head sha). When the head moved, the mirror
 *   is synced incrementally: the tree listing's blob ids (git blob sha1, or the LFS sha256)
 *   decide which files to download again, so a warm restart downloads only what changed.
 * - Reads (`list`, `read`) are served from the mirror, so they keep working while the Hub is
 *   unreachable.
 * - `commit()` sends one Hub commit (LFS files through the LFS path, Xet off) with
 *   `parentCommit`; a 412 means another writer got there first: with an explicit
 *   `parentVersion` the caller gets StaleVersionError, otherwise the mirror is synced and the
 *   commit retried.
 */
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { commit as hubCommit, createRepo, datasetInfo, downloadFile, listFiles, repoExists } from '@huggingface/hub';
import type { Logger } from 'pino';
import {
  StaleVersionError,
  assertSafeDatasetPath,
  type CommitOperation,
  type CommitOptions,
  type CommitResult,
  type DatasetFile,
  type DatasetName,
  type DatasetRepo,
} from './dataset-repo.js';
import { LocalDatasetRepo, writeFileDurably } from './local-repo.js';

export interface HubRepoOptions {
  name: DatasetName;
  /** `org/name` of the dataset on the Hub. */
  repoId: string;
  hubUrl: string;
  token?: string;
  /** Folder of this dataset's mirror. */
  mirrorDir: string;
  logger: Logger;
  fetch?: typeof fetch;
  /** Create the dataset when it does not exist (HUB_CREATE_DATASETS). */
  create?: boolean;
  /** Files downloaded at once during a sync. */
  downloadConcurrency?: number;
}

interface MirrorManifest {
  head: string | null;
  files: Record<string, { gitOid: string; sha256: string; size: number }>;
}

export interface SyncReport {
  dataset: DatasetName;
  head: string;
  downloaded: number;
  deleted: number;
  unchanged: number;
}

export class HubDatasetNotFoundError extends Error {
  constructor(readonly repoId: string) {
    super(`Hub dataset ${repoId} does not exist (set HUB_CREATE_DATASETS=true to create it, or create it on the Hub)`);
    this.name = 'HubDatasetNotFoundError';
  }
}

/** The git blob id of a file's content, as the Hub's tree listing reports it for regular files. */
export function gitBlobOid(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? (error as { statusCode: number }).statusCode : undefined;
}

export class HubDatasetRepo implements DatasetRepo {
  readonly name: DatasetName;
  private readonly mirror: LocalDatasetRepo;
  private manifest: MirrorManifest = { head: null, files: {} };
  private readonly manifestPath: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(version: string) => void>();
  private opened: Promise<void> | undefined;
  private lastSync: SyncReport | undefined;
  private unreachableSince: number | undefined;
  /** Called with (done, total) while a sync downloads files. */
  onProgress: ((done: number, total: number) => void) | undefined;

  constructor(private readonly options: HubRepoOptions) {
    this.name = options.name;
    this.mirror = new LocalDatasetRepo(options.name, path.join(options.mirrorDir, 'files'));
    this.manifestPath = path.join(options.mirrorDir, 'manifest.json');
  }

  private get repo() {
    return { type: 'dataset' as const, name: this.options.repoId };
  }

  private get credentials() {
    return { hubUrl: this.options.hubUrl, accessToken: this.options.token, fetch: this.options.fetch };
  }

  /** Loads the manifest of a warm mirror and makes sure the dataset exists on the Hub. */
  open(): Promise<void> {
    this.opened ??= (async () => {
      try {
        this.manifest = JSON.parse(await fs.readFile(this.manifestPath, 'utf8')) as MirrorManifest;
      } catch {
        this.manifest = { head: null, files: {} };
      }
      let exists: boolean;
      try {
        exists = await repoExists({ repo: this.repo, ...this.credentials });
      } catch (error) {
        // The Hub is unreachable: a warm mirror is still served; a cold one cannot be.
        if (this.manifest.head) {
          this.options.logger.warn({ err: error, dataset: this.options.repoId }, 'Hub unreachable at startup; serving the local mirror');
          return;
        }
        throw error;
      }
      if (!exists) {
        if (!this.options.create) throw new HubDatasetNotFoundError(this.options.repoId);
        await createRepo({ repo: this.repo, ...this.credentials, accessToken: this.options.token ?? '' });
        this.options.logger.info({ dataset: this.options.repoId }, 'created Hub dataset');
      }
    })();
    this.opened.catch(() => {
      this.opened = undefined;
    });
    return this.opened;
  }

  /** The dataset's head sha; syncs the mirror first when the head moved. */
  version(): Promise<string> {
    return this.serialized(async () => {
      await this.open();
      let remoteHead: string;
      try {
        remoteHead = await this.remoteHead();
        if (this.unreachableSince !== undefined) {
          this.options.logger.info({ dataset: this.options.repoId }, 'Hub reachable again');
          this.unreachableSince = undefined;
        }
      } catch (error) {
        if (!this.manifest.head) throw error;
        if (this.unreachableSince === undefined) {
          this.unreachableSince = Date.now();
          this.options.logger.warn({ err: error, dataset: this.options.repoId }, 'Hub unreachable; serving the local mirror');
        }
        return this.manifest.head;
      }
      if (remoteHead !== this.manifest.head) await this.syncTo(remoteHead);
      return remoteHead;
    });
  }

  /** Forces a check of the remote head now (webhooks, `cli sync`); returns what changed. */
  async sync(): Promise<SyncReport> {
    const before = this.lastSync;
    const head = await this.version();
    if (this.lastSync !== before && this.lastSync) return this.lastSync;
    return { dataset: this.name, head, downloaded: 0, deleted: 0, unchanged: Object.keys(this.manifest.files).length };
  }

  async list(prefix = ''): Promise<DatasetFile[]> {
    await this.ensureMirror();
    return this.mirror.list(prefix);
  }

  async read(filePath: string): Promise<Uint8Array | null> {
    await this.ensureMirror();
    return this.mirror.read(filePath);
  }

  commit(operations: CommitOperation[], message: string, options: CommitOptions = {}): Promise<CommitResult> {
    for (const operation of operations) assertSafeDatasetPath(operation.path);
    return this.serialized(async () => {
      await this.open();
      if (!this.manifest.head) await this.syncTo(await this.remoteHead());
      for (let attempt = 1; ; attempt++) {
        const parent = options.parentVersion ?? this.manifest.head!;
        try {
          const result = await hubCommit({
            repo: this.repo,
            ...this.credentials,
            accessToken: this.options.token ?? '',
            title: message,
            parentCommit: parent,
            useXet: false,
            operations: operations.map((operation) =>
              operation.op === 'delete'
                ? { operation: 'delete' as const, path: operation.path }
                : { operation: 'addOrUpdate' as const, path: operation.path, content: new Blob([operation.content]) },
            ),
          });
          const head = result?.commit.oid;
          if (!head) throw new Error('The Hub answered the commit without a commit id');
          await this.applyLocally(operations, parent === this.manifest.head ? head : null);
          if (this.manifest.head !== head) await this.syncTo(head);
          for (const listener of this.listeners) listener(head);
          return { version: head };
        } catch (error) {
          if (statusOf(error) !== 412) throw error;
          const current = await this.remoteHead();
          if (options.parentVersion !== undefined) throw new StaleVersionError(this.name, options.parentVersion, current);
          if (attempt >= 5) throw error;
          // A blind write lost a race with another writer: catch up and apply it again.
          await this.syncTo(current);
        }
      }
    });
  }

  onCommit(listener: (version: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The head the local mirror holds (null before the first sync); reads the manifest. */
  mirroredHead(): string | null {
    try {
      return (JSON.parse(readFileSync(this.manifestPath, 'utf8')) as MirrorManifest).head;
    } catch {
      return null;
    }
  }

  /** The last sync's counts (for `cli status` and tests). */
  lastSyncReport(): SyncReport | undefined {
    return this.lastSync;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureMirror(): Promise<void> {
    if (this.manifest.head === null) await this.version();
  }

  private async remoteHead(): Promise<string> {
    const info = await datasetInfo({ name: this.options.repoId, additionalFields: ['sha'], ...this.credentials });
    const sha = (info as { sha?: string }).sha;
    if (!sha) throw new Error(`The Hub gave no head sha for ${this.options.repoId}`);
    return sha;
  }

  /** Makes the mirror equal to the dataset at `head`, downloading only changed files. */
  private async syncTo(head: string): Promise<void> {
    const remote = new Map<string, { oid: string; lfs: boolean; size: number }>();
    for await (const entry of listFiles({ repo: this.repo, revision: head, recursive: true, ...this.credentials })) {
      if (entry.type !== 'file') continue;
      remote.set(entry.path, { oid: entry.lfs?.oid ?? entry.oid ?? '', lfs: entry.lfs !== undefined, size: entry.size });
    }
    const changed = [...remote].filter(([filePath, entry]) => {
      const local = this.manifest.files[filePath];
      return !local || (entry.lfs ? local.sha256 !== entry.oid : local.gitOid !== entry.oid);
    });
    const removed = Object.keys(this.manifest.files).filter((filePath) => !remote.has(filePath));
    const files = { ...this.manifest.files };
    let done = 0;
    const concurrency = this.options.downloadConcurrency ?? 8;
    for (let i = 0; i < changed.length; i += concurrency) {
      await Promise.all(
        changed.slice(i, i + concurrency).map(async ([filePath]) => {
          const blob = await downloadFile({ repo: this.repo, path: filePath, revision: head, xet: false, ...this.credentials });
          if (!blob) throw new Error(`File ${filePath} vanished from ${this.options.repoId} during a sync`);
          const content = new Uint8Array(await blob.arrayBuffer());
          await writeFileDurably(this.mirror.resolve(filePath), content);
          files[filePath] = { gitOid: gitBlobOid(content), sha256: sha256(content), size: content.byteLength };
          done += 1;
          this.onProgress?.(done, changed.length);
        }),
      );
    }
    for (const filePath of removed) {
      await fs.rm(this.mirror.resolve(filePath), { force: true });
      delete files[filePath];
    }
    this.manifest = { head, files };
    await writeFileDurably(this.manifestPath, JSON.stringify(this.manifest));
    this.lastSync = { dataset: this.name, head, downloaded: changed.length, deleted: removed.length, unchanged: remote.size - changed.length };
    if (changed.length || removed.length) {
      this.options.logger.info({ dataset: this.options.repoId, head, downloaded: changed.length, deleted: removed.length }, 'mirror synced');
    }
  }

  /** Applies our own committed operations to the mirror; `head` is set when nothing else changed. */
  private async applyLocally(operations: CommitOperation[], head: string | null): Promise<void> {
    const files = { ...this.manifest.files };
    for (const operation of operations) {
      if (operation.op === 'delete') {
        await fs.rm(this.mirror.resolve(operation.path), { force: true });
        delete files[operation.path];
      } else {
        await writeFileDurably(this.mirror.resolve(operation.path), operation.content);
        files[operation.path] = { gitOid: gitBlobOid(operation.content), sha256: sha256(operation.content), size: operation.content.byteLength };
      }
    }
    this.manifest = { head: head ?? this.manifest.head, files };
    await writeFileDurably(this.manifestPath, JSON.stringify(this.manifest));
  }
}
