import { describe, expect, it } from 'vitest';
import { failureReason, queueState } from './queue-service.js';
import { formatWaitTime, formatWaitTimeHuman, waitSeconds } from './wait-time.js';

describe('wait times', () => {
  it('keep the original format, parseable by its frontend', () => {
    // Python's round-half-even on exact ties; otherwise the nearest value.
    expect(formatWaitTime(7384.25)).toBe('7384.2s');
    expect(formatWaitTime(7384.75)).toBe('7384.8s');
    expect(formatWaitTime(0.05)).toBe('0.1s');
    expect(formatWaitTime(12.34)).toBe('12.3s');
    expect(formatWaitTime(12.36)).toBe('12.4s');
    expect(formatWaitTime(0)).toBe('0.0s');
    expect(parseFloat(formatWaitTime(90).replace('s', ''))).toBe(90);
  });

  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h'],
    [7500, '2h 5m'],
    [86_399, '23h 59m'],
    [86_400, '1d'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 4h'],
    [400 * 86_400, '400d'],
  ])('%d s reads %s', (seconds, text) => {
    expect(formatWaitTimeHuman(seconds)).toBe(text);
  });

  it('never goes negative', () => {
    expect(waitSeconds(Date.parse('2025-01-15T10:00:05Z'), new Date('2025-01-15T10:00:00Z'))).toBe(0);
  });
});

describe('queue states', () => {
  it('map as the original did, case-insensitively; anything else is a failure', () => {
    expect(['PENDING', 'pending', 'RUNNING', 'EVALUATING', 'FINISHED', 'FAILED', 'FAILED_AGAIN', '', undefined].map(queueState)).toEqual([
      'pending',
      'pending',
      'evaluating',
      'evaluating',
      'finished',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('find a failure reason in the usual fields', () => {
    expect(failureReason({ error: 'OOM' } as never)).toBe('OOM');
    expect(failureReason({ reason: 'timeout', error: 'x' } as never)).toBe('timeout');
    expect(failureReason({ reason: '  ' } as never)).toBeNull();
  });
});
