/**
 * The composition root: `buildApp(config, deps)` builds the adapters, the services and the
 * Fastify instance with every plugin and route. Nothing else constructs dependencies; tests
 * pass their own through `deps` (a temp-dir store, the Hub emulator, a fixed clock).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createAuthChain } from './features/auth/create-auth-chain.js';
import { installAuth, type AuthGuards } from './features/auth/guards.js';
import { authRoutes } from './features/auth/routes.js';
import { leaderboardCatalog } from './features/votes/model-catalog.js';
import { requestsQueueLookup } from './features/votes/queue-lookup.js';
import { voteRoutes } from './features/votes/routes.js';
import { VoteService } from './features/votes/service.js';
import { openVoteOutbox, voteOutboxDir, type VoteOutbox } from './features/votes/vote-outbox.js';
import { webhookRoutes } from './features/sync/webhook-routes.js';
import { leaderboardRoutes } from './features/leaderboard/routes.js';
import { LeaderboardService } from './features/leaderboard/service.js';
import { OAuthClient } from './features/ui/oauth.js';
import { defaultWebDistDir, uiRoutes } from './features/ui/routes.js';
import { loadUiConfig } from './features/ui/ui-config.js';
import { QueueService } from './features/queue/queue-service.js';
import { RequestsIndex } from './features/queue/requests-index.js';
import { queueRoutes } from './features/queue/routes.js';
import { submissionRoutes } from './features/submissions/routes.js';
import { SubmissionService } from './features/submissions/service.js';
import { EvaluationService } from './features/evaluation/evaluation-service.js';
import { exportRoutes } from './features/evaluation/export-routes.js';
import { ResultsIngestion } from './features/evaluation/results-ingestion.js';
import { evaluationRoutes } from './features/evaluation/routes.js';
import { createHfModelHub } from './hub/hf-model-hub.js';
import type { ModelHub } from './hub/model-hub.js';
import { installErrorHandler, sendError, type ErrorReporter } from './http/error-handler.js';
import { createSentryReporter } from './http/error-reporter.js';
import { AppError } from './http/errors.js';
import { healthRoutes } from './http/health-routes.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { Readiness } from './http/readiness.js';
import { componentLogger, createLogger, type Logger } from './logging.js';
import { loadBenchmarks, type BenchmarkDefinition } from './scoring/benchmarks.js';
import type { Datasets } from './storage/dataset-repo.js';
import { createDatasets } from './storage/create-datasets.js';
import { LocalDatasetRepo } from './storage/local-repo.js';

export const API_VERSION = '1.0.0';
/** Time for a client to send a request's headers, and the whole request (see the Fastify options). */
export const HEADERS_TIMEOUT_MS = 15_000;
export const REQUEST_TIMEOUT_MS = 60_000;

/** Everything a test or another entry point may replace. */
export interface AppDeps {
  logger?: Logger;
  datasets?: Datasets;
  metrics?: Metrics;
  benchmarks?: readonly BenchmarkDefinition[];
  errorReporter?: ErrorReporter;
  /** The clock, for wait times, quotas and vote timestamps. */
  now?: () => Date;
  /** The fetch used to verify Hub tokens (whoami). */
  fetch?: typeof fetch;
  /** Model info, cards and parameter counts for submission checks (default: the Hub at HUB_URL). */
  modelHub?: ModelHub;
}

export interface AppServices {
  config: Config;
  logger: Logger;
  datasets: Datasets;
  metrics: Metrics;
  readiness: Readiness;
  benchmarks: readonly BenchmarkDefinition[];
  leaderboard: LeaderboardService;
  /** Every request file of the requests dataset, indexed by model. */
  requests: RequestsIndex;
  /** Auth guards for routes: `{ onRequest: auth.requireIdentity }`, `auth.requireAdmin`. */
  auth: AuthGuards;
  votes: VoteService;
  /** STORAGE=hub only: votes waiting to be pushed to the Hub votes dataset. */
  voteOutbox: VoteOutbox | undefined;
  modelHub: ModelHub;
  /** Queue lists, pending order and per-model status (the evaluation pipeline claims in `pendingEntries()` order). */
  queue: QueueService;
  submissions: SubmissionService;
  /** The evaluation worker API: claim, status, results, job timeouts. */
  evaluation: EvaluationService;
  /** Results files → contents rows (shared with the ingest-results command). */
  ingestion: ResultsIngestion;
  now: () => Date;
  /** Resolves once every dataset is loaded (the moment /ready turns 200). */
  loaded: Promise<void>;
}

export interface BuiltApp {
  app: FastifyInstance;
  services: AppServices;
}

