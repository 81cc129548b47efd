/**
 * Chooses the storage adapter from configuration: the local folder (STORAGE=local) or the Hub
 * datasets with a local mirror (STORAGE=hub).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createResilientFetch } from '../hub/resilient-fetch.js';
import type { DatasetName, Datasets } from './dataset-repo.js';
import { HubDatasetRepo } from './hub-repo.js';
import { createLocalDatasets } from './local-repo.js';

/** The Hub dataset id of each dataset: `{HF_ORGANIZATION}/{name}` unless overridden. */
export function hubDatasetIds(config: Config): Record<DatasetName, string> {
  const org = config.hfOrganization;
  return {
    contents: config.datasetContents ?? `${org}/contents`,
    requests: config.datasetRequests ?? `${org}/requests`,
    votes: config.datasetVotes ?? `${org}/votes`,
    'official-providers': config.datasetOfficialProviders ?? `${org}/official-providers`,
    results: config.datasetResults ?? `${org}/results`,
  };
}

export function createHubDatasets(
  config: Config,
  logger: Logger,
  options: { fetch?: typeof fetch } = {},
): Record<DatasetName, HubDatasetRepo> {
  const ids = hubDatasetIds(config);
  // Timeouts and retries of 429/5xx with backoff; commits (POST) are not blindly retried.
  const hubFetch = options.fetch ?? createResilientFetch({ logger, timeoutMs: 30_000 });
  const make = (name: DatasetName) =>
    new HubDatasetRepo({
      name,
      repoId: ids[name],
      hubUrl: config.hubUrl,
      token: config.hfToken,
      mirrorDir: path.join(config.cacheDir, 'datasets', name),
      logger,
      fetch: hubFetch,
      create: config.hubCreateDatasets,
    });
  return {
    contents: make('contents'),
    requests: make('requests'),
    votes: make('votes'),
    'official-providers': make('official-providers'),
    results: make('results'),
  };
}

export function createDatasets(config: Config, logger: Logger): Datasets {
  return config.storage === 'hub' ? createHubDatasets(config, logger) : createLocalDatasets(config.dataDir);
}
