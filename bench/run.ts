/**
 * `npm run bench`: measures the server against a baseline measured in the same run.
 *
 * 1. Builds the server (when stale) and generates demo datasets at 1×, 4× and 16× the size of
 *    the real leaderboard (4,576 models, 100,000 votes, 2,000 queue requests per 1×).
 * 2. For each scenario it records the exact response bytes and headers of the server, and
 *    serves them from a minimal node:http server (bench/baseline-server.mjs): the ceiling for
 *    serving those bytes on this machine.
 * 3. Drives both with autocannon at 1, 10 and 50 connections and prints one table of
 *    requests per second and p50/p99 latency, the server/baseline ratio, startup time to
 *    /ready and memory; then writes BENCHMARKS.md.
 *
 * Options (environment): BENCH_DURATION (seconds per run, default 5), BENCH_SCALES (default
 * "1,4,16"), BENCH_CONNECTIONS (default "1,10,50").
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createDemoDataset } from '../src/demo/demo-dataset.js';
import { LocalTokenStore } from '../src/features/auth/local-token-store.js';
import { createLocalDatasets } from '../src/storage/local-repo.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const SCALES = (process.env.BENCH_SCALES ?? '1,4,16').split(',').map(Number);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10,50').split(',').map(Number);
const BASE = { models: 4576, votes: 100_000, requests: 2000 };
const VOTERS = 50;

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  encoding: 'br' | 'gzip' | 'identity';
  /** Per-request variation (votes): autocannon `requests` entries. */
  voting?: boolean;
}

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  });
}

async function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /(\d+)\n/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`process exited with ${code} before listening`)));
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the built server on `dataDir`; resolves once /ready answers 200, with the time it took. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; readyMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ENVIRONMENT: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000000',
      VOTE_RATE_LIMIT: '100000000',
      AUTH_PROVIDERS: 'local',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { child, url, readyMs: Math.round(performance.now() - started) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function generate(scale: number): Promise<string> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `bench-${scale}x-`));
  const started = performance.now();
  await createDemoDataset(createLocalDatasets(dataDir), {
    models: BASE.models * scale,
    votes: BASE.votes * scale,
    requests: BASE.requests * scale,
    seed: 7,
    now: new Date('2026-12-01T00:00:00Z'),
  });
  log(`generated ${scale}× dataset in ${Math.round(performance.now() - started)} ms`);
  return dataDir;
}

async function voterTokens(dataDir: string): Promise<string[]> {
  const store = LocalTokenStore.forDataDir(dataDir);
  const tokens: string[] = [];
  for (let i = 0; i < VOTERS; i++) tokens.push((await store.create(`bench-voter-${i}`)).token);
  return tokens;
}

/** Models that may be voted on: pending ones from the queue. */
async function votableModels(url: string): Promise<string[]> {
  const pending = (await (await fetch(`${url}/api/models/pending`)).json()) as Array<{ name: string }>;
  return [...new Set(pending.map((item) => item.name))].slice(0, 200);
}

function runAutocannon(options: autocannon.Options): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    autocannon({ ...options, duration: DURATION }, (error, result) => {
      if (error) return reject(error);
      resolve({
        rps: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
  });
}

function voteRequests(models: string[], tokens: string[]): autocannon.Request[] {
  // Each request flips one voter's vote on one model: a real change, appended and fsync'd.
  let counter = 0;
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        counter += 1;
        const model = models[counter % models.length]!;
        const token = tokens[Math.floor(counter / models.length) % tokens.length]!;
        const voteType = Math.floor(counter / (models.length * tokens.length)) % 2 === 0 ? 'up' : 'down';
        return {
          ...request,
          path: `/api/votes/${model}`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ vote_type: voteType }),
        };
      },
    },
  ];
}

/**
 * The load client. autocannon is the default; `wrk` (Debian package) is used when installed
 * (or BENCH_CLIENT=wrk): autocannon parses response bodies in JavaScript at roughly 60 MB/s
 * for compressed (random-looking) bytes, so for the multi-hundred-kilobyte leaderboard
 * payloads it measures itself, not the server (server and baseline both stop at ~70 rps).
 */
