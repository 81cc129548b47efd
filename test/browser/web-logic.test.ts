/** The UI's pure logic (search, filters, URL state, CSV), tested in Node: no browser needed. */
import { describe, expect, it } from 'vitest';
import type { FormattedItem } from '../../web/src/api/types.js';
import { toCsv } from '../../web/src/leaderboard/csv.js';
import { toLeaderboardData, type ModelRow } from '../../web/src/leaderboard/model-row.js';
import { compileSearch } from '../../web/src/leaderboard/search.js';
import { DEFAULT_VIEW, makeRowFilter, parseViewState, serializeViewState, type ViewState } from '../../web/src/leaderboard/view-state.js';

function item(name: string, overrides: { precision?: string; type?: FormattedItem['model']['type']; params?: number | null; license?: string; arch?: string; merged?: boolean; moe?: boolean; official?: boolean; rank?: number } = {}): FormattedItem {
  return {
    id: `${name}_${overrides.precision ?? 'bfloat16'}`,
    model: {
      name,
      sha: 'abc',
      precision: overrides.precision ?? 'bfloat16',
      type: overrides.type ?? 'chat',
      weight_type: 'Original',
      architecture: overrides.arch ?? 'LlamaForCausalLM',
      average_score: 30,
      has_chat_template: true,
    },
    evaluations: { ifeval: { name: 'IFEval', value: 0.5, normalized_score: 40 }, bbh: { name: 'BBH', value: null, normalized_score: null } },
    features: { is_not_available_on_hub: false, is_merged: overrides.merged ?? false, is_moe: overrides.moe ?? false, is_flagged: false, is_official_provider: overrides.official ?? false },
    metadata: { upload_date: null, submission_date: null, generation: '1', base_model: null, hub_license: overrides.license ?? 'mit', hub_hearts: 1, params_billions: overrides.params === undefined ? 7 : overrides.params, co2_cost: 1 },
    rank: overrides.rank ?? 1,
  };
}

const data = toLeaderboardData([
  item('meta-llama/Llama-3.1-8B', { params: 8, license: 'llama3.1', official: true }),
  item('meta-llama/Llama-3.1-8B', { params: 8, precision: 'float16', rank: 2 }),
  item('Qwen/Qwen2.5-72B', { params: 72.7, arch: 'Qwen2ForCausalLM', license: 'other' }),
  item('mistralai/Mixtral-8x7B', { params: 46.7, moe: true, type: 'pretrained' }),
  item('tiny/merge-1B', { params: 1.1, merged: true, type: 'merge' }),
  item('nobody/unknown-size', { params: null }),
]);
const names = (rows: ModelRow[]) => rows.map((r) => `${r.name}:${r.precision}`);
const search = (query: string) => {
  const compiled = compileSearch(query);
  return data.rows.filter((row) => !compiled.predicate || compiled.predicate(row)).map((r) => r.name);
};

describe('rows', () => {
  it('derives benchmarks from the data, raw scores in percent, entries grouped by name', () => {
    expect(data.benchmarks).toEqual([
      { key: 'ifeval', name: 'IFEval' },
      { key: 'bbh', name: 'BBH' },
    ]);
    expect(data.rows[0]!.scores.ifeval).toEqual({ raw: 50, normalized: 40 });
    expect(data.rows[0]!.rawAverage).toBeNull(); // one raw score is missing
    expect(data.byName.get('meta-llama/Llama-3.1-8B')!.map((r) => r.precision)).toEqual(['bfloat16', 'float16']);
    expect(data.precisions).toEqual(['bfloat16', 'float16']);
  });
});

describe('search', () => {
  it('matches a case-insensitive substring of the name', () => {
    expect(search('LLAMA')).toEqual(['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B']);
  });
  it('matches a /regex/', () => {
    expect(search('/^qwen\\//')).toEqual(['Qwen/Qwen2.5-72B']);
    expect(search('/-\\d+B$/')).toEqual(['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B', 'Qwen/Qwen2.5-72B', 'tiny/merge-1B']);
  });
  it('matches @field:value, alone or with text', () => {
    expect(search('@architecture:qwen2')).toEqual(['Qwen/Qwen2.5-72B']);
    expect(search('@license:llama llama')).toEqual(['meta-llama/Llama-3.1-8B']);
    expect(search('@type:merge')).toEqual(['tiny/merge-1B']);
    expect(search('@precision:float16 @org:meta')).toEqual(['meta-llama/Llama-3.1-8B']);
    expect(search('@arch:/^mi/')).toEqual([]);
    expect(search('@license:"other"')).toEqual(['Qwen/Qwen2.5-72B']);
  });
  it('compares parameters', () => {
    expect(search('@params:<2')).toEqual(['tiny/merge-1B']);
    expect(search('@params:40-80')).toEqual(['Qwen/Qwen2.5-72B', 'mistralai/Mixtral-8x7B']);
    expect(search('@params:8')).toEqual(['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B']);
  });
  it('takes ; as OR', () => {
    expect(search('qwen; mixtral')).toEqual(['Qwen/Qwen2.5-72B', 'mistralai/Mixtral-8x7B']);
    expect(search('qwen;')).toEqual(['Qwen/Qwen2.5-72B']);
  });
  it('reports bad syntax instead of filtering', () => {
    expect(compileSearch('/(unclosed/')).toMatchObject({ error: { kind: 'regex' } });
    expect(compileSearch('@colour:red')).toEqual({ error: { kind: 'field', field: 'colour' } });
    expect(compileSearch('@params:big')).toEqual({ error: { kind: 'number', field: 'params' } });
    expect(compileSearch('  ')).toEqual({});
  });
});

