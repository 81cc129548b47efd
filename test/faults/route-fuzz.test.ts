/**
 * Fuzzing every route of /openapi.json with fast-check: path parameters (traversal strings,
 * unicode, raw and encoded bytes, huge), query values of wrong types (huge numbers, empty and
 * huge strings, repeated and unknown keys, prototype keys), random JSON and non-JSON bodies with
 * wrong content types, other methods, and no / a bad / a user / a worker / an admin token.
 * For every answer: no 5xx; the body validates against the route's declared schema for its
 * status (Ajv over the server's own /openapi.json), or — for an undeclared error status — has
 * the error shape; `request_id` equals the x-request-id header; a rejected request changed
 * nothing in DATA_DIR (a hash of every file before and after). After each route: /health
 * answers and the process is alive. The run is bounded by a number of runs and a time limit
 * per route (FAULTS_FUZZ_RUNS, default 60), and the seed is printed (FAULTS_SEED replays it).
 */
import http from 'node:http';
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTokenStore } from '../../src/features/auth/local-token-store.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { seedRequests } from '../e2e/fixtures/votes-setup.js';
import { baseEnv, killAll, spawnServer, type ChildServer } from './helpers/child-server.js';
import { hashTree } from './helpers/datasets.js';
import { createValidator, ERROR_SHAPE, routesOf, type OpenApiDocument, type RouteSpec } from './helpers/openapi-validator.js';
import { faultSeed } from './helpers/random.js';

const RUNS = Number(process.env.FAULTS_FUZZ_RUNS ?? 120);
const TIME_PER_ROUTE_MS = 2_000;
const BODY_LIMIT = 8192;
/**
 * Statuses any route may answer without declaring them: Fastify's own client errors (malformed
 * URL or JSON, unknown route or method, body too large, unsupported media type). They must
 * still carry the error shape.
 */
const GENERIC_STATUSES = new Set([400, 404, 413, 415]);

let server: ChildServer;
let dataDir: string;
let port: number;
const tokens: Record<string, string> = {};
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  dataDir = await makeTempDir('faults-fuzz-');
  await seedContents(dataDir, ['fuzz-org/model-a', 'fuzz-org/model-b', 'other-org/model-c'].map((fullname) => makeContentsRecord({ fullname })));
  await seedRequests(dataDir, [{ model: 'queue-org/model-p' }, { model: 'queue-org/model-q', status: 'FINISHED', precision: 'float16' }]);
  const store = LocalTokenStore.forDataDir(dataDir);
  tokens.user = (await store.create('fuzzer')).token;
  tokens.worker = (await store.create('fuzz-worker', { roles: ['worker'] })).token;
  tokens.admin = (await store.create('fuzz-admin', { roles: ['admin'] })).token;
  server = await spawnServer(baseEnv(dataDir, { BODY_LIMIT: String(BODY_LIMIT), CACHE_TTL: '300' }));
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  agent.destroy();
  await server?.stop();
  await killAll();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with full control over the path bytes, headers and body (node:http, no URL normalisation). */
function send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<RawResponse | 'client-refused'> {
  return new Promise((resolve, reject) => {
    let request: http.ClientRequest;
    // An explicit length: node:http sends a GET/HEAD/DELETE body unframed otherwise.
    const framed = body !== undefined ? { ...headers, 'content-length': String(body.length) } : headers;
    try {
      request = http.request({ host: '127.0.0.1', port, method, path, headers: framed, agent, timeout: 10_000 });
    } catch {
      resolve('client-refused'); // node:http itself refuses (unescaped characters, bad header value)
      return;
    }
    request.on('timeout', () => request.destroy(new Error(`no answer within 10 s: ${method} ${path}`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.end(body);
  });
}

// ── Arbitraries ──────────────────────────────────────────────────────────────────────────────

const TRAVERSAL = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fpackage.json',
  '..%5c..%5cwindows',
  '%252e%252e%252f',
  '%c0%ae%c0%ae',
  '..;',
  'a%2Fb',
  'a%2F..%2F..%2Fb',
  '%00',
  'a%00b',
  '%',
  '%zz',
  '%E2%80%AE',
  '%F0%9F%A6%99',
  '%C3%A9',
  '%20',
  '~',
  'CON',
  '.git',
  '-',
  '_',
  'x'.repeat(301),
  'a'.repeat(96),
  'fuzz-org',
  'model-a',
  'queue-org',
  'model-p',
  'fuzzer',
  '1',
  '-1',
  'job-1',
];

/** UTF-8 bytes percent-encoded; `raw` keeps printable ASCII (so `..`, `%`, `\` reach the server as typed). */
function encodeSegment(text: string, raw: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9._~-]/.test(ch) || (raw && byte > 0x20 && byte < 0x7f && ch !== '/' && ch !== '?' && ch !== '#')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('fuzz-org', 'model-a', 'queue-org', 'model-p', 'fuzzer', 'queue-org%2Fmodel-p', 'fuzz-org%2Fmodel-a') },
  { weight: 4, arbitrary: fc.constantFrom(...TRAVERSAL) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.boolean()).map(([text, raw]) => encodeSegment(text, raw)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).map((text) => encodeSegment(text, true)) },
);

