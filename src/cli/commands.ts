/** Every operator command, by name. Add a command by adding its module here. */
import type { CliCommand } from './command.js';
import { serveCommand } from './serve.js';
import { demoDataCommand } from './demo-data.js';
import { importContentsCommand } from './import-contents.js';
import { tokensCommand } from './tokens.js';
import { statusCommand, syncCommand } from './sync.js';
import { ingestResultsCommand } from './ingest-results.js';
import { rebuildContentsCommand } from './rebuild-contents.js';
import { exportCommand } from './export.js';

export const COMMANDS: readonly CliCommand[] = [serveCommand, demoDataCommand, importContentsCommand, tokensCommand, syncCommand, statusCommand, ingestResultsCommand, rebuildContentsCommand, exportCommand];
