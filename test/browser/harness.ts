/**
 * The browser-test harness: builds web/dist when it is missing or older than web/ sources,
 * starts the real app over a seeded DATA_DIR, and drives Debian's Chromium with playwright-core.
 * Tests skip (with a message) when Chromium is not installed; CI installs the `chromium` package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import type { AppDeps } from '../../src/app.js';
import type { Env } from '../../src/config.js';
import { makeTempDir, seedContents, startTestApp, type TestApp } from '../helpers/app.js';
import { FULL_SIZE, leaderboardRecords, seedExtras } from './leaderboard-fixture.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts', 'screenshots');

if (!chromiumAvailable) {
  console.warn(`[browser tests] skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
}

const WEB = path.join(ROOT, 'web');
const DIST_INDEX = path.join(WEB, 'dist', 'index.html');

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(DIST_INDEX)) return true;
  const built = statSync(DIST_INDEX).mtimeMs;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) => newestMtime(path.join(WEB, p)));
  return Math.max(...sources) > built;
}

/**
 * `vite build --config web/vite.config.ts` unless web/dist is fresh. Test files run in parallel
 * processes: a lock directory makes one of them build while the others wait.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (!webBuildIsStale()) return;
  const lock = path.join(ROOT, 'node_modules', '.cache', 'web-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (!webBuildIsStale()) return;
      // A lock older than two minutes belongs to a crashed run.
      if (waited > 120_000 || (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000)) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (!webBuildIsStale()) return;
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface UiServer extends TestApp {}

/** The real app over a temp DATA_DIR holding `size` leaderboard rows (and pending requests). */
export async function startUiServer(options: { size?: number; env?: Env; deps?: AppDeps } = {}): Promise<UiServer> {
  await ensureWebBuilt();
  const dataDir = await makeTempDir('leaderboard-browser-');
  await seedContents(dataDir, leaderboardRecords(options.size ?? FULL_SIZE));
  await seedExtras(dataDir);
  const app = await startTestApp({ dataDir, env: { RATE_LIMIT_MAX: '100000', ...options.env }, ...(options.deps ? { deps: options.deps } : {}) });
  return {
    ...app,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  locale?: string;
  viewport?: { width: number; height: number };
  /** Console errors matching these (e.g. an expected 404 of an API not deployed yet) are not counted. */
  allowErrors?: RegExp[];
  /** localStorage entries set before any page script runs. */
  storage?: Record<string, string>;
}

export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  if (options.storage) {
    const entries = Object.entries(options.storage).map(([key, value]) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(value)});`);
    await context.addInitScript({ content: entries.join('\n') });
  }
  const page = await context.newPage();
  const errors: string[] = [];
  const allowed = options.allowErrors ?? [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} @ ${message.location().url ?? ''}`;
    if (!allowed.some((re) => re.test(text))) errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url);
  return { context, page, errors };
}

/**
 * Code run in the page is given as a string: the tests are typechecked with Node's types only
 * (no DOM library), like the rest of the repository.
 */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** An element's data-* attributes, without the DOM library's types. */
export interface WithDataset {
  dataset: Record<string, string | undefined>;
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  return file;
}

/** The model names of the rendered (virtualized) rows, top to bottom. */
export async function visibleModelNames(page: Page): Promise<string[]> {
  return page.$$eval('tbody tr[data-model]', (rows) =>
    rows
      .map((row) => ({ index: Number((row as unknown as WithDataset).dataset.index), name: (row as unknown as WithDataset).dataset.model ?? '' }))
      .sort((a, b) => a.index - b.index)
      .map((row) => row.name),
  );
}

/** "Showing 12 of 4,576 models" → 12. */
export async function shownCount(page: Page): Promise<number> {
  const text = (await page.textContent('[data-testid="result-count"]')) ?? '';
  const match = /([\d,.\s\u202f\u00a0]+)\D+([\d,.\s\u202f\u00a0]+)/.exec(text);
  if (!match) throw new Error(`no count in "${text}"`);
  return Number(match[1]!.replace(/[^\d]/g, ''));
}

/** Whether an API route exists on this build of the server (other features land separately). */
export async function routeExists(baseUrl: string, method: string, route: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}${route}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
  if (response.status !== 404) return true;
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  return body.code !== 'ROUTE_NOT_FOUND';
}

export { FULL_SIZE };
