/** `ingest-results FILE…`: lm-evaluation-harness results files → contents rows, outside the server. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../http/errors.js';
import { loadRequestEntries, offlineContext } from '../features/evaluation/offline.js';
import type { PreparedResults } from '../features/evaluation/results-ingestion.js';
import { MODEL_TYPE_KEYS } from '../datasets/model-types.js';
import { parseResultsText, ResultsFileError } from '../scoring/results-file.js';
import { parseCommandArgs, UsageError, type CliCommand } from './command.js';

const USAGE = `Usage: leaderboard ingest-results FILE… [--no-hub] [--model ID] [--precision P] [--model-type T] [--data-dir DIR]

Ingests lm-evaluation-harness results files (results_<timestamp>.json): computes the configured
benchmarks (BENCHMARKS_FILE), replaces the contents row {org}_{name}_{Precision}, stores the file
in the results dataset and sets the model's matching request to FINISHED. Results evaluated
elsewhere (no request) are ingested too, with what the Hub's model info says about the model.
Every file is checked first: if one is unusable (e.g. a task the benchmarks need is missing),
nothing is written.

  --no-hub          do not ask the Hub (license, hearts, parameters, dates, lineage)
  --model ID        the model (org/name), for files that do not name it
  --precision P     the precision, for files without a usable model_dtype
  --model-type T    the type of models without a request: ${MODEL_TYPE_KEYS.join(', ')}
  --data-dir DIR    DATA_DIR (default: DATA_DIR from the environment)`;

export const ingestResultsCommand: CliCommand = {
  name: 'ingest-results',
  summary: 'Add lm-evaluation-harness results files to the leaderboard',
  usage: USAGE,
  async run(argv, io) {
    const parsed = parseCommandArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        'no-hub': { type: 'boolean' },
        model: { type: 'string' },
        precision: { type: 'string' },
        'model-type': { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
    const { values, positionals: files } = parsed;
    if (files.length === 0) throw new UsageError('at least one FILE is required');
    const modelType = values['model-type'];
    if (modelType !== undefined && !(MODEL_TYPE_KEYS as readonly string[]).includes(modelType)) {
      throw new UsageError(`--model-type must be one of ${MODEL_TYPE_KEYS.join(', ')}, got ${JSON.stringify(modelType)}`);
    }

    const context = await offlineContext(io.env, {
      dataDir: values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : undefined,
      skipHub: values['no-hub'],
    });
    const requests = await loadRequestEntries(context.datasets.requests);

    // Check every file before writing anything.
    const prepared: Array<{ file: string; result: PreparedResults }> = [];
    let failed = false;
    for (const file of files) {
      try {
        const bytes = new Uint8Array(await readFile(file));
        const doc = parseResultsText(new TextDecoder().decode(bytes));
        const result = await context.ingestion.prepare(doc, {
          requests,
          model: values.model,
          precision: values.precision,
          modelType,
          skipHub: values['no-hub'],
          bytes,
        });
        prepared.push({ file, result });
      } catch (error) {
        if (error instanceof AppError || error instanceof ResultsFileError) io.err(`${file}: ${error.message}`);
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') {
          io.err(`${file}: cannot read it (${(error as Error).message})`);
        } else throw error;
        failed = true;
      }
    }
    if (failed) {
      io.err('Nothing was ingested.');
      return 1;
    }
    for (const { file, result } of prepared) {
      const written = await context.ingestion.commit(result);
      io.out(
        `${file} → ${written.eval_name}: average ${written.average.toFixed(2)}` +
          `${written.replaced ? ' (row replaced)' : ' (new row)'}, stored as results/${written.results_file}` +
          `${written.request_file ? `, ${written.request_file} FINISHED` : ''}`,
      );
    }
    return 0;
  },
};
