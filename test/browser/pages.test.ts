/**
 * The other pages in Chromium against the real server and the Hub emulator: model page,
 * compare, submit (client checks, the server's detail, a real submission), vote, sign-in with
 * a pasted token and with OAuth (PKCE), the operator's branding and about page, unknown paths.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHfModelHub } from '../../src/hub/hf-model-hub.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';
import { chromiumAvailable, inPage, launchBrowser, openPage, routeExists, screenshot, startUiServer, type OpenedPage, type PageOptions, type UiServer, type WithDataset } from './harness.js';
import { PENDING_MODELS } from './leaderboard-fixture.js';

const TOKEN_KEY = 'leaderboard.token';

let hub: HubEmulator;
let server: UiServer;
let browser: Browser;
let configDir: string;
let opened: OpenedPage[] = [];
const api = { submit: true, votes: true, pending: true, status: true, me: true };

async function open(route: string, options: PageOptions = {}): Promise<Page> {
  const result = await openPage(browser, `${server.url}${route}`, options);
  opened.push(result);
  return result.page;
}

/** Signs in through the header's dialog with a pasted token. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.click('header button:has-text("Sign in")');
  await page.fill('dialog input[type="password"]', token);
  await page.click('dialog button[type="submit"]');
}

describe.skipIf(!chromiumAvailable)('pages (Chromium, Hub emulator)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    hub = await startHubEmulator();
    configDir = await mkdtemp(path.join(tmpdir(), 'ui-config-'));
    const uiConfig = path.join(configDir, 'ui.yaml');
    await writeFile(
      uiConfig,
      [
        'title: Emulated Leaderboard',
        'subtitle: Browser tests of a branded leaderboard',
        'links:',
        '  - { label: Docs, url: /docs }',
        'about_markdown: |',
        '  ## How we evaluate',
        '',
        '  Every model runs the **same** harness. <script>window.pwned = true</script>',
        '',
        '  [Our API](/docs) · [bad link](javascript:alert(1))',
        'translations:',
        '  fr:',
        '    title: Classement émulé',
        '    about_markdown: "## Notre méthode"',
      ].join('\n'),
    );
    server = await startUiServer({
      size: 800,
      env: {
        HUB_URL: hub.url,
        AUTH_PROVIDERS: 'hub,local',
        MODEL_VALIDATION: 'hub',
        OAUTH_CLIENT_ID: 'leaderboard-ui',
        OPENID_PROVIDER_URL: hub.url,
        UI_CONFIG_FILE: uiConfig,
      },
      deps: {
        modelHub: createHfModelHub({ hubUrl: hub.url, timeoutMs: 5000, retries: 1, backoff: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5 } }),
      },
    });
    api.submit = await routeExists(server.url, 'POST', '/api/models/submit');
    api.votes = await routeExists(server.url, 'POST', '/api/votes/a/b');
    api.pending = await routeExists(server.url, 'GET', '/api/models/pending');
    api.status = await routeExists(server.url, 'GET', '/api/models/status');
    api.me = await routeExists(server.url, 'GET', '/api/auth/me');
    browser = await launchBrowser();
  }, 240_000);

  afterEach(async () => {
    for (const { context, errors } of opened) {
      await context.close();
      expect(errors).toEqual([]);
    }
    opened = [];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await hub?.close();
    await rm(configDir, { recursive: true, force: true });
  });

  it('shows a model: its entries, its scores against the leaderboard, votes and requests', async () => {
    const page = await open('/models/meta-llama/Llama-3.1-8B-Instruct', { allowErrors: [/status of 404.*\/api\/models\/.*\/status/] });
    await page.waitForSelector('h1:has-text("meta-llama/Llama-3.1-8B-Instruct")');
    expect(await page.$$eval('#entries-title + .table-wrap tbody tr', (rows) => rows.length)).toBe(2);
    // The average and the six configured benchmarks, each a histogram with this model marked.
    expect(await page.$$eval('.chart-card', (cards) => cards.length)).toBe(7);
    expect(await page.getAttribute('.chart-card svg', 'aria-label')).toMatch(/better than \d+% of models/);
    await page.waitForSelector('[data-testid="votes-total"], #votes-title ~ .state');
    await page.waitForSelector('#status-title ~ .state, #status-title ~ .table-wrap');
    await page.click('#entries-title + .table-wrap button:has-text("float16")');
    await page.waitForSelector('#dist-title:has-text("float16")');
    await screenshot(page, 'model-page', { fullPage: true });

    const missing = await open('/models/nobody/not-evaluated', { allowErrors: [/status of 404/] });
    await missing.waitForSelector('text=This model is not on the leaderboard');
  });

  it('compares models picked by name, with the selection in the URL', async () => {
    const page = await open('/compare', { colorScheme: 'dark' });
    await page.waitForSelector('text=Pick at least two models');
    await page.fill('[data-testid="model-picker"]', 'Titan');
    await page.keyboard.press('Enter');
    await page.fill('[data-testid="model-picker"]', 'gemma-2-2b');
    await page.click('[role="option"]:has-text("google/gemma-2-2b-it")');
    await page.waitForSelector('[data-testid="compare-table"]');
    expect(new URL(page.url()).searchParams.get('models')).toBe('acme-ai/Titan-72B-Instruct,google/gemma-2-2b-it');
    const header = await page.$$eval('[data-testid="compare-table"] thead th', (cells) => cells.map((c) => c.textContent?.trim()));
    expect(header).toEqual(['Benchmark', 'acme-ai/Titan-72B-Instruct', 'google/gemma-2-2b-it']);
    expect(await page.isVisible('svg.grouped-bars')).toBe(true);
    await screenshot(page, 'compare-dark', { fullPage: true });

    await page.reload();
    await page.waitForSelector('[data-testid="compare-table"]');
    await page.click('button[aria-label="Remove google/gemma-2-2b-it"]');
    await page.waitForSelector('text=Pick at least two models');
    expect(new URL(page.url()).searchParams.get('models')).toBe('acme-ai/Titan-72B-Instruct');
  });

  it('checks the submission form before sending, and shows the server detail as is', async () => {
    const page = await open('/submit');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/models/submit')) posts.push(request.url());
    });
    await page.waitForSelector('[data-testid="submit-form"]');
    await page.click('[data-testid="submit-button"]');
    await page.waitForSelector('text=Enter the model’s Hub id.');
    expect(await inPage(page, 'document.activeElement?.id')).toBe('submit-model_id');
    await page.fill('#submit-model_id', 'not a model id');
    await page.selectOption('#submit-weight_type', 'Adapter');
    await page.click('[data-testid="submit-button"]');
    await page.waitForSelector('text=Use the form organization/model-name');
    await page.waitForSelector('text=Delta and Adapter weights need their base model.');
    await page.waitForSelector('text=Choose the model type.');
    expect(posts).toEqual([]);
    await screenshot(page, 'submit-client-checks', { fullPage: true });

    // Not signed in: the sign-in dialog opens instead of sending.
    await page.fill('#submit-model_id', 'emulated/no-card-model');
    await page.selectOption('#submit-weight_type', 'Original');
    await page.selectOption('#submit-model_type', 'chat');
    await page.click('[data-testid="submit-button"]');
    await page.waitForSelector('dialog[open]');
    expect(posts).toEqual([]);
    await page.click('dialog button:has-text("Cancel")');
  });

  it('submits a model from the Hub emulator, then shows it in the queue', async (context) => {
    if (!api.submit || !api.me || !api.status) context.skip();
    const page = await open('/submit', { allowErrors: [/status of 4\d\d.*\/api\/models\/submit/] });
    await signIn(page, 'hf_alice_token');
    await page.waitForSelector('[data-testid="user-name"]:has-text("alice")');

    await page.fill('#submit-model_id', 'emulated/no-card-model');
    await page.selectOption('#submit-model_type', 'chat');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/models/submit')),
      page.click('[data-testid="submit-button"]'),
    ]);
    expect(response.status()).toBeGreaterThanOrEqual(400);
    const detail = ((await response.json()) as { detail: string }).detail;
    await page.waitForSelector('[data-testid="submit-error"]');
    expect(await page.textContent('[data-testid="submit-error"] .server-detail')).toBe(detail);
    await screenshot(page, 'submit-server-detail', { fullPage: true });

    await page.fill('#submit-model_id', 'emulated/valid-model');
    await page.selectOption('#submit-precision', 'bfloat16');
    const [ok] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/models/submit')),
      page.click('[data-testid="submit-button"]'),
    ]);
    expect(ok.status()).toBe(200);
    const message = ((await ok.json()) as { message: string }).message;
    await page.waitForSelector('[data-testid="submit-success"]');
    expect(await page.textContent('[data-testid="submit-success"]')).toBe(message);
    await page.waitForSelector('[data-testid="queue-pending"] >> text=emulated/valid-model');
    await screenshot(page, 'submit-success-queue', { fullPage: true });
  });

  it('lists pending models by votes; votes up, marks your vote, retracts it', async (context) => {
    if (!api.votes || !api.pending || !api.me) context.skip();
    const page = await open('/vote', { storage: { [TOKEN_KEY]: 'hf_bob_token' } });
    await page.waitForSelector('[data-testid="user-name"]:has-text("bob")');
    await page.waitForSelector('[data-testid="vote-list"]');
    const listed = await page.$$eval('.vote-item', (items) => items.map((i) => (i as unknown as WithDataset).dataset.model));
    for (const model of PENDING_MODELS) expect(listed).toContain(model);

    const target = PENDING_MODELS[0]!;
    const up = `.vote-item[data-model="${target}"] button[aria-label^="Vote for"]`;
    await page.click(up);
    await page.waitForSelector(`.vote-item[data-model="${target}"] button.vote-up[aria-pressed="true"]`);
    await page.waitForSelector(`.vote-item[data-model="${target}"] >> text=you voted for`);
    // Ordered by votes: the voted model moves to the top.
    await expect.poll(() => page.$eval('.vote-item', (item) => (item as unknown as WithDataset).dataset.model)).toBe(target);
    expect(await page.textContent(`.vote-item[data-model="${target}"] .vote-count`)).toBe('1');
    await screenshot(page, 'vote-voted');

    // The mark comes from the server: it survives a reload.
    await page.reload();
    await page.waitForSelector(`.vote-item[data-model="${target}"] button.vote-up[aria-pressed="true"]`);
    await page.click(`.vote-item[data-model="${target}"] button.vote-up`);
    await page.waitForSelector(`.vote-item[data-model="${target}"] button.vote-up[aria-pressed="false"]`);
    await expect.poll(() => page.textContent(`.vote-item[data-model="${target}"] .vote-count`)).toBe('0');
  });

  it('shows why a vote was refused, as the server says it', async (context) => {
    if (!api.votes || !api.pending) context.skip();
    const page = await open('/vote', { storage: { [TOKEN_KEY]: 'hf_not_a_real_token' }, allowErrors: [/status of 401/] });
    await page.waitForSelector('[data-testid="vote-list"]');
    await page.waitForSelector('header button:has-text("Sign in again")');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/votes/')),
      page.click(`.vote-item[data-model="${PENDING_MODELS[1]}"] button.vote-up`),
    ]);
    expect(response.status()).toBe(401);
    const detail = ((await response.json()) as { detail: string }).detail;
    expect(await (await page.waitForSelector('[data-testid="vote-error"] .server-detail')).textContent()).toBe(detail);
  });

  it('signs in with Hugging Face (OAuth with PKCE against the emulator)', async (context) => {
    if (!api.me) context.skip();
    const page = await open('/vote');
    await page.waitForSelector('[data-testid="vote-list"], .state');
    await page.click('header button:has-text("Sign in")');
    await page.click('dialog button:has-text("Sign in with Hugging Face")');
    // Out to the provider (auto-approved), back to /auth/callback, then to where we started.
    await page.waitForURL((url) => url.pathname === '/vote');
    await page.waitForSelector('[data-testid="user-name"]:has-text("alice")');
    expect(await inPage(page, `localStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toMatch(/^hf_oauth_/);
    const tokenCall = hub.requestLog.filter((r) => r.path === '/oauth/token');
    expect(tokenCall.length).toBeGreaterThan(0);
    const authorize = hub.requestLog.filter((r) => r.path === '/oauth/authorize').at(-1)!;
    expect(new URLSearchParams(authorize.query).get('code_challenge_method')).toBe('S256');

    await page.click('header button:has-text("Sign out")');
    await page.waitForSelector('header button:has-text("Sign in")');
    expect(await inPage(page, `localStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
  });

  it('uses the operator branding and about page, translated, with raw HTML kept as text', async () => {
    const page = await open('/about');
    await page.waitForSelector('.markdown h2:has-text("How we evaluate")');
    expect(await page.textContent('.brand-title')).toBe('Emulated Leaderboard');
    expect(await page.textContent('.brand-subtitle')).toBe('Browser tests of a branded leaderboard');
    expect(await page.isVisible('nav a:has-text("Docs")')).toBe(true);
    expect(await page.title()).toBe('About · Emulated Leaderboard');
    expect(await inPage(page, 'window.pwned')).toBeUndefined();
    expect(await page.textContent('.markdown')).toContain('<script>');
    expect(await page.$$eval('.markdown a', (links) => links.map((a) => a.getAttribute('href')))).toEqual(['/docs']);
    await screenshot(page, 'about');

    await page.selectOption('[data-testid="language-select"]', 'fr');
    await page.waitForSelector('.markdown h2:has-text("Notre méthode")');
    expect(await page.textContent('.brand-title')).toBe('Classement émulé');
  });

  it('answers unknown pages with the app, and unknown API paths with JSON', async () => {
    const page = await open('/no/such/page');
    await page.waitForSelector('h1:has-text("Page not found")');
    await page.click('text=Back to the leaderboard');
    await page.waitForSelector('tbody tr[data-model]');
    const response = await fetch(`${server.url}/api/no-such-route`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });
});
