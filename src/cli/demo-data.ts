/** `demo-data`: writes the deterministic demo dataset into a DATA_DIR-layout folder. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createDemoDataset, DEMO_DEFAULTS } from '../demo/demo-dataset.js';
import { loadBenchmarks } from '../scoring/benchmarks.js';
import { createLocalDatasets } from '../storage/local-repo.js';
import { parseCommandArgs, UsageError, type CliCommand } from './command.js';

const USAGE = `Usage: leaderboard demo-data --out DIR [--models N] [--votes N] [--requests N] [--seed S] [--now ISO-TIME] [--force]

Writes a synthetic, deterministic leaderboard into DIR (DATA_DIR layout: contents/, requests/,
votes/, official-providers/), replacing the demo datasets there.

  --out DIR        target folder (created if missing)
  --models N       distinct models on the board (default ${DEMO_DEFAULTS.models}; ~2% get a second precision)
  --votes N        vote rows, exactly (default ${DEMO_DEFAULTS.votes})
  --requests N     queue request files besides one FINISHED file per board row:
                   75% pending, 12.5% running, the rest failed (default ${DEMO_DEFAULTS.requests})
  --seed S         PRNG seed, an integer (default ${DEMO_DEFAULTS.seed})
  --now ISO-TIME   the generation time all dates are relative to (default: now);
                   fix it together with --seed for byte-identical output
  --force          overwrite a folder that already holds datasets

Benchmarks come from BENCHMARKS_FILE and the details-link organization from HF_ORGANIZATION.`;

function integerOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}`);
  return value;
}

/** Whether any dataset folder under `dir` already holds a file. */
async function holdsDatasets(dir: string): Promise<boolean> {
  for (const name of ['contents', 'requests', 'votes', 'official-providers']) {
    try {
      if ((await readdir(path.join(dir, name))).length > 0) return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return false;
}

export const demoDataCommand: CliCommand = {
  name: 'demo-data',
  summary: 'Write a deterministic synthetic leaderboard into a folder',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        models: { type: 'string' },
        votes: { type: 'string' },
        requests: { type: 'string' },
        seed: { type: 'string' },
        now: { type: 'string' },
        force: { type: 'boolean' },
      },
    });
    if (values.out === undefined || values.out.trim() === '') throw new UsageError('--out DIR is required');
    const models = integerOption('models', values.models, 1, 1_000_000);
    const votes = integerOption('votes', values.votes, 0, 10_000_000);
    const requests = integerOption('requests', values.requests, 0, 1_000_000);
    const seed = integerOption('seed', values.seed, 0, 0xffffffff);
    let now: Date | undefined;
    if (values.now !== undefined) {
      now = new Date(values.now);
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO time, got ${JSON.stringify(values.now)}`);
    }

    const config = loadConfig(io.env);
    const dir = path.resolve(values.out);
    if (!values.force && (await holdsDatasets(dir))) {
      io.err(`${dir} already holds datasets; pass --force to replace them.`);
      return 1;
    }
    const started = performance.now();
    const summary = await createDemoDataset(createLocalDatasets(dir), {
      models,
      votes,
      requests,
      seed,
      now,
      benchmarks: loadBenchmarks(config.benchmarksFile),
      organization: config.hfOrganization,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const r = summary.requests;
    io.out(
      `Demo dataset written to ${dir}: ${summary.models} models (${summary.rows} rows), requests ` +
        `${r.finished} finished / ${r.pending} pending / ${r.running} running / ${r.failed} failed, ` +
        `${summary.votes} votes, ${summary.officialProviders} official providers in ${seconds}s`,
    );
    return 0;
  },
};