const CLIENT = process.env.BENCH_CLIENT ?? (spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk');

interface Load {
  url: string;
  connections: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** POST /api/votes/{model} flipping votes of many users on many models. */
  votes?: { models: string[]; tokens: string[] };
}

async function runLoad(load: Load): Promise<RunResult> {
  if (CLIENT !== 'wrk') {
    return runAutocannon({
      url: load.url,
      connections: load.connections,
      method: load.method,
      headers: load.headers,
      ...(load.body ? { body: load.body } : {}),
      ...(load.votes ? { requests: voteRequests(load.votes.models, load.votes.tokens) } : {}),
    });
  }
  const lua = (text: string) => JSON.stringify(text);
  const script = [
    `wrk.method = ${lua(load.method)}`,
    ...Object.entries(load.headers).map(([key, value]) => `wrk.headers[${lua(key)}] = ${lua(value)}`),
    load.body ? `wrk.body = ${lua(load.body)}` : '',
    load.votes
      ? [
          `local models = { ${load.votes.models.map(lua).join(', ')} }`,
          `local tokens = { ${load.votes.tokens.map(lua).join(', ')} }`,
          'local counter = 0',
          'request = function()',
          '  counter = counter + 1',
          '  local model = models[(counter % #models) + 1]',
          '  local token = tokens[(math.floor(counter / #models) % #tokens) + 1]',
          "  local vote = (math.floor(counter / (#models * #tokens)) % 2 == 0) and 'up' or 'down'",
          "  wrk.headers['authorization'] = 'Bearer ' .. token",
          "  wrk.headers['content-type'] = 'application/json'",
          `  return wrk.format('POST', '/api/votes/' .. model, nil, '{"vote_type":"' .. vote .. '"}')`,
          'end',
        ].join('\n')
      : '',
    'done = function(summary, latency, requests)',
    '  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout',
    '  io.write(string.format("RESULT %d %d %f %f %d %d\\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors, summary.errors.status))',
    'end',
  ].join('\n');
  const file = path.join(os.tmpdir(), `bench-wrk-${process.pid}.lua`);
  await writeFile(file, script);
  const result = spawnSync('wrk', ['-t1', `-c${load.connections}`, `-d${DURATION}s`, '-s', file, load.url], { encoding: 'utf8' });
  const match = /RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+) (\d+)/.exec(result.stdout);
  if (!match) throw new Error(`wrk failed: ${result.stderr || result.stdout}`);
  const [, requests, durationUs, p50Us, p99Us, errors, non2xx] = match.map(Number) as number[];
  return {
    rps: Math.round(requests! / (durationUs! / 1e6)),
    p50: Number((p50Us! / 1000).toFixed(2)),
    p99: Number((p99Us! / 1000).toFixed(2)),
    errors: errors!,
    non2xx: non2xx!,
  };
}

/** One raw HTTP exchange: the body exactly as sent (fetch would decompress it). */
function rawRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers)) if (typeof value === 'string') headers[key] = value;
        resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

