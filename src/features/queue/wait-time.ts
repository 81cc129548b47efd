/**
 * Wait times of queue items.
 *
 * `wait_time` keeps the original's format, `"{seconds:.1f}s"` (e.g. `"7384.2s"`), because the
 * original frontend parses it (`parseFloat(wait_time.replace("s", ""))`) to print "2h ago".
 * `wait_time_human` is the readable form: `"45s"`, `"12m"`, `"2h 5m"`, `"3d 4h"` (the two
 * largest units, rounded down; zero minutes or hours are dropped: `"2h"`, `"3d"`).
 */

/** Seconds from `submitted` to `now`, never negative (a clock a little ahead is "just now"). */
export function waitSeconds(submittedMs: number, now: Date): number {
  return Math.max(0, (now.getTime() - submittedMs) / 1000);
}

/**
 * The original's `f"{wait_time.total_seconds():.1f}s"`. `toFixed` and Python agree except on
 * exact ties, which at one decimal are only the values ending in .25 and .75 (the only ones
 * that are exact in binary): Python rounds those half to even (7384.25 → 7384.2).
 */
export function formatWaitTime(seconds: number): string {
  const quarters = seconds * 4;
  if (Number.isInteger(quarters) && quarters % 2 !== 0) {
    const tenths = Math.floor(seconds * 10);
    return `${((tenths % 2 === 0 ? tenths : tenths + 1) / 10).toFixed(1)}s`;
  }
  return `${seconds.toFixed(1)}s`;
}

export function formatWaitTimeHuman(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}
