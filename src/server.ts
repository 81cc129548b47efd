/**
 * Starting and stopping the HTTP server: prepares the data folder (demo data on first run),
 * builds the app, listens, and closes gracefully on SIGINT/SIGTERM.
 */
import type { Config } from './config.js';
import { buildApp, type AppDeps, type BuiltApp } from './app.js';
import { createDemoDataset } from './demo/demo-dataset.js';
import { componentLogger, createLogger } from './logging.js';
import { createLocalDatasets } from './storage/local-repo.js';

export interface RunningServer extends BuiltApp {
  url: string;
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
  const built = await buildApp(config, { ...deps, logger });
  const url = await built.app.listen({ port: config.port, host: config.host });
  startup.info({ url, storage: config.storage, environment: config.environment, freshDemo }, 'listening');
  return {
    ...built,
    url,
    close: () => built.app.close(),
  };
}
