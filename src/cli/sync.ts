/**
 * `leaderboard sync` and `leaderboard status`: the operator's view of Hub storage. `sync`
 * pulls every dataset into the local mirror (incrementally, with progress) and pushes the
 * votes waiting in the outbox; `status` shows the dataset heads, the mirror, and the outbox.
 */
import { datasetInfo } from '@huggingface/hub';
import { loadConfig, type Config } from '../config.js';
import { openVoteOutbox } from '../features/votes/vote-outbox.js';
import { createLogger } from '../logging.js';
import { DATASET_NAMES } from '../storage/dataset-repo.js';
import { createHubDatasets, hubDatasetIds } from '../storage/create-datasets.js';
import { createLocalDatasets } from '../storage/local-repo.js';
import { progressReporter, UsageError, type CliCommand, type CliIo } from './command.js';

function quietConfig(io: CliIo): Config {
  // The CLI prints its own lines; the library's logs go to stderr only at warn and above.
  return loadConfig({ LOG_LEVEL: 'warn', ...io.env });
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Pull the Hub datasets into the local mirror and push pending votes (STORAGE=hub)',
  usage: 'leaderboard sync\n\nWith STORAGE=hub: downloads what changed in each dataset, then pushes the votes of the outbox.',
  async run(argv, io) {
    if (argv.length) throw new UsageError(`Unexpected argument ${argv[0]}`);
    const config = quietConfig(io);
    if (config.storage !== 'hub') {
      io.out('STORAGE=local: the datasets are the folders under DATA_DIR; there is nothing to sync.');
      return 0;
    }
    const logger = createLogger(config, { pretty: false });
    const datasets = createHubDatasets(config, logger);
    for (const name of DATASET_NAMES) {
      const repo = datasets[name];
      repo.onProgress = (done, total) => progressReporter(io, `${name}: downloading`, total)(done);
      const report = await repo.sync();
      io.out(`${name.padEnd(18)} head ${report.head.slice(0, 12)}  ${report.downloaded} downloaded, ${report.deleted} deleted, ${report.unchanged} unchanged`);
    }
    const outbox = await openVoteOutbox(config, datasets.votes, logger);
    const pushed = await outbox.push();
    io.out(`votes outbox       ${pushed} votes pushed, ${(await outbox.status()).pendingVotes} pending`);
    return 0;
  },
};

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show dataset heads, the local mirror and the vote outbox',
  usage: 'leaderboard status',
  async run(argv, io) {
    if (argv.length) throw new UsageError(`Unexpected argument ${argv[0]}`);
    const config = quietConfig(io);
    if (config.storage !== 'hub') {
      const datasets = createLocalDatasets(config.dataDir);
      io.out(`storage: local (${config.dataDir})`);
      for (const name of DATASET_NAMES) {
        const files = await datasets[name].list();
        io.out(`${name.padEnd(18)} ${String(files.length).padStart(6)} files  version ${(await datasets[name].version()).slice(0, 12)}`);
      }
      return 0;
    }
    const logger = createLogger(config, { pretty: false });
    const ids = hubDatasetIds(config);
    io.out(`storage: hub (${config.hubUrl}), mirror in ${config.cacheDir}`);
    const datasets = createHubDatasets(config, logger);
    for (const name of DATASET_NAMES) {
      let head = 'unreachable';
      try {
        const info = await datasetInfo({ name: ids[name], additionalFields: ['sha'], hubUrl: config.hubUrl, accessToken: config.hfToken });
        head = ((info as { sha?: string }).sha ?? 'unknown').slice(0, 12);
      } catch (error) {
        head = `error: ${(error as Error).message}`;
      }
      const mirrored = datasets[name].mirroredHead();
      io.out(`${name.padEnd(18)} ${ids[name].padEnd(40)} hub ${head}  mirror ${mirrored ? mirrored.slice(0, 12) : 'empty'}`);
    }
    const outbox = await openVoteOutbox(config, datasets.votes, logger);
    const status = await outbox.status();
    io.out(
      `votes outbox       instance ${status.instanceId}: ${status.pendingVotes} pending (${status.pendingBytes} bytes), last push ${status.lastPushAt ?? 'never'}${status.lastError ? `, last error: ${status.lastError}` : ''}`,
    );
    return 0;
  },
};