describe('filters', () => {
  const filter = (patch: Partial<ViewState>) => names(data.rows.filter(makeRowFilter({ ...DEFAULT_VIEW, ...patch })));
  it('by type, precision, parameters, flags and official providers', () => {
    expect(filter({ types: ['pretrained', 'merge'] })).toEqual(['mistralai/Mixtral-8x7B:bfloat16', 'tiny/merge-1B:bfloat16']);
    expect(filter({ precisions: ['float16'] })).toEqual(['meta-llama/Llama-3.1-8B:float16']);
    expect(filter({ params: [7, 65] })).toEqual(['meta-llama/Llama-3.1-8B:bfloat16', 'meta-llama/Llama-3.1-8B:float16', 'mistralai/Mixtral-8x7B:bfloat16']);
    // The top of the slider has no upper bound; unknown sizes only pass the full range.
    expect(filter({ params: [65, 140] })).toEqual(['Qwen/Qwen2.5-72B:bfloat16']);
    expect(filter({})).toHaveLength(6);
    expect(filter({ hide: ['is_merged', 'is_moe'] })).not.toContain('tiny/merge-1B:bfloat16');
    expect(filter({ hide: ['is_merged', 'is_moe'] })).not.toContain('mistralai/Mixtral-8x7B:bfloat16');
    expect(filter({ official: true })).toEqual(['meta-llama/Llama-3.1-8B:bfloat16']);
  });
});

describe('URL state', () => {
  it('leaves defaults out', () => {
    expect(serializeViewState(DEFAULT_VIEW)).toBe('');
    expect(parseViewState('')).toEqual(DEFAULT_VIEW);
  });
  it('round-trips every field with the original parameter names', () => {
    const view: ViewState = {
      search: 'llama; @license:mit',
      types: ['chat', 'fine-tuned'],
      precisions: ['bfloat16'],
      params: [3, 7],
      hide: ['is_merged', 'is_flagged'],
      official: true,
      pinned: ['a/b_bfloat16_x_True', 'c/d_float16_y_False'],
      columns: ['rank', 'id', 'model.average_score'],
      scoreDisplay: 'raw',
      sort: { id: 'metadata.params_billions', desc: false },
    };
    const query = serializeViewState(view);
    expect(query).toBe(
      'search=llama%3B%20@license:mit&types=chat,fine-tuned&precision=bfloat16&params=3,7&filters=is_merged,is_flagged&official=true' +
        '&pinned=a/b_bfloat16_x_True,c/d_float16_y_False&columns=rank,id,model.average_score&scoreDisplay=raw&sort=metadata.params_billions&order=asc',
    );
    expect(parseViewState(query)).toEqual(view);
    expect(parseViewState(new URLSearchParams(query))).toEqual(view);
  });
  it('reads the original frontend forms and ignores junk', () => {
    expect(parseViewState('params=-1,140&filters=merged,moe,bogus&types=chat,robot&scoreDisplay=weird').params).toEqual([0, 140]);
    expect(parseViewState('filters=merged,moe,bogus').hide).toEqual(['is_merged', 'is_moe']);
    expect(parseViewState('types=chat,robot').types).toEqual(['chat']);
    expect(parseViewState('scoreDisplay=weird').scoreDisplay).toBe('normalized');
    expect(parseViewState('params=70,7').params).toEqual([7, 70]);
    expect(parseViewState('sort=rank').sort).toEqual({ id: 'rank', desc: true });
  });
});

describe('CSV', () => {
  it('quotes, rounds and defuses formulas', () => {
    expect(toCsv(['Model', 'Score', 'Note'], [['a/b', 12.345678, 'x, "y"'], ['=cmd', null, true]])).toBe(
      'Model,Score,Note\r\na/b,12.3457,"x, ""y"""\r\n\'=cmd,,true\r\n',
    );
  });
});
