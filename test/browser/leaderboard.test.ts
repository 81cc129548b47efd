/**
 * The leaderboard page in Chromium against the real server with 4,576 rows: load, search,
 * filters, sort, URL round trip, pins, columns, CSV, keyboard, theme and language.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  inPage,
  FULL_SIZE,
  launchBrowser,
  openPage,
  screenshot,
  shownCount,
  startUiServer,
  visibleModelNames,
  type OpenedPage,
  type UiServer,
} from './harness.js';
import { leaderboardRecords, OFFICIAL_ORGS } from './leaderboard-fixture.js';

const records = leaderboardRecords(FULL_SIZE);
const count = (predicate: (r: (typeof records)[number]) => boolean) => records.filter(predicate).length;

let server: UiServer;
let browser: Browser;
let opened: OpenedPage[] = [];

async function open(path = '/', options: Parameters<typeof openPage>[2] = {}): Promise<Page> {
  const result = await openPage(browser, `${server.url}${path}`, options);
  opened.push(result);
  await result.page.waitForSelector('tbody tr[data-model]');
  return result.page;
}

/** The view's query string, as a URLSearchParams. */
const urlParams = (page: Page) => new URL(page.url()).searchParams;

describe.skipIf(!chromiumAvailable)('leaderboard page (Chromium)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startUiServer();
    browser = await launchBrowser();
  }, 240_000);

  afterEach(async () => {
    // Every page of the test ran without a console error or an uncaught exception.
    for (const { context, errors } of opened) {
      await context.close();
      expect(errors).toEqual([]);
    }
    opened = [];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads every model, keeps only the visible rows in the DOM, and scrolls to the last', async () => {
    const page = await open('/');
    expect(await shownCount(page)).toBe(FULL_SIZE);
    await expect.poll(() => page.title()).toBe('Open LLM Leaderboard');
    expect((await visibleModelNames(page))[0]).toBe('acme-ai/Titan-72B-Instruct');
    const domRows = await page.$$eval('tbody tr', (rows) => rows.length);
    expect(domRows).toBeGreaterThan(10);
    expect(domRows).toBeLessThan(80);
    await screenshot(page, 'leaderboard-light');

    await page.$eval('[data-testid="leaderboard-scroller"]', (el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForSelector(`tbody tr[aria-rowindex="${FULL_SIZE + 1}"]`);
    expect(await page.$$eval('tbody tr', (rows) => rows.length)).toBeLessThan(80);
    // The header stays in view.
    expect(await page.isVisible('thead th >> text=Average')).toBe(true);
    await screenshot(page, 'leaderboard-scrolled-to-end');
  });

  it('searches by substring, /regex/, @field:value and ; (OR)', async () => {
    const page = await open('/');
    const search = async (text: string, expected: number) => {
      await page.fill('#lb-search', text);
      await expect.poll(() => shownCount(page), { message: text }).toBe(expected);
    };
    await search('mixtral', 1);
    expect(await visibleModelNames(page)).toEqual(['mistralai/Mixtral-8x7B-Instruct-v0.1']);
    await search('/^meta-llama\\//', 2);
    expect(await visibleModelNames(page)).toEqual(['meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct']);
    await search('@license:gemma', 1);
    await search('@architecture:mixtral', 1);
    await search('@precision:float16 llama-3.1', 1);
    await search('benchmaxx; pico-merge', 2);
    expect(urlParams(page).get('search')).toBe('benchmaxx; pico-merge');
    await screenshot(page, 'leaderboard-search-or');

    await page.fill('#lb-search', '/(unclosed/');
    await page.waitForSelector('#lb-search[aria-invalid="true"]');
    expect(await page.textContent('#lb-search-help')).toMatch(/Invalid regular expression/);
    await search('', FULL_SIZE);
    expect(urlParams(page).has('search')).toBe(false);
  });

  it('filters by size preset, official providers, type, precision and flags', async () => {
    const page = await open('/');
    await page.click('[data-testid="preset-edge"]');
    await expect.poll(() => shownCount(page)).toBe(count((r) => (r['#Params (B)'] as number) < 3));
    expect(urlParams(page).get('params')).toBe('0,3');

    await page.click('[data-testid="official-toggle"]');
    await expect.poll(() => shownCount(page)).toBe(1);
    expect(await visibleModelNames(page)).toEqual(['google/gemma-2-2b-it']);
    expect(urlParams(page).get('official')).toBe('true');
    await page.click('[data-testid="preset-edge"]');
    await expect.poll(() => shownCount(page)).toBe(count((r) => OFFICIAL_ORGS.includes(String(r.fullname).split('/')[0]!)));
    await page.click('[data-testid="official-toggle"]');

    await page.click('[data-testid="filters-toggle"]');
    await page.click('#filter-panel button:has-text("merge")');
    await expect.poll(() => shownCount(page)).toBe(count((r) => String(r.Type).startsWith('🤝')));
    expect(urlParams(page).get('types')).toBe('merge');
    await page.click('#filter-panel button:has-text("4bit")');
    await expect.poll(() => shownCount(page)).toBe(count((r) => String(r.Type).startsWith('🤝') && r.Precision === '4bit'));
    expect(urlParams(page).get('precision')).toBe('4bit');
    await screenshot(page, 'leaderboard-filters');

    await page.click('text=Reset filters');
    await expect.poll(() => shownCount(page)).toBe(FULL_SIZE);
    await page.check('#filter-panel >> text=Merged models');
    await page.check('#filter-panel >> text=Mixtures of experts');
    await page.check('#filter-panel >> text=Flagged models');
    await expect.poll(() => shownCount(page)).toBe(count((r) => !r.Merged && !r.MoE && !r.Flagged));
    expect(urlParams(page).get('filters')).toBe('is_merged,is_moe,is_flagged');
    expect(await visibleModelNames(page)).not.toContain('shady-org/benchmaxx-7B');

    // The parameter slider, by keyboard.
    await page.click('text=Reset filters');
    await page.focus('input[aria-label="Most parameters, in billions"]');
    // PageDown moves a tenth of the range (14B); ArrowLeft one step.
    for (let i = 0; i < 9; i += 1) await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => urlParams(page).get('params')).toBe('0,12');
    await expect.poll(() => shownCount(page)).toBe(count((r) => (r['#Params (B)'] as number) < 12));
  });

  it('sorts on a column, both ways, with the sort in the URL', async () => {
    const page = await open('/');
    const paramsOf = async () => page.$$eval('tbody tr[data-index="0"] td', (cells) => cells.map((c) => c.textContent));
    await page.click('button[aria-label="Sort by Params (B)"]');
    await expect.poll(() => urlParams(page).get('order')).toBe('desc');
    expect(urlParams(page).get('sort')).toBe('metadata.params_billions');
    expect((await visibleModelNames(page))[0]).toBe('acme-ai/Titan-72B-Instruct');
    expect(await page.getAttribute('th[aria-sort="descending"]', 'aria-sort')).toBe('descending');

    await page.click('button[aria-label="Sort by Params (B)"]');
    await expect.poll(() => urlParams(page).get('order')).toBe('asc');
    const smallest = Math.min(...records.map((r) => r['#Params (B)'] as number));
    expect((await paramsOf()).join('|')).toContain(smallest.toFixed(2));

    await page.click('button[aria-label="Sort by Model"]');
    await expect.poll(() => urlParams(page).get('sort')).toBe('id');
    const orgs = (await visibleModelNames(page)).map((name) => name.split('/')[0]!.toLowerCase());
    expect(orgs[0]).toBe('acme-ai');
    expect(orgs).toEqual([...orgs].sort());
  });

  it('reproduces the whole view from its URL (reload and a fresh tab)', async () => {
    const page = await open('/');
    await page.fill('#lb-search', 'llama');
    await page.click('[data-testid="preset-medium"]');
    await page.click('[data-testid="filters-toggle"]');
    await page.click('#filter-panel button:has-text("chat")');
    await page.check('#filter-panel >> text=Merged models');
    await page.click('button[aria-label="Sort by BBH"]');
    await page.click('.segmented button:has-text("Raw")');
    await page.click('tbody tr[data-index="1"] .pin-button');
    await expect.poll(() => urlParams(page).get('pinned')).not.toBeNull();
    const before = { url: page.url(), names: await visibleModelNames(page), count: await shownCount(page) };
    const bbhRaw = await page.textContent('tbody tr[data-index="0"] td:nth-child(7)');

    await page.reload();
    await page.waitForSelector('tbody tr[data-model]');
    expect(page.url()).toBe(before.url);
    expect(await shownCount(page)).toBe(before.count);
    expect(await visibleModelNames(page)).toEqual(before.names);
    expect(await page.inputValue('#lb-search')).toBe('llama');
    expect(await page.getAttribute('[data-testid="preset-medium"]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('.segmented button:has-text("Raw")', 'aria-pressed')).toBe('true');
    expect(await page.textContent('tbody tr[data-index="0"] td:nth-child(7)')).toBe(bbhRaw);

    const fresh = await open(new URL(before.url).pathname + new URL(before.url).search, { colorScheme: 'dark' });
    expect(await visibleModelNames(fresh)).toEqual(before.names);
    await screenshot(fresh, 'leaderboard-url-roundtrip-dark');
  });

  it('keeps pinned models on top whatever the filters, and compares them', async () => {
    const page = await open('/');
    for (const name of ['mistralai/Mistral-7B-v0.3', 'google/gemma-2-2b-it']) {
      await page.fill('#lb-search', name);
      await page.click(`tbody tr[data-model="${name}"] .pin-button`);
    }
    await page.fill('#lb-search', 'qwen');
    await expect.poll(async () => (await visibleModelNames(page)).slice(0, 2).sort()).toEqual(['google/gemma-2-2b-it', 'mistralai/Mistral-7B-v0.3']);
    expect(await page.getAttribute('tbody tr[data-index="0"] .pin-button', 'aria-pressed')).toBe('true');
    expect(await page.textContent('[data-testid="result-count"]')).toContain('2 pinned');
    expect(urlParams(page).get('pinned')!.split(',')).toHaveLength(2);
    // Every other row matches the search.
    const others = (await visibleModelNames(page)).slice(2);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((name) => name.toLowerCase().includes('qwen'))).toBe(true);
    await screenshot(page, 'leaderboard-pinned');

    await page.click('text=Compare the 2 pinned models');
    await page.waitForSelector('[data-testid="compare-table"]');
    expect(new URL(page.url()).pathname).toBe('/compare');
  });

  it('chooses columns, switches raw scores and downloads the view as CSV', async () => {
    const page = await open('/?search=llama-3.1');
    await page.click('[data-testid="columns-button"]');
    await page.uncheck('.column-chooser >> text=License');
    await page.check('.column-chooser >> text=Architecture');
    await expect.poll(() => urlParams(page).get('columns')).toContain('model.architecture');
    expect(urlParams(page).get('columns')).not.toContain('metadata.hub_license');
    expect(await page.isVisible('thead >> text=License')).toBe(false);
    expect(await page.isVisible('thead >> text=Architecture')).toBe(true);
    // The rows follow the header: same cells, same widths.
    const widths = (selector: string) => page.$$eval(selector, (cells) => cells.map((c) => Math.round(c.getBoundingClientRect().width)));
    expect(await widths('tbody tr[data-index="0"] td')).toEqual(await widths('thead th'));
    await screenshot(page, 'leaderboard-columns');
    await page.keyboard.press('Escape');

    const normalized = await page.textContent('tbody tr[data-index="0"] td:nth-child(5)');
    await page.click('.segmented button:has-text("Raw")');
    await expect.poll(() => urlParams(page).get('scoreDisplay')).toBe('raw');
    expect(await page.textContent('tbody tr[data-index="0"] td:nth-child(5)')).not.toBe(normalized);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="csv-button"]')]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('Model');
    expect(lines[0]).toContain('Architecture');
    expect(lines[0]).not.toContain('License');
    expect(lines).toHaveLength(1 + (await shownCount(page)));
    expect(lines[1]).toContain('meta-llama/Llama-3.1-8B-Instruct');
  });

  it('moves between rows with the keyboard', async () => {
    const page = await open('/');
    await page.focus('tbody tr[data-index="0"] .model-link');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await inPage(page, "document.activeElement?.closest('tr')?.getAttribute('data-index')")).toBe('2');
    await page.keyboard.press('End');
    await expect.poll(() => inPage(page, "document.activeElement?.closest('tr')?.getAttribute('data-index')")).toBe(String(FULL_SIZE - 1));
    await page.keyboard.press('Home');
    await expect.poll(() => inPage(page, "document.activeElement?.closest('tr')?.getAttribute('data-index')")).toBe('0');
    // Every control has a name.
    const unnamed = await page.$$eval('button, input, select, a[href]', (elements) =>
      elements
        .filter((el) => {
          const label = el.getAttribute('aria-label') || el.textContent?.trim() || (el as unknown as { labels?: { textContent: string | null }[] }).labels?.[0]?.textContent?.trim() || el.getAttribute('title');
          return !label;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
  });

  it('follows the system theme, toggles it and remembers the choice', async () => {
    const dark = await open('/', { colorScheme: 'dark' });
    expect(await inPage(dark, 'document.documentElement.dataset.theme')).toBe('dark');
    await screenshot(dark, 'leaderboard-dark');

    const page = await open('/', { colorScheme: 'light' });
    expect(await inPage(page, 'document.documentElement.dataset.theme')).toBe('light');
    const background = () => inPage<string>(page, 'getComputedStyle(document.documentElement).backgroundColor');
    const light = await background();
    await page.click('[data-testid="theme-toggle"]'); // system → light
    await page.click('[data-testid="theme-toggle"]'); // light → dark
    expect(await inPage(page, 'document.documentElement.dataset.theme')).toBe('dark');
    expect(await background()).not.toBe(light);
    expect(await page.getAttribute('[data-testid="theme-toggle"]', 'aria-label')).toMatch(/dark/);
    await page.reload();
    await page.waitForSelector('tbody tr[data-model]');
    expect(await inPage(page, 'document.documentElement.dataset.theme')).toBe('dark');
  });

  it('speaks the browser language, and switches language', async () => {
    const french = await open('/', { locale: 'fr-FR' });
    expect(await french.textContent('nav[aria-label] a[aria-current="page"]')).toBe('Classement');
    expect(await french.textContent('[data-testid="result-count"]')).toMatch(/modèles affichés sur/);
    expect(await inPage(french, 'document.documentElement.lang')).toBe('fr');
    await screenshot(french, 'leaderboard-french');

    const page = await open('/', { locale: 'en-US' });
    expect(await page.textContent('[data-testid="result-count"]')).toMatch(/^Showing/);
    await page.selectOption('[data-testid="language-select"]', 'fr');
    await expect.poll(() => page.textContent('[data-testid="result-count"]')).toMatch(/modèles affichés sur/);
    expect(await page.isVisible('button[aria-label="Trier par Moyenne"]')).toBe(true);
    await page.reload();
    await page.waitForSelector('tbody tr[data-model]');
    expect(await page.textContent('[data-testid="result-count"]')).toMatch(/modèles affichés sur/);
  });
});
