/** MODEL_VALIDATION=auto: the development server falls back to `off` when the Hub cannot be reached. */
import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Env } from '../../src/config.js';
import { hubIsReachable } from '../../src/features/submissions/hub-probe.js';
import { createLogger } from '../../src/logging.js';
import { startServer } from '../../src/server.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { startHubEmulator, type HubEmulator } from '../hub-emulator/index.js';

/** A URL where nothing listens. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let hub: HubEmulator;
let dead: string;
beforeAll(async () => {
  hub = await startHubEmulator();
  dead = await deadUrl();
});
afterAll(() => hub.close());

async function validationOf(env: Env): Promise<string> {
  const dataDir = await makeTempDir();
  await seedContents(dataDir, [makeContentsRecord({ fullname: 'board/model-a' })]);
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  const server = await startServer(config, { logger: createLogger(config, { pretty: false }) });
  try {
    return server.services.submissions.validation;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('hubIsReachable', () => {
  it('is true for any HTTP answer and false when nothing answers', async () => {
    expect(await hubIsReachable(hub.url)).toBe(true);
    expect(await hubIsReachable(dead, 500)).toBe(false);
  });
});

describe('startServer with MODEL_VALIDATION=auto', () => {
  it('validates on the Hub when it answers', async () => {
    expect(await validationOf({ HUB_URL: hub.url })).toBe('hub');
  });

  it('falls back to off in development when the Hub cannot be reached', async () => {
    expect(await validationOf({ HUB_URL: dead })).toBe('off');
  });

  it('never falls back when validation was set explicitly, or in production', async () => {
    expect(await validationOf({ HUB_URL: dead, MODEL_VALIDATION: 'hub' })).toBe('hub');
    expect(await validationOf({ HUB_URL: dead, ENVIRONMENT: 'production' })).toBe('hub');
  });
});
