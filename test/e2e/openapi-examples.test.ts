/**
 * The OpenAPI document (`/openapi.json`, rendered by Swagger UI at `/docs`) shows a realistic
 * example for every operation: its success answer, its path/query/header parameters, its JSON
 * request body and each of its error answers — and every example is valid against the schema it
 * illustrates (checked with Ajv on the schemas of the served document, OpenAPI 3.0 `nullable`
 * included).
 *
 * An example counts where Swagger UI shows one: the media type's `example`/`examples`, the
 * parameter's `example`/`examples`, or a value Swagger UI assembles from the `example`s nested in
 * the schema (e.g. `{ models: [<row example>] }` for the leaderboard envelopes).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../src/http/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';

type Schema = {
  type?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Media = { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> };
type Parameter = { in: string; name: string; schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> };
type Operation = {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** One operation of the document, as `GET /api/leaderboard`. */
interface Op {
  name: string;
  operation: Operation;
}

/** An example and the schema it must satisfy, with where it is. */
interface Example {
  where: string;
  value: unknown;
  schema: Schema;
  /** Request examples may use refs like `main`; answers show the pinned commit sha. */
  isRequest: boolean;
}

/**
 * Responses that lack an example for a reason outside the schema files: the 404 of the two queue
 * status routes is declared inline in src/features/queue/routes.ts. Remove an entry once it has
 * one (the last test fails then, as a reminder).
 */
const KNOWN_GAPS = new Set<string>();

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SHA = /^[0-9a-f]{40}$/;
const TIME_KEYS = new Set(['timestamp', 'submitted_time', 'submission_time', 'job_start_time', 'job_updated_time', 'job_end_time']);
const SHA_KEYS = new Set(['sha', 'Model sha', 'model_sha']);

let app: TestApp;
let doc: OpenApi;
let operations: Op[];
// Ajv 8 knows OpenAPI 3.0's `nullable` by default; strict: false ignores `example`.
const ajv = new Ajv({ strict: false, allErrors: true });

