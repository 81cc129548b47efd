/** `sync` and `status` against the Hub emulator. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';

const WRITER = { name: 'cli-bot', token: 'hf_cli_bot_token', orgs: ['clihub'], role: 'write' as const };
let hub: HubEmulator;
let cacheDir: string;

beforeAll(async () => {
  hub = await startHubEmulator();
  hub.addUser(WRITER);
  for (const name of ['contents', 'requests', 'votes', 'official-providers', 'results']) hub.addDataset(`clihub/${name}`);
  hub.addDataset('clihub/requests-extra');
  cacheDir = await mkdtemp(path.join(tmpdir(), 'hub-cli-'));
});
afterAll(async () => {
  await hub.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const env = { STORAGE: 'hub', HUB_URL: hub.url, HF_TOKEN: WRITER.token, HF_ORGANIZATION: 'clihub', CACHE_DIR: cacheDir };
  const code = await runCli(argv, { env, out: (line) => out.push(line), err: () => undefined, interactive: false });
  return { code, out };
}

describe('sync and status', () => {
  it('pulls incrementally and reports heads and the outbox', async () => {
    const first = await cli('sync');
    expect(first.code).toBe(0);
    expect(first.out.find((line) => line.startsWith('requests'))).toMatch(/1 downloaded/); // .gitattributes
    const second = await cli('sync');
    expect(second.out.find((line) => line.startsWith('requests'))).toMatch(/0 downloaded/);
    expect(second.out.at(-1)).toMatch(/0 votes pushed, 0 pending/);
    const status = await cli('status');
    expect(status.code).toBe(0);
    const requests = status.out.find((line) => line.startsWith('requests'))!;
    const head = hub.datasetHead('clihub/requests').slice(0, 12);
    expect(requests).toContain(`hub ${head}`);
    expect(requests).toContain(`mirror ${head}`);
    expect(status.out.at(-1)).toMatch(/votes outbox .* 0 pending/);
  });
});
