/**
 * A seeded random source for the fault tests: FAULTS_SEED=<n> replays a run; otherwise the
 * seed is random and printed, so a failure can be reproduced.
 */
export function faultSeed(label: string): number {
  const fromEnv = process.env.FAULTS_SEED;
  const seed = fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`[faults] ${label}: seed ${seed} (replay with FAULTS_SEED=${seed})\n`);
  return seed;
}

/** mulberry32: small, fast, good enough to shuffle test inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
