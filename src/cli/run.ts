/** Dispatches `leaderboard <command> [args]` to the operator commands. */
import { ConfigError } from '../config.js';
import { UsageError, type CliIo } from './command.js';
import { COMMANDS } from './commands.js';
import { BenchmarksFileError } from '../scoring/benchmarks.js';

function help(io: CliIo): void {
  io.out('Usage: leaderboard <command> [options]   (npm run cli -- <command> [options])');
  io.out('');
  for (const command of COMMANDS) io.out(`  ${command.name.padEnd(18)} ${command.summary}`);
  io.out('');
  io.out('`leaderboard help <command>` shows a command\'s options.');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name = 'serve', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (command) io.out(command.usage);
    else help(io);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".`);
    help(io);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      io.err(command.usage);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof BenchmarksFileError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}


export { SERVING } from './serving.js';
