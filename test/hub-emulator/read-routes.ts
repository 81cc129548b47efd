/**
 * Read routes: whoami, repo info, repo exists, auth-check, refs, commits, tree, paths-info,
 * and file downloads (`resolve` / `raw`) with Range support.
 */
import type { ServerResponse } from 'node:http';
import { assertCanDownload, assertVisible, INVALID_CREDENTIALS } from './auth.js';
import type { RouteContext } from './emulator-state.js';
import { HttpError, isRecord, readJson, sendJson } from './http-helpers.js';
import { repoInfoJson } from './repo-info.js';
import { readBlobRange, sha1Hex, type Commit, type FileEntry, type RepoState, type RepoType, type StoredBlob } from './repo-store.js';

export function handleWhoami(ctx: RouteContext): void {
  const { caller } = ctx;
  if (caller.kind !== 'user') {
    throw new HttpError(401, caller.kind === 'invalid' ? INVALID_CREDENTIALS : 'Invalid username or password.');
  }
  const { user, role, kind, createdAt, expiresAt } = caller.token;
  const auth =
    kind === 'oauth'
      ? { type: 'oauth', expiresAt }
      : {
          type: 'access_token',
          accessToken: {
            displayName: `${user.name}-token`,
            role,
            createdAt,
            ...(role === 'fineGrained'
              ? {
                  fineGrained: {
                    canReadGatedRepos: true,
                    global: ['discussion.write', 'post.write'],
                    scoped: [user.name, ...user.orgs].map((name) => ({
                      entity: { _id: sha1Hex(`entity:${name}`).slice(0, 24), type: name === user.name ? 'user' : 'org', name },
                      permissions: ['repo.content.read', 'repo.write'],
                    })),
                  },
                }
              : {}),
          },
        };
  sendJson(ctx.res, 200, {
    type: 'user',
    id: user.id,
    name: user.name,
    fullname: user.fullname,
    email: user.email,
    emailVerified: true,
    canPay: false,
    isPro: false,
    periodEnd: null,
    avatarUrl: user.avatarUrl,
    billingMode: 'prepaid',
    orgs: user.orgs.map((org) => ({
      type: 'org',
      id: sha1Hex(`org:${org}`).slice(0, 24),
      name: org,
      fullname: org,
      email: null,
      canPay: false,
      periodEnd: null,
      avatarUrl: `https://emulated.invalid/avatars/${org}.png`,
      roleInOrg: 'write',
    })),
    auth,
  });
}

function resolveCommit(ctx: RouteContext, repo: RepoState, rev: string): Commit {
  const commit = ctx.state.store.resolve(repo, rev);
  if (!commit) throw new HttpError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  return commit;
}

function expandParams(url: URL): string[] {
  return [...url.searchParams.getAll('expand'), ...url.searchParams.getAll('expand[]')];
}

/** `GET /api/{type}s/{org}/{name}` and `GET /api/{type}s/{org}/{name}/revision/{rev}`. */
export function handleRepoInfo(ctx: RouteContext, type: RepoType, id: string, rev: string): void {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  const commit = resolveCommit(ctx, repo, rev);
  sendJson(ctx.res, 200, repoInfoJson(repo, commit, expandParams(ctx.url)));
}

/** `GET /api/{type}s/{org}/{name}/auth-check`: 200 when files are downloadable. */
export function handleAuthCheck(ctx: RouteContext, type: RepoType, id: string): void {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  assertCanDownload(repo, ctx.caller);
  sendJson(ctx.res, 200, {});
}

export function handleRefs(ctx: RouteContext, type: RepoType, id: string): void {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  sendJson(ctx.res, 200, {
    branches: [...repo.refs].map(([name, sha]) => ({ name, ref: `refs/heads/${name}`, targetCommit: sha })),
    tags: [],
    converts: [],
  });
}

