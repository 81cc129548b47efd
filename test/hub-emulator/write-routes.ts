/**
 * Write routes: repo creation, preupload, the git-lfs batch API with signed upload hrefs, the
 * signed PUT itself, and the NDJSON commit endpoint (with `parentCommit` → 412).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { assertCanWrite, assertVisible } from './auth.js';
import { repoPrefix, type RouteContext } from './emulator-state.js';
import { HttpError, isRecord, readBody, readJson, sendJson } from './http-helpers.js';
import {
  CommitError,
  DEFAULT_GITATTRIBUTES,
  isLfsPath,
  isValidFilePath,
  isValidRepoName,
  makeBlob,
  MAX_REGULAR_FILE_SIZE,
  sha256Hex,
  type CommitOperation,
  type RepoState,
  type RepoType,
  type StoredBlob,
} from './repo-store.js';

const MAX_COMMIT_BODY = 200 * 1024 * 1024;
const MAX_LFS_OBJECT = 1024 * 1024 * 1024;
const LFS_HREF_TTL_MS = 60 * 60 * 1000;

function repoTypeFrom(value: unknown): RepoType {
  if (value === undefined || value === 'model') return 'model';
  if (value === 'dataset') return 'dataset';
  throw new HttpError(400, `Unsupported repo type ${JSON.stringify(value)} (the emulator has models and datasets)`);
}

/** `POST /api/repos/create` */
export async function handleCreateRepo(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (!isRecord(body) || typeof body['name'] !== 'string') throw new HttpError(400, '"name" is required');
  const type = repoTypeFrom(body['type']);
  const caller = ctx.caller;
  const namespace =
    typeof body['organization'] === 'string' && body['organization'] !== ''
      ? body['organization']
      : caller.kind === 'user'
        ? caller.token.user.name
        : '';
  const id = `${namespace}/${body['name']}`;
  assertCanWrite(namespace, caller, `create a repo in "${namespace}"`);
  if (!isValidRepoName(id)) throw new HttpError(400, `Invalid repo name: ${id}`);
  const url = `${ctx.origin}/${repoPrefix(type)}${id}`;
  if (ctx.state.store.get(type, id)) {
    throw new HttpError(409, `You already created this ${type} repo`, undefined, { url });
  }
  const files = new Map<string, StoredBlob>([['.gitattributes', makeBlob(DEFAULT_GITATTRIBUTES, { lfs: false })]]);
  if (Array.isArray(body['files'])) {
    for (const f of body['files']) {
      if (!isRecord(f) || typeof f['path'] !== 'string' || typeof f['content'] !== 'string') {
        throw new HttpError(400, 'Invalid "files" entry');
      }
      if (!isValidFilePath(f['path'])) throw new HttpError(400, `Invalid path: ${f['path']}`);
      const bytes = f['encoding'] === 'base64' ? Buffer.from(f['content'], 'base64') : Buffer.from(f['content']);
      files.set(f['path'], makeBlob(new Uint8Array(bytes), { lfs: isLfsPath(f['path'], bytes.length) }));
    }
  }
  const isPrivate = body['visibility'] === 'private' || body['private'] === true;
  const repo = ctx.state.store.create(type, id, { private: isPrivate }, { files, title: 'initial commit' });
  sendJson(ctx.res, 200, { url, name: id, id: repo.internalId });
}

function writableRepo(ctx: RouteContext, type: RepoType, id: string, what: string): RepoState {
  // Authentication first (401 before anything leaks), then existence, then permission.
  if (ctx.caller.kind !== 'user') throw new HttpError(401, `You must be authenticated to ${what}`);
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  assertCanWrite(id.split('/')[0] ?? '', ctx.caller, `${what} in ${id}`);
  return repo;
}

function branchHead(ctx: RouteContext, repo: RepoState, rev: string): string {
  const sha = repo.refs.get(rev);
  if (!sha) throw new HttpError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  return sha;
}

/** `*.ext` and plain names marked `filter=lfs` in a .gitattributes text. */
function lfsPatterns(gitattributes: string | undefined): Array<(path: string) => boolean> {
  if (!gitattributes) return [];
  const out: Array<(path: string) => boolean> = [];
  for (const line of gitattributes.split(/\r?\n/)) {
    const [pattern, ...attrs] = line.trim().split(/\s+/);
    if (!pattern || pattern.startsWith('#') || !attrs.includes('filter=lfs')) continue;
    if (/^\*\.[^*/?[\]]+$/.test(pattern)) {
      const ext = pattern.slice(1);
      out.push((p) => p.endsWith(ext));
    } else if (!/[*?[\]]/.test(pattern)) {
      out.push((p) => p === pattern || p.endsWith(`/${pattern}`));
    }
  }
  return out;
}

