/**
 * Configuration: environment variables (and an optional `.env` file) validated once into a
 * frozen `Config`. Every setting is declared in `SETTINGS` with its parser, default and the
 * sentence that documents it, so that validation, `.env.example` and the README table cannot
 * drift apart. A bad value fails fast with one line naming the key and what it accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly accepts: string,
    readonly got: string,
  ) {
    super(`Invalid configuration: ${key} must be ${accepts} (got ${JSON.stringify(got)})`);
    this.name = 'ConfigError';
  }
}

/** A parser returns the value or throws a string describing what the key accepts. */
type Parser<T> = (raw: string) => T;

interface Setting<T> {
  key: string;
  default: string | undefined;
  accepts: string;
  describe: string;
  parse: Parser<T>;
  /** Secrets are never printed (e.g. in `npm run cli -- config`). */
  secret?: boolean;
}

function fail(): never {
  throw new Error('invalid');
}

const optionalText: Parser<string | undefined> = (raw) => (raw === '' ? undefined : raw);

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) fail();
    const value = Number(raw);
    if (value < min || value > max) fail();
    return value;
  };
}

function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) fail();
  return value;
}

function oneOf<T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    const value = raw.trim().toLowerCase() as T;
    if (!values.includes(value)) fail();
    return value;
  };
}

function boolean(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(value)) return false;
  return fail();
}

/** A JSON list of strings (`["a","b"]`) or a comma-separated list (`a,b`). */
function stringList(raw: string): string[] {
  const trimmed = raw.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      fail();
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) fail();
    return (parsed as string[]).map((item) => item.trim()).filter(Boolean);
  }
  return trimmed
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail();
  return raw.replace(/\/+$/, '');
}

const optionalHttpUrl: Parser<string | undefined> = (raw) => (raw === '' ? undefined : httpUrl(raw));

export const AUTH_PROVIDER_NAMES = ['hub', 'local'] as const;
export type AuthProviderName = (typeof AUTH_PROVIDER_NAMES)[number];

/** `hub,local`: known names, at least one, none twice. */
function authProviderList(raw: string): AuthProviderName[] {
  const names = stringList(raw).map((name) => name.toLowerCase());
  if (names.length === 0 || new Set(names).size !== names.length) fail();
  if (!names.every((name) => (AUTH_PROVIDER_NAMES as readonly string[]).includes(name))) fail();
  return names as AuthProviderName[];
}

/** `org/name` (Hub repo id rules), or unset. */
function repoIdOrEmpty(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!/^[\w.-]{1,96}\/[\w.-]{1,96}$/.test(value) || value.includes('--') || value.includes('..')) fail();
  return value;
}

/** TRUST_PROXY: false | true | hops | list of addresses (Fastify's trustProxy forms). */
function trustProxy(raw: string): boolean | number | string[] {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (!list.every((item) => /^[\d.:a-f]+(\/\d{1,3})?$/.test(item))) fail();
  return list;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogLevels {
  /** Level of the root logger and of every component without its own level. */
  base: LogLevelName;
  /** Per-component overrides, e.g. `{ hub: 'debug' }` from `LOG_LEVEL=info,hub=debug`. */
  components: Readonly<Record<string, LogLevelName>>;
}

/** `info`, `INFO`, `warning` or `info,hub=debug,votes=warn`. */
function logLevels(raw: string): LogLevels {
  const normalise = (level: string): LogLevelName => {
    const value = level.trim().toLowerCase();
    const mapped = value === 'warning' ? 'warn' : value === 'critical' ? 'fatal' : value;
    if (!(LOG_LEVELS as readonly string[]).includes(mapped)) fail();
    return mapped as LogLevelName;
  };
  let base: LogLevelName = 'info';
  const components: Record<string, LogLevelName> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq === -1) base = normalise(part);
    else {
      const component = part.slice(0, eq).trim();
      if (!/^[\w-]+$/.test(component)) fail();
      components[component] = normalise(part.slice(eq + 1));
    }
  }
  return { base, components };
}

function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

