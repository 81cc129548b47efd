/**
 * A real local HTTP server (node:http) that answers the Hugging Face Hub endpoints
 * @huggingface/hub 2.17.5 calls: whoami, model/dataset info, repo exists, tree listing with
 * `Link` paging, file resolve/raw with Range, repo creation, preupload, git-lfs batch + signed
 * PUT, NDJSON commits with `parentCommit`, OAuth, plus fault injection for resilience tests.
 *
 * Usage:
 *   const hub = await startHubEmulator();            // seeded with ./fixtures.ts
 *   await modelInfo({ name: VALID_MODEL, hubUrl: hub.url });
 *   await hub.close();
 *
 * Errors are `application/json` `{"error": "..."}` with `X-Error-Code` (RepoNotFound,
 * RevisionNotFound, EntryNotFound, GatedRepo) where the Hub sends one. Access rules: ./auth.ts.
 * Never answers `transfer: "xet"` nor xet file info, so clients stay on plain HTTP/LFS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INVALID_CREDENTIALS, UserRegistry } from './auth.js';
import type { EmulatorState, RouteContext } from './emulator-state.js';
import { fixtureModels, SEEDED_USERS } from './fixtures.js';
import { HttpError, requestOrigin, sendError, sendJson } from './http-helpers.js';
import { handleAuthorize, handleOpenIdConfiguration, handleToken, handleUserInfo } from './oauth-routes.js';
import {
  handleAuthCheck,
  handleCommits,
  handleFile,
  handlePathsInfo,
  handleRefs,
  handleRepoInfo,
  handleTree,
  handleWhoami,
} from './read-routes.js';
import {
  blobContent,
  DEFAULT_GITATTRIBUTES,
  isLfsPath,
  isValidRepoName,
  makeBlob,
  RepoStore,
  randomHex,
  type CommitOperation,
  type FileContent,
  type RepoType,
  type StoredBlob,
} from './repo-store.js';
import type { EmulatedModel, FaultSpec, HubEmulator, RequestLogEntry, StartHubEmulatorOptions } from './types.js';
import { handleCommit, handleCreateRepo, handleLfsBatch, handleLfsUpload, handlePreupload } from './write-routes.js';

export * from './types.js';
export * from './fixtures.js';

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'ETag, Link, Content-Range, X-Repo-Commit, X-Error-Code, X-Error-Message, X-Request-Id, X-Linked-Etag, X-Linked-Size, Retry-After',
};

function toBlob(path: string, content: FileContent): StoredBlob {
  const sparse = typeof content === 'object' && !(content instanceof Uint8Array);
  const size = typeof content === 'string' ? Buffer.byteLength(content) : sparse ? content.size : content.length;
  return makeBlob(content, { lfs: sparse || isLfsPath(path, size) });
}

function decodeSegments(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in path');
  }
}

type Handler = () => void | Promise<void>;

/** Routes `/api/{models|datasets}/{org}/{name}/...`. */
function apiRepoRoute(ctx: RouteContext, type: RepoType, id: string, rest: string[], method: string): Handler | null {
  const [action, rev, ...path] = rest;
  if (action === undefined && method === 'GET') return () => handleRepoInfo(ctx, type, id, 'HEAD');
  if (rev === undefined) {
    if (action === 'auth-check' && method === 'GET') return () => handleAuthCheck(ctx, type, id);
    if (action === 'refs' && method === 'GET') return () => handleRefs(ctx, type, id);
    return null;
  }
  if (action === 'revision' && method === 'GET' && path.length === 0) return () => handleRepoInfo(ctx, type, id, rev);
  if (action === 'tree' && method === 'GET') return () => handleTree(ctx, type, id, rev, path.join('/'));
  if (action === 'commits' && method === 'GET') return () => handleCommits(ctx, type, id, rev);
  if (path.length > 0) return null;
  if (action === 'paths-info' && method === 'POST') return () => handlePathsInfo(ctx, type, id, rev);
  if (action === 'preupload' && method === 'POST') return () => handlePreupload(ctx, type, id, rev);
  if (action === 'commit' && method === 'POST') return () => handleCommit(ctx, type, id, rev);
  return null;
}

