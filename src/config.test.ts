import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, renderEnvExample, renderSettingsTable, SETTINGS } from './config.js';

describe('loadConfig', () => {
  it('applies the README defaults', () => {
    const config = loadConfig({});
    expect(config.environment).toBe('development');
    expect(config.port).toBe(7860);
    expect(config.host).toBe('0.0.0.0');
    expect(config.corsOrigins).toEqual(['*']);
    expect(config.cacheTtl).toBe(300);
    expect(config.storage).toBe('local');
    expect(config.logLevel).toEqual({ base: 'info', components: {} });
    expect(config.hfToken).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('reads CORS_ORIGINS as a JSON list or comma-separated', () => {
    expect(loadConfig({ CORS_ORIGINS: '["https://a.org", "https://b.org"]' }).corsOrigins).toEqual(['https://a.org', 'https://b.org']);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.org, https://b.org' }).corsOrigins).toEqual(['https://a.org', 'https://b.org']);
  });

  it('reads LOG_LEVEL with per-component levels, case-insensitively', () => {
    expect(loadConfig({ LOG_LEVEL: 'INFO,hub=debug,votes=WARNING' }).logLevel).toEqual({
      base: 'info',
      components: { hub: 'debug', votes: 'warn' },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ENVIRONMENT', 'staging'],
    ['CACHE_TTL', '-1'],
    ['CACHE_TTL', 'soon'],
    ['STORAGE', 's3'],
    ['LOG_LEVEL', 'loud'],
    ['CORS_ORIGINS', '[1, 2]'],
    ['RATE_LIMIT_MAX', '0'],
    ['HUB_URL', 'ftp://hub'],
  ])('rejects %s=%s with one line naming the key and what it accepts', (key, value) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(key);
    expect(message).toContain('must be');
    expect(message).not.toContain('\n');
  });

  it('never prints a secret value in an error', () => {
    expect(() => loadConfig({ SENTRY_DSN: 'not a url with secret' })).toThrow(/\*\*\*/);
  });
});

describe('.env.example', () => {
  it('documents every setting and matches the generator', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    expect(example).toBe(renderEnvExample());
    for (const setting of Object.values(SETTINGS)) expect(example).toContain(setting.key);
  });
});

describe('README', () => {
  it('documents every setting in its configuration table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const setting of Object.values(SETTINGS)) expect(readme).toContain(`| \`${setting.key}\` |`);
    expect(readme).toContain(renderSettingsTable());
  });
});