beforeAll(async () => {
  app = await startTestApp({ records: [makeContentsRecord()] });
  const response = await fetch(`${app.url}/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApi;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
  );
});

afterAll(async () => {
  await app?.close();
});

/** What Swagger UI shows for a schema without an example of its own: one built from the nested ones. */
function sampleOf(schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.type === 'array') {
    const item = sampleOf(schema.items);
    return item === undefined ? undefined : [item];
  }
  if (schema.type === 'object' && schema.properties) {
    const sample: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
      const value = sampleOf(property);
      if (value === undefined) {
        if (schema.required?.includes(key)) return undefined;
        continue;
      }
      sample[key] = value;
    }
    return sample;
  }
  return undefined;
}

/** The examples a media type or parameter shows (its own, else the one assembled from its schema). */
function shownExamples(holder: { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }): unknown[] {
  if (holder.example !== undefined) return [holder.example];
  if (holder.examples && Object.keys(holder.examples).length > 0) return Object.values(holder.examples).map((entry) => entry.value);
  const sample = sampleOf(holder.schema);
  return sample === undefined ? [] : [sample];
}

/** Every `example` nested in a schema, with the sub-schema it belongs to. */
function nestedExamples(schema: Schema | undefined, where: string, isRequest: boolean, out: Example[]): void {
  if (!schema || typeof schema !== 'object') return;
  if (schema.example !== undefined) out.push({ where: `${where} (schema example)`, value: schema.example, schema, isRequest });
  for (const [key, property] of Object.entries(schema.properties ?? {})) nestedExamples(property, `${where}.${key}`, isRequest, out);
  nestedExamples(schema.items, `${where}[]`, isRequest, out);
  if (typeof schema.additionalProperties === 'object') nestedExamples(schema.additionalProperties, `${where}.*`, isRequest, out);
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) nestedExamples(member, `${where}|`, isRequest, out);
}

/** Every example of the document: shown ones (media, parameters) and nested schema ones. */
function allExamples(): Example[] {
  const out: Example[] = [];
  for (const { name, operation } of operations) {
    for (const parameter of operation.parameters ?? []) {
      const where = `${name} ${parameter.in} parameter ${parameter.name}`;
      for (const value of shownExamples(parameter)) out.push({ where, value, schema: parameter.schema ?? {}, isRequest: true });
      nestedExamples(parameter.schema, where, true, out);
    }
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
      const where = `${name} request body ${type}`;
      for (const value of shownExamples(media)) out.push({ where, value, schema: media.schema ?? {}, isRequest: true });
      nestedExamples(media.schema, where, true, out);
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [type, media] of Object.entries(response.content ?? {})) {
        const where = `${name} ${status} ${type}`;
        for (const value of shownExamples(media)) out.push({ where, value, schema: media.schema ?? {}, isRequest: false });
        nestedExamples(media.schema, where, false, out);
      }
    }
  }
  return out;
}

const validators = new Map<Schema, ValidateFunction>();
function validatorOf(schema: Schema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** Times, shas and revisions in the examples look like the real data. */
function shapeProblems(value: unknown, where: string, isRequest: boolean, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => shapeProblems(item, `${where}[${i}]`, isRequest, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, field] of Object.entries(value)) {
    const at = `${where}.${key}`;
    if (typeof field === 'string') {
      if (TIME_KEYS.has(key) && !TIME.test(field)) out.push(`${at}: ${field} is not %Y-%m-%dT%H:%M:%SZ`);
      if ((SHA_KEYS.has(key) || (key === 'revision' && !isRequest)) && !SHA.test(field)) out.push(`${at}: ${field} is not a 40-hex sha`);
    }
    shapeProblems(field, at, isRequest, out);
  }
}

describe('examples in the OpenAPI document', () => {
  it('lists the API operations', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(operations.map((op) => op.name)).toEqual(
      expect.arrayContaining(['GET /api/leaderboard/formatted', 'POST /api/votes/{org}/{name}', 'POST /api/models/submit', 'POST /api/evaluations/{job_id}/results']),
    );
  });

  it('every operation shows an example of its JSON success answer', () => {
    const missing: string[] = [];
    for (const { name, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^2\d\d$/.test(status)) continue;
        const types = Object.keys(response.content ?? {});
        // No body (204, 304 are not 2xx-with-content), or not JSON only (/metrics text, the csv/json/parquet export).
        if (types.length !== 1 || types[0] !== 'application/json') continue;
        if (shownExamples(response.content!['application/json']!).length === 0) missing.push(`${name} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every path, query and header parameter shows an example', () => {
    const parameters = operations.flatMap(({ name, operation }) => (operation.parameters ?? []).map((p) => ({ name, p })));
    expect(parameters.filter(({ p }) => p.in === 'path').length).toBeGreaterThan(0);
    const missing = parameters.filter(({ p }) => shownExamples(p).length === 0).map(({ name, p }) => `${name} ${p.in} ${p.name}`);
    expect(missing).toEqual([]);
  });

  it('every JSON request body shows an example', () => {
    const bodies = operations.filter(({ operation }) => operation.requestBody?.content['application/json']);
    expect(bodies.length).toBeGreaterThan(0);
    const missing = bodies.filter(({ operation }) => shownExamples(operation.requestBody!.content['application/json']!).length === 0).map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('every 4xx and 5xx answer shows an example body whose code is one of its status', () => {
    const missing: string[] = [];
    const wrongCode: string[] = [];
    for (const { name, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        // Routes with `produces` (/metrics, the export) declare their errors under those types too: each needs one.
        const shown = Object.values(response.content ?? {}).map((media) => shownExamples(media));
        if (shown.length === 0 || shown.some((examples) => examples.length === 0)) {
          if (!KNOWN_GAPS.has(`${name} ${status}`)) missing.push(`${name} ${status}`);
          continue;
        }
        for (const example of shown.flat()) {
          const code = (example as { code?: string }).code as ErrorCode | undefined;
          if (!code || ERROR_CATALOGUE[code]?.status !== Number(status)) wrongCode.push(`${name} ${status}: ${String(code)}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(wrongCode).toEqual([]);
  });

  it('every example is valid against its schema and looks like the real data', () => {
    const examples = allExamples();
    expect(examples.length).toBeGreaterThan(100);
    const invalid: string[] = [];
    const shapes: string[] = [];
    for (const { where, value, schema, isRequest } of examples) {
      const validate = validatorOf(schema);
      if (!validate(value)) invalid.push(`${where}: ${ajv.errorsText(validate.errors)}`);
      shapeProblems(value, where, isRequest, shapes);
    }
    expect({ invalid, shapes }).toEqual({ invalid: [], shapes: [] });
  });

  it('the known gaps are still gaps (remove an entry from KNOWN_GAPS once it has an example)', () => {
    for (const gap of KNOWN_GAPS) {
      const [method, path, status] = gap.split(' ') as [string, string, string];
      const media = doc.paths[path]?.[method.toLowerCase()]?.responses[status]?.content?.['application/json'];
      expect(media, gap).toBeDefined();
      expect(shownExamples(media!), gap).toEqual([]);
    }
  });
});
