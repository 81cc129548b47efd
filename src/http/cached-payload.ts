/**
 * A response body built once and served many times: the JSON bytes with their gzip and brotli
 * forms, computed off the event loop, and a strong ETag per representation. Serving one is a
 * header negotiation and a buffer write — no serialization or compression per request.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const gzip = promisify(zlib.gzip);
// (`brotli` is started by the constructor; see there.)
const brotli = promisify(zlib.brotliCompress);

export type Encoding = 'br' | 'gzip' | 'identity';

export class CachedPayload {
  private brotliForm: Buffer | undefined;
  /** Resolves once the brotli form exists (it is made after the payload is first served). */
  readonly brotliReady: Promise<void>;

  private constructor(
    readonly identity: Buffer,
    readonly gzip: Buffer,
    /** Content hash; each representation's ETag is derived from it. */
    readonly hash: string,
    readonly contentType: string,
    brotliQuality: number,
  ) {
    // Brotli is the slowest step of a rebuild (hundreds of ms for a multi-megabyte table): it
    // runs in the background so that a new version is served (as gzip) as soon as possible.
    this.brotliReady = brotli(identity, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }).then((br) => {
      this.brotliForm = br;
    });
  }

  /**
   * `brotliQuality`: 6 (the default) compresses a multi-megabyte table in tens of
   * milliseconds, close to quality 11's size for repetitive JSON, for payloads built once per
   * dataset version; payloads rebuilt every second use less.
   */
  static async build(
    body: string | Buffer,
    options: {
      contentType?: string;
      brotliQuality?: number;
      /** A version that identifies the content, when the caller has one: saves hashing it. */
      version?: string;
    } = {},
  ): Promise<CachedPayload> {
    const identity = typeof body === 'string' ? Buffer.from(body) : body;
    const gz = await gzip(identity, { level: 6 });
    const hash = options.version ?? createHash('sha256').update(identity).digest('base64url').slice(0, 32);
    return new CachedPayload(identity, gz, hash, options.contentType ?? 'application/json; charset=utf-8', options.brotliQuality ?? 6);
  }

  /** The brotli form, once made. */
  get br(): Buffer | undefined {
    return this.brotliForm;
  }

  etag(encoding: Encoding): string {
    return encoding === 'identity' ? `"${this.hash}"` : `"${this.hash}-${encoding === 'br' ? 'br' : 'gz'}"`;
  }

  /**
   * Sends the best representation for the request, or 304 when the client's copy is current.
   * A client that accepts only brotli while the brotli form is being made waits for it: sent
   * uncompressed, the payload would be compressed again per request by the generic
   * compression middleware, the very cost this class exists to avoid.
   */
  async send(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const accept = request.headers['accept-encoding'];
    let encoding = negotiateEncoding(accept, this.brotliForm !== undefined);
    if (encoding === 'identity' && this.brotliForm === undefined && negotiateEncoding(accept) === 'br') {
      await this.brotliReady;
      encoding = 'br';
    }
    const etag = this.etag(encoding);
    reply.header('vary', 'Accept-Encoding');
    reply.header('etag', etag);
    reply.header('cache-control', 'no-cache');
    if (this.matches(request.headers['if-none-match'])) {
      return reply.code(304).send();
    }
    reply.header('content-type', this.contentType);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    const body = encoding === 'br' ? this.brotliForm! : encoding === 'gzip' ? this.gzip : this.identity;
    reply.header('content-length', body.length);
    return reply.send(body);
  }

  /** True when If-None-Match names any representation of this content (or `*`). */
  private matches(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.some((tag) => tag === '*' || tag === this.etag('identity') || tag === this.etag('gzip') || tag === this.etag('br'));
  }
}

/** Picks br, then gzip, then identity, honouring q-values (q=0 refuses). */
export function negotiateEncoding(header: string | string[] | undefined, brotliAvailable = true): Encoding {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const accepted = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    accepted.set(name, Number.isFinite(quality) ? quality : 0);
  }
  const quality = (name: string) => accepted.get(name) ?? (accepted.has('*') ? accepted.get('*')! : 0);
  const br = brotliAvailable ? quality('br') : 0;
  const gz = quality('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}