export function handleCommits(ctx: RouteContext, type: RepoType, id: string, rev: string): void {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  const out: unknown[] = [];
  let commit: Commit | undefined = resolveCommit(ctx, repo, rev);
  while (commit) {
    out.push({ id: commit.sha, title: commit.title, message: commit.description, authors: [], date: commit.date });
    const parent: string | undefined = commit.parents[0];
    commit = parent ? repo.commits.get(parent) : undefined;
  }
  sendJson(ctx.res, 200, out);
}

interface TreeEntry {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  lastCommit?: { id: string; title: string; date: string };
  securityFileStatus?: { status: string };
}

function fileEntry(repo: RepoState, path: string, entry: FileEntry, expand: boolean): TreeEntry {
  const out: TreeEntry = { type: 'file', oid: entry.blob.gitOid, size: entry.blob.size, path };
  if (entry.blob.lfs) {
    out.lfs = { oid: entry.blob.sha256, size: entry.blob.size, pointerSize: entry.blob.pointer?.length ?? 0 };
  }
  if (expand) {
    const commit = repo.commits.get(entry.lastCommit);
    if (commit) out.lastCommit = { id: commit.sha, title: commit.title, date: commit.date };
    out.securityFileStatus = { status: 'safe' };
  }
  return out;
}

function directoryEntry(commit: Commit, path: string): TreeEntry {
  const prefix = `${path}/`;
  const listing = [...commit.files]
    .filter(([p]) => p.startsWith(prefix))
    .map(([p, e]) => `${p}\0${e.blob.gitOid}`)
    .sort()
    .join('\n');
  return { type: 'directory', oid: sha1Hex(`tree\0${listing}`), size: 0, path };
}

function listTree(repo: RepoState, commit: Commit, dir: string, recursive: boolean, expand: boolean): TreeEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const files: TreeEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, entry] of commit.files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const parts = rest.split('/');
    if (recursive) {
      for (let i = 1; i < parts.length; i++) dirs.add(prefix + parts.slice(0, i).join('/'));
      files.push(fileEntry(repo, path, entry, expand));
    } else if (parts.length === 1) {
      files.push(fileEntry(repo, path, entry, expand));
    } else {
      dirs.add(prefix + parts[0]);
    }
  }
  const all = [...[...dirs].map((d) => directoryEntry(commit, d)), ...files];
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `GET /api/{type}s/{org}/{name}/tree/{rev}[/{path}]?recursive=&expand=&cursor=&limit=` */
export function handleTree(ctx: RouteContext, type: RepoType, id: string, rev: string, dir: string): void {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  const commit = resolveCommit(ctx, repo, rev);
  const recursive = ctx.url.searchParams.get('recursive') === 'true' || ctx.url.searchParams.get('recursive') === '1';
  const expand = ctx.url.searchParams.get('expand') === 'true' || ctx.url.searchParams.get('expand') === '1';
  if (dir !== '' && ![...commit.files.keys()].some((p) => p.startsWith(`${dir}/`))) {
    throw new HttpError(404, `Entry not found: ${dir} is not a directory at ${rev}`, 'EntryNotFound');
  }
  const entries = listTree(repo, commit, dir, recursive, expand);
  const limitParam = Number(ctx.url.searchParams.get('limit'));
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : ctx.state.treePageSize;
  const cursor = ctx.url.searchParams.get('cursor');
  let offset = 0;
  if (cursor) {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      offset = isRecord(decoded) && typeof decoded['o'] === 'number' ? decoded['o'] : NaN;
    } catch {
      offset = NaN;
    }
    if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, 'Invalid cursor');
  }
  const page = entries.slice(offset, offset + limit);
  const headers: Record<string, string> = {};
  if (offset + limit < entries.length) {
    const next = new URL(ctx.url.pathname, ctx.origin);
    for (const [k, v] of ctx.url.searchParams) if (k !== 'cursor') next.searchParams.append(k, v);
    next.searchParams.set('cursor', Buffer.from(JSON.stringify({ o: offset + limit })).toString('base64url'));
    headers['Link'] = `<${next.href}>; rel="next"`;
  }
  sendJson(ctx.res, 200, page, headers);
}

