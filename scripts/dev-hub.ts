/**
 * `npm run dev:hub`: the whole service against a local Hub emulator, to try submissions, Hub
 * tokens and the queue offline.
 *
 * Starts the seeded emulator (test/hub-emulator) on a free port (or HUB_PORT), then the server
 * with HUB_URL = the emulator, AUTH_PROVIDERS=hub,local, MODEL_VALIDATION=hub, STORAGE=local and
 * DATA_DIR = the given one or a fresh temporary folder (removed at exit). Other settings come
 * from the environment and .env as usual. The server uses no Hub token of its own (HF_TOKEN is
 * cleared so a real token never goes to the emulator), so the gated fixture is refused; set
 * DEV_HUB_SERVER_TOKEN=hf_gated_access_token to grant it. Prints the URLs, the emulator's users
 * with their tokens, its models and a first curl. Ctrl-C stops both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, loadDotEnv } from '../src/config.js';
import { startServer } from '../src/server.js';
import { FIXTURE_MODEL_IDS, SEEDED_USERS, startHubEmulator, VALID_MODEL } from '../test/hub-emulator/index.js';

loadDotEnv();
const hubPort = Number(process.env.HUB_PORT ?? '0');
if (!Number.isInteger(hubPort) || hubPort < 0 || hubPort > 65535) {
  console.error(`HUB_PORT must be a port number (got ${JSON.stringify(process.env.HUB_PORT)})`);
  process.exit(2);
}

const hub = await startHubEmulator({ port: hubPort, seed: true });
const givenDataDir = process.env.DATA_DIR?.trim();
const dataDir = givenDataDir || (await mkdtemp(path.join(tmpdir(), 'leaderboard-dev-hub-')));

let server: Awaited<ReturnType<typeof startServer>>;
try {
  const config = loadConfig({
    ...process.env,
    HUB_URL: hub.url,
    AUTH_PROVIDERS: 'hub,local',
    MODEL_VALIDATION: 'hub',
    STORAGE: 'local',
    DATA_DIR: dataDir,
    HF_TOKEN: process.env.DEV_HUB_SERVER_TOKEN ?? '',
  });
  server = await startServer(config);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await hub.close();
  if (!givenDataDir) await rm(dataDir, { recursive: true, force: true });
  process.exit(1);
}

const url = server.url;
process.stdout.write(
  [
    '',
    `Hub emulator   ${hub.url}`,
    `Leaderboard    ${url}   (API docs: ${url}/docs)`,
    `DATA_DIR       ${dataDir}${givenDataDir ? '' : '   (temporary, removed at exit)'}`,
    '',
    'Hub users of the emulator (use the token as Bearer):',
    ...SEEDED_USERS.map((user) => `  ${user.name.padEnd(13)} ${user.token.padEnd(24)} orgs: ${user.orgs.join(', ') || '-'}`),
    '',
    'Models on the emulator (each breaks one submission rule, except valid-model, sharded-model, gptq-model and adapter-model):',
    ...FIXTURE_MODEL_IDS.map((id) => `  ${id}`),
    '',
    'Try:',
    `  curl -s -X POST ${url}/api/models/submit -H 'Authorization: Bearer hf_alice_token' -H 'content-type: application/json' \\`,
    `       -d '{"model_id":"${VALID_MODEL}","model_type":"chat","precision":"bfloat16"}'`,
    `  curl -s ${url}/api/models/pending`,
    `  curl -s ${url}/api/models/${VALID_MODEL}/status`,
    '',
  ].join('\n'),
);

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  server.services.logger.info({ signal }, 'shutting down');
  void (async () => {
    try {
      await server.close();
      await hub.close();
      if (!givenDataDir) await rm(dataDir, { recursive: true, force: true });
    } finally {
      process.exit(0);
    }
  })();
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
