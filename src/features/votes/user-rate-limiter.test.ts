import { describe, expect, it } from 'vitest';
import { UserRateLimiter } from './user-rate-limiter.js';

describe('UserRateLimiter', () => {
  it('allows `limit` attempts per window per user, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new UserRateLimiter(3, 60_000, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(60);
    expect(limiter.take('b')).toBe(0);
    now += 30_000;
    expect(limiter.take('a')).toBe(30);
    now += 30_000;
    // The window slides: the first three attempts have expired.
    expect(limiter.take('a')).toBe(0);
  });
});
