/**
 * Per-user rate limit of vote writes (VOTE_RATE_LIMIT per minute): a sliding window of the
 * user's recent attempts, so a burst at a window boundary cannot double the limit. In memory:
 * the limit protects one instance; the IP limit of @fastify/rate-limit sits in front of it.
 */
export class UserRateLimiter {
  private readonly attempts = new Map<string, number[]>();
  private calls = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an attempt of `user`: 0 when allowed, else the whole seconds to wait. */
  take(user: string): number {
    const now = this.now();
    if (++this.calls % 1000 === 0) this.sweep(now);
    let times = this.attempts.get(user);
    if (!times) this.attempts.set(user, (times = []));
    while (times.length > 0 && times[0]! <= now - this.windowMs) times.shift();
    if (times.length >= this.limit) return Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000));
    times.push(now);
    return 0;
  }

  private sweep(now: number): void {
    for (const [user, times] of this.attempts) {
      if (times.length === 0 || times[times.length - 1]! <= now - this.windowMs) this.attempts.delete(user);
    }
  }
}