/** Trust the first `hops` proxies: the address `hops` entries from the socket is the client. */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** Request ids: the caller's `x-request-id` when it is sane, else a fresh UUID. */
function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<BuiltApp> {
  const rootLogger = deps.logger ?? createLogger(config);
  const log = (component: string) => componentLogger(rootLogger, config.logLevel, component);
  const metrics = deps.metrics ?? createMetrics();
  const readiness = new Readiness(log('readiness'));
  const benchmarks = deps.benchmarks ?? loadBenchmarks(config.benchmarksFile);
  const datasets = deps.datasets ?? createDatasets(config, log('hub'));
  const now = deps.now ?? (() => new Date());
  const errorReporter = deps.errorReporter ?? (await createSentryReporter(config.sentryDsn, config.environment, log('errors')));

  const app = Fastify({
    loggerInstance: log('http') as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by our one line in onResponse.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: (request) => requestId(request.headers['x-request-id']),
    bodyLimit: config.bodyLimit,
    // A hop count trusts that many proxies in front of us (proxy-addr's own rule, written
    // out because Fastify's types do not list numbers).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Slow clients (slowloris): headers must arrive within 15 s and a whole request, body
    // included, within 60 s, checked every 2 s. Fastify's defaults end slow headers only after
    // 60–90 s and never end a slow body, so a few connections could be held open forever.
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 2_000 },
    // A malformed percent-encoding or a path parameter over maxParamLength is answered by the
    // router before any hook, in Fastify's own shape (echoing the path): answer in ours.
    // Malformed requests rejected by Node before Fastify sees them (bad headers, headers too
    // large, a timeout): answered in our error shape on the raw socket.
    clientErrorHandler: (error: Error, socket: Socket) => {
      const { code: errorCode } = error as NodeJS.ErrnoException;
      if (errorCode === 'ECONNRESET' || !socket.writable) return;
      const [status, code, detail] =
        errorCode === 'HPE_HEADER_OVERFLOW'
          ? [431, 'BAD_REQUEST', 'The request headers are too large.']
          : errorCode === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'BAD_REQUEST', 'The request took too long to arrive.']
            : [400, 'BAD_REQUEST', 'The request is malformed.'];
      const body = JSON.stringify({ detail, code, request_id: randomUUID() });
      const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      const detail = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long.' : 'The URL is malformed (invalid percent-encoding).';
      return sendError(request, reply, 'BAD_REQUEST', detail);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const leaderboard = new LeaderboardService({
    contents: datasets.contents,
    officialProviders: datasets['official-providers'],
    benchmarks,
    logger: log('leaderboard'),
    metrics,
    readiness,
    checkIntervalMs: config.cacheTtl * 1000,
  });

  const requests = new RequestsIndex({
    repo: datasets.requests,
    logger: log('requests'),
    readiness,
    metrics,
    checkIntervalMs: config.cacheTtl * 1000,
  });

  installErrorHandler(app, { metrics, reporter: errorReporter });

  // One log line and one metrics sample per request.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequests.inc({ method: request.method, route, status });
    metrics.httpDuration.observe({ method: request.method, route, status }, seconds);
    request.log.info(
      { method: request.method, route, url: request.url, status: reply.statusCode, duration_ms: Number(reply.elapsedTime.toFixed(2)) },
      'request',
    );
  });

  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
    exposedHeaders: ['etag', 'x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
  });
  // Security headers. helmet's middleware is built once here: @fastify/helmet rebuilt it (and
  // re-parsed the CSP) on every request, a measurable share of serving a cached payload.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'https:'],
        // Helmet's default would make browsers fetch the UI's own scripts over https, which
        // breaks a plain-http deployment reached by IP or host name (localhost is exempt).
        upgradeInsecureRequests: null,
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  await app.register(compress, { threshold: 500, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } } });
  // REDIS_URL: one shared counter per client IP across instances; without it, per instance.
  // A Redis outage must not take the API down: errors skip the limit rather than fail requests.
  // ioredis is loaded only when used: it is a large module and most instances run without it.
  const redis = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 })
    : undefined;
  redis?.on('error', (error) => log('http').warn({ err: error }, 'redis (rate limits) unavailable'));
  await app.register(rateLimit, {
    ...(redis ? { redis, nameSpace: 'leaderboard-rate-limit-', skipOnError: true } : {}),
    global: true,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindow * 1000,
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Rate limit exceeded: ${context.max} requests per ${context.after}. Retry in ${Math.ceil(context.ttl / 1000)} s.`),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Open leaderboard server',
        description: 'Self-hostable LLM leaderboard API, compatible with the Open LLM Leaderboard backend.',
        version: API_VERSION,
      },
      tags: [
        { name: 'leaderboard', description: 'The leaderboard table' },
        { name: 'models', description: 'Model submissions and the evaluation queue' },
        { name: 'votes', description: 'Votes deciding which pending model is evaluated first' },
        { name: 'evaluations', description: 'The evaluation worker API: claim a job, report its status, post its results' },
        { name: 'auth', description: 'Who the Bearer token stands for' },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Hugging Face token or a local token' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());

  await app.register(healthRoutes, { readiness, metrics });
  await app.register(leaderboardRoutes, { service: leaderboard, benchmarks });

  // Identity (Bearer tokens) and votes.
  const auth = installAuth(app, createAuthChain(config, { logger: log('auth'), ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
  // STORAGE=hub: votes are acknowledged from a local outbox, then pushed to the votes dataset.
  const voteOutbox =
    datasets.votes instanceof LocalDatasetRepo
      ? undefined
      : await openVoteOutbox(config, datasets.votes, log('votes'));
  const votes = new VoteService({
    votesDir: datasets.votes instanceof LocalDatasetRepo ? datasets.votes.root : voteOutboxDir(config),
    shared: voteOutbox && { repo: datasets.votes, outbox: voteOutbox, checkIntervalMs: config.cacheTtl * 1000 },
    queue: requestsQueueLookup(requests),
    catalog: leaderboardCatalog(leaderboard),
    logger: log('votes'),
    readiness,
    metrics,
    now,
    rateLimitPerMinute: config.voteRateLimit,
  });
  await app.register(authRoutes, { auth });
  await app.register(voteRoutes, { service: votes, auth });

  // Submissions and the evaluation queue.
  const modelHub =
    deps.modelHub ?? createHfModelHub({ hubUrl: config.hubUrl, token: config.hfToken, timeoutMs: config.hubTimeout * 1000, logger: log('hub') });
  const queue = new QueueService({ requests, now, votes });
  const submissionLog = log('submissions');
  if (config.modelValidation === 'off') {
    submissionLog.warn('MODEL_VALIDATION=off: submissions are not checked against the Hub (no existence, card, license, size or custom-code checks)');
  }
  const submissions = new SubmissionService({
    requests,
    repo: datasets.requests,
    hub: modelHub,
    validation: config.modelValidation === 'off' ? 'off' : 'hub',
    officialProviders: () => leaderboard.officialProviders(),
    voter: { upvote: async (vote) => void (await votes.castVote(vote.username, { ...vote, vote_type: 'up' })) },
    quota: config.submissionQuota,
    periodDays: config.submissionPeriodDays,
    quotaExempt: config.quotaExempt,
    maxModelSizeB: config.maxModelSizeB,
    now,
    logger: submissionLog,
  });
  await app.register(queueRoutes, { service: queue, isLoaded: () => requests.version() !== undefined });
  await app.register(submissionRoutes, { service: submissions, requireIdentity: auth.requireIdentity });

  // The evaluation pipeline (workers claim, report, post results) and exports of the board.
  const evaluationLog = log('evaluation');
  const ingestion = new ResultsIngestion({
    datasets,
    benchmarks,
    hub: modelHub,
    organization: config.hfOrganization,
    officialProviders: () => leaderboard.officialProviders(),
    now,
    logger: evaluationLog,
  });
  const evaluation = new EvaluationService({
    repo: datasets.requests,
    requests,
    pendingInOrder: () => queue.pendingEntries(),
    ingestion,
    jobTimeoutMs: config.jobTimeout * 1000,
    now,
    logger: evaluationLog,
    afterResults: () => leaderboard.refresh(),
  });
  evaluation.start();
  await app.register(evaluationRoutes, { service: evaluation, auth, resultsBodyLimit: config.bodyLimit * 16 });
  await app.register(exportRoutes, { service: leaderboard, benchmarks });
  // Hub webhook: re-check every dataset head now instead of at the next CACHE_TTL tick.
  await app.register(webhookRoutes, {
    secret: config.webhookSecret,
    refreshAll: async () => {
      await Promise.all([leaderboard.refresh(), requests.refresh(), votes.rebuildFromShared()]);
    },
  });
  // Last: the web UI answers `/` and unknown non-API paths with the single-page app.
  await app.register(uiRoutes, {
    distDir: defaultWebDistDir(),
    uiConfig: loadUiConfig(config.uiConfigFile),
    benchmarks,
    hubUrl: config.hubUrl,
    oauth: new OAuthClient(
      {
        clientId: config.oauthClientId,
        clientSecret: config.oauthClientSecret,
        providerUrl: config.openidProviderUrl ?? config.hubUrl,
        scopes: config.oauthScopes,
      },
      log('oauth'),
    ),
  });

  const loaded = (async () => {
    await Promise.all([leaderboard.start(), requests.start(), votes.start()]);
    voteOutbox?.start();
  })();
  // A failed first load is logged by the service; /ready stays 503 and says what is missing.
  loaded.catch((error: unknown) => rootLogger.error({ err: error }, 'initial load failed'));

  app.addHook('onClose', async () => {
    redis?.disconnect();
    leaderboard.stop();
    requests.stop();
    evaluation.stop();
    await votes.stop();
    if (voteOutbox) {
      await voteOutbox.stop();
      // One last push on a graceful stop; whatever does not make it is pushed at the next start.
      await Promise.race([voteOutbox.push().catch(() => 0), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
  });

  return {
    app,
    services: { config, logger: rootLogger, datasets, metrics, readiness, benchmarks, leaderboard, requests, auth, votes, voteOutbox, modelHub, queue, submissions, evaluation, ingestion, now, loaded },
  };
}
