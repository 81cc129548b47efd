/** Matching results evaluated elsewhere to request files, and the results file names. */
import { describe, expect, it } from 'vitest';
import type { EvalRequest } from '../../datasets/request-file.js';
import type { QueueEntry } from '../queue/requests-index.js';
import { matchRequest, resultsFilePath } from './results-ingestion.js';

const entry = (precision: string, revision: string, status: string, submitted: string): QueueEntry => ({
  path: `o/m_eval_request_False_${precision}_Original.json`,
  request: { model: 'o/m', precision, revision, status, submitted_time: submitted } as EvalRequest,
});

describe('matchRequest', () => {
  const a = entry('bfloat16', 'a'.repeat(40), 'FINISHED', '2025-01-01T00:00:00Z');
  const b = entry('bfloat16', 'b'.repeat(40), 'PENDING', '2025-01-02T00:00:00Z');
  const f = entry('float16', 'a'.repeat(40), 'PENDING', '2025-01-03T00:00:00Z');

  it('same model and precision, the same revision first, then running/pending/finished', () => {
    expect(matchRequest([a, b, f], 'o/m', 'bfloat16', 'a'.repeat(40))).toBe(a);
    expect(matchRequest([a, b, f], 'o/m', 'bfloat16', undefined)).toBe(b);
    expect(matchRequest([a, b, f], 'o/m', 'float16', undefined)).toBe(f);
    expect(matchRequest([a, b, f], 'o/other', 'bfloat16', undefined)).toBeUndefined();
  });

  it('without a precision, only an unambiguous match', () => {
    expect(matchRequest([a, b, f], 'o/m', undefined, undefined)).toBeUndefined();
    expect(matchRequest([a, b, f], 'o/m', undefined, 'b'.repeat(40))).toBe(b);
    expect(matchRequest([a, b], 'o/m', undefined, undefined)).toBe(b);
  });
});

describe('resultsFilePath', () => {
  it('uses the harness file name, microseconds included', () => {
    expect(resultsFilePath('org/model', new Date('2025-01-10T12:34:56.789Z'))).toBe('org/model/results_2025-01-10T12-34-56.789000.json');
    expect(resultsFilePath('gpt2', new Date('2025-01-10T12:34:56.000Z'))).toBe('gpt2/results_2025-01-10T12-34-56.000000.json');
  });
});