/** `POST /api/{type}s/{org}/{name}/preupload/{rev}` */
export async function handlePreupload(ctx: RouteContext, type: RepoType, id: string, rev: string): Promise<void> {
  const repo = writableRepo(ctx, type, id, 'upload files');
  const head = branchHead(ctx, repo, rev);
  const body = await readJson(ctx.req);
  if (!isRecord(body) || !Array.isArray(body['files'])) throw new HttpError(400, '"files" must be an array');
  const repoAttributes = repo.commits.get(head)?.files.get('.gitattributes');
  const patterns = [
    ...lfsPatterns(repoAttributes ? new TextDecoder().decode(repoAttributes.blob.bytes) : undefined),
    ...lfsPatterns(typeof body['gitAttributes'] === 'string' ? body['gitAttributes'] : undefined),
  ];
  const files = body['files'].map((f: unknown) => {
    if (!isRecord(f) || typeof f['path'] !== 'string' || typeof f['size'] !== 'number') {
      throw new HttpError(400, 'Each file needs "path" and "size"');
    }
    const path = f['path'];
    const size = f['size'];
    const lfs = size > 0 && (isLfsPath(path, size) || patterns.some((match) => match(path)));
    return { path, uploadMode: lfs ? 'lfs' : 'regular', shouldIgnore: false };
  });
  sendJson(ctx.res, 200, { files, commitOid: head });
}

function signature(secret: Buffer, type: RepoType, id: string, oid: string, size: number, expires: number): string {
  return createHmac('sha256', secret).update(`${type}:${id}:${oid}:${size}:${expires}`).digest('hex');
}

/** `POST /[datasets/]{org}/{name}.git/info/lfs/objects/batch` */
export async function handleLfsBatch(ctx: RouteContext, type: RepoType, id: string): Promise<void> {
  const repo = writableRepo(ctx, type, id, 'upload LFS files');
  const body = await readJson(ctx.req);
  if (!isRecord(body) || !Array.isArray(body['objects'])) throw new HttpError(400, '"objects" must be an array');
  if (body['operation'] !== 'upload') {
    throw new HttpError(422, 'The emulator only supports the "upload" LFS operation');
  }
  const expires = Date.now() + LFS_HREF_TTL_MS;
  const objects = body['objects'].map((o: unknown) => {
    if (!isRecord(o) || typeof o['oid'] !== 'string' || !/^[0-9a-f]{64}$/.test(o['oid'])) {
      throw new HttpError(422, 'Each object needs a sha256 "oid" (64 lowercase hex)');
    }
    const size = o['size'];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > MAX_LFS_OBJECT) {
      throw new HttpError(422, `Invalid size for object ${o['oid']}`);
    }
    const oid = o['oid'];
    if (repo.lfsObjects.has(oid)) return { oid, size, authenticated: true };
    const sig = signature(ctx.state.lfsSecret, type, id, oid, size, expires);
    const href = `${ctx.origin}/__emulator/lfs/${type}/${id}/${oid}?size=${size}&expires=${expires}&sig=${sig}`;
    return {
      oid,
      size,
      authenticated: true,
      actions: { upload: { href, expires_at: new Date(expires).toISOString() } },
    };
  });
  sendJson(ctx.res, 200, { transfer: 'basic', objects, hash_algo: 'sha256' }, {}, 'application/vnd.git-lfs+json');
}

