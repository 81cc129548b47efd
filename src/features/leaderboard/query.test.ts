import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import { DEFAULT_BENCHMARKS } from '../../scoring/benchmarks.js';
import { makeContentsRecord } from '../../../test/helpers/contents.js';
import { compileSearch, parseLeaderboardQuery, runLeaderboardQuery, type RawLeaderboardQuery } from './query.js';
import { apiColumns, rankItems, toFormattedItem, toLeaderboardRow } from './transform.js';

const columns = apiColumns(DEFAULT_BENCHMARKS);
const items = rankItems(
  [
    makeContentsRecord({ fullname: 'meta/Llama-3-8B', Type: '🟢 pretrained', 'Average ⬆️': 30, '#Params (B)': 8, Precision: 'bfloat16' }),
    makeContentsRecord({ fullname: 'mistral/Mixtral-8x7B', MoE: true, 'Average ⬆️': 35, '#Params (B)': 46.7, Precision: 'bfloat16' }),
    makeContentsRecord({ fullname: 'someone/merged-llama', Merged: true, 'Average ⬆️': 25, '#Params (B)': 7, Precision: 'float16' }),
    makeContentsRecord({ fullname: 'bad/flagged', Flagged: true, 'Average ⬆️': 40, '#Params (B)': 3, 'Hub ❤️': 100 }),
    makeContentsRecord({ fullname: 'gone/unavailable', 'Available on the hub': false, 'Average ⬆️': 10, '#Params (B)': null }),
  ].map((record) => toFormattedItem(toLeaderboardRow(record, columns), DEFAULT_BENCHMARKS, new Set(['meta']))),
);

function names(raw: RawLeaderboardQuery): string[] {
  const { indexes } = runLeaderboardQuery(items, parseLeaderboardQuery(raw, DEFAULT_BENCHMARKS));
  return indexes.map((index) => items[index]!.model.name!);
}

describe('leaderboard query', () => {
  it('searches case-insensitively by substring and by regex', () => {
    expect(names({ search: 'LLAMA' })).toEqual(['meta/Llama-3-8B', 'someone/merged-llama']);
    expect(names({ search: '/^mistral\\//' })).toEqual(['mistral/Mixtral-8x7B']);
  });
  it('rejects invalid and catastrophic regexes with INVALID_REGEX', () => {
    expect(() => compileSearch('/(unclosed/')).toThrow(AppError);
    expect(() => compileSearch('/(a+)+$/')).toThrow(/exponential/);
    expect(() => compileSearch(`/${'a'.repeat(300)}/`)).toThrow(/longer/);
  });
  it('filters by type, precision, params range and official providers', () => {
    expect(names({ type: ['pretrained'] })).toEqual(['meta/Llama-3-8B']);
    expect(names({ precision: ['float16'] })).toEqual(['someone/merged-llama']);
    expect(names({ precision: ['FLOAT16,bfloat16'] })).toHaveLength(5);
    expect(names({ params_min: 7, params_max: 10 })).toEqual(['meta/Llama-3-8B', 'someone/merged-llama']);
    expect(names({ official_only: true })).toEqual(['meta/Llama-3-8B']);
  });
  it('hides merged, moe, flagged and unavailable models', () => {
    expect(names({ hide: ['merged', 'moe'] })).toEqual(['bad/flagged', 'meta/Llama-3-8B', 'gone/unavailable']);
    expect(names({ hide: ['flagged,unavailable'] })).toEqual(['mistral/Mixtral-8x7B', 'meta/Llama-3-8B', 'someone/merged-llama']);
  });
  it('sorts ascending or descending with nulls last', () => {
    expect(names({ sort: 'params' })).toEqual(['bad/flagged', 'someone/merged-llama', 'meta/Llama-3-8B', 'mistral/Mixtral-8x7B', 'gone/unavailable']);
    expect(names({ sort: '-params' })[0]).toBe('mistral/Mixtral-8x7B');
    expect(names({ sort: '-params' })[4]).toBe('gone/unavailable');
    expect(names({ sort: '-hub_hearts' })[0]).toBe('bad/flagged');
    expect(names({ sort: 'rank' })[0]).toBe('bad/flagged');
  });
  it('pages after filtering and reports the total', () => {
    const result = runLeaderboardQuery(items, parseLeaderboardQuery({ limit: 2, offset: 1 }, DEFAULT_BENCHMARKS));
    expect(result.total).toBe(5);
    expect(result.indexes).toEqual([1, 2]);
  });
  it('rejects unknown values naming the parameter', () => {
    expect(() => parseLeaderboardQuery({ type: ['robot'] }, DEFAULT_BENCHMARKS)).toThrow(/type "robot"/);
    expect(() => parseLeaderboardQuery({ precision: ['fp64'] }, DEFAULT_BENCHMARKS)).toThrow(/precision "fp64"/);
    expect(() => parseLeaderboardQuery({ hide: ['ugly'] }, DEFAULT_BENCHMARKS)).toThrow(/hide value "ugly"/);
    expect(() => parseLeaderboardQuery({ sort: 'nope' }, DEFAULT_BENCHMARKS)).toThrow(/sort key "nope"/);
    expect(() => parseLeaderboardQuery({ params_min: 10, params_max: 1 }, DEFAULT_BENCHMARKS)).toThrow(/params_min/);
  });
});