const QUERY_VALUES = ['', '-1', '0', '1', '1e309', '-1e309', '99999999999999999999999', '1.5', 'NaN', 'Infinity', 'true', 'false', 'null', '[]', '{}', '%00', '%ZZ', '..', '(a+)+$', '.*', '[', 'x'.repeat(3000), '%F0%9F%A6%99'];

/** Required query parameters with a valid value (from their enum), so requests get past them. */
function requiredQuery(route: RouteSpec): fc.Arbitrary<string[]> {
  const required = route.query.filter((q) => q.required && collectEnums(q.schema).length > 0);
  return fc.tuple(...required.map((q) => fc.option(fc.constantFrom(...collectEnums(q.schema)).map((v) => `${q.name}=${v}`), { freq: 5 }))).map((pairs) =>
    pairs.filter((p): p is string => p !== null),
  );
}

function queryPair(route: RouteSpec): fc.Arbitrary<string> {
  const declared = route.query.map((q) => q.name);
  const enums = route.query.flatMap((q) => collectEnums(q.schema));
  const key = fc.oneof(
    { weight: 5, arbitrary: declared.length ? fc.constantFrom(...declared) : fc.constant('x') },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '__proto__[x]', 'constructor[prototype][x]', 'hide[]', 'a.b', '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((k) => encodeSegment(k, false)) },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...QUERY_VALUES) },
    { weight: 2, arbitrary: enums.length ? fc.constantFrom(...enums) : fc.constant('up') },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((v) => encodeSegment(v, false)) },
  );
  return fc.tuple(key, value).map(([k, v]) => `${k}=${v.startsWith('%') || v === '' ? v : encodeSegment(v, true)}`);
}

function collectEnums(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const own = Array.isArray(s.enum) ? s.enum.filter((v): v is string => typeof v === 'string') : [];
  return [...own, ...Object.values(s).flatMap((v) => (Array.isArray(v) ? v.flatMap(collectEnums) : collectEnums(v)))];
}

/** Property names declared anywhere in a body schema. */
function propertyNames(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const own = s.properties && typeof s.properties === 'object' ? Object.keys(s.properties) : [];
  return [...own, ...Object.values(s).flatMap((v) => (Array.isArray(v) ? v.flatMap(propertyNames) : propertyNames(v)))];
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  '',
  'application/json, text/plain',
];

function bodyArbitrary(route: RouteSpec): fc.Arbitrary<{ contentType: string | undefined; payload: Buffer | undefined }> {
  const names = [...new Set(propertyNames(route.body))];
  const enums = collectEnums(route.body);
  const fieldValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(...TRAVERSAL, ...enums, '', 'x'.repeat(5000), -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, true, null, [], {}),
  );
  const shaped = fc
    .tuple(
      fc.subarray(names.length ? names : ['x']),
      fc.array(fieldValue, { minLength: Math.max(1, names.length), maxLength: Math.max(1, names.length) }),
      fc.option(fc.tuple(fc.string({ maxLength: 8 }), fieldValue)),
    )
    .map(([keys, values, extra]) => {
      const object: Record<string, unknown> = {};
      keys.forEach((key, i) => (object[key] = values[i]));
      if (extra) object[extra[0]] = extra[1];
      return JSON.stringify(object);
    });
  const text = fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '{',
        '{"a":',
        'null',
        '[]',
        '"string"',
        '\u0000',
        '{"__proto__":{"polluted":true},"vote_type":"up"}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        `{"x":"${'y'.repeat(BODY_LIMIT * 2)}"}`,
        '{"results":{"leaderboard":{"acc,none":"NaN"}},"config_general":{"model_name":"../../etc/passwd"}}',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
  return fc.record({
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined, freq: 6 }),
    payload: fc.option(text.map((t) => Buffer.from(t, 'utf8')), { nil: undefined, freq: 8 }),
  });
}

const TOKEN_KINDS = ['none', 'user', 'worker', 'admin', 'garbage', 'unknown-local', 'basic'] as const;

function authorization(kind: (typeof TOKEN_KINDS)[number]): string | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'Bearer garbage';
    case 'unknown-local':
      return `Bearer lbt_000000000000_${'A'.repeat(43)}`;
    case 'basic':
      return 'Basic Zm9vOmJhcg==';
    default:
      return `Bearer ${tokens[kind]}`;
  }
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