/** `PUT /__emulator/lfs/{type}/{org}/{name}/{oid}?size=&expires=&sig=` — the signed upload href. */
export async function handleLfsUpload(ctx: RouteContext, type: RepoType, id: string, oid: string): Promise<void> {
  const size = Number(ctx.url.searchParams.get('size'));
  const expires = Number(ctx.url.searchParams.get('expires'));
  const sig = ctx.url.searchParams.get('sig') ?? '';
  const expected = signature(ctx.state.lfsSecret, type, id, oid, size, expires);
  if (sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
    throw new HttpError(403, 'Invalid upload signature');
  }
  if (expires < Date.now()) throw new HttpError(403, 'Upload URL expired');
  const repo = ctx.state.store.get(type, id);
  if (!repo) throw new HttpError(404, 'Repository not found', 'RepoNotFound');
  const bytes = await readBody(ctx.req, size + 1);
  if (bytes.length !== size) throw new HttpError(400, `Size mismatch: expected ${size} bytes, got ${bytes.length}`);
  if (sha256Hex(bytes) !== oid) throw new HttpError(400, 'Checksum mismatch: SHA-256 of the body is not the oid');
  repo.lfsObjects.set(oid, makeBlob(new Uint8Array(bytes), { lfs: true }));
  ctx.res.writeHead(200, { 'Content-Length': '0', ETag: `"${oid}"` });
  ctx.res.end();
}

/** `POST /api/{type}s/{org}/{name}/commit/{rev}` with an NDJSON body. */
export async function handleCommit(ctx: RouteContext, type: RepoType, id: string, rev: string): Promise<void> {
  const repo = writableRepo(ctx, type, id, 'create a commit');
  if (ctx.url.searchParams.has('create_pr')) {
    throw new HttpError(400, 'The emulator does not support pull requests (create_pr)');
  }
  branchHead(ctx, repo, rev);
  const body = (await readBody(ctx.req, MAX_COMMIT_BODY)).toString('utf8');
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const parsed = lines.map((line) => {
    try {
      const value: unknown = JSON.parse(line);
      if (!isRecord(value) || typeof value['key'] !== 'string' || !isRecord(value['value'])) throw new Error();
      return value as { key: string; value: Record<string, unknown> };
    } catch {
      throw new HttpError(400, `Invalid NDJSON line: ${line.slice(0, 100)}`);
    }
  });
  const header = parsed[0];
  if (!header || header.key !== 'header') throw new HttpError(400, 'The first line must be the "header"');
  const title = typeof header.value['summary'] === 'string' ? header.value['summary'] : '';
  if (title.trim() === '') throw new HttpError(400, 'The commit summary must not be empty');
  const description = typeof header.value['description'] === 'string' ? header.value['description'] : '';
  const parentCommit = header.value['parentCommit'];
  if (parentCommit !== undefined && typeof parentCommit !== 'string') {
    throw new HttpError(400, '"parentCommit" must be a string');
  }
  const ops: CommitOperation[] = parsed.slice(1).map(({ key, value }): CommitOperation => {
    const path = value['path'];
    if (typeof path !== 'string') throw new HttpError(400, `"${key}" needs a "path"`);
    switch (key) {
      case 'file': {
        if (typeof value['content'] !== 'string' || value['encoding'] !== 'base64') {
          throw new HttpError(400, `"file" ${path}: content must be base64 with "encoding": "base64"`);
        }
        const bytes = Buffer.from(value['content'], 'base64');
        if (bytes.length > MAX_REGULAR_FILE_SIZE) {
          throw new HttpError(400, `${path} is larger than 10 MiB: upload it with LFS`);
        }
        return { kind: 'put', path, blob: makeBlob(new Uint8Array(bytes), { lfs: false }) };
      }
      case 'lfsFile': {
        const oid = value['oid'];
        const blob = typeof oid === 'string' ? repo.lfsObjects.get(oid) : undefined;
        if (!blob) {
          throw new HttpError(400, `LFS object ${String(oid)} for ${path} was never uploaded to this repo`);
        }
        if (value['size'] !== undefined && value['size'] !== blob.size) {
          throw new HttpError(400, `Size of ${path} does not match its LFS object`);
        }
        return { kind: 'put', path, blob };
      }
      case 'deletedFile':
        return { kind: 'delete', path };
      case 'deletedFolder':
        return { kind: 'deleteFolder', path };
      default:
        throw new HttpError(400, `Unsupported commit operation "${key}"`);
    }
  });
  let sha: string;
  try {
    sha = ctx.state.store.applyCommit(repo, {
      branch: rev,
      title,
      description,
      ops,
      ...(parentCommit !== undefined ? { parentCommit } : {}),
    }).sha;
  } catch (err) {
    if (err instanceof CommitError) throw new HttpError(err.status, err.message, err.errorCode);
    throw err;
  }
  sendJson(ctx.res, 200, {
    success: true,
    commitOid: sha,
    commitUrl: `${ctx.origin}/${repoPrefix(type)}${id}/commit/${sha}`,
    commitMessage: title,
    hookOutput: '',
  });
}
