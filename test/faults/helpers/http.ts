/** HTTP helpers of the fault tests: JSON calls with a bounded time, and raw sockets for slow clients. */
import net from 'node:net';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  body: T;
}

/** One call; never hangs longer than `timeoutMs`. The body is sent as JSON unless `raw` is given. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string | Uint8Array; contentType?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

export interface RawAnswer {
  /** The status of the first response line, or undefined when the server closed without one. */
  status: number | undefined;
  /** Everything the server sent. */
  text: string;
  /** How the connection ended. */
  ended: 'closed' | 'timeout';
}

/**
 * Sends `chunks` over a raw TCP connection, `delayMs` apart (a slow client), and resolves with
 * what the server answered once it closes the connection — or after `maxMs`, whichever first.
 */
export function rawExchange(
  port: number,
  chunks: Array<string | Uint8Array>,
  options: { delayMs?: number; maxMs?: number; host?: string; localAddress?: string; closeAfterAnswer?: boolean } = {},
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: options.host ?? '127.0.0.1', ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    let received = '';
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (ended: RawAnswer['ended']) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      clearTimeout(deadline);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : undefined, text: received, ended });
    };
    const deadline = setTimeout(() => finish('timeout'), options.maxMs ?? 10_000);
    socket.on('data', (data) => {
      received += data.toString('latin1');
      // One complete answer is enough when asked (keep-alive servers would hold the socket).
      if (options.closeAfterAnswer && /\r\n\r\n/.test(received)) {
        const length = /content-length: *(\d+)/i.exec(received);
        const bodyStart = received.indexOf('\r\n\r\n') + 4;
        if (!length || received.length - bodyStart >= Number(length[1])) finish('closed');
      }
    });
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    let i = 0;
    const sendNext = () => {
      if (done || i >= chunks.length) return;
      const chunk = chunks[i++]!;
      socket.write(chunk, () => {
        if (i < chunks.length) timer = setTimeout(sendNext, options.delayMs ?? 0);
      });
    };
    socket.once('connect', sendNext);
  });
}

/** `text` as one-byte chunks (a client sending its request byte by byte). */
export function byteByByte(text: string): string[] {
  return [...Buffer.from(text, 'latin1')].map((byte) => String.fromCharCode(byte));
}
