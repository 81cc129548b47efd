/** The queue read API: the status lists (with failures), the pending order, one model's status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUtcSeconds } from '../../src/datasets/request-file.js';
import { makeRequest, startHarness, type Harness } from './submissions-harness.js';

const HOUR = 3600 * 1000;
const NOW = Date.parse('2025-01-15T10:00:00Z');
const ago = (ms: number) => formatUtcSeconds(new Date(NOW - ms));
const sha = (c: string) => c.repeat(40);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.seedRequests([
    makeRequest({ model: 'org/a', revision: sha('a'), submitted_time: ago(3 * HOUR), sender: 'ann', params: 7, model_type: 'chat' }),
    makeRequest({ model: 'org/b', revision: sha('b'), submitted_time: ago(1 * HOUR), sender: 'ben' }),
    makeRequest({ model: 'org/c', revision: sha('c'), submitted_time: ago(2 * HOUR) }),
    makeRequest({ model: 'org/c', revision: sha('c'), precision: 'float16', submitted_time: ago(30 * 60 * 1000), status: 'FAILED', reason: 'CUDA out of memory' }),
    makeRequest({ model: 'org/running', revision: sha('d'), status: 'RUNNING', job_id: 1234, job_start_time: ago(HOUR), submitted_time: ago(5 * HOUR) }),
    makeRequest({ model: 'org/done', revision: sha('e'), status: 'FINISHED', job_id: 99, submitted_time: ago(50 * HOUR) }),
    makeRequest({ model: 'org/cancelled', revision: sha('f'), status: 'CANCELLED', submitted_time: ago(10 * HOUR) }),
    makeRequest({ model: 'gpt2', revision: sha('9'), status: 'FINISHED', submitted_time: ago(100 * HOUR) }),
  ]);
  // Two up votes for b: it jumps the queue.
  for (const username of ['u1', 'u2']) await h.app.services.votes.castVote(username, { model: 'org/b', revision: sha('b'), precision: 'bfloat16', vote_type: 'up' });
  // Votes for another revision do not count for this request.
  await h.app.services.votes.castVote('u3', { model: 'org/c', revision: sha('0'), precision: 'bfloat16', vote_type: 'up' });
});
afterAll(() => h.close());

describe('GET /api/models/status', () => {
  it('groups every request, with the README item shape, and failures in `failed` with their reason', async () => {
    h.clock.set('2025-01-15T10:00:00Z');
    const { status, body } = await h.get('/api/models/status');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['pending', 'evaluating', 'finished', 'failed']);
    expect(body.pending.map((i: any) => i.name)).toEqual(['org/b', 'org/a', 'org/c']);
    expect(body.pending[1]).toEqual({
      name: 'org/a',
      submitter: 'ann',
      revision: sha('a'),
      wait_time: '10800.0s',
      wait_time_human: '3h',
      submission_time: '2025-01-15T07:00:00Z',
      status: 'PENDING',
      precision: 'bfloat16',
      model_type: 'chat',
      weight_type: 'Original',
      params: 7,
      votes: 0,
    });
    expect(body.pending[0]).toMatchObject({ votes: 2, submitter: 'ben' });
    expect(body.evaluating).toEqual([expect.objectContaining({ name: 'org/running', status: 'EVALUATING', wait_time_human: '5h' })]);
    expect(body.finished.map((i: any) => [i.name, i.status])).toEqual([
      ['org/done', 'FINISHED'],
      ['gpt2', 'FINISHED'],
    ]);
    expect(body.finished[0].wait_time_human).toBe('2d 2h');
    expect(body.failed).toEqual([
      expect.objectContaining({ name: 'org/c', status: 'FAILED', precision: 'float16', reason: 'CUDA out of memory', wait_time_human: '30m' }),
      expect.objectContaining({ name: 'org/cancelled', status: 'CANCELLED', reason: null }),
    ]);
  });

  it('computes wait_time at request time', async () => {
    h.clock.set('2025-01-15T10:01:30Z');
    const { body } = await h.get('/api/models/status');
    expect(body.pending.find((i: any) => i.name === 'org/a')).toMatchObject({ wait_time: '10890.0s', wait_time_human: '3h 1m' });
    h.clock.set('2025-01-15T10:00:00Z');
  });
});

describe('GET /api/models/pending', () => {
  it('orders by net votes, then by submission time, with the votes in each item', async () => {
    const { status, body } = await h.get('/api/models/pending');
    expect(status).toBe(200);
    expect(body.map((i: any) => [i.name, i.votes])).toEqual([
      ['org/b', 2],
      ['org/a', 0],
      ['org/c', 0],
    ]);
    expect(h.app.services.queue.pendingEntries().map((entry) => entry.path)).toEqual([
      'org/b_eval_request_False_bfloat16_Original.json',
      'org/a_eval_request_False_bfloat16_Original.json',
      'org/c_eval_request_False_bfloat16_Original.json',
    ]);
  });

  it('follows votes as they change', async () => {
    for (const username of ['d1', 'd2', 'd3']) await h.app.services.votes.castVote(username, { model: 'org/b', revision: sha('b'), precision: 'bfloat16', vote_type: 'down' });
    expect((await h.get('/api/models/pending')).body.map((i: any) => [i.name, i.votes])).toEqual([
      ['org/a', 0],
      ['org/c', 0],
      ['org/b', -1],
    ]);
    for (const username of ['d1', 'd2', 'd3']) await h.app.services.votes.retractVote(username, { model: 'org/b', revision: sha('b'), precision: 'bfloat16' });
  });
});

describe('GET /api/models/{org}/{model}/status', () => {
  it('lists the model\'s requests, one per precision, with status, job id and queue position', async () => {
    const { status, body } = await h.get('/api/models/org/c/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: 'org/c', status: 'FAILED', submitted_time: ago(30 * 60 * 1000), job_id: -1 });
    expect(body.requests).toEqual([
      expect.objectContaining({ precision: 'float16', status: 'FAILED', queue: 'failed', queue_position: null, reason: 'CUDA out of memory' }),
      expect.objectContaining({
        path: 'org/c_eval_request_False_bfloat16_Original.json',
        precision: 'bfloat16',
        weight_type: 'Original',
        revision: sha('c'),
        status: 'PENDING',
        queue: 'pending',
        submitted_time: ago(2 * HOUR),
        job_id: -1,
        job_start_time: null,
        queue_position: 3,
        wait_time: '7200.0s',
        wait_time_human: '2h',
        votes: 0,
        reason: null,
      }),
    ]);
    const running = await h.get('/api/models/org/running/status');
    expect(running.body).toMatchObject({ status: 'RUNNING', job_id: 1234, requests: [expect.objectContaining({ queue: 'evaluating', job_start_time: ago(HOUR), queue_position: null })] });
    expect((await h.get('/api/models/org/b/status')).body.requests[0].queue_position).toBe(1);
  });

  it('answers the original single-segment route too (no namespace, or an encoded slash)', async () => {
    expect((await h.get('/api/models/gpt2/status')).body).toMatchObject({ model: 'gpt2', status: 'FINISHED' });
    expect((await h.get('/api/models/org%2Fa/status')).body).toMatchObject({ model: 'org/a', status: 'PENDING' });
  });

  it('answers 404 for an unknown model, still carrying "status": "not_found"', async () => {
    for (const url of ['/api/models/org/unknown/status', '/api/models/unknown/status']) {
      const { status, body } = await h.get(url);
      expect(status).toBe(404);
      expect(body).toMatchObject({ status: 'not_found', code: 'MODEL_NOT_FOUND', detail: expect.stringMatching(/No evaluation request for model/) });
      expect(body.request_id).toBeTruthy();
    }
  });
});

describe('the OpenAPI document', () => {
  it('documents the queue and submit routes under `models`', async () => {
    const response = await fetch(`${h.app.url}/openapi.json`);
    const doc = (await response.json()) as any;
    expect(doc.paths['/api/models/status'].get.operationId).toBe('getModelsStatus');
    expect(doc.paths['/api/models/pending'].get.tags).toEqual(['models']);
    expect(doc.paths['/api/models/{org}/{model}/status'].get.responses['404']).toBeDefined();
    const submit = doc.paths['/api/models/submit'].post;
    expect(submit.operationId).toBe('submitModel');
    expect(submit.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(submit.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '422', '429', '500', '503']);
  });
});
