/** Small node:http helpers shared by the emulator's route modules. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by route handlers; rendered as `application/json` `{"error": message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Sent as `X-Error-Code` (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo). */
    readonly errorCode?: string,
    readonly extraBody?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json; charset=utf-8',
): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(data.length), ...headers });
  res.end(data);
}

export function sendError(res: ServerResponse, err: HttpError, headers: Record<string, string> = {}): void {
  const h: Record<string, string> = { ...headers };
  if (err.errorCode) h['X-Error-Code'] = err.errorCode;
  // Header values must be latin1; messages are ASCII here.
  h['X-Error-Message'] = err.message.replace(/[^\x20-\x7e]/g, '?');
  sendJson(res, err.status, { error: err.message, ...err.extraBody }, h);
}

/** Reads the whole request body; 413 above `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new HttpError(413, `Request body larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<unknown> {
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'Invalid JSON body');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The absolute origin clients used to reach us (so absolute links work through any host alias). */
export function requestOrigin(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return host ? `http://${host}` : fallback;
}
