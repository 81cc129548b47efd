#!/usr/bin/env node
/**
 * Entry point of the `leaderboard` command: `serve` (the default) and the operator commands.
 * `npm start` serves; `npm run cli -- <command>` runs a command.
 */
import './threadpool.js';
import { loadDotEnv } from './config.js';
import type { CliIo } from './cli/command.js';
import { runCli, SERVING } from './cli/run.js';

loadDotEnv();
const io: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: process.stderr.isTTY === true,
};
runCli(process.argv.slice(2), io).then(
  (code) => {
    // `serve` keeps the process alive until a signal; other commands exit with their code.
    if (code !== SERVING) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
