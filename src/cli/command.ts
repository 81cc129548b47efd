/**
 * The operator CLI's contract. Each command lives in its own file under src/cli/ and is listed
 * in src/cli/commands.ts; `npm run cli -- <command> [args]` (or the `leaderboard` bin) runs it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Env } from '../config.js';

export interface CliIo {
  env: Env;
  /** Normal output (results, the last line of `tokens create` is the token). */
  out(line: string): void;
  /** Progress and diagnostics. */
  err(line: string): void;
  /** Whether stderr is a terminal (progress lines are redrawn in place only then). */
  interactive: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Usage text shown by `help <command>` and on bad arguments. */
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A progress line for long operations: redrawn in place on a terminal, else every 10%. */
export function progressReporter(io: CliIo, label: string, total: number): (done: number) => void {
  let lastDecile = -1;
  return (done) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (io.interactive) {
      process.stderr.write(`\r${label}: ${done}/${total} (${percent}%)${done >= total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor(percent / 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      io.err(`${label}: ${done}/${total} (${percent}%)`);
    }
  };
}

/** node:util's parseArgs, with its errors (unknown option, missing value) as UsageError. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
