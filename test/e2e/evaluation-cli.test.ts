/**
 * The operator commands of the evaluation pipeline on a DATA_DIR and the Hub emulator:
 * ingest-results (with and without a request), rebuild-contents, export.
 */
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/command.js';
import { decodeContentsParquet, readContentsTable, writeContentsTable } from '../../src/datasets/contents-table.js';
import { decodeRequestFile, encodeRequestFile, requestFilePath, type EvalRequest } from '../../src/datasets/request-file.js';
import { createLocalDatasets } from '../../src/storage/local-repo.js';
import { makeContentsRecord } from '../helpers/contents.js';
import { makeTempDir, seedContents } from '../helpers/app.js';
import { SEED_DATE, SHARDED_MODEL, startHubEmulator, VALID_MODEL, type HubEmulator } from '../hub-emulator/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/results/${name}`, import.meta.url), 'utf8');

let hub: HubEmulator;
let dataDir: string;
let env: Record<string, string>;

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (line) => out.push(line), err: (line) => err.push(line), interactive: false };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** A results file for `model` at the emulator's head commit, written to the data dir's parent. */
async function resultsFileFor(model: string, name: string, change?: (doc: any) => void): Promise<string> {
  const doc = JSON.parse(fixture('valid-model-bfloat16.json'));
  doc.model_name = model;
  doc.config.model_sha = hub.modelHead(model);
  doc.config.model_revision = doc.config.model_sha;
  change?.(doc);
  const file = path.join(dataDir, '..', `${path.basename(dataDir)}-${name}.json`);
  await writeFile(file, JSON.stringify(doc, null, 2));
  return file;
}

const rows = async () => (await readContentsTable(createLocalDatasets(dataDir).contents)).records;

