import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCHMARKS } from '../../scoring/benchmarks.js';
import { makeContentsRecord } from '../../../test/helpers/contents.js';
import { MODEL_TYPE_LABELS, cleanModelType } from '../../datasets/model-types.js';
import {
  apiColumns,
  coerceCell,
  rankItems,
  toFormattedItem,
  toLeaderboardRow,
} from './transform.js';

const columns = apiColumns(DEFAULT_BENCHMARKS);

describe('cleanModelType', () => {
  it('maps every label of real data to its clean key', () => {
    for (const [key, label] of Object.entries(MODEL_TYPE_LABELS)) expect(cleanModelType(label)).toBe(key);
  });
  it('accepts the keys themselves and the original form values', () => {
    expect(cleanModelType('fine-tuned')).toBe('fine-tuned');
    expect(cleanModelType('continuously pretrained')).toBe('continuously pretrained');
    expect(cleanModelType('pretrained')).toBe('pretrained');
    expect(cleanModelType('chat')).toBe('chat');
    expect(cleanModelType('merge')).toBe('merge');
    expect(cleanModelType('multimodal')).toBe('multimodal');
  });
  it('never strips spaces like the original did (chatmodels)', () => {
    expect(cleanModelType('💬 chat models (RLHF, DPO, IFT, ...)')).toBe('chat');
  });
  it('falls back to other', () => {
    expect(cleanModelType('')).toBe('other');
    expect(cleanModelType(null)).toBe('other');
    expect(cleanModelType('something new')).toBe('other');
  });
});

describe('coerceCell', () => {
  it('turns NaN and junk into null, never NaN', () => {
    expect(coerceCell(Number.NaN, 'double')).toBeNull();
    expect(coerceCell('abc', 'double')).toBeNull();
    expect(coerceCell(Number.POSITIVE_INFINITY, 'double')).toBeNull();
    expect(coerceCell('', 'int')).toBeNull();
  });
  it('keeps numbers as numbers and booleans as booleans', () => {
    expect(coerceCell('1.5', 'double')).toBe(1.5);
    expect(coerceCell('True', 'boolean')).toBe(true);
    expect(coerceCell('false', 'boolean')).toBe(false);
    expect(coerceCell(0, 'boolean')).toBe(false);
    expect(coerceCell(2, 'string')).toBe('2');
  });
});

describe('toLeaderboardRow', () => {
  it('emits exactly the README columns in order', () => {
    const row = toLeaderboardRow(makeContentsRecord(), columns);
    expect(Object.keys(row)).toEqual([
      'eval_name', 'Precision', 'Type', 'Weight type', 'Architecture', 'Model', 'fullname', 'Model sha', 'Average ⬆️',
      'Hub License', 'Hub ❤️', '#Params (B)', 'Available on the hub', 'Merged', 'MoE', 'Flagged', 'Chat Template',
      'CO₂ cost (kg)', 'IFEval Raw', 'IFEval', 'BBH Raw', 'BBH', 'MATH Lvl 5 Raw', 'MATH Lvl 5', 'GPQA Raw', 'GPQA',
      'MUSR Raw', 'MUSR', 'MMLU-PRO Raw', 'MMLU-PRO', "Maintainer's Highlight", 'Upload To Hub Date',
      'Submission Date', 'Generation', 'Base Model',
    ]);
    expect(row).not.toHaveProperty('T');
  });
  it("reads Official Providers as Maintainer's Highlight", () => {
    const record = makeContentsRecord();
    delete record["Maintainer's Highlight"];
    record['Official Providers'] = true;
    expect(toLeaderboardRow(record, columns)["Maintainer's Highlight"]).toBe(true);
  });
  it('serves Generation as a string, as the README types it', () => {
    expect(toLeaderboardRow(makeContentsRecord({ Generation: 2 }), columns).Generation).toBe('2');
  });
  it('gives null for missing columns', () => {
    const record = makeContentsRecord();
    delete record['Base Model'];
    expect(toLeaderboardRow(record, columns)['Base Model']).toBeNull();
  });
});

describe('toFormattedItem', () => {
  const row = toLeaderboardRow(
    makeContentsRecord({ fullname: 'acme/m', Precision: 'float16', 'Model sha': 'abc', 'Chat Template': false, 'Available on the hub': true }),
    columns,
  );
  it('builds the id like the original, with Python booleans', () => {
    expect(toFormattedItem(row, DEFAULT_BENCHMARKS, new Set()).id).toBe('acme/m_float16_abc_False');
  });
  it('negates Available on the hub', () => {
    expect(toFormattedItem(row, DEFAULT_BENCHMARKS, new Set()).features.is_not_available_on_hub).toBe(false);
    const gone = toLeaderboardRow(makeContentsRecord({ 'Available on the hub': false }), columns);
    expect(toFormattedItem(gone, DEFAULT_BENCHMARKS, new Set()).features.is_not_available_on_hub).toBe(true);
  });
  it('maps raw and normalized columns per configured benchmark', () => {
    const item = toFormattedItem(toLeaderboardRow(makeContentsRecord({ 'MATH Lvl 5 Raw': 0.25, 'MATH Lvl 5': 25 }), columns), DEFAULT_BENCHMARKS, new Set());
    expect(item.evaluations.math).toEqual({ name: 'MATH Level 5', value: 0.25, normalized_score: 25 });
    expect(Object.keys(item.evaluations)).toEqual(['ifeval', 'bbh', 'math', 'gpqa', 'musr', 'mmlu_pro']);
  });
  it('marks official providers by flag or by org', () => {
    expect(toFormattedItem(row, DEFAULT_BENCHMARKS, new Set(['acme'])).features.is_official_provider).toBe(true);
    expect(toFormattedItem(row, DEFAULT_BENCHMARKS, new Set(['other'])).features.is_official_provider).toBe(false);
  });
});

describe('rankItems', () => {
  it('orders by average and gives ties the same rank', () => {
    const items = [10, 30, 20, 30, null].map((average, i) =>
      toFormattedItem(toLeaderboardRow(makeContentsRecord({ fullname: `o/m${i}`, 'Average ⬆️': average }), columns), DEFAULT_BENCHMARKS, new Set()),
    );
    const ranked = rankItems(items);
    expect(ranked.map((item) => item.model.average_score)).toEqual([30, 30, 20, 10, null]);
    expect(ranked.map((item) => item.rank)).toEqual([1, 1, 3, 4, 5]);
  });
});