/** Every setting the server reads, in the order of the README's configuration table. */
export const SETTINGS = {
  environment: setting({
    key: 'ENVIRONMENT',
    default: 'development',
    accepts: 'one of development, production',
    describe: 'Environment. `development` pretty-prints logs and creates a demo token; `production` refuses unsafe settings.',
    parse: oneOf('development', 'production'),
  }),
  hfToken: setting({
    key: 'HF_TOKEN',
    default: undefined,
    accepts: 'a Hugging Face token (hf_…)',
    describe: 'Hugging Face token used for Hub reads (gated models) and, with STORAGE=hub, dataset writes.',
    parse: optionalText,
    secret: true,
  }),
  port: setting({
    key: 'PORT',
    default: '7860',
    accepts: 'an integer from 0 to 65535',
    describe: 'HTTP port.',
    parse: integer(0, 65535),
  }),
  host: setting({
    key: 'HOST',
    default: '0.0.0.0',
    accepts: 'a host name or IP address',
    describe: 'Interface to listen on.',
    parse: (raw) => (raw.trim() === '' ? fail() : raw.trim()),
  }),
  logLevel: setting({
    key: 'LOG_LEVEL',
    default: 'info',
    accepts: 'a level (fatal, error, warn, info, debug, trace, silent), optionally followed by component=level pairs, e.g. info,hub=debug',
    describe: 'Log level, with per-component levels: `info,hub=debug,votes=warn`.',
    parse: logLevels,
  }),
  corsOrigins: setting({
    key: 'CORS_ORIGINS',
    default: '["*"]',
    accepts: 'a JSON list of origins or a comma-separated list',
    describe: 'Allowed CORS origins (`["*"]` allows any).',
    parse: stringList,
  }),
  cacheTtl: setting({
    key: 'CACHE_TTL',
    default: '300',
    accepts: 'a positive number of seconds',
    describe: 'How often (seconds) dataset versions are checked; a change is picked up within this time.',
    parse: positiveNumber,
  }),
  dataDir: setting({
    key: 'DATA_DIR',
    default: './data',
    accepts: 'a directory path',
    describe: 'Folder of the local datasets (`contents/`, `requests/`, `votes/`, `official-providers/`, `auth/`). Demo data is created here when it holds no contents.',
    parse: (raw) => (raw.trim() === '' ? fail() : path.resolve(raw.trim())),
  }),
  storage: setting({
    key: 'STORAGE',
    default: 'local',
    accepts: 'one of local, hub',
    describe: 'Where the datasets live: a local folder (`DATA_DIR`) or Hugging Face Hub datasets.',
    parse: oneOf('local', 'hub'),
  }),
  hfOrganization: setting({
    key: 'HF_ORGANIZATION',
    default: 'open-llm-leaderboard',
    accepts: 'a Hub organization name',
    describe: 'Organization owning the datasets (`{org}/requests`, …) and used for details links.',
    parse: (raw) => (/^[\w.-]{1,96}$/.test(raw.trim()) ? raw.trim() : fail()),
  }),
  benchmarksFile: setting({
    key: 'BENCHMARKS_FILE',
    default: undefined,
    accepts: 'a path to a JSON or YAML benchmarks file',
    describe: 'Benchmark definitions (JSON or YAML). Default: the six Open LLM Leaderboard v2 benchmarks.',
    parse: (raw) => (raw.trim() === '' ? undefined : path.resolve(raw.trim())),
  }),
  rateLimitMax: setting({
    key: 'RATE_LIMIT_MAX',
    default: '300',
    accepts: 'a positive integer',
    describe: 'Requests allowed per client IP per window (health endpoints are exempt).',
    parse: integer(1),
  }),
  rateLimitWindow: setting({
    key: 'RATE_LIMIT_WINDOW',
    default: '60',
    accepts: 'a positive number of seconds',
    describe: 'Rate-limit window in seconds.',
    parse: positiveNumber,
  }),
  bodyLimit: setting({
    key: 'BODY_LIMIT',
    default: '1048576',
    accepts: 'a positive integer (bytes)',
    describe: 'Largest accepted request body in bytes (results uploads allow 16×).',
    parse: integer(1024),
  }),
  trustProxy: setting({
    key: 'TRUST_PROXY',
    default: 'false',
    accepts: 'false, true, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs',
    describe:
      'Which X-Forwarded-For entries to believe for the client IP (rate limits, logs). `false`: the socket address. A number: that many proxies in front of the server. `true` believes any value a client sends, which lets clients dodge the per-IP limit.',
    parse: trustProxy,
  }),
  sentryDsn: setting({
    key: 'SENTRY_DSN',
    default: undefined,
    accepts: 'a Sentry DSN URL',
    describe: 'Report 5xx errors to Sentry (needs the optional package `@sentry/node`).',
    parse: optionalHttpUrl,
    secret: true,
  }),
  cacheDir: setting({
    key: 'CACHE_DIR',
    default: './.cache',
    accepts: 'a directory path',
    describe: 'With STORAGE=hub: the local mirror of the Hub datasets and the vote outbox.',
    parse: (raw) => (raw.trim() === '' ? fail() : path.resolve(raw.trim())),
  }),
  hubCreateDatasets: setting({
    key: 'HUB_CREATE_DATASETS',
    default: 'false',
    accepts: 'true or false',
    describe: 'With STORAGE=hub: create missing datasets at startup instead of failing.',
    parse: boolean,
  }),
  datasetContents: setting({
    key: 'HUB_DATASET_CONTENTS',
    default: undefined,
    accepts: 'a Hub dataset id (org/name)',
    describe: 'Hub dataset of the leaderboard table. Default `{HF_ORGANIZATION}/contents`.',
    parse: repoIdOrEmpty,
  }),
  datasetRequests: setting({
    key: 'HUB_DATASET_REQUESTS',
    default: undefined,
    accepts: 'a Hub dataset id (org/name)',
    describe: 'Hub dataset of the evaluation requests. Default `{HF_ORGANIZATION}/requests`.',
    parse: repoIdOrEmpty,
  }),
  datasetVotes: setting({
    key: 'HUB_DATASET_VOTES',
    default: undefined,
    accepts: 'a Hub dataset id (org/name)',
    describe: 'Hub dataset of the votes. Default `{HF_ORGANIZATION}/votes`.',
    parse: repoIdOrEmpty,
  }),
  datasetOfficialProviders: setting({
    key: 'HUB_DATASET_OFFICIAL_PROVIDERS',
    default: undefined,
    accepts: 'a Hub dataset id (org/name)',
    describe: 'Hub dataset of the official providers. Default `{HF_ORGANIZATION}/official-providers`.',
    parse: repoIdOrEmpty,
  }),
  datasetResults: setting({
    key: 'HUB_DATASET_RESULTS',
    default: undefined,
    accepts: 'a Hub dataset id (org/name)',
    describe: 'Hub dataset of the stored evaluation results. Default `{HF_ORGANIZATION}/results`.',
    parse: repoIdOrEmpty,
  }),
  votePushInterval: setting({
    key: 'VOTE_PUSH_INTERVAL',
    default: '10',
    accepts: 'a positive number of seconds',
    describe: 'With STORAGE=hub: how often buffered votes are pushed to the votes dataset.',
    parse: positiveNumber,
  }),
  voteBatchSize: setting({
    key: 'VOTE_BATCH_SIZE',
    default: '1000',
    accepts: 'a positive integer',
    describe: 'With STORAGE=hub: most votes pushed in one commit.',
    parse: integer(1),
  }),
  webhookSecret: setting({
    key: 'WEBHOOK_SECRET',
    default: undefined,
    accepts: 'a string',
    describe: 'Secret of the Hub webhook (`POST /api/webhooks/hub`, header X-Webhook-Secret). Unset: the webhook is disabled.',
    parse: optionalText,
    secret: true,
  }),
  redisUrl: setting({
    key: 'REDIS_URL',
    default: undefined,
    accepts: 'a redis:// URL',
    describe: 'Redis for rate limits shared by several instances. Unset: limits are per instance.',
    parse: (raw) => (raw.trim() === '' ? undefined : /^rediss?:\/\//.test(raw.trim()) ? raw.trim() : fail()),
    secret: true,
  }),
  hubUrl: setting({
    key: 'HUB_URL',
    default: 'https://huggingface.co',
    accepts: 'an http(s) URL',
    describe: 'Base URL of the Hugging Face Hub (or of a compatible emulator).',
    parse: httpUrl,
  }),
  uiConfigFile: setting({
    key: 'UI_CONFIG_FILE',
    default: undefined,
    accepts: 'a path to a JSON or YAML UI configuration file',
    describe: 'Branding of the web UI: title, subtitle, logo, links, about page (Markdown) and languages. See examples/ui-config.yaml.',
    parse: (raw) => (raw.trim() === '' ? undefined : path.resolve(raw.trim())),
  }),
  oauthClientId: setting({
    key: 'OAUTH_CLIENT_ID',
    default: undefined,
    accepts: 'an OAuth client id',
    describe: 'Client id of an OAuth app (e.g. a Hugging Face OAuth app): enables "Sign in with Hugging Face" in the web UI.',
    parse: optionalText,
  }),
  oauthClientSecret: setting({
    key: 'OAUTH_CLIENT_SECRET',
    default: undefined,
    accepts: 'an OAuth client secret',
    describe: 'Client secret of the OAuth app, if it is a confidential client; the server adds it when it exchanges the sign-in code.',
    parse: optionalText,
    secret: true,
  }),
  openidProviderUrl: setting({
    key: 'OPENID_PROVIDER_URL',
    default: undefined,
    accepts: 'an http(s) URL',
    describe: 'OpenID provider of the OAuth sign-in (its /.well-known/openid-configuration is read). Default: HUB_URL.',
    parse: optionalHttpUrl,
  }),
  oauthScopes: setting({
    key: 'OAUTH_SCOPES',
    default: 'openid profile',
    accepts: 'a space- or comma-separated list of scopes',
    describe: 'Scopes asked for by the OAuth sign-in.',
    parse: (raw) => {
      const scopes = raw.split(/[\s,]+/).filter(Boolean);
      return scopes.length === 0 ? fail() : scopes.join(' ');
    },
  }),
  authProviders: setting({
    key: 'AUTH_PROVIDERS',
    default: 'local',
    accepts: 'a comma-separated (or JSON) list of hub, local, without repeats',
    describe:
      'Ordered chain of token verifiers for writes: `hub` (Hugging Face tokens, checked with the Hub\'s whoami) and `local` (tokens made by `npm run cli -- tokens create`). Typical production: `hub,local`.',
    parse: authProviderList,
  }),
  authCacheTtl: setting({
    key: 'AUTH_CACHE_TTL',
    default: '300',
    accepts: 'a positive number of seconds',
    describe: 'How long a Hub token that verified is trusted before the Hub is asked again (a rejected token is remembered for 10 s).',
    parse: positiveNumber,
  }),
  authHubTimeout: setting({
    key: 'AUTH_HUB_TIMEOUT',
    default: '5',
    accepts: 'a positive number of seconds',
    describe: 'Timeout of one Hub whoami request; a Hub that does not answer in time gives 503.',
    parse: positiveNumber,
  }),
  adminUsers: setting({
    key: 'ADMIN_USERS',
    default: '',
    accepts: 'a JSON list of Hub user names or a comma-separated list',
    describe: 'Hub users who get the `admin` role (local tokens get it with `tokens create --admin`).',
    parse: stringList,
  }),
  voteRateLimit: setting({
    key: 'VOTE_RATE_LIMIT',
    default: '30',
    accepts: 'a positive integer',
    describe: 'Votes (and retractions) one user may send per minute; more get 429 with Retry-After.',
    parse: integer(1),
  }),
  modelValidation: setting({
    key: 'MODEL_VALIDATION',
    default: 'auto',
    accepts: 'one of auto, hub, off',
    describe:
      'How submissions are checked: `hub` (against the Hub: existence, card, license, size, custom code, chat template), `off` (only checks that need no Hub; refused in production), `auto` (= `hub`, except that the development server falls back to `off` with a warning when the Hub cannot be reached at startup).',
    parse: oneOf('auto', 'hub', 'off'),
  }),
  hubTimeout: setting({
    key: 'HUB_TIMEOUT',
    default: '10',
    accepts: 'a positive number of seconds',
    describe: 'Timeout of one request to the Hub when validating a submission (retried a few times); a Hub that does not answer gives 503.',
    parse: positiveNumber,
  }),
  submissionQuota: setting({
    key: 'SUBMISSION_QUOTA',
    default: '5',
    accepts: 'a positive integer',
    describe: 'Submissions allowed per model namespace (the `org` of `org/model`) per SUBMISSION_PERIOD_DAYS; official providers and QUOTA_EXEMPT are unlimited.',
    parse: integer(1),
  }),
  submissionPeriodDays: setting({
    key: 'SUBMISSION_PERIOD_DAYS',
    default: '7',
    accepts: 'a positive number of days',
    describe: 'Length of the sliding window of the submission quota, in days.',
    parse: positiveNumber,
  }),
  quotaExempt: setting({
    key: 'QUOTA_EXEMPT',
    default: '',
    accepts: 'a JSON list of namespaces or a comma-separated list',
    describe: 'Model namespaces without a submission quota (official providers are always exempt).',
    parse: stringList,
  }),
  maxModelSizeB: setting({
    key: 'MAX_MODEL_SIZE_B',
    default: '100',
    accepts: 'a positive number (billions of parameters)',
    describe:
      'Largest model accepted in float16/bfloat16, in billions of parameters. Quantized precisions scale it by the memory they save: 8bit ×2, 4bit ×4, GPTQ ×16/bits (4-bit GPTQ ×4).',
    parse: positiveNumber,
  }),
  jobTimeout: setting({
    key: 'JOB_TIMEOUT',
    default: '21600',
    accepts: 'a positive number of seconds',
    describe:
      'An evaluation job (claimed through /api/evaluations/claim) without a status update for this long goes back to pending. Workers send RUNNING as a heartbeat.',
    parse: positiveNumber,
  }),
} as const;

type SettingsTable = typeof SETTINGS;
type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** The validated configuration. Frozen: nothing changes it after startup. */
export type Config = { readonly [K in keyof SettingsTable]: ValueOf<SettingsTable[K]> };

export type Env = Readonly<Record<string, string | undefined>>;

/** Validate `env` into a frozen Config; throws ConfigError naming the first bad key. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const values: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[s.key] ?? s.default;
    if (raw === undefined) {
      values[name] = undefined;
      continue;
    }
    try {
      values[name] = s.parse(raw);
    } catch {
      throw new ConfigError(s.key, s.accepts, s.secret ? '***' : raw);
    }
  }
  const config = { ...values, ...overrides } as Config;
  if (config.environment === 'production' && config.modelValidation === 'off') {
    throw new ConfigError('MODEL_VALIDATION', 'hub or auto when ENVIRONMENT=production (unchecked submissions are for demos)', 'off');
  }
  return Object.freeze(config);
}

/**
 * Reads `.env` from the working directory into process.env (existing variables win), with
 * Node's own parser (`process.loadEnvFile`, Node ≥ 20.12), so no dependency is needed.
 */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** The `.env.example` text, generated from SETTINGS (kept in the repository; a test checks it). */
export function renderEnvExample(): string {
  const lines = ['# Every setting of the leaderboard server, with its default. Copy to .env and edit.', ''];
  for (const s of Object.values(SETTINGS) as Setting<unknown>[]) {
    lines.push(`# ${s.describe}`, `# Accepts: ${s.accepts}.`);
    lines.push(s.default === undefined ? `# ${s.key}=` : `${s.key}=${s.default}`, '');
  }
  return lines.join('\n');
}

/** The README's configuration table (Markdown), generated from SETTINGS. */
export function renderSettingsTable(): string {
  const rows = (Object.values(SETTINGS) as Setting<unknown>[]).map(
    (s) => `| \`${s.key}\` | ${s.describe.replace(/\|/g, '\\|')} | ${s.default === undefined || s.default === '' ? '—' : `\`${s.default}\``} |`,
  );
  return ['| Variable | Description | Default |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Reads an operator's configuration file: YAML when its name ends in .yaml/.yml, else JSON. */
export function readJsonOrYaml(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
}
