/**
 * Claims through two service instances sharing one requests dataset (as two server processes
 * sharing a Hub dataset): the optimistic commit makes every request go to exactly one worker.
 */
import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRequestFile, requestFilePath, type EvalRequest } from '../../datasets/request-file.js';
import { createMetrics } from '../../http/metrics.js';
import { Readiness } from '../../http/readiness.js';
import { DEFAULT_BENCHMARKS } from '../../scoring/benchmarks.js';
import { createLocalDatasets } from '../../storage/local-repo.js';
import { makeTempDir } from '../../../test/helpers/app.js';
import { QueueService } from '../queue/queue-service.js';
import { RequestsIndex } from '../queue/requests-index.js';
import { EvaluationService } from './evaluation-service.js';
import { ResultsIngestion } from './results-ingestion.js';

const logger = pino({ level: 'silent' });
let dir: string;

function request(model: string, submitted: string): EvalRequest {
  return {
    model,
    base_model: '',
    revision: 'a'.repeat(40),
    precision: 'float16',
    params: 1,
    architectures: 'GPT2LMHeadModel',
    weight_type: 'Original',
    status: 'PENDING',
    submitted_time: submitted,
    model_type: 'pretrained',
    job_id: -1,
    job_start_time: null,
    use_chat_template: false,
    sender: 'x',
  };
}

function instance(datasets: ReturnType<typeof createLocalDatasets>, now: () => Date) {
  const requests = new RequestsIndex({
    repo: datasets.requests,
    logger,
    readiness: new Readiness(logger),
    metrics: createMetrics({ defaultMetrics: false }),
    checkIntervalMs: 60_000,
  });
  const queue = new QueueService({ requests, now });
  const ingestion = new ResultsIngestion({
    datasets,
    benchmarks: DEFAULT_BENCHMARKS,
    organization: 'org',
    officialProviders: () => new Set(),
    now,
    logger,
  });
  return new EvaluationService({
    repo: datasets.requests,
    requests,
    pendingInOrder: () => queue.pendingEntries(),
    ingestion,
    jobTimeoutMs: 60_000,
    now,
    logger,
  });
}

beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('EvaluationService.claim', () => {
  it('two instances racing: every pending request is claimed exactly once, oldest first', async () => {
    const datasets = createLocalDatasets(dir);
    const models = ['m/one', 'm/two', 'm/three', 'm/four'];
    await datasets.requests.commit(
      models.map((model, i) => ({
        op: 'put' as const,
        path: requestFilePath(model, 'float16', 'Original'),
        content: new TextEncoder().encode(encodeRequestFile(request(model, `2025-01-0${i + 1}T00:00:00Z`))),
      })),
      'seed',
    );
    const now = () => new Date('2025-02-01T00:00:00Z');
    const a = instance(datasets, now);
    const b = instance(datasets, now);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).claim(`worker-${i}`)));
    const jobs = claims.filter((job) => job !== null);
    expect(jobs.map((job) => job!.model).sort()).toEqual([...models].sort());
    expect(new Set(jobs.map((job) => job!.job_id)).size).toBe(4);
    expect(claims.filter((job) => job === null)).toHaveLength(6);
    // Each file names the job that claimed it.
    for (const job of jobs) {
      const text = new TextDecoder().decode((await datasets.requests.read(job!.request_file))!);
      expect(JSON.parse(text)).toMatchObject({ status: 'RUNNING', job_id: job!.job_id });
    }
  });

  it('returns null on an empty queue and ignores requests that are not pending', async () => {
    const datasets = createLocalDatasets(dir);
    await datasets.requests.commit(
      [{ op: 'put', path: 'x/y_eval_request_False_float16_Original.json', content: new TextEncoder().encode(encodeRequestFile({ ...request('x/y', '2025-01-01T00:00:00Z'), status: 'FINISHED' })) }],
      'seed',
    );
    expect(await instance(datasets, () => new Date()).claim('w')).toBeNull();
  });
});
