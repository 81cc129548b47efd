/**
 * The composition root: `buildApp(config, deps)` builds the adapters, the services and the
 * Fastify instance with every plugin and route. Nothing else constructs dependencies; tests
 * pass their own through `deps` (a temp-dir store, the Hub emulator, a fixed clock).
 */
import { randomUUID } from 'node:crypto';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { leaderboardRoutes } from './features/leaderboard/routes.js';
import { LeaderboardService } from './features/leaderboard/service.js';
import { RequestsIndex } from './features/queue/requests-index.js';
import { installErrorHandler, type ErrorReporter } from './http/error-handler.js';
import { createSentryReporter } from './http/error-reporter.js';
import { AppError } from './http/errors.js';
import { healthRoutes } from './http/health-routes.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { Readiness } from './http/readiness.js';
import { componentLogger, createLogger, type Logger } from './logging.js';
import { loadBenchmarks, type BenchmarkDefinition } from './scoring/benchmarks.js';
import type { Datasets } from './storage/dataset-repo.js';
import { createLocalDatasets } from './storage/local-repo.js';

export const API_VERSION = '1.0.0';

/** Everything a test or another entry point may replace. */
export interface AppDeps {
  logger?: Logger;
  datasets?: Datasets;
  metrics?: Metrics;
  benchmarks?: readonly BenchmarkDefinition[];
  errorReporter?: ErrorReporter;
  /** The clock, for wait times, quotas and vote timestamps. */
  now?: () => Date;
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
  now: () => Date;
  /** Resolves once every dataset is loaded (the moment /ready turns 200). */
  loaded: Promise<void>;
}

export interface BuiltApp {
  app: FastifyInstance;
  services: AppServices;
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
  const datasets = deps.datasets ?? createLocalDatasets(config.dataDir);
  const now = deps.now ?? (() => new Date());
  const errorReporter = deps.errorReporter ?? (await createSentryReporter(config.sentryDsn, config.environment, log('errors')));

  const app = Fastify({
    loggerInstance: log('http') as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by our one line in onResponse.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (request) => requestId(request.headers['x-request-id']),
    bodyLimit: config.bodyLimit,
    trustProxy: config.environment === 'production',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
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
      { method: request.method, route, url: request.url, status: reply.statusCode, duration_ms: Number(reply.elapsedTime.toFixed(2)), request_id: request.id },
      'request',
    );
  });

  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
    exposedHeaders: ['etag', 'x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'https:'],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  await app.register(compress, { threshold: 500, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } } });
  await app.register(rateLimit, {
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
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Hugging Face token or a local token' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());

  await app.register(healthRoutes, { readiness, metrics });
  await app.register(leaderboardRoutes, { service: leaderboard, benchmarks });

  const loaded = (async () => {
    await Promise.all([leaderboard.start(), requests.start()]);
  })();
  // A failed first load is logged by the service; /ready stays 503 and says what is missing.
  loaded.catch((error: unknown) => rootLogger.error({ err: error }, 'initial load failed'));

  app.addHook('onClose', async () => {
    leaderboard.stop();
    requests.stop();
  });

  return {
    app,
    services: { config, logger: rootLogger, datasets, metrics, readiness, benchmarks, leaderboard, requests, now, loaded },
  };
}
