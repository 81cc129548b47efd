import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { encodeRequestFile, requestFilePath, type EvalRequest } from '../../datasets/request-file.js';
import { createMetrics } from '../../http/metrics.js';
import { Readiness } from '../../http/readiness.js';
import { LocalDatasetRepo } from '../../storage/local-repo.js';
import { QueueService } from './queue-service.js';
import { RequestsIndex } from './requests-index.js';

function request(model: string, status: string, submitted: string): EvalRequest {
  return {
    model,
    base_model: '',
    revision: 'a'.repeat(40),
    precision: 'bfloat16',
    params: 7.2,
    architectures: 'LlamaForCausalLM',
    weight_type: 'Original',
    status,
    submitted_time: submitted,
    model_type: 'chat',
    job_id: -1,
    job_start_time: null,
    use_chat_template: false,
    sender: 'someone "quoted" \u00e9\u2603',
  };
}

describe('QueueService payloads', () => {
  it('fill each item\'s wait time into the template exactly as status() computes it', async () => {
    const logger = pino({ level: 'silent' });
    const repo = new LocalDatasetRepo('requests', await mkdtemp(path.join(tmpdir(), 'queue-')));
    const requests = [
      request('org/a', 'PENDING', '2025-01-01T00:00:00Z'),
      request('org/"wait_time":"x"', 'RUNNING', '2025-01-01T06:30:00Z'),
      request('org/c', 'FINISHED', 'not a time'),
      request('org/d', 'FAILED', '2024-12-31T23:59:59Z'),
    ];
    await repo.commit(
      requests.map((r) => ({ op: 'put' as const, path: requestFilePath(r.model, r.precision, r.weight_type), content: new TextEncoder().encode(encodeRequestFile(r)) })),
      'seed',
    );
    const index = new RequestsIndex({ repo, logger, readiness: new Readiness(logger), metrics: createMetrics({ defaultMetrics: false }), checkIntervalMs: 60_000 });
    await index.start();
    let clock = new Date('2025-01-02T12:00:00.400Z');
    const queue = new QueueService({ requests: index, now: () => clock });
    for (const which of ['status', 'pending'] as const) {
      const payload = await queue.payload(which);
      expect(JSON.parse(payload.identity.toString('utf8'))).toEqual(which === 'status' ? queue.status() : queue.pending());
    }
    clock = new Date('2025-01-02T12:00:05.900Z');
    const later = JSON.parse((await queue.payload('status')).identity.toString('utf8'));
    expect(later).toEqual(queue.status());
    expect(later.pending[0].wait_time).toBe('129605.9s');
    index.stop();
  });
});
