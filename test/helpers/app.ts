/** Starts the whole app on a real port over a temp-dir DATA_DIR, for end-to-end tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type AppDeps, type BuiltApp } from '../../src/app.js';
import { loadConfig, type Config, type Env } from '../../src/config.js';
import { leaderboardColumns, TYPE_EMOJI_COLUMN, writeContentsTable, type ColumnSpec, type ContentsRecord } from '../../src/datasets/contents-table.js';
import { createLogger } from '../../src/logging.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';
import { createLocalDatasets } from '../../src/storage/local-repo.js';

export interface TestApp extends BuiltApp {
  url: string;
  dataDir: string;
  config: Config;
  close(): Promise<void>;
}

export async function makeTempDir(prefix = 'leaderboard-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Writes `records` as the contents table of a (new or existing) DATA_DIR. */
export async function seedContents(dataDir: string, records: ContentsRecord[]): Promise<void> {
  // The known columns that the records use, in table order, then any extra column they carry.
  const present = new Set(records.flatMap((record) => Object.keys(record)));
  const known = [...leaderboardColumns(DEFAULT_BENCHMARKS), TYPE_EMOJI_COLUMN].filter((column) => present.has(column.name));
  const extra = [...present]
    .filter((name) => !known.some((column) => column.name === name))
    .map((name): ColumnSpec => {
      const sample = records.map((record) => record[name]).find((value) => value !== null && value !== undefined);
      return { name, type: typeof sample === 'boolean' ? 'boolean' : typeof sample === 'number' ? 'double' : 'string' };
    });
  const columns = [...known, ...extra];
  await writeContentsTable(createLocalDatasets(dataDir).contents, records, columns, 'seed');
}

export async function startTestApp(
  options: { env?: Env; records?: ContentsRecord[]; dataDir?: string; deps?: AppDeps; waitUntilLoaded?: boolean } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? (await makeTempDir());
  if (options.records) await seedContents(dataDir, options.records);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', ...options.env });
  const built = await buildApp(config, { logger: createLogger(config, { pretty: false }), ...options.deps });
  const url = await built.app.listen({ port: 0, host: '127.0.0.1' });
  if (options.waitUntilLoaded !== false) await built.services.loaded;
  return {
    ...built,
    url,
    dataDir,
    config,
    close: async () => {
      await built.app.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