/** `POST /api/{type}s/{org}/{name}/paths-info/{rev}` body `{paths, expand}`. */
export async function handlePathsInfo(ctx: RouteContext, type: RepoType, id: string, rev: string): Promise<void> {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  const commit = resolveCommit(ctx, repo, rev);
  const body = await readJson(ctx.req);
  if (!isRecord(body) || !Array.isArray(body['paths']) || !body['paths'].every((p) => typeof p === 'string')) {
    throw new HttpError(400, '"paths" must be an array of strings');
  }
  const expand = body['expand'] === true;
  const out: TreeEntry[] = [];
  for (const path of body['paths'] as string[]) {
    const entry = commit.files.get(path);
    if (entry) out.push(fileEntry(repo, path, entry, expand));
    else if ([...commit.files.keys()].some((p) => p.startsWith(`${path}/`))) out.push(directoryEntry(commit, path));
  }
  sendJson(ctx.res, 200, out);
}

const CONTENT_TYPES: Array<[RegExp, string]> = [
  [/\.json$/, 'application/json; charset=utf-8'],
  [/\.jsonl$/, 'application/jsonl; charset=utf-8'],
  [/\.(md|txt|py|csv|yaml|yml|gitattributes)$/, 'text/plain; charset=utf-8'],
];

function contentType(path: string): string {
  return CONTENT_TYPES.find(([re]) => re.test(path))?.[1] ?? 'application/octet-stream';
}

/** Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null = ignore, 'invalid' = 416. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // multiple or malformed ranges: RFC 9110 allows ignoring Range
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return null;
  }
  if (start >= size) return 'invalid';
  return { start, end };
}

const CHUNK = 1024 * 1024;

function writeBytes(res: ServerResponse, blob: StoredBlob | Uint8Array, start: number, end: number): void {
  const read = (s: number, e: number): Uint8Array =>
    blob instanceof Uint8Array ? blob.subarray(s, e + 1) : readBlobRange(blob, s, e);
  let pos = start;
  const pump = (): void => {
    while (pos <= end) {
      const chunkEnd = Math.min(end, pos + CHUNK - 1);
      const ok = res.write(read(pos, chunkEnd));
      pos = chunkEnd + 1;
      if (!ok && pos <= end) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** `GET|HEAD /[datasets/]{org}/{name}/{resolve|raw}/{rev}/{path}` */
export function handleFile(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  kind: 'resolve' | 'raw',
  rev: string,
  path: string,
): void {
  const repo = assertVisible(ctx.state.store.get(type, id), ctx.caller);
  assertCanDownload(repo, ctx.caller);
  const commit = resolveCommit(ctx, repo, rev);
  const entry = commit.files.get(path);
  if (!entry) throw new HttpError(404, 'Entry not found', 'EntryNotFound');
  const { blob } = entry;
  const servePointer = kind === 'raw' && blob.lfs;
  const content: StoredBlob | Uint8Array = servePointer ? blob.pointer! : blob;
  const size = content instanceof Uint8Array ? content.length : content.size;
  const etag = `"${blob.lfs && !servePointer ? blob.sha256 : blob.gitOid}"`;
  const headers: Record<string, string> = {
    ETag: etag,
    'X-Repo-Commit': commit.sha,
    'Accept-Ranges': 'bytes',
    'Content-Type': servePointer ? 'text/plain; charset=utf-8' : contentType(path),
  };
  if (blob.lfs && !servePointer) {
    headers['X-Linked-Etag'] = etag;
    headers['X-Linked-Size'] = String(blob.size);
  }
  const { res, req } = ctx;
  const head = req.method === 'HEAD';
  const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, size);
  if (range !== null && size === 0) {
    // An empty file cannot satisfy any range; answer 200 with the size so clients learn it.
    res.writeHead(200, { ...headers, 'Content-Length': '0', 'Content-Range': 'bytes */0' });
    res.end();
    return;
  }
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  if (range === null && req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': String(end - start + 1),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (head || size === 0) {
    res.end();
    return;
  }
  writeBytes(res, content, start, end);
}