function requestArbitrary(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const methods = fc.oneof({ weight: 10, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') });
  const hasBody = route.body !== undefined;
  return fc
    .record({
      method: methods,
      params: fc.array(segment, { minLength: route.pathParams.length, maxLength: route.pathParams.length }),
      required: requiredQuery(route),
      query: fc.array(queryPair(route), { maxLength: route.query.length ? 6 : 2 }),
      body: hasBody ? bodyArbitrary(route) : fc.option(bodyArbitrary(route), { freq: 8, nil: undefined }).map((b) => b ?? { contentType: undefined, payload: undefined }),
      token: route.secured ? fc.constantFrom(...TOKEN_KINDS) : fc.constantFrom('none', 'user', 'garbage'),
      trailingSlash: fc.boolean(),
    })
    .map(({ method, params, required, query: extra, body, token, trailingSlash }) => {
      const query = [...required, ...extra];
      let i = 0;
      let path = route.path.replace(/\{[^}]+\}/g, () => params[i++] ?? 'x');
      if (trailingSlash) path += '/';
      if (query.length) path += `?${query.join('&')}`;
      const headers: Record<string, string> = {};
      const auth = authorization(token);
      if (auth) headers.authorization = auth;
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      return { method, path, headers, body: body.payload };
    });
}

// ── The run ──────────────────────────────────────────────────────────────────────────────────

describe('fuzzing every route of /openapi.json', () => {
  it('never answers 5xx, always answers the declared shape, and a rejected request changes nothing', async () => {
    const seed = faultSeed('route fuzz');
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
    const routes = routesOf(doc);
    expect(routes.length).toBeGreaterThan(15);
    const validator = await createValidator();
    process.stdout.write(`[faults] route fuzz: ${routes.length} routes, ${RUNS} runs each, response validation with ${validator.engine}\n`);
    const compiled = new Map<object, (body: unknown) => string | undefined>();
    const validate = (schema: object, body: unknown) => {
      let fn = compiled.get(schema);
      if (!fn) compiled.set(schema, (fn = validator.compile(schema as Record<string, unknown>)));
      return fn(body);
    };

    const seen = new Map<string, number>();
    const undeclared = new Set<string>();
    let requests = 0;
    let refusedByClient = 0;
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      await fc.assert(
        fc.asyncProperty(requestArbitrary(route), async (request) => {
          const before = await hashTree(dataDir);
          const answer = await send(request.method, request.path, request.headers, request.body);
          if (answer === 'client-refused') {
            refusedByClient++;
            return;
          }
          requests++;
          const { status } = answer;
          const key = `${label} → ${status}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          const where = `${request.method} ${request.path.slice(0, 200)} → ${status}: ${answer.body.toString('utf8').slice(0, 300)}`;
          expect(status, where).toBeLessThan(500);

          const contentType = String(answer.headers['content-type'] ?? '');
          const isJson = contentType.includes('json') && request.method !== 'HEAD' && answer.body.length > 0;
          let body: unknown;
          if (isJson) {
            body = JSON.parse(answer.body.toString('utf8'));
          } else if (status >= 400 && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
            // (OPTIONS is answered by @fastify/cors: a non-preflight OPTIONS gets its text/plain 400.)
            throw new Error(`an error without a JSON body: ${where}`);
          }
          // A mangled path or another method may not reach this route at all (ROUTE_NOT_FOUND).
          const unmatched = (body as { code?: unknown } | undefined)?.code === 'ROUTE_NOT_FOUND';
          const sameRoute = !unmatched && (request.method === route.method || (request.method === 'HEAD' && route.method === 'GET'));
          if (isJson && sameRoute) {
            if (route.responses.has(status)) {
              const schema = route.responses.get(status);
              if (schema) {
                const problem = validate(schema, body);
                expect(problem, `body does not match the declared ${status} schema: ${where}`).toBeUndefined();
              }
            } else {
              expect(status >= 400 && GENERIC_STATUSES.has(status), `undeclared status: ${where}`).toBe(true);
              undeclared.add(key);
            }
          }
          if (status >= 400 && isJson) {
            expect(validate(ERROR_SHAPE, body), `not the error shape: ${where}`).toBeUndefined();
            expect((body as { request_id: string }).request_id).toBe(answer.headers['x-request-id']);
          }
          if (status >= 400) {
            expect(await hashTree(dataDir), `a rejected request changed DATA_DIR: ${where}`).toBe(before);
          }
        }),
        { seed, numRuns: RUNS, interruptAfterTimeLimit: TIME_PER_ROUTE_MS, markInterruptAsFailure: false, endOnFailure: true },
      );
      const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5000) });
      expect(health.status, `the server stopped answering after fuzzing ${label}`).toBe(200);
      expect(server.child.exitCode).toBeNull();
    }

    // No request was answered by the catch-all "unhandled error" path.
    expect(server.logs.filter((line) => line.level >= 50)).toEqual([]);
    const summary = [...seen].sort().map(([key, count]) => `  ${key} ×${count}`);
    process.stdout.write(`[faults] route fuzz: ${requests} requests (${refusedByClient} refused by the client itself)\n`);
    if (process.env.FAULTS_VERBOSE) process.stdout.write(`${summary.join('\n')}\n`);
    if (undeclared.size) process.stdout.write(`[faults] generic statuses not declared by their route:\n  ${[...undeclared].sort().join('\n  ')}\n`);
    expect(requests).toBeGreaterThan(routes.length * 5);
  });
});
