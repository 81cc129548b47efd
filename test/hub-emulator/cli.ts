/**
 * Starts a seeded Hub emulator for local development:
 *   tsx test/hub-emulator/cli.ts [--port 7861] [--host 127.0.0.1]
 * Point the server at it with the Hub URL it prints; stop with Ctrl-C.
 */
import { FIXTURE_MODEL_IDS, SEEDED_USERS, startHubEmulator } from './index.js';

function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

const port = Number(option('port', '7861'));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${option('port', '')}`);
  process.exit(2);
}

const hub = await startHubEmulator({ port, host: option('host', '127.0.0.1'), seed: true });

const lines = [
  `Hub emulator listening on ${hub.url}`,
  '',
  'Seeded users (name  token  role  orgs):',
  ...SEEDED_USERS.map((u) => `  ${u.name.padEnd(13)} ${u.token.padEnd(24)} ${u.role.padEnd(6)} ${u.orgs.join(',')}`),
  '',
  'Seeded models:',
  ...FIXTURE_MODEL_IDS.map((id) => `  ${id}`),
  '',
  'No datasets are seeded: create them with createRepo (token of admin-user).',
];
console.log(lines.join('\n'));

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  void hub.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
