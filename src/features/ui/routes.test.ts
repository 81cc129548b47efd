import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../../test/hub-emulator/index.js';
import { installErrorHandler } from '../../http/error-handler.js';
import { createMetrics } from '../../http/metrics.js';
import { DEFAULT_BENCHMARKS } from '../../scoring/benchmarks.js';
import { OAuthClient } from './oauth.js';
import { defaultWebDistDir, isReservedPath, uiRoutes } from './routes.js';
import { validateUiConfig } from './ui-config.js';

const silent = pino({ level: 'silent' });
let root: string;
let distDir: string;
let hub: HubEmulator;

async function makeApp(options: { dist: string; clientId?: string; clientSecret?: string; providerUrl?: string; rateLimitMax?: number }): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app, { metrics: createMetrics({ defaultMetrics: false }) });
  if (options.rateLimitMax) await app.register(rateLimit, { global: true, max: options.rateLimitMax, timeWindow: 60_000 });
  app.get('/api/known', async () => ({ ok: true }));
  await app.register(uiRoutes, {
    distDir: options.dist,
    uiConfig: validateUiConfig({ title: 'Test board', languages: ['en', 'fr'] }),
    benchmarks: DEFAULT_BENCHMARKS,
    hubUrl: 'https://hub.example',
    oauth: new OAuthClient(
      { clientId: options.clientId, clientSecret: options.clientSecret, providerUrl: options.providerUrl ?? hub.url, scopes: 'openid profile' },
      silent,
    ),
  });
  await app.ready();
  return app;
}

beforeAll(async () => {
  hub = await startHubEmulator();
  root = await mkdtemp(path.join(tmpdir(), 'ui-routes-'));
  distDir = path.join(root, 'dist');
  await mkdir(path.join(distDir, 'assets'), { recursive: true });
  await writeFile(path.join(distDir, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/app-abc123.js"></script>');
  await writeFile(path.join(distDir, 'assets', 'app-abc123.js'), 'console.log("app")');
  await writeFile(path.join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(root, 'secret.txt'), 'outside');
});
afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

describe('the single-page app', () => {
  it('answers / and unknown non-API paths with index.html, not cached', async () => {
    const app = await makeApp({ dist: distDir });
    for (const url of ['/', '/models/org/name', '/compare?models=a/b,c/d', '/vote']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<title>app</title>');
    }
  });

  it('serves hashed assets with a long cache, other files with a short one', async () => {
    const app = await makeApp({ dist: distDir });
    const asset = await app.inject({ url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('keeps unknown API paths and missing assets as JSON 404s', async () => {
    const app = await makeApp({ dist: distDir });
    for (const url of ['/api/nope', '/api', '/docs/nope', '/health/x', '/metrics/x', '/assets/missing.js', '/missing.png']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    }
    expect((await app.inject({ url: '/api/known' })).json()).toEqual({ ok: true });
  });

  it('never serves a file outside the build folder', async () => {
    const app = await makeApp({ dist: distDir });
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await app.inject({ url });
      expect(response.body, url).not.toContain('outside');
    }
  });

  it('does not rate-limit the app files, but does unknown API paths', async () => {
    const app = await makeApp({ dist: distDir, rateLimitMax: 2 });
    for (let i = 0; i < 5; i += 1) {
      expect((await app.inject({ url: '/assets/app-abc123.js' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/compare' })).statusCode).toBe(200);
    }
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await app.inject({ url: '/api/nope' })).statusCode);
    expect(statuses).toEqual([404, 404, 429, 429]);
  });

  it('says how to build the UI when web/dist is missing', async () => {
    const app = await makeApp({ dist: path.join(root, 'not-built') });
    const response = await app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('npm run build:web');
    expect((await app.inject({ url: '/api/nope' })).statusCode).toBe(404);
  });

  it('finds web/dist of the package', () => {
    expect(defaultWebDistDir()).toBe(path.resolve('web', 'dist'));
    expect(isReservedPath('/api/x')).toBe(true);
    expect(isReservedPath('/apiary')).toBe(false);
    expect(isReservedPath('/openapi.json')).toBe(true);
  });
});

describe('GET /api/config/ui', () => {
  it('returns the branding, the configured benchmarks and the OAuth settings', async () => {
    const app = await makeApp({ dist: distDir, clientId: 'client-1' });
    const body = (await app.inject({ url: '/api/config/ui' })).json();
    expect(body).toMatchObject({
      title: 'Test board',
      languages: ['en', 'fr'],
      hub_url: 'https://hub.example',
      oauth: { enabled: true, client_id: 'client-1', provider_url: hub.url, scopes: 'openid profile', authorize_url: `${hub.url}/oauth/authorize` },
    });
    expect(body.benchmarks.map((b: { key: string }) => b.key)).toEqual(DEFAULT_BENCHMARKS.map((b) => b.key));
  });

  it('reports OAuth disabled without a client id', async () => {
    const app = await makeApp({ dist: distDir });
    expect((await app.inject({ url: '/api/auth/oauth/config' })).json()).toMatchObject({ enabled: false, client_id: null, authorize_url: null });
  });
});

describe('POST /api/auth/oauth/token', () => {
  async function authorize(redirectUri: string): Promise<{ code: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = `${hub.url}/oauth/authorize?client_id=client-1&response_type=code&scope=openid&state=s&code_challenge=${challenge}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(redirectUri)}`;
    const response = await fetch(url, { redirect: 'manual' });
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    return { code, verifier };
  }

  it('exchanges a PKCE code with the provider and returns the access token', async () => {
    const app = await makeApp({ dist: distDir, clientId: 'client-1', clientSecret: 'shh' });
    const redirectUri = 'http://localhost:7860/auth/callback';
    const { code, verifier } = await authorize(redirectUri);
    const response = await app.inject({ method: 'POST', url: '/api/auth/oauth/token', payload: { code, code_verifier: verifier, redirect_uri: redirectUri } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({ access_token: expect.stringMatching(/^hf_oauth_/), token_type: 'bearer' });
    const tokenCall = hub.requestLog.filter((r) => r.path === '/oauth/token').at(-1)!;
    expect(tokenCall.headers.authorization).toBe(`Basic ${Buffer.from('client-1:shh').toString('base64')}`);
  });

  it('shows the provider reason for a refused code (wrong verifier)', async () => {
    const app = await makeApp({ dist: distDir, clientId: 'client-1' });
    const redirectUri = 'http://localhost:7860/auth/callback';
    const { code } = await authorize(redirectUri);
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/oauth/token',
      payload: { code, code_verifier: 'x'.repeat(43), redirect_uri: redirectUri },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(/code_verifier does not match/);
  });

  it('is a 404 when OAuth is not configured, a 503 when the provider is down', async () => {
    const off = await makeApp({ dist: distDir });
    const body = { code: 'c', code_verifier: 'v'.repeat(43), redirect_uri: 'http://localhost/auth/callback' };
    expect((await off.inject({ method: 'POST', url: '/api/auth/oauth/token', payload: body })).statusCode).toBe(404);
    const down = await makeApp({ dist: distDir, clientId: 'client-1', providerUrl: 'http://127.0.0.1:9' });
    const response = await down.inject({ method: 'POST', url: '/api/auth/oauth/token', payload: body });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('HUB_UNAVAILABLE');
  });
});
