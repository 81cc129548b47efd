/** Export encodings: RFC 4180 CSV, JSON items, parquet with the table's types. */
import { describe, expect, it } from 'vitest';
import { decodeContentsParquet } from '../../datasets/contents-table.js';
import { DEFAULT_BENCHMARKS } from '../../scoring/benchmarks.js';
import { makeContentsRecord } from '../../../test/helpers/contents.js';
import { parseLeaderboardQuery } from '../leaderboard/query.js';
import { encodeCsv, encodeExport, leaderboardView, selectExport } from './export.js';

describe('encodeCsv', () => {
  it('quotes fields with commas, quotes or line breaks, doubles quotes, writes CRLF, empty for null', () => {
    const columns = [
      { name: 'a', type: 'string' as const },
      { name: 'b,c', type: 'double' as const },
      { name: 'd', type: 'boolean' as const },
    ];
    const csv = encodeCsv(
      [
        { a: 'plain', 'b,c': 1.5, d: true },
        { a: 'say "hi", then\nleave', 'b,c': null, d: false },
      ],
      columns,
    );
    expect(csv).toBe('a,"b,c",d\r\nplain,1.5,true\r\n"say ""hi"", then\nleave",,false\r\n');
  });
});

describe('selectExport', () => {
  const records = [
    makeContentsRecord({ fullname: 'a/low', 'Average ⬆️': 10 }),
    makeContentsRecord({ fullname: 'b/high', 'Average ⬆️': 30, Precision: 'float16' }),
    // Same id and average as a/low but another row: both are exported.
    makeContentsRecord({ fullname: 'a/low', 'Average ⬆️': 10, eval_name: 'a_low_bfloat16_dup', BBH: 99 }),
  ];
  const view = leaderboardView({ records }, DEFAULT_BENCHMARKS, new Set());

  it('follows the ranking and the filters of the query, each row once', () => {
    const all = selectExport(view, parseLeaderboardQuery({}, DEFAULT_BENCHMARKS), DEFAULT_BENCHMARKS);
    expect(all.rows.map((r) => r.eval_name)).toEqual(['b_high_float16', 'a_low_bfloat16', 'a_low_bfloat16_dup']);
    const filtered = selectExport(view, parseLeaderboardQuery({ precision: ['float16'] }, DEFAULT_BENCHMARKS), DEFAULT_BENCHMARKS);
    expect(filtered.items.map((i) => i.model.name)).toEqual(['b/high']);
  });

  it('json is the items; parquet the rows with integer Generation', async () => {
    const selection = selectExport(view, parseLeaderboardQuery({ limit: 1 }, DEFAULT_BENCHMARKS), DEFAULT_BENCHMARKS);
    expect(JSON.parse(new TextDecoder().decode(encodeExport('json', selection, DEFAULT_BENCHMARKS)))).toEqual(selection.items);
    const { records: decoded, columns } = await decodeContentsParquet(encodeExport('parquet', selection, DEFAULT_BENCHMARKS));
    expect(decoded).toHaveLength(1);
    expect(decoded[0]).toMatchObject({ fullname: 'b/high', Generation: 1, 'Average ⬆️': 30 });
    expect(columns.find((c) => c.name === 'Generation')!.type).toBe('int');
  });
});
