/**
 * The leaderboard read model. It loads the contents and official-providers datasets, builds
 * the raw rows and ranked formatted items once per dataset version, and keeps the full
 * payloads as pre-compressed bytes. A version change — a commit through the store, or a file
 * replaced by hand noticed by the periodic check — triggers exactly one rebuild; requests in
 * the meantime are served from the previous snapshot.
 */
import type { Logger } from 'pino';
import { readContentsTable, type ColumnSpec } from '../../datasets/contents-table.js';
import { readOfficialProviders } from '../../datasets/official-providers.js';
import { CachedPayload } from '../../http/cached-payload.js';
import { setDatasetVersion, type Metrics } from '../../http/metrics.js';
import type { Readiness } from '../../http/readiness.js';
import type { BenchmarkDefinition } from '../../scoring/benchmarks.js';
import type { DatasetRepo } from '../../storage/dataset-repo.js';
import { DatasetWatcher } from '../../storage/dataset-watcher.js';
import { runLeaderboardQuery, type LeaderboardQuery } from './query.js';
import { apiColumns, rankItems, toFormattedItem, toLeaderboardRow, type FormattedItem, type LeaderboardRow } from './transform.js';

export interface LeaderboardSnapshot {
  /** `contents-version:providers-version`. */
  version: string;
  rows: LeaderboardRow[];
  /** Ranked, best first. */
  items: FormattedItem[];
  /** `JSON.stringify` of each item, so filtered answers are joined, not re-serialized. */
  itemJson: string[];
  raw: CachedPayload;
  formatted: CachedPayload;
  officialProviders: ReadonlySet<string>;
  /** `org/name` of every model on the board. */
  models: ReadonlySet<string>;
  /** Answers to filtered queries of this version, by query string (see queryPayload). */
  queries: Map<string, Promise<CachedPayload>>;
}

/** Filtered answers kept per dataset version (the most recently asked). */
const CACHED_QUERIES = 256;

export interface LeaderboardServiceDeps {
  contents: DatasetRepo;
  officialProviders: DatasetRepo;
  benchmarks: readonly BenchmarkDefinition[];
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  /** How often dataset versions are checked, in ms (CACHE_TTL). */
  checkIntervalMs: number;
}

export class LeaderboardService {
  private snapshot: LeaderboardSnapshot | undefined;
  private readonly watcher: DatasetWatcher;
  readonly columns: ColumnSpec[];

  constructor(private readonly deps: LeaderboardServiceDeps) {
    this.columns = apiColumns(deps.benchmarks);
    deps.readiness.expect('leaderboard');
    this.watcher = new DatasetWatcher({
      repos: [deps.contents, deps.officialProviders],
      rebuild: () => this.rebuildIfChanged(),
      onError: (error) => deps.logger.error({ err: error }, 'leaderboard refresh failed; serving the previous snapshot'),
      intervalMs: deps.checkIntervalMs,
    });
  }

  /** Loads the first snapshot and starts watching for new versions. */
  start(): Promise<void> {
    return this.watcher.start();
  }

  stop(): void {
    this.watcher.stop();
  }

  current(): LeaderboardSnapshot | undefined {
    return this.snapshot;
  }

  /** True when `org/name` has at least one row on the board. */
  hasModel(modelId: string): boolean {
    return this.snapshot?.models.has(modelId) ?? false;
  }

  officialProviders(): ReadonlySet<string> {
    return this.snapshot?.officialProviders ?? new Set();
  }

  /** Checks the dataset versions and rebuilds when they changed (see DatasetWatcher). */
  refresh(): Promise<void> {
    return this.watcher.refresh();
  }

  /**
   * The answer to a filtered query as a pre-compressed payload, kept for the snapshot's
   * lifetime: clients (the UI's links, scripts polling a view) repeat the same queries, and
   * compressing a filtered answer costs more than computing it.
   */
  queryPayload(snapshot: LeaderboardSnapshot, query: LeaderboardQuery, key: string): Promise<CachedPayload> {
    const cached = snapshot.queries.get(key);
    if (cached) {
      // Most recently used last, so the oldest is the first to go.
      snapshot.queries.delete(key);
      snapshot.queries.set(key, cached);
      return cached;
    }
    const payload = CachedPayload.build(this.queryJson(snapshot, query), { brotliQuality: 4 });
    snapshot.queries.set(key, payload);
    payload.catch(() => snapshot.queries.delete(key));
    if (snapshot.queries.size > CACHED_QUERIES) snapshot.queries.delete(snapshot.queries.keys().next().value!);
    return payload;
  }

  /** The formatted answer for a query, as JSON text (items are pre-serialized). */
  queryJson(snapshot: LeaderboardSnapshot, query: LeaderboardQuery): string {
    const { indexes, total } = runLeaderboardQuery(snapshot.items, query);
    const models = indexes.map((index) => snapshot.itemJson[index]).join(',');
    return `{"models":[${models}],"total":${total},"limit":${query.limit ?? total},"offset":${query.offset}}`;
  }

  private async rebuildIfChanged(): Promise<void> {
    // The official providers only highlight rows: when their dataset cannot be read at all
    // (folder unreadable or not a folder), the board is served without highlights and the
    // problem is reported, rather than the whole board staying unavailable.
    const [contentsVersion, providersVersion] = await Promise.all([
      this.deps.contents.version(),
      this.deps.officialProviders.version().catch(() => 'unreadable'),
    ]);
    const version = `${contentsVersion}:${providersVersion}`;
    if (this.snapshot?.version === version) return;
    const started = process.hrtime.bigint();
    const [table, providers] = await Promise.all([
      readContentsTable(this.deps.contents),
      readOfficialProviders(this.deps.officialProviders).catch((error: unknown) => ({
        orgs: new Set<string>(),
        problems: [{ path: '.', reason: `cannot read the dataset (${(error as NodeJS.ErrnoException).code ?? 'read error'})` }],
      })),
    ]);
    this.deps.readiness.reportProblems('leaderboard', [
      ...table.problems.map((p) => ({ dataset: 'contents', ...p })),
      ...providers.problems.map((p) => ({ dataset: 'official-providers', ...p })),
    ]);
    const rows = table.records.map((record) => toLeaderboardRow(record, this.columns));
    const items = rankItems(rows.map((row) => toFormattedItem(row, this.deps.benchmarks, providers.orgs)));
    const itemJson = items.map((item) => JSON.stringify(item));
    const [raw, formatted] = await Promise.all([
      CachedPayload.build(JSON.stringify({ models: rows })),
      CachedPayload.build(`{"models":[${itemJson.join(',')}]}`),
    ]);
    this.snapshot = {
      version,
      rows,
      items,
      itemJson,
      raw,
      formatted,
      officialProviders: providers.orgs,
      models: new Set(items.map((item) => item.model.name).filter((name): name is string => name !== null)),
      queries: new Map(),
    };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { metrics } = this.deps;
    metrics.payloadRebuilds.inc({ payload: 'leaderboard' });
    metrics.payloadRebuildSeconds.observe({ payload: 'leaderboard' }, seconds);
    setDatasetVersion(metrics, 'contents', contentsVersion, rows.length);
    setDatasetVersion(metrics, 'official-providers', providersVersion, providers.orgs.size);
    this.deps.readiness.markReady('leaderboard');
    this.deps.logger.info({ rows: rows.length, version, seconds: Number(seconds.toFixed(3)) }, 'leaderboard rebuilt');
  }
}
