/**
 * Validates response bodies against the response schemas of the server's own /openapi.json.
 * Uses Ajv (a dependency of Fastify) when it can be imported; otherwise falls back to a
 * structural check (the error shape, and the required top-level fields of the schema).
 */
type Schema = Record<string, unknown>;
type Validate = (body: unknown) => string | undefined;

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; schema?: Schema; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface RouteSpec {
  method: string;
  /** OpenAPI path, `{param}` style. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema; required: boolean }>;
  headers: Array<{ name: string; schema: Schema }>;
  body: Schema | undefined;
  secured: boolean;
  /** Declared statuses → JSON schema (undefined when the status has no JSON body). */
  responses: Map<number, Schema | undefined>;
}

export function routesOf(doc: OpenApiDocument): RouteSpec[] {
  const routes: RouteSpec[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const responses = new Map<number, Schema | undefined>();
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        responses.set(Number(status), response.content?.['application/json']?.schema);
      }
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true })),
        headers: params.filter((p) => p.in === 'header').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema,
        secured: Array.isArray(op.security) && op.security.length > 0,
        responses,
      });
    }
  }
  return routes;
}

/** The error body every 4xx/5xx must have. */
export const ERROR_SHAPE: Schema = {
  type: 'object',
  required: ['detail', 'code', 'request_id'],
  properties: { detail: { type: 'string' }, code: { type: 'string' }, request_id: { type: 'string' } },
};

function structural(schema: Schema): Validate {
  return (body) => {
    if (schema.type === 'object') {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
      for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in body)) return `missing "${key}"`;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const [key, sub] of Object.entries(properties)) {
        const value = (body as Record<string, unknown>)[key];
        if (value === undefined || value === null) continue;
        if (sub.type === 'string' && typeof value !== 'string') return `"${key}" is not a string`;
        if ((sub.type === 'integer' || sub.type === 'number') && typeof value !== 'number') return `"${key}" is not a number`;
        if (sub.type === 'array' && !Array.isArray(value)) return `"${key}" is not an array`;
      }
    }
    if (schema.type === 'array' && !Array.isArray(body)) return 'not an array';
    return undefined;
  };
}

/** Builds a validator factory; `engine` says which one is used. */
export async function createValidator(): Promise<{ engine: 'ajv' | 'structural'; compile(schema: Schema): Validate }> {
  let AjvClass: (typeof import('ajv'))['Ajv'] | undefined;
  try {
    AjvClass = (await import('ajv')).Ajv;
  } catch {
    AjvClass = undefined;
  }
  if (!AjvClass) return { engine: 'structural', compile: structural };
  const ajv = new AjvClass({ strict: false, allErrors: true, validateFormats: false });
  return {
    engine: 'ajv',
    compile(schema) {
      const validate = ajv.compile(schema);
      return (body) => (validate(body) ? undefined : ajv.errorsText(validate.errors, { separator: '; ' }));
    },
  };
}