/** Routes `/[datasets/]{org}/{name}/{resolve|raw}/{rev}/{path}` and `{name}.git/info/lfs/objects/batch`. */
function repoPathRoute(ctx: RouteContext, type: RepoType, segs: string[], method: string): Handler | null {
  const [org, name, ...rest] = segs;
  if (!org || !name) return null;
  if (name.endsWith('.git') && rest.join('/') === 'info/lfs/objects/batch' && method === 'POST') {
    return () => handleLfsBatch(ctx, type, `${org}/${name.slice(0, -4)}`);
  }
  const [kind, rev, ...path] = rest;
  if ((kind === 'resolve' || kind === 'raw') && rev && path.length > 0 && (method === 'GET' || method === 'HEAD')) {
    return () => handleFile(ctx, type, `${org}/${name}`, kind, rev, path.join('/'));
  }
  return null;
}

function route(ctx: RouteContext, method: string): Handler | null {
  const s = ctx.segments;
  switch (s[0]) {
    case '.well-known':
      return s[1] === 'openid-configuration' && method === 'GET' ? () => handleOpenIdConfiguration(ctx) : null;
    case 'oauth':
      if (s[1] === 'authorize' && method === 'GET') return () => handleAuthorize(ctx);
      if (s[1] === 'token' && method === 'POST') return () => handleToken(ctx);
      if (s[1] === 'userinfo' && method === 'GET') return () => handleUserInfo(ctx);
      return null;
    case '__emulator': {
      const [, lfs, type, org, name, oid] = s;
      if (lfs === 'lfs' && (type === 'model' || type === 'dataset') && org && name && oid && method === 'PUT') {
        return () => handleLfsUpload(ctx, type, `${org}/${name}`, oid);
      }
      return null;
    }
    case 'api': {
      if (s[1] === 'whoami-v2' && method === 'GET') return () => handleWhoami(ctx);
      if (s[1] === 'repos' && s[2] === 'create' && method === 'POST') return () => handleCreateRepo(ctx);
      const type = s[1] === 'models' ? 'model' : s[1] === 'datasets' ? 'dataset' : null;
      if (type && s[2] && s[3]) return apiRepoRoute(ctx, type, `${s[2]}/${s[3]}`, s.slice(4), method);
      return null;
    }
    case 'datasets':
      return repoPathRoute(ctx, 'dataset', s.slice(1), method);
    default:
      return repoPathRoute(ctx, 'model', s, method);
  }
}

interface ActiveFault {
  spec: FaultSpec;
  until: number;
}