async function recordResponses(url: string, scenarios: Scenario[], tokens: string[], models: string[]): Promise<string> {
  const recorded = [];
  for (const scenario of scenarios) {
    const target = scenario.voting ? `/api/votes/${models[0]}` : scenario.path;
    const response = await rawRequest(`${url}${target}`, {
      method: scenario.method,
      headers: {
        'accept-encoding': scenario.encoding,
        ...(scenario.voting ? { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' } : {}),
      },
      body: scenario.voting ? JSON.stringify({ vote_type: 'up' }) : undefined,
    });
    const headers = Object.fromEntries(
      Object.entries(response.headers).filter(([key]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(key)),
    );
    headers['content-length'] = String(response.body.length);
    recorded.push({
      method: scenario.method,
      path: scenario.voting ? '/api/votes/' : scenario.path,
      encoding: scenario.encoding,
      status: response.status,
      headers,
      body: response.body.toString('base64'),
    });
  }
  const file = path.join(os.tmpdir(), `bench-responses-${process.pid}.json`);
  await writeFile(file, JSON.stringify(recorded));
  return file;
}

function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  log('building the server…');
  const build = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const report: string[] = [];
  const scaleRows: string[][] = [['dataset', 'rows', 'votes', 'requests', 'start → /ready (ms)', 'RSS at rest (MB)', 'RSS after load (MB)', 'full /formatted br rps (10 conn)']];
  let mainTable: string[][] | undefined;
  const notes: string[] = [];

  for (const scale of SCALES) {
    const dataDir = await generate(scale);
    const tokens = await voterTokens(dataDir);
    const server = await startServer(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restRss = await rssMb(server.child.pid!);
    const rows = ((await (await fetch(`${server.url}/api/leaderboard`)).json()) as { models: unknown[] }).models.length;
    const models = await votableModels(server.url);
    const firstModel = models[0] ?? 'unknown/model';

    const scenarios: Scenario[] =
      scale === 1
        ? [
            { name: 'GET /api/leaderboard/formatted (full, br)', method: 'GET', path: '/api/leaderboard/formatted', encoding: 'br' },
            { name: 'GET /api/leaderboard/formatted (full, gzip)', method: 'GET', path: '/api/leaderboard/formatted', encoding: 'gzip' },
            {
              name: 'GET /api/leaderboard/formatted?… (filtered, sorted, gzip)',
              method: 'GET',
              path: '/api/leaderboard/formatted?type=chat&type=fine-tuned&hide=merged&params_max=20&sort=-params&limit=100',
              encoding: 'gzip',
            },
            { name: 'GET /api/leaderboard (br)', method: 'GET', path: '/api/leaderboard', encoding: 'br' },
            { name: 'GET /api/models/status (br)', method: 'GET', path: '/api/models/status', encoding: 'br' },
            { name: 'GET /api/votes/model/… ', method: 'GET', path: `/api/votes/model/${firstModel}`, encoding: 'identity' },
            { name: 'POST /api/votes/… (durable)', method: 'POST', path: '/api/votes/', encoding: 'identity', voting: true },
          ]
        : [{ name: 'GET /api/leaderboard/formatted (full, br)', method: 'GET', path: '/api/leaderboard/formatted', encoding: 'br' }];

    const responsesFile = await recordResponses(server.url, scenarios, tokens, models);
    const baseline = spawn(process.execPath, [path.join(root, 'bench/baseline-server.mjs'), responsesFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const baselineUrl = `http://127.0.0.1:${await waitForPort(baseline)}`;

    const results: Array<{ scenario: Scenario; connections: number; server: RunResult; baseline: RunResult }> = [];
    const connectionsList = scale === 1 ? CONNECTIONS : [10];
    for (const scenario of scenarios) {
      for (const connections of connectionsList) {
        const headers = { 'accept-encoding': scenario.encoding };
        const serverRun = await runLoad({
          url: `${server.url}${scenario.voting ? '/api/votes/' : scenario.path}`,
          connections,
          method: scenario.method,
          headers,
          ...(scenario.voting ? { votes: { models, tokens } } : {}),
        });
        const baselineRun = await runLoad({
          url: `${baselineUrl}${scenario.voting ? '/api/votes/' : scenario.path}`,
          connections,
          method: scenario.method,
          headers: scenario.voting ? { ...headers, 'content-type': 'application/json' } : headers,
          ...(scenario.voting ? { body: JSON.stringify({ vote_type: 'up' }) } : {}),
        });
        results.push({ scenario, connections, server: serverRun, baseline: baselineRun });
        log(`${scale}× ${scenario.name} @${connections}: ${serverRun.rps} rps (p99 ${serverRun.p99} ms) vs baseline ${baselineRun.rps} rps`);
        if (serverRun.non2xx || serverRun.errors) notes.push(`${scenario.name} @${connections}: ${serverRun.non2xx} non-2xx, ${serverRun.errors} errors`);
      }
    }
    const loadRss = await rssMb(server.child.pid!);
    await stop(server.child);
    baseline.kill('SIGTERM');
    await rm(responsesFile, { force: true });
    await rm(dataDir, { recursive: true, force: true });

    const full = results.find((r) => r.scenario.path === '/api/leaderboard/formatted' && r.scenario.encoding === 'br' && r.connections === 10);
    scaleRows.push([
      `${scale}×`,
      String(rows),
      String(BASE.votes * scale),
      String(BASE.requests * scale),
      String(server.readyMs),
      String(restRss),
      String(loadRss),
      full ? String(full.server.rps) : '–',
    ]);
    if (scale === 1) {
      mainTable = [['scenario', 'conn', 'server rps', 'p50 ms', 'p99 ms', 'baseline rps', 'baseline p99 ms', 'ratio']];
      for (const r of results) {
        mainTable.push([
          r.scenario.name,
          String(r.connections),
          String(r.server.rps),
          String(r.server.p50),
          String(r.server.p99),
          String(r.baseline.rps),
          String(r.baseline.p99),
          (r.server.rps / Math.max(1, r.baseline.rps)).toFixed(2),
        ]);
      }
    }
  }

  const machine = machineDescription();
  report.push(`Machine: ${machine}. Load client: ${CLIENT} (one thread, ${DURATION} s per run); server and baseline each in their own process.`);
  if (mainTable) report.push('', '### Requests at 1× (4,576 models, 100,000 votes, 2,000 queue requests)', '', table(mainTable));
  report.push('', '### Growth with the dataset', '', table(scaleRows));
  if (notes.length) report.push('', 'Notes:', ...notes.map((n) => `- ${n}`));
  const text = report.join('\n');
  process.stdout.write(`${text}\n`);
  await writeFile(path.join(root, 'bench/last-run.md'), `${text}\n`);
  log('written to bench/last-run.md (copy the run you keep into BENCHMARKS.md)');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
