/**
 * A real server process (`src/main.ts serve`) for fault tests: spawned with a given environment,
 * its stdout JSON log lines captured and parsed, killed with SIGKILL or stopped with SIGTERM.
 * Every wait is bounded. Only loopback addresses are used: HUB_URL defaults to a closed
 * loopback port, so nothing ever leaves the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const MAIN = path.join(ROOT, 'src/main.ts');

/** A loopback port nothing listens on (discard): Hub calls fail fast, never leave the host. */
export const DEAD_HUB_URL = 'http://127.0.0.1:9';

export interface LogLine {
  level: number;
  msg?: string;
  component?: string;
  [field: string]: unknown;
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Every stdout line that parsed as JSON, in order (grows while the process runs). */
  logs: LogLine[];
  /** Raw stdout + stderr, for failure messages. */
  output(): string;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then waits for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  exited(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Environment of a quiet, local, offline development server; `env` wins. */
export function baseEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ENVIRONMENT: 'development',
    AUTH_PROVIDERS: 'local',
    MODEL_VALIDATION: 'off',
    HUB_URL: DEAD_HUB_URL,
    RATE_LIMIT_MAX: '1000000',
    VOTE_RATE_LIMIT: '1000000',
    SUBMISSION_QUOTA: '1000000',
    ...env,
  };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess): Promise<void> {
  return hasExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Spawns the server and resolves once it listens (and, unless `waitReady: false`, once /ready
 * answers 200). Rejects if it exits first or does not get there within `timeoutMs`.
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { cwd?: string; waitReady?: boolean; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<ChildServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Only what node and tsx need from the parent environment, so no stray setting leaks in.
  const inherited: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[key] !== undefined) inherited[key] = process.env[key]!;
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, 'serve'], {
    cwd: options.cwd ?? ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const logs: LogLine[] = [];
  let raw = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    raw += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));

  const server: ChildServer = {
    child,
    url: '',
    logs,
    output: () => raw,
    async kill() {
      if (!hasExited(child)) child.kill('SIGKILL');
      await waitExit(child);
    },
    async stop(graceMs = 10_000) {
      if (!hasExited(child)) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await waitExit(child);
      clearTimeout(timer);
    },
    exited: () => waitExit(child),
  };

  const deadline = Date.now() + timeoutMs;
  try {
    server.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not listen within ${timeoutMs} ms:\n${raw}`)), timeoutMs);
      const check = () => {
        const line = logs.find((l) => l.msg === 'listening' && typeof l.url === 'string');
        if (line) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(String(line.url).replace('0.0.0.0', '127.0.0.1'));
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${raw}`));
      });
    });
    if (options.waitReady !== false) {
      for (;;) {
        const status = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.body?.cancel().then(() => r.status),
          () => 0,
        );
        if (status === 200) break;
        if (hasExited(child)) throw new Error(`server exited before ready:\n${raw}`);
        if (Date.now() > deadline) throw new Error(`server not ready within ${timeoutMs} ms (last /ready ${status}):\n${raw}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

/** Kills every child still running (for afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map(async (child) => {
    child.kill('SIGKILL');
    await waitExit(child);
  }));
}
