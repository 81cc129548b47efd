/**
 * The requests dataset: one JSON file per submission, at the original's path and with the
 * original's JSON (indent 2, as Python's `json.dump(..., indent=2)` writes it).
 */

/** Statuses written by the original pipeline; anything else is a failure of some kind. */
export type RequestStatus = 'PENDING' | 'RUNNING' | 'FINISHED' | 'FAILED' | (string & {});

export interface EvalRequest {
  model: string;
  base_model: string;
  /** The resolved commit sha the submission is pinned to. */
  revision: string;
  precision: string;
  /** Parameters in billions (a float in the original). */
  params: number;
  /** `;`-joined config.architectures. */
  architectures: string;
  weight_type: string;
  status: RequestStatus;
  /** `%Y-%m-%dT%H:%M:%SZ`, UTC. */
  submitted_time: string;
  model_type: string;
  job_id: number | string;
  job_start_time: string | null;
  use_chat_template: boolean;
  sender: string;
  /** Fields added by later pipeline steps (failure reason, log URL, …) are kept as they are. */
  [extra: string]: unknown;
}

/** The original's field order, for byte-compatible files. */
export const REQUEST_FIELD_ORDER = [
  'model',
  'base_model',
  'revision',
  'precision',
  'params',
  'architectures',
  'weight_type',
  'status',
  'submitted_time',
  'model_type',
  'job_id',
  'job_start_time',
  'use_chat_template',
  'sender',
] as const;

/** Fields that Python wrote as floats (so `7` is written `7.0`). */
const FLOAT_FIELDS = new Set(['params']);

/** `org/name` → `org/name_eval_request_False_{precision}_{weight_type}.json` (no org → top level). */
export function requestFilePath(modelId: string, precision: string, weightType: string): string {
  return `${modelId}_eval_request_False_${precision}_${weightType}.json`;
}

/** UTC time formatted as the original did: `%Y-%m-%dT%H:%M:%SZ`. */
export function formatUtcSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Serializes a request as Python's `json.dumps(obj, indent=2)` (ASCII-escaped, floats with `.0`). */
export function encodeRequestFile(request: EvalRequest): string {
  const ordered: Record<string, unknown> = {};
  for (const key of REQUEST_FIELD_ORDER) if (key in request) ordered[key] = request[key];
  for (const [key, value] of Object.entries(request)) if (!(key in ordered)) ordered[key] = value;
  return pythonJsonDumps(ordered, 2);
}

export function decodeRequestFile(text: string): EvalRequest {
  const parsed = JSON.parse(text) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
  const request = parsed as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model === '') throw new Error('missing "model"');
  if (typeof request.status !== 'string') throw new Error('missing "status"');
  return request as EvalRequest;
}

/** A subset of Python's json.dumps: ensure_ascii=True, indent, separators (', ', ': '). */
export function pythonJsonDumps(value: unknown, indent: number, level = 0, key?: string): string {
  const pad = ' '.repeat(indent * (level + 1));
  const closePad = ' '.repeat(indent * level);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    const text = String(value);
    return key !== undefined && FLOAT_FIELDS.has(key) && /^-?\d+$/.test(text) ? `${text}.0` : pythonFloatText(text);
  }
  if (typeof value === 'string') return asciiJsonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => pad + pythonJsonDumps(item, indent, level + 1)).join(',\n')}\n${closePad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(([k, v]) => `${pad}${asciiJsonString(k)}: ${pythonJsonDumps(v, indent, level + 1, k)}`)
    .join(',\n')}\n${closePad}}`;
}

/** JS writes 1e21 and 1e-7 where Python writes 1e+21 and 1e-07. */
function pythonFloatText(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2').replace(/e(\d)/, 'e+$1');
}

function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
