/** Every operator command, by name. Add a command by adding its module here. */
import type { CliCommand } from './command.js';
import { serveCommand } from './serve.js';

export const COMMANDS: readonly CliCommand[] = [serveCommand];
