import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UI_BRANDING, loadUiConfig, UiConfigError, validateUiConfig } from './ui-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ui-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadUiConfig', () => {
  it('gives the defaults without a file', () => {
    expect(loadUiConfig(undefined)).toEqual({ ...DEFAULT_UI_BRANDING, links: [{ label: 'API', url: '/docs' }] });
  });

  it('reads YAML, with an about file relative to the config file and per-language texts', async () => {
    await writeFile(path.join(dir, 'about.md'), '# Ours\n\nHello.');
    const file = path.join(dir, 'ui.yaml');
    await writeFile(
      file,
      [
        'title: Arabic LLM Leaderboard',
        'subtitle: Open Arabic models',
        'logo_url: https://example.org/logo.svg',
        'links:',
        '  - { label: Blog, url: "https://example.org/blog" }',
        'about_file: about.md',
        'default_language: fr',
        'languages: [en, fr]',
        'translations:',
        '  fr: { title: Classement arabe }',
      ].join('\n'),
    );
    const config = loadUiConfig(file);
    expect(config).toMatchObject({
      title: 'Arabic LLM Leaderboard',
      subtitle: 'Open Arabic models',
      logo_url: 'https://example.org/logo.svg',
      links: [{ label: 'Blog', url: 'https://example.org/blog' }],
      about_markdown: '# Ours\n\nHello.',
      default_language: 'fr',
      languages: ['en', 'fr'],
      translations: { fr: { title: 'Classement arabe' } },
    });
  });

  it('accepts the commented example of the repository', () => {
    const config = loadUiConfig(path.resolve('examples', 'ui-config.yaml'));
    expect(config.languages).toEqual(['en', 'fr']);
    expect(config.translations.fr?.title).toBeTruthy();
  });

  it('reads JSON', async () => {
    const file = path.join(dir, 'ui.json');
    await writeFile(file, JSON.stringify({ title: 'JSON board', about_markdown: 'Hi' }));
    expect(loadUiConfig(file)).toMatchObject({ title: 'JSON board', about_markdown: 'Hi', default_language: 'en' });
  });

  it('names the file and the field of a bad value', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'title: ok\nlinks:\n  - { label: x, url: "javascript:alert(1)" }\n');
    expect(() => loadUiConfig(file)).toThrow(UiConfigError);
    expect(() => loadUiConfig(file)).toThrow(/bad\.yaml.*links/);
  });

  it('refuses unknown keys, a default language outside the list, and both about sources', () => {
    expect(() => validateUiConfig({ titel: 'typo' })).toThrow(UiConfigError);
    expect(() => validateUiConfig({ languages: ['en'], default_language: 'fr' })).toThrow(/default_language "fr"/);
    expect(() => validateUiConfig({ about_markdown: 'a', about_file: 'b.md' })).toThrow(/either/);
  });

  it('fails with the reason when the file cannot be read or parsed', async () => {
    expect(() => loadUiConfig(path.join(dir, 'missing.yaml'))).toThrow(/missing\.yaml/);
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{ nope');
    expect(() => loadUiConfig(file)).toThrow(UiConfigError);
  });
});
