import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../cli/command.js';
import { importContentsCommand } from '../cli/import-contents.js';
import { createLocalDatasets } from '../storage/local-repo.js';
import {
  ContentsImportError,
  formatFromFileName,
  parseContents,
  parseContentsCsv,
  parseContentsJson,
  parseContentsJsonl,
  parseContentsParquet,
} from './contents-import.js';
import { CONTENTS_PARQUET_PATH, encodeContentsParquet, readContentsTable, type CellValue } from './contents-table.js';

const FIXTURE = '/work/shared/fixtures/contents-2025-02-13.csv';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'contents-import-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function cli(env: Record<string, string> = {}): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { env, out: (l) => lines.push(l), err: (l) => errors.push(l), interactive: false, lines, errors };
}

/** An RFC 4180 reader written independently of the importer (which uses csv-parse). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe.skipIf(!existsSync(FIXTURE))('importing the real contents table (fixture)', () => {
  it('imports every row, column and value without loss', async () => {
    const dataDir = await tempDir();
    const io = cli();
    const code = await importContentsCommand.run([FIXTURE, '--data-dir', dataDir], io);
    expect(io.errors.filter((line) => !line.startsWith('Converting rows'))).toEqual([]);
    expect(code).toBe(0);
    expect(io.lines).toHaveLength(1);
    expect(io.lines[0]).toContain('3827 rows × 36 columns');
    expect(io.errors.some((line) => line.startsWith('Converting rows'))).toBe(true);

    const table = await readContentsTable(createLocalDatasets(dataDir).contents);
    expect(table.problems).toEqual([]);
    const [header, ...lines] = readCsv(await readFile(FIXTURE, 'utf8'));
    expect(header![0]).toBe('');
    const names = header!.slice(1);
    expect(table.columns.map((column) => column.name)).toEqual(names);
    expect(names).toContain('T');
    expect(names).toContain('Official Providers');
    expect(lines).toHaveLength(3827);
    expect(table.records).toHaveLength(3827);

    const types = new Map(table.columns.map((column) => [column.name, column.type]));
    expect(types.get('Hub ❤️')).toBe('int');
    expect(types.get('Generation')).toBe('int');
    expect(types.get('Official Providers')).toBe('boolean');
    expect(types.get('#Params (B)')).toBe('double');
    expect(types.get('T')).toBe('string');

    let numbers = 0;
    lines.forEach((line, r) => {
      const record = table.records[r]!;
      names.forEach((name, c) => {
        const text = line[c + 1]!;
        const actual = record[name];
        let expected: CellValue;
        if (text === '') expected = null;
        else if (types.get(name) === 'boolean') expected = text === 'True' ? true : text === 'False' ? false : text;
        else if (types.get(name) === 'int' || types.get(name) === 'double') {
          expected = parseFloat(text);
          numbers++;
        } else expected = text;
        if (!Object.is(actual, expected)) expect.fail(`row ${r + 1}, column ${name}: ${String(actual)} !== ${text}`);
      });
    });
    expect(numbers).toBeGreaterThan(3827 * 15);
  });
});

describe('parseContentsCsv', () => {
  it('drops the pandas index, keeps quoted commas, newlines and quotes, and types known columns', () => {
    const model = '<a target="_blank" href="https://huggingface.co/o/m">o/m, "quoted"\nsecond line</a>';
    const csv =
      ',eval_name,Model,Hub ❤️,Generation,Average ⬆️,Merged,Official Providers,T,Hub License\r\n' +
      `0,o_m_bfloat16,"${model.replace(/"/g, '""')}",3,1,8.805656367208497,True,False,💬,\r\n` +
      '1,p_q_float16,plain,0,2.0,-0.0,False,True,🟢,mit\r\n';
    const { records, columns, warnings } = parseContentsCsv(`\uFEFF${csv}`);
    expect(columns).toEqual([
      { name: 'eval_name', type: 'string' },
      { name: 'Model', type: 'string' },
      { name: 'Hub ❤️', type: 'int' },
      { name: 'Generation', type: 'int' },
      { name: 'Average ⬆️', type: 'double' },
      { name: 'Merged', type: 'boolean' },
      { name: 'Official Providers', type: 'boolean' },
      { name: 'T', type: 'string' },
      { name: 'Hub License', type: 'string' },
    ]);
    expect(records[0]).toEqual({
      eval_name: 'o_m_bfloat16',
      Model: model,
      'Hub ❤️': 3,
      Generation: 1,
      'Average ⬆️': 8.805656367208497,
      Merged: true,
      'Official Providers': false,
      T: '💬',
      'Hub License': null,
    });
    expect(records[1]!.Generation).toBe(2);
    expect(Object.is(records[1]!['Average ⬆️'], -0)).toBe(true);
    expect(warnings[0]).toMatch(/missing leaderboard columns/);
  });

  it('infers the types of unknown columns', () => {
    const csv = [
      'ints,doubles,bools,strings,empty,mixed,exp,floatints',
      '1,1.5,True,a,,1,1e-05,1.0',
      '-2,3,false,b,,x,-2.5E+3,2.0',
      ',,,,,,inf,',
    ].join('\n');
    const { records, columns } = parseContentsCsv(csv);
    expect(Object.fromEntries(columns.map((c) => [c.name, c.type]))).toEqual({
      ints: 'int',
      doubles: 'double',
      bools: 'boolean',
      strings: 'string',
      empty: 'string',
      mixed: 'string',
      exp: 'double',
      floatints: 'double',
    });
    expect(records[0]).toEqual({ ints: 1, doubles: 1.5, bools: true, strings: 'a', empty: null, mixed: '1', exp: 1e-5, floatints: 1 });
    expect(records[1]).toEqual({ ints: -2, doubles: 3, bools: false, strings: 'b', empty: null, mixed: 'x', exp: -2500, floatints: 2 });
    expect(records[2]).toEqual({ ints: null, doubles: null, bools: null, strings: null, empty: null, mixed: null, exp: Infinity, floatints: null });
  });

  it('names the data row and column of a bad value', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `m${i},${i === 16 ? 'abc' : i}`);
    const csv = ['eval_name,Hub ❤️', ...rows].join('\n');
    expect(() => parseContentsCsv(csv)).toThrow('row 17, column "Hub ❤️": "abc" is not an integer');
    expect(() => parseContentsCsv('eval_name,Generation\nm,1.5')).toThrow('row 1, column "Generation": "1.5" is not an integer');
    expect(() => parseContentsCsv('eval_name,Merged\nm,yes')).toThrow('row 1, column "Merged": "yes" is not a boolean');
    expect(() => parseContentsCsv('eval_name,BBH\nm,1,5')).toThrow(/row 1: has 3 fields, the header has 2/);
    expect(() => parseContentsCsv('a,a\n1,2')).toThrow(/"a" appears twice/);
    expect(() => parseContentsCsv('a,,b\n1,2,3')).toThrow(/column 2 has no name/);
    expect(() => parseContentsCsv('')).toThrow(/empty/);
    expect(() => parseContentsCsv('a,b\n"unclosed,1')).toThrow(ContentsImportError);
    try {
      parseContentsCsv(csv);
    } catch (error) {
      expect(error).toBeInstanceOf(ContentsImportError);
      expect((error as ContentsImportError).row).toBe(17);
      expect((error as ContentsImportError).column).toBe('Hub ❤️');
    }
  });
});

describe('parseContentsJson / parseContentsJsonl / parseContentsParquet', () => {
  const rows = [
    { eval_name: 'o_m_bfloat16', 'Hub ❤️': 3, 'Average ⬆️': 0.1 + 0.2, "Maintainer's Highlight": true, extra: 7, note: 'a "b", c\nd' },
    { eval_name: 'p_q_float16', 'Hub ❤️': null, 'Average ⬆️': 12, "Maintainer's Highlight": false, extra: 8, late: 1.5 },
  ];

  it('reads a JSON array and {"models": [...]} alike, with the union of keys in first-seen order', () => {
    for (const text of [JSON.stringify(rows), JSON.stringify({ models: rows, total: 2 })]) {
      const { records, columns } = parseContentsJson(text);
      expect(columns).toEqual([
        { name: 'eval_name', type: 'string' },
        { name: 'Hub ❤️', type: 'int' },
        { name: 'Average ⬆️', type: 'double' },
        { name: "Maintainer's Highlight", type: 'boolean' },
        { name: 'extra', type: 'int' },
        { name: 'note', type: 'string' },
        { name: 'late', type: 'double' },
      ]);
      expect(records[0]).toEqual({ ...rows[0], late: null });
      expect(Object.is(records[0]!['Average ⬆️'], 0.1 + 0.2)).toBe(true);
      expect(records[1]).toEqual({ ...rows[1], note: null });
    }
  });

  it('reads JSON Lines, skipping blank lines, and numbers the rows in errors', () => {
    const text = `${JSON.stringify(rows[0])}\n\n${JSON.stringify(rows[1])}\n`;
    expect(parseContentsJsonl(text).records).toHaveLength(2);
    expect(() => parseContentsJsonl(`${JSON.stringify(rows[0])}\n{oops\n`)).toThrow(/^row 2: invalid JSON/);
    expect(() => parseContentsJsonl(`${JSON.stringify(rows[0])}\n[1]\n`)).toThrow(/^row 2: is not a JSON object/);
  });

  it('rejects malformed JSON and values that do not fit their column', () => {
    expect(() => parseContentsJson('{"rows": []}')).toThrow(/array of row objects/);
    expect(() => parseContentsJson('[1, 2')).toThrow(/invalid JSON/);
    expect(() => parseContentsJson(JSON.stringify([rows[0], { ...rows[1], 'Hub ❤️': 2.5 }]))).toThrow(
      'row 2, column "Hub ❤️": 2.5 is not an integer',
    );
    expect(() => parseContentsJson(JSON.stringify([{ 'Average ⬆️': 'abc' }]))).toThrow('row 1, column "Average ⬆️": "abc" is not a number');
    expect(() => parseContentsJson(JSON.stringify([{ Flagged: 1 }]))).toThrow('row 1, column "Flagged": 1 is not a boolean');
    // Numbers written as text (some exports do) are parsed like CSV cells.
    expect(parseContentsJson(JSON.stringify([{ 'Hub ❤️': '12', Flagged: 'False' }])).records[0]).toEqual({ 'Hub ❤️': 12, Flagged: false });
  });

  it('reads parquet, converting known columns to their types and dropping a pyarrow index', async () => {
    const bytes = encodeContentsParquet(
      [
        { __index_level_0__: 0, eval_name: 'o_m_bfloat16', 'Hub ❤️': 3, Generation: 2, custom: 1.25 },
        { __index_level_0__: 1, eval_name: 'p_q_float16', 'Hub ❤️': null, Generation: 0, custom: null },
      ],
      [
        { name: '__index_level_0__', type: 'int' },
        { name: 'eval_name', type: 'string' },
        { name: 'Hub ❤️', type: 'double' },
        { name: 'Generation', type: 'string' },
        { name: 'custom', type: 'double' },
      ],
    );
    const { records, columns } = await parseContentsParquet(bytes);
    expect(columns).toEqual([
      { name: 'eval_name', type: 'string' },
      { name: 'Hub ❤️', type: 'int' },
      { name: 'Generation', type: 'int' },
      { name: 'custom', type: 'double' },
    ]);
    expect(records).toEqual([
      { eval_name: 'o_m_bfloat16', 'Hub ❤️': 3, Generation: 2, custom: 1.25 },
      { eval_name: 'p_q_float16', 'Hub ❤️': null, Generation: 0, custom: null },
    ]);
    await expect(parseContentsParquet(new TextEncoder().encode('not parquet'))).rejects.toThrow(/invalid parquet/);
    await expect(parseContents(new Uint8Array([0xff, 0xfe, 0x00]), 'csv')).rejects.toThrow(/UTF-8/);
  });

  it('tells formats from file names', () => {
    expect(formatFromFileName('a/b.CSV')).toBe('csv');
    expect(formatFromFileName('x.json')).toBe('json');
    expect(formatFromFileName('x.ndjson')).toBe('jsonl');
    expect(formatFromFileName('x.jsonl')).toBe('jsonl');
    expect(formatFromFileName('x.parquet')).toBe('parquet');
    expect(formatFromFileName('x.txt')).toBeUndefined();
  });
});

describe('import-contents command', () => {
  const csv = [
    ',eval_name,Precision,Model,fullname,Hub ❤️,Average ⬆️,Available on the hub,Base Model',
    '0,o_m_bfloat16,bfloat16,"<a href=""https://huggingface.co/o/m"">o/m, ok</a>",o/m,5,21.5,True,',
    '1,p_q_float16,float16,"multi\nline",p/q,0,3.25,False,o/m',
  ].join('\n');

  it('round-trips CSV, JSON, JSONL and parquet inputs through the contents dataset', async () => {
    const dir = await tempDir();
    const csvFile = path.join(dir, 'table.csv');
    await writeFile(csvFile, csv);
    const dataDir = path.join(dir, 'data');
    const io = cli();
    expect(await importContentsCommand.run([csvFile, '--data-dir', dataDir], io)).toBe(0);
    expect(io.lines[0]).toMatch(/^Imported 2 rows × 8 columns from .*table\.csv \(csv\) into .*contents\/data\/train-00000-of-00001\.parquet/);
    const fromCsv = await readContentsTable(createLocalDatasets(dataDir).contents);
    expect(fromCsv.records[0]!.Model).toBe('<a href="https://huggingface.co/o/m">o/m, ok</a>');
    expect(fromCsv.records[1]).toMatchObject({ Model: 'multi\nline', 'Hub ❤️': 0, 'Available on the hub': false, 'Base Model': 'o/m' });
    expect(fromCsv.records[0]!['Base Model']).toBeNull();

    // The same table as JSON ({"models": …}, the API's shape), JSONL and parquet, with DATA_DIR from the environment.
    const inputs: [string, string | Uint8Array][] = [
      ['table.json', JSON.stringify({ models: fromCsv.records })],
      ['table.jsonl', fromCsv.records.map((r) => JSON.stringify(r)).join('\n')],
      ['table.parquet', encodeContentsParquet(fromCsv.records, fromCsv.columns)],
      ['table.data', JSON.stringify(fromCsv.records)],
    ];
    for (const [name, content] of inputs) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      const otherDir = path.join(dir, `data-${name}`);
      const args = name.endsWith('.data') ? [file, '--format', 'JSON'] : [file];
      expect(await importContentsCommand.run(args, cli({ DATA_DIR: otherDir })), name).toBe(0);
      const table = await readContentsTable(createLocalDatasets(otherDir).contents);
      expect(table.records, name).toEqual(fromCsv.records);
      expect(table.columns, name).toEqual(fromCsv.columns);
    }
  });

  it('fails with exit code 1 naming row and column, and leaves the current table alone', async () => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'data');
    const good = path.join(dir, 'good.csv');
    await writeFile(good, csv);
    expect(await importContentsCommand.run([good, '--data-dir', dataDir], cli())).toBe(0);
    const before = await readFile(path.join(dataDir, 'contents', CONTENTS_PARQUET_PATH));

    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, csv.replace(',0,3.25,', ',abc,3.25,'));
    const io = cli();
    expect(await importContentsCommand.run([bad, '--data-dir', dataDir], io)).toBe(1);
    expect(io.errors.join('\n')).toContain('row 2, column "Hub ❤️": "abc" is not an integer');
    expect(io.lines).toEqual([]);
    expect((await readFile(path.join(dataDir, 'contents', CONTENTS_PARQUET_PATH))).equals(before)).toBe(true);

    const missing = cli();
    expect(await importContentsCommand.run([path.join(dir, 'nope.csv'), '--data-dir', dataDir], missing)).toBe(1);
    expect(missing.errors.join('\n')).toMatch(/Cannot read/);
  });

  it('rejects bad arguments with a UsageError', async () => {
    for (const argv of [[], ['a.csv', 'b.csv'], ['table.txt'], ['a.csv', '--format', 'xml'], ['a.csv', '--bogus']]) {
      await expect(importContentsCommand.run(argv, cli()), argv.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
  });
});
