/** TRUST_PROXY decides which X-Forwarded-For entry is the client for the per-IP rate limit. */
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { makeContentsRecord } from '../helpers/contents.js';

async function statuses(env: Record<string, string>, forwardedFor: (i: number) => string): Promise<number[]> {
  const app = await startTestApp({ records: [makeContentsRecord()], env: { RATE_LIMIT_MAX: '3', ...env } });
  try {
    const out: number[] = [];
    for (let i = 0; i < 5; i++) out.push((await fetch(`${app.url}/api/leaderboard`, { headers: { 'x-forwarded-for': forwardedFor(i) } })).status);
    return out;
  } finally {
    await app.close();
  }
}

describe('TRUST_PROXY', () => {
  it('ignores X-Forwarded-For by default, so a client cannot dodge the limit', async () => {
    expect(await statuses({}, (i) => `10.0.0.${i}`)).toEqual([200, 200, 200, 429, 429]);
  });

  it('with one proxy hop, limits by the address the proxy saw, not by what the client claims', async () => {
    // The client forges a different first entry each time; the proxy appends the real address.
    expect(await statuses({ TRUST_PROXY: '1' }, (i) => `10.0.0.${i}, 192.0.2.7`)).toEqual([200, 200, 200, 429, 429]);
  });

  it('with one proxy hop, tells clients behind the proxy apart', async () => {
    expect(await statuses({ TRUST_PROXY: '1' }, (i) => `192.0.2.${i}`)).toEqual([200, 200, 200, 200, 200]);
  });
});
