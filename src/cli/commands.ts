/** Every operator command, by name. Add a command by adding its module here. */
import type { CliCommand } from './command.js';
import { serveCommand } from './serve.js';
import { demoDataCommand } from './demo-data.js';
import { importContentsCommand } from './import-contents.js';
import { tokensCommand } from './tokens.js';

export const COMMANDS: readonly CliCommand[] = [serveCommand, demoDataCommand, importContentsCommand, tokensCommand];
