/**
 * Prometheus metrics (`GET /metrics`): request counts and latency per route and status,
 * payload rebuilds, dataset versions and row counts, errors by code. One registry per app, so
 * several apps (tests) never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  payloadRebuilds: Counter<'payload'>;
  payloadRebuildSeconds: Histogram<'payload'>;
  datasetVersion: Gauge<'dataset' | 'version'>;
  datasetRows: Gauge<'dataset'>;
  errors: Counter<'code'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    payloadRebuilds: new Counter({
      name: 'payload_rebuilds_total',
      help: 'Rebuilds of precomputed response payloads',
      labelNames: ['payload'],
      registers: [registry],
    }),
    payloadRebuildSeconds: new Histogram({
      name: 'payload_rebuild_duration_seconds',
      help: 'Time to rebuild a precomputed payload',
      labelNames: ['payload'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    datasetVersion: new Gauge({
      name: 'dataset_version_info',
      help: 'The loaded version of each dataset (value 1 for the current version)',
      labelNames: ['dataset', 'version'],
      registers: [registry],
    }),
    datasetRows: new Gauge({
      name: 'dataset_rows',
      help: 'Records loaded per dataset',
      labelNames: ['dataset'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'errors_total',
      help: 'Error responses by error code (5xx and 4xx)',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

const lastVersions = new WeakMap<Metrics, Map<string, string>>();

/** Records that `dataset` is now at `version` (only the current version label stays set). */
export function setDatasetVersion(metrics: Metrics, dataset: string, version: string, rows?: number): void {
  let versions = lastVersions.get(metrics);
  if (!versions) lastVersions.set(metrics, (versions = new Map()));
  const previous = versions.get(dataset);
  if (previous !== undefined && previous !== version) metrics.datasetVersion.remove({ dataset, version: previous });
  versions.set(dataset, version);
  metrics.datasetVersion.set({ dataset, version }, 1);
  if (rows !== undefined) metrics.datasetRows.set({ dataset }, rows);
}