export async function startHubEmulator(opts: StartHubEmulatorOptions = {}): Promise<HubEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const state: EmulatorState = {
    store: new RepoStore(),
    users: new UserRegistry(),
    treePageSize: opts.treePageSize ?? 1000,
    lfsSecret: randomBytes(32),
    oauthUser: undefined,
    oauthCodes: new Map(),
  };
  const requestLog: RequestLogEntry[] = [];
  let fault: ActiveFault | null = null;
  let baseUrl = '';

  function activeFault(url: string): FaultSpec | null {
    if (!fault) return null;
    if (Date.now() >= fault.until) {
      fault = null;
      return null;
    }
    if (fault.spec.routes) {
      fault.spec.routes.lastIndex = 0;
      if (!fault.spec.routes.test(url)) return null;
    }
    return fault.spec;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = req.method ?? 'GET';
    requestLog.push({ method, path: url.pathname, query: url.search.slice(1), headers: { ...req.headers } });
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    res.setHeader('X-Request-Id', `Root=1-${randomHex(12)}`);

    const f = activeFault(`${url.pathname}${url.search}`);
    if (f?.mode === 'timeout') return; // never answer; close() destroys the socket
    if (f?.mode === 'error500') {
      const headers: Record<string, string> =
        f.retryAfterSeconds !== undefined ? { 'Retry-After': String(f.retryAfterSeconds) } : {};
      sendError(res, new HttpError(500, 'Internal Error - emulated fault'), headers);
      return;
    }
    if (f?.mode === 'error429') {
      sendError(res, new HttpError(429, 'Too Many Requests - emulated fault'), {
        'Retry-After': String(f.retryAfterSeconds ?? 1),
      });
      return;
    }

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Range, Accept, X-Request-Id',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }

    try {
      const ctx: RouteContext = {
        req,
        res,
        url,
        segments: decodeSegments(url.pathname),
        caller: state.users.caller(req),
        origin: requestOrigin(req, baseUrl),
        state,
      };
      const exempt = ['.well-known', 'oauth', '__emulator'].includes(ctx.segments[0] ?? '');
      if (ctx.caller.kind === 'invalid' && !exempt) throw new HttpError(401, INVALID_CREDENTIALS);
      const handler = route(ctx, method);
      if (!handler) throw new HttpError(404, `Not Found: ${method} ${url.pathname}`);
      await handler();
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) sendError(res, err);
      else sendJson(res, 500, { error: `emulator bug: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;

  function addModel(model: EmulatedModel): void {
    if (!isValidRepoName(model.id)) throw new Error(`emulator: invalid model id "${model.id}"`);
    const files = new Map<string, StoredBlob>();
    if (!('.gitattributes' in model.files)) files.set('.gitattributes', toBlob('.gitattributes', DEFAULT_GITATTRIBUTES));
    for (const [path, content] of Object.entries(model.files)) files.set(path, toBlob(path, content));
    const date = model.createdAt ?? new Date().toISOString();
    const repo = state.store.create(
      'model',
      model.id,
      {
        private: model.private ?? false,
        gated: model.gated ?? false,
        gatedAccess: model.gatedAccess ?? [],
        createdAt: date,
        likes: model.likes ?? 0,
        downloads: model.downloads ?? 0,
        ...(model.libraryName !== undefined ? { libraryName: model.libraryName } : {}),
        ...(model.pipelineTag !== undefined ? { pipelineTag: model.pipelineTag } : {}),
        safetensorsInfo: model.safetensorsInfo ?? true,
      },
      { files, title: 'initial commit', date },
    );
    const main = state.store.head(repo).sha;
    const branchDate = new Date(Date.parse(date) + 24 * 3600 * 1000).toISOString();
    for (const [branch, spec] of Object.entries(model.branches ?? {})) {
      const ops: CommitOperation[] = Object.entries(spec.files).map(([path, content]) =>
        content === null ? { kind: 'delete', path } : { kind: 'put', path, blob: toBlob(path, content) },
      );
      state.store.applyCommit(repo, {
        branch,
        title: spec.title ?? `Update on ${branch}`,
        description: '',
        ops,
        date: branchDate,
        createBranchFrom: main,
      });
    }
  }

  /** Sparse (weight) files yield only their stored head: the 8-byte length + safetensors header. */
  function branchFiles(type: RepoType, id: string, branch: string): Map<string, Uint8Array> {
    const commit = state.store.head(state.store.require(type, id), branch);
    return new Map(
      [...commit.files].map(([path, { blob }]) => [path, blob.bytes.length < blob.size ? blob.bytes : blobContent(blob)]),
    );
  }

  const emulator: HubEmulator = {
    url: baseUrl,
    requestLog,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    addUser(user) {
      state.users.add(user);
    },
    addModel,
    addDataset(name, files = {}) {
      if (!isValidRepoName(name)) throw new Error(`emulator: invalid dataset name "${name}"`);
      const blobs = new Map<string, StoredBlob>([['.gitattributes', toBlob('.gitattributes', DEFAULT_GITATTRIBUTES)]]);
      for (const [path, content] of Object.entries(files)) blobs.set(path, toBlob(path, content));
      state.store.create('dataset', name, {}, { files: blobs, title: 'initial commit' });
    },
    datasetFiles: (name) => branchFiles('dataset', name, 'main'),
    datasetHead: (name) => state.store.head(state.store.require('dataset', name)).sha,
    modelFiles: (id, branch = 'main') => branchFiles('model', id, branch),
    modelHead: (id, branch = 'main') => state.store.head(state.store.require('model', id), branch).sha,
    setFault(spec) {
      fault = spec.mode === 'none' ? null : { spec, until: spec.forMs === undefined ? Infinity : Date.now() + spec.forMs };
    },
    setTreePageSize(size) {
      if (!Number.isInteger(size) || size < 1) throw new Error('emulator: page size must be a positive integer');
      state.treePageSize = size;
    },
    setOAuthUser(name) {
      state.oauthUser = name;
    },
    clearRequestLog() {
      requestLog.length = 0;
    },
  };

  if (opts.seed ?? true) {
    for (const user of SEEDED_USERS) emulator.addUser(user);
    for (const model of fixtureModels()) addModel(model);
  }
  return emulator;
}
