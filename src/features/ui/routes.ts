/**
 * The web UI's server side: the branding/UI configuration (`GET /api/config/ui`), the OAuth
 * sign-in helpers (`GET /api/auth/oauth/config`, `POST /api/auth/oauth/token`) and the built
 * single-page app from `web/dist` — `/` and every unknown non-API path answer index.html, so
 * that deep links (`/models/org/name`, `/compare?…`) work; unknown API paths stay JSON 404s.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../http/errors.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import type { OAuthClient, TokenExchangeRequest } from './oauth.js';
import { DEFAULT_UI_BRANDING, UiLink, UiTranslation, type UiBranding } from './ui-config.js';

export interface UiRoutesOptions {
  /** Folder of the built app (index.html + assets/); see defaultWebDistDir(). */
  distDir: string;
  uiConfig: UiBranding;
  benchmarks: readonly BenchmarkDefinition[];
  oauth: OAuthClient;
  /** Base URL of the Hub, for "view on the Hub" links. */
  hubUrl: string;
}

/** Paths that belong to the API and operations: never answered with the app. */
const RESERVED_PREFIXES = ['/api', '/docs', '/openapi.json', '/health', '/ready', '/metrics'];

export function isReservedPath(pathname: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * `web/dist` of this package, from the source tree (src/features/ui) or the compiled tree
 * (dist/src/features/ui): the nearest ancestor folder holding package.json.
 */
export function defaultWebDistDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'web', 'dist');
    dir = path.dirname(dir);
  }
  return path.resolve('web', 'dist');
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Web UI not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1a1d23}code{background:#eef0f3;padding:.1rem .3rem;border-radius:4px}</style>
</head><body><h1>The web UI is not built</h1>
<p>The API is running: see <a href="/docs">/docs</a>. To serve the leaderboard UI here, build it once and restart the server:</p>
<p><code>npm run build:web</code></p>
</body></html>`;

const BenchmarkInfo = Type.Object({
  key: Type.String(),
  name: Type.String(),
  raw_column: Type.String(),
  normalized_column: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
});

/** Example of the OpenAPI document: sign-in with the Hub enabled. */
const OAUTH_EXAMPLE = {
  enabled: true,
  client_id: '5f0c8a2e-1b7d-4c39-9e64-2a8d7f3b1c05',
  provider_url: 'https://huggingface.co',
  scopes: 'openid profile',
  authorize_url: 'https://huggingface.co/oauth/authorize',
  token_exchange: 'server',
};

const OAuthPublic = Type.Object(
  {
    enabled: Type.Boolean(),
    client_id: Type.Union([Type.String(), Type.Null()]),
    provider_url: Type.String(),
    scopes: Type.String({ description: 'Space-separated scopes asked for' }),
    authorize_url: Type.Union([Type.String(), Type.Null()], { description: 'The provider authorization endpoint (OpenID discovery)' }),
    token_exchange: Type.Literal('server', { description: 'Codes are exchanged through POST /api/auth/oauth/token' }),
  },
  { examples: [OAUTH_EXAMPLE] },
);

/** The answer of `GET /api/config/ui`, its example built from the default branding and the configured benchmarks. */
/** What the browser needs to know of each configured benchmark. */
function publicBenchmarks(benchmarks: readonly BenchmarkDefinition[]) {
  return benchmarks.map((b) => ({
    key: b.key,
    name: b.name,
    raw_column: b.raw_column,
    normalized_column: b.normalized_column,
    description: b.description ?? null,
  }));
}

function uiConfigResponseSchema(benchmarks: readonly BenchmarkDefinition[]) {
  const example = {
    ...DEFAULT_UI_BRANDING,
    links: [...DEFAULT_UI_BRANDING.links, { label: 'GitHub', url: 'https://github.com/acme/open-leaderboard' }],
    languages: ['en', 'fr'],
    translations: { fr: { title: 'Classement des LLM ouverts', subtitle: 'Comparer les grands modèles de langage ouverts sur les mêmes tests.' } },
    benchmarks: publicBenchmarks(benchmarks),
    hub_url: 'https://huggingface.co',
    oauth: OAUTH_EXAMPLE,
  };
  return Type.Object(
    {
      title: Type.String(),
      subtitle: Type.String(),
      logo_url: Type.Union([Type.String(), Type.Null()]),
      links: Type.Array(UiLink),
      about_markdown: Type.String({ description: 'The about page, Markdown' }),
      default_language: Type.String(),
      languages: Type.Array(Type.String(), { description: 'Languages offered in the switch; empty: every language the UI ships' }),
      translations: Type.Record(Type.String(), UiTranslation, { description: 'Per-language title, subtitle, about page and links' }),
      benchmarks: Type.Array(BenchmarkInfo),
      hub_url: Type.String(),
      oauth: OAuthPublic,
    },
    { examples: [example] },
  );
}

const TokenExchangeBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 4096 }),
    code_verifier: Type.String({ minLength: 43, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$', description: 'The PKCE verifier (RFC 7636)' }),
    redirect_uri: Type.String({ minLength: 1, maxLength: 2000, pattern: '^https?://' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        code: 'uVd6sN3kQ0rT8yWb2hJ5mX9cA1eF4gL7',
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        redirect_uri: 'https://leaderboard.example.org/auth/callback',
      },
    ],
  },
);

const TokenExchangeResult = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.String(),
    expires_in: Type.Union([Type.Integer(), Type.Null()]),
    scope: Type.Union([Type.String(), Type.Null()]),
  },
  { examples: [{ access_token: 'hf_oauth_eyJhbGciOiJFZERTQSJ9.example.signature', token_type: 'bearer', expires_in: 28800, scope: 'openid profile' }] },
);

export async function uiRoutes(app: FastifyInstance, options: UiRoutesOptions): Promise<void> {
  const { uiConfig, benchmarks, oauth, hubUrl } = options;
  const distDir = path.resolve(options.distDir);
  const configuredBenchmarks = publicBenchmarks(benchmarks);

  app.get(
    '/api/config/ui',
    {
      schema: {
        operationId: 'getUiConfig',
        summary: 'Branding and configuration of the web UI',
        description: 'Title, subtitle, logo, links and about page (UI_CONFIG_FILE), the benchmarks, and whether OAuth sign-in is offered.',
        tags: ['ui'],
        response: { 200: uiConfigResponseSchema(benchmarks), ...errorResponses() },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return {
        ...uiConfig,
        benchmarks: configuredBenchmarks,
        hub_url: hubUrl,
        oauth: await oauth.publicConfig(),
      };
    },
  );

  app.get(
    '/api/auth/oauth/config',
    {
      schema: {
        operationId: 'getOAuthConfig',
        summary: 'OAuth sign-in settings for the browser',
        description: 'Enabled when OAUTH_CLIENT_ID is set. The browser runs the authorization code flow with PKCE and exchanges the code through POST /api/auth/oauth/token.',
        tags: ['auth'],
        response: { 200: OAuthPublic, ...errorResponses() },
      },
    },
    async () => oauth.publicConfig(),
  );

  app.post(
    '/api/auth/oauth/token',
    {
      schema: {
        operationId: 'exchangeOAuthCode',
        summary: 'Exchange an OAuth authorization code for an access token',
        description:
          'Sends the code and its PKCE verifier to the provider token endpoint (with the client secret when OAUTH_CLIENT_SECRET is set) and returns the access token, which the browser then sends as its Bearer. The server keeps nothing.',
        tags: ['auth'],
        body: TokenExchangeBody,
        response: { 200: TokenExchangeResult, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return oauth.exchange(request.body as TokenExchangeRequest);
    },
  );

  const built = existsSync(path.join(distDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: distDir, serve: false });

  const serveApp = async (request: FastifyRequest, reply: FastifyReply) => {
    const pathname = decodeSafely(request.url.split('?')[0] ?? '/');
    if (pathname === undefined || isReservedPath(pathname)) return reply.callNotFound();
    if (!built) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT_PAGE);
    const relative = pathname.replace(/^\/+/, '');
    const file = relative === '' ? undefined : resolveInside(distDir, relative);
    if (file && relative !== 'index.html') {
      reply.header('cache-control', relative.startsWith('assets/') ? IMMUTABLE : 'public, max-age=3600');
      return reply.sendFile(relative, distDir, { cacheControl: false });
    }
    // A missing asset is a 404, not the app (a script tag must not receive HTML).
    if (relative.startsWith('assets/') || /\.(js|mjs|css|map|png|svg|ico|jpg|jpeg|webp|woff2?|json|txt)$/i.test(relative)) {
      return reply.callNotFound();
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', distDir, { cacheControl: false });
  };

  // The app's files are not rate-limited (a page load is a handful of them); API-looking paths are.
  const spaRoute = {
    schema: { hide: true },
    config: { rateLimit: { allowList: (request: FastifyRequest) => !isReservedPath(decodeSafely(request.url.split('?')[0] ?? '/') ?? '/api') } },
  };
  app.get('/', spaRoute, serveApp);
  app.get('/*', spaRoute, serveApp);
}

function decodeSafely(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

/** The file `relative` inside `root`, if it exists and does not escape it. */
function resolveInside(root: string, relative: string): string | undefined {
  const resolved = path.resolve(root, relative);
  if (!resolved.startsWith(root + path.sep)) return undefined;
  try {
    return statSync(resolved).isFile() ? resolved : undefined;
  } catch {
    return undefined;
  }
}
