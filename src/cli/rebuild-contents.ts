/** `rebuild-contents`: recomputes every contents row from the stored results files. */
import path from 'node:path';
import { offlineContext, rebuildContents } from '../features/evaluation/offline.js';
import { progressReporter, parseCommandArgs, type CliCommand } from './command.js';

const USAGE = `Usage: leaderboard rebuild-contents [--no-hub] [--data-dir DIR]

Recomputes every contents row that has stored results (the results dataset) with the configured
benchmarks (BENCHMARKS_FILE): for each {org}_{name}_{Precision}, its latest results file. Type,
weight type and submission date come from the request files; license, hearts, parameters,
upload date and lineage from the Hub's model info. Rows without stored results are kept as they
are. Use it after changing the benchmarks or the scoring.

  --no-hub          do not ask the Hub: rows keep the Hub facts they have
  --data-dir DIR    DATA_DIR (default: DATA_DIR from the environment)`;

export const rebuildContentsCommand: CliCommand = {
  name: 'rebuild-contents',
  summary: 'Recompute every contents row from the stored results files',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { 'no-hub': { type: 'boolean' }, 'data-dir': { type: 'string' } },
    });
    const context = await offlineContext(io.env, {
      dataDir: values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : undefined,
      skipHub: values['no-hub'],
    });
    const started = performance.now();
    let progress: ((done: number) => void) | undefined;
    const report = await rebuildContents(context, {
      skipHub: values['no-hub'],
      onProgress: (done, total) => {
        progress ??= progressReporter(io, 'Rebuilding', total);
        progress(done);
      },
    });
    for (const { path: file, reason } of report.skipped) io.err(`Skipped ${file}: ${reason}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(
      `Rebuilt ${report.rows} rows from ${report.files} results files (${report.skipped.length} skipped); ` +
        `${report.kept} rows without stored results kept, in ${seconds}s`,
    );
    return 0;
  },
};
