/** `leaderboard serve` (the default command): runs the HTTP server until SIGINT/SIGTERM. */
import { loadConfig } from '../config.js';
import { startServer } from '../server.js';
import type { CliCommand } from './command.js';
import { SERVING } from './serving.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the leaderboard API (the default command)',
  usage: 'leaderboard serve\n\nConfiguration comes from the environment and .env (see .env.example).',
  async run(_argv, io) {
    const config = loadConfig(io.env);
    const server = await startServer(config);
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      server.services.logger.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    return SERVING;
  },
};