beforeAll(async () => {
  hub = await startHubEmulator();
  dataDir = await makeTempDir();
  env = { DATA_DIR: dataDir, HUB_URL: hub.url, LOG_LEVEL: 'silent', HUB_TIMEOUT: '5' };
  await seedContents(dataDir, [makeContentsRecord({ fullname: 'board/kept', 'Average ⬆️': 33 })]);
});
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ingest-results', () => {
  it('results evaluated elsewhere (no request): the row takes what it needs from the Hub', async () => {
    const file = await resultsFileFor(SHARDED_MODEL, 'sharded');
    const result = await cli(['ingest-results', file, '--model-type', 'pretrained']);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out[0]).toContain('emulated_sharded-model_bfloat16');
    const row = (await rows()).find((r) => r.fullname === SHARDED_MODEL)!;
    expect(row).toMatchObject({
      eval_name: 'emulated_sharded-model_bfloat16',
      Precision: 'bfloat16',
      Type: '🟢 pretrained',
      T: '🟢',
      'Weight type': 'Original',
      'Model sha': hub.modelHead(SHARDED_MODEL),
      'Hub License': 'apache-2.0',
      // No `safetensors` in its model info: counted from the shard headers.
      '#Params (B)': 7.242,
      'Available on the hub': true,
      'Upload To Hub Date': SEED_DATE.slice(0, 10),
      'Chat Template': true,
      Generation: 0,
      'Base Model': SHARDED_MODEL,
    });
    // No request: the submission date is the day of the ingestion.
    expect(row['Submission Date']).toMatch(/^\d{4}-\d\d-\d\d$/);
    const stored = await createLocalDatasets(dataDir).results.list(SHARDED_MODEL);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.path).toMatch(/^emulated\/sharded-model\/results_\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}\.json$/);
    // Stored verbatim.
    expect(await readFile(path.join(dataDir, 'results', ...stored[0]!.path.split('/')), 'utf8')).toBe(await readFile(file, 'utf8'));
  });

  it('results with a matching request: Type from the request, which becomes FINISHED', async () => {
    const request: EvalRequest = {
      model: VALID_MODEL,
      base_model: '',
      revision: hub.modelHead(VALID_MODEL),
      precision: 'bfloat16',
      params: 6.738,
      architectures: 'LlamaForCausalLM',
      weight_type: 'Original',
      status: 'PENDING',
      submitted_time: '2024-12-24T08:00:00Z',
      model_type: 'fine-tuned',
      job_id: -1,
      job_start_time: null,
      use_chat_template: false,
      sender: 'carol',
      custom_field: 'kept',
    };
    const requestPath = requestFilePath(VALID_MODEL, 'bfloat16', 'Original');
    await createLocalDatasets(dataDir).requests.commit(
      [{ op: 'put', path: requestPath, content: new TextEncoder().encode(encodeRequestFile(request)) }],
      'seed',
    );
    const result = await cli(['ingest-results', await resultsFileFor(VALID_MODEL, 'valid')]);
    expect(result.code).toBe(0);
    expect(result.out[0]).toContain(`${requestPath} FINISHED`);
    const row = (await rows()).find((r) => r.fullname === VALID_MODEL)!;
    expect(row).toMatchObject({
      Type: '🔶 fine-tuned on domain-specific datasets',
      'Submission Date': '2024-12-24',
      '#Params (B)': 6.738,
      'Hub ❤️': 42,
      'Chat Template': false,
    });
    const file = decodeRequestFile(await readFile(path.join(dataDir, 'requests', ...requestPath.split('/')), 'utf8'));
    expect(file).toMatchObject({ status: 'FINISHED', custom_field: 'kept', sender: 'carol' });
    expect(String(file.results_file)).toMatch(/^emulated\/valid-model\/results_/);
  });

  it('one unusable file among several: nothing is written, the error names the missing task', async () => {
    const before = await rows();
    const good = await resultsFileFor(SHARDED_MODEL, 'sharded-2');
    const bad = await resultsFileFor(SHARDED_MODEL, 'missing', (doc) => delete doc.results.leaderboard_musr_team_allocation);
    const result = await cli(['ingest-results', good, bad, '--no-hub']);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain('missing task "leaderboard_musr_team_allocation" (needed by MUSR)');
    expect(result.err.at(-1)).toBe('Nothing was ingested.');
    expect(await rows()).toEqual(before);
    expect(await createLocalDatasets(dataDir).results.list(SHARDED_MODEL)).toHaveLength(1);
  });

  it('bad arguments are usage errors', async () => {
    expect((await cli(['ingest-results'])).code).toBe(2);
    expect((await cli(['ingest-results', 'x.json', '--model-type', 'robot'])).code).toBe(2);
    const missing = await cli(['ingest-results', path.join(dataDir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toContain('cannot read it');
  });
});

describe('rebuild-contents', () => {
  it('recomputes the rows with stored results and keeps the others', async () => {
    const repo = createLocalDatasets(dataDir).contents;
    const table = await readContentsTable(repo);
    const expected = table.records;
    // Damage the computed rows; the row without results must survive untouched.
    const damaged = table.records.map((record) =>
      record.fullname === 'board/kept'
        ? record
        : // The type of results without a request lives only in its row: it is kept, not recomputed.
          { ...record, 'Average ⬆️': 0, BBH: 0, 'Hub ❤️': 1, Type: record.fullname === VALID_MODEL ? '❓ other' : (record.Type ?? null) },
    );
    await writeContentsTable(repo, damaged, table.columns, 'damage');

    const result = await cli(['rebuild-contents', '--no-hub']);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^Rebuilt 2 rows from 2 results files \(0 skipped\); 1 rows without stored results kept/);
    expect(result.err.some((line) => line.startsWith('Rebuilding: 4/4 (100%)'))).toBe(true);
    const rebuilt = await rows();
    const byName = (list: typeof rebuilt, name: string) => list.find((r) => r.fullname === name)!;
    for (const name of [SHARDED_MODEL, VALID_MODEL]) {
      // Scores and request facts are back; without the Hub, Hub facts stay as the table had them.
      expect(byName(rebuilt, name)['Average ⬆️']).toBe(byName(expected, name)['Average ⬆️']);
      expect(byName(rebuilt, name).BBH).toBe(byName(expected, name).BBH);
      expect(byName(rebuilt, name)['Hub ❤️']).toBe(1);
    }
    expect(byName(rebuilt, VALID_MODEL).Type).toBe('🔶 fine-tuned on domain-specific datasets');
    expect(byName(rebuilt, 'board/kept')).toEqual(byName(expected, 'board/kept'));

    // With the Hub, its facts are refreshed too.
    expect((await cli(['rebuild-contents'])).code).toBe(0);
    expect(byName(await rows(), VALID_MODEL)['Hub ❤️']).toBe(42);
    expect(await rows()).toEqual(expected.map((r) => ({ ...r })));
  });
});

describe('export', () => {
  it('csv to standard output, json and parquet to files, with /formatted query parameters', async () => {
    const csv = await cli(['export', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.out[0]!.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.startsWith('board_kept_bfloat16,')).toBe(true);

    const jsonFile = path.join(dataDir, 'export.json');
    const json = await cli(['export', '--format', 'json', '--out', jsonFile, '--query', 'search=emulated&sort=-params']);
    expect(json.code).toBe(0);
    const items = JSON.parse(await readFile(jsonFile, 'utf8'));
    expect(items.map((i: any) => i.model.name)).toEqual([SHARDED_MODEL, VALID_MODEL]);

    const parquetFile = path.join(dataDir, 'export.parquet');
    expect((await cli(['export', '--format', 'parquet', '--out', parquetFile, '--query', 'type=pretrained'])).code).toBe(0);
    const { records } = await decodeContentsParquet(new Uint8Array(await readFile(parquetFile)));
    expect(records.map((r) => r.fullname)).toEqual([SHARDED_MODEL]);

    expect((await cli(['export', '--format', 'parquet'])).code).toBe(2);
    expect((await cli(['export', '--format', 'xml'])).code).toBe(2);
    expect((await cli(['export', '--format', 'csv', '--query', 'sort=nope'])).code).toBe(2);
  });
});
