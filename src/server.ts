/**
 * Starting and stopping the HTTP server: prepares the data folder (demo data on first run),
 * builds the app, listens, and closes gracefully on SIGINT/SIGTERM.
 */
import type { Config } from './config.js';
import { buildApp, type AppDeps, type BuiltApp } from './app.js';
import { createDemoDataset } from './demo/demo-dataset.js';
import { LocalTokenStore } from './features/auth/local-token-store.js';
import { hubIsReachable } from './features/submissions/hub-probe.js';
import { componentLogger, createLogger } from './logging.js';
import { createLocalDatasets } from './storage/local-repo.js';

export interface RunningServer extends BuiltApp {
  url: string;
  /** The local token made for user `demo` on a fresh development demo DATA_DIR (printed once). */
  demoToken?: string;
  close(): Promise<void>;
}

/** True when the local contents dataset has no parquet file yet. */
async function contentsAreEmpty(config: Config): Promise<boolean> {
  const contents = createLocalDatasets(config.dataDir).contents;
  return !(await contents.list('data')).some((file) => file.path.endsWith('.parquet'));
}

export async function startServer(config: Config, deps: AppDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger(config);
  const startup = componentLogger(logger, config.logLevel, 'startup');
  let freshDemo = false;
  if (config.storage === 'local' && !deps.datasets && (await contentsAreEmpty(config))) {
    const summary = await createDemoDataset(createLocalDatasets(config.dataDir), { organization: config.hfOrganization });
    freshDemo = true;
    startup.info({ dataDir: config.dataDir, ...summary }, 'DATA_DIR held no contents: created the demo dataset');
  }
  // Quick start: a fresh development demo gets a local token for user `demo`, so it can vote.
  let demoToken: string | undefined;
  if (freshDemo && config.environment === 'development' && config.authProviders.includes('local')) {
    demoToken = (await LocalTokenStore.forDataDir(config.dataDir).create('demo')).token;
  }
  // MODEL_VALIDATION=auto: a development server that cannot reach the Hub (a demo offline)
  // accepts submissions with the checks that need no Hub, and says so.
  if (config.environment === 'development' && config.modelValidation === 'auto' && !deps.modelHub && !(await hubIsReachable(config.hubUrl))) {
    config = Object.freeze({ ...config, modelValidation: 'off' as const });
    startup.warn({ hubUrl: config.hubUrl }, 'the Hub cannot be reached: MODEL_VALIDATION falls back to off (submissions are not checked against the Hub)');
  }
  const built = await buildApp(config, { ...deps, logger });
  const url = await built.app.listen({ port: config.port, host: config.host });
  startup.info({ url, storage: config.storage, environment: config.environment, freshDemo }, 'listening');
  if (demoToken) {
    // Printed, not logged: shown once on the console, never kept in log files.
    process.stdout.write(
      `\nDemo token for user "demo" (shown once; make more with \`npm run cli -- tokens create <user>\`):\n${demoToken}\n` +
        `Try: curl -X POST -H 'Authorization: Bearer ${demoToken}' -H 'content-type: application/json' -d '{"vote_type":"up"}' ${url}/api/votes/<org>/<model>\n\n`,
    );
  }
  return {
    ...built,
    url,
    ...(demoToken ? { demoToken } : {}),
    close: () => built.app.close(),
  };
}
