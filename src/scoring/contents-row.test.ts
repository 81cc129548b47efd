/** The full contents row of an evaluation, from scores + request + model info. */
import { modelAnchorHtml } from '../datasets/contents-table.js';
import { describe, expect, it } from 'vitest';
import { leaderboardColumns, type ContentsRecord } from '../datasets/contents-table.js';
import type { EvalRequest } from '../datasets/request-file.js';
import type { ModelInfo } from '../hub/model-hub.js';
import { DEFAULT_BENCHMARKS } from './benchmarks.js';
import {
  buildContentsRow,
  evalName,
  fitRowToColumns,
  isMoeModel,
  mergeColumns,
  newContentsColumns,
  paramsBillions,
  resolveLineage,
  upsertContentsRow,
} from './contents-row.js';
import { scoreResults } from './results-file.js';

const SHA = 'c'.repeat(40);

function resultsDoc(seconds: number | undefined): Record<string, unknown> {
  const results: Record<string, Record<string, number>> = {};
  for (const b of DEFAULT_BENCHMARKS) {
    for (const s of b.sources) (results[s.task] ??= {})[s.metric] = 0.5;
  }
  return { results, config: { model_name: 'acme/chat-7b', model_sha: SHA, model_dtype: 'torch.bfloat16' }, total_evaluation_time_seconds: seconds };
}

const request: EvalRequest = {
  model: 'acme/chat-7b',
  base_model: '',
  revision: SHA,
  precision: 'bfloat16',
  params: 7.242,
  architectures: 'MistralForCausalLM',
  weight_type: 'Original',
  status: 'RUNNING',
  submitted_time: '2024-08-05T10:11:12Z',
  model_type: 'chat',
  job_id: 'job-1',
  job_start_time: '2024-08-06T00:00:00Z',
  use_chat_template: true,
  sender: 'alice',
};

const hub: ModelInfo = {
  id: 'acme/chat-7b',
  sha: SHA,
  private: false,
  gated: false,
  likes: 42,
  downloads: 1000,
  createdAt: '2024-04-13T08:00:00.000Z',
  tags: ['transformers', 'safetensors', 'mergekit', 'merge'],
  license: 'apache-2.0',
  cardData: { license: 'apache-2.0', base_model: 'acme/base-7b' },
  config: { architectures: ['MistralForCausalLM'], model_type: 'mistral' },
  files: [],
  safetensorsTotal: 7_241_732_096,
  baseModel: 'acme/base-7b',
};

describe('buildContentsRow', () => {
  const scored = scoreResults(resultsDoc(3600), DEFAULT_BENCHMARKS);

  it('fills every README column, plus T, from the request and the Hub', () => {
    const row = buildContentsRow({
      benchmarks: DEFAULT_BENCHMARKS,
      scored,
      model: 'acme/chat-7b',
      precision: 'bfloat16',
      sha: SHA,
      request,
      hub,
      lineage: { baseModel: 'acme/base-7b', generation: 1 },
      officialProviders: new Set(['acme']),
      organization: 'my-board',
      now: new Date('2025-01-01T00:00:00Z'),
    });
    const columns = leaderboardColumns(DEFAULT_BENCHMARKS).map((c) => c.name);
    expect(Object.keys(row).filter((k) => k !== 'T').sort()).toEqual([...columns].sort());
    expect(row).toMatchObject({
      eval_name: 'acme_chat-7b_bfloat16',
      Precision: 'bfloat16',
      Type: '💬 chat models (RLHF, DPO, IFT, ...)',
      T: '💬',
      'Weight type': 'Original',
      Architecture: 'MistralForCausalLM',
      fullname: 'acme/chat-7b',
      'Model sha': SHA,
      'Hub License': 'apache-2.0',
      'Hub ❤️': 42,
      '#Params (B)': 7.242,
      'Available on the hub': true,
      Merged: true,
      MoE: false,
      Flagged: false,
      'Chat Template': true,
      "Maintainer's Highlight": true,
      'Upload To Hub Date': '2024-04-13',
      'Submission Date': '2024-08-05',
      Generation: 1,
      'Base Model': 'acme/base-7b',
    });
    expect(row['CO₂ cost (kg)']).toBeCloseTo(1.51088, 12);
    expect(row.Model).toBe(modelAnchorHtml('acme/chat-7b', 'my-board'));
    expect(row.Model).toContain('href="https://huggingface.co/datasets/my-board/acme__chat-7b-details"');
    // 0.5 everywhere: IFEval 50, BBH mean of per-subtask normalizations, GPQA (0.5 − 0.25)/0.75.
    expect(row['IFEval Raw']).toBe(0.5);
    expect(row.IFEval).toBe(50);
    expect(row.GPQA as number).toBeCloseTo(100 / 3, 12);
    expect(row['Average ⬆️']).toBe(scored.average);
  });

  it('without a request or the Hub, keeps what the previous row knew', () => {
    const previous: ContentsRecord = {
      eval_name: 'acme_chat-7b_bfloat16',
      Type: '🔶 fine-tuned on domain-specific datasets',
      'Hub License': 'mit',
      'Hub ❤️': 7,
      '#Params (B)': 7.0,
      Flagged: true,
      'Upload To Hub Date': '2024-01-01',
      'Submission Date': '2024-02-02',
      'Base Model': 'acme/root',
      Generation: 2,
      'Chat Template': false,
      Merged: false,
      MoE: true,
    };
    const row = buildContentsRow({
      benchmarks: DEFAULT_BENCHMARKS,
      scored: scoreResults({ ...resultsDoc(undefined), chat_template: null }, DEFAULT_BENCHMARKS),
      model: 'acme/chat-7b',
      precision: 'bfloat16',
      sha: undefined,
      previous,
      officialProviders: new Set(),
      organization: 'o',
      now: new Date('2025-01-01T00:00:00Z'),
    });
    expect(row).toMatchObject({
      Type: '🔶 fine-tuned on domain-specific datasets',
      T: '🔶',
      'Hub License': 'mit',
      'Hub ❤️': 7,
      '#Params (B)': 7,
      Flagged: true,
      MoE: true,
      'Upload To Hub Date': '2024-01-01',
      'Submission Date': '2024-02-02',
      'Base Model': 'acme/root',
      Generation: 2,
      'Chat Template': false,
      'CO₂ cost (kg)': -1,
      'Architecture': '?',
      'Model sha': null,
    });
  });

  it('a model gone from the Hub: not available, no Hub facts; a new model without request: ❓ other, today', () => {
    const row = buildContentsRow({
      benchmarks: DEFAULT_BENCHMARKS,
      scored,
      model: 'solo',
      precision: 'float16',
      sha: SHA,
      hub: null,
      officialProviders: new Set(),
      organization: 'o',
      now: new Date('2025-03-04T05:06:07Z'),
    });
    expect(row).toMatchObject({
      eval_name: 'solo_float16',
      Type: '❓ other',
      'Available on the hub': false,
      'Hub License': null,
      'Hub ❤️': 0,
      'Submission Date': '2025-03-04',
      'Base Model': 'solo',
      Generation: 0,
      "Maintainer's Highlight": false,
    });
  });
});

describe('helpers', () => {
  it('evalName and paramsBillions follow the original', () => {
    expect(evalName('01-ai/Yi-1.5-34B', 'bfloat16')).toBe('01-ai_Yi-1.5-34B_bfloat16');
    expect(paramsBillions(34_388_917_248, 'bfloat16')).toBe(34.389);
    expect(paramsBillions(261_184_512, 'GPTQ')).toBe(2.089);
  });

  it('MoE from tags, architecture or experts', () => {
    const base = { id: 'a/b', tags: [] as string[] };
    expect(isMoeModel({ ...base, config: { architectures: ['MixtralForCausalLM'] } })).toBe(true);
    expect(isMoeModel({ ...base, tags: ['moe'] })).toBe(true);
    expect(isMoeModel({ ...base, config: { num_local_experts: 8 } })).toBe(true);
    expect(isMoeModel({ ...base, config: { architectures: ['LlamaForCausalLM'] } })).toBe(false);
  });

  it('resolveLineage walks to the root, flags merges and stops on cycles', async () => {
    const tree: Record<string, string[]> = { 'x/ft2': ['x/ft1'], 'x/ft1': ['x/root'], 'x/root': [], 'c/a': ['c/b'], 'c/b': ['c/a'] };
    const basesOf = async (id: string) => tree[id] ?? null;
    expect(await resolveLineage('x/mine', ['x/ft2'], basesOf)).toEqual({ baseModel: 'x/root', generation: 3 });
    expect(await resolveLineage('x/mine', [], basesOf)).toEqual({ baseModel: 'x/mine', generation: 0 });
    expect(await resolveLineage('x/mine', ['x/mine'], basesOf)).toEqual({ baseModel: 'x/mine', generation: 0 });
    expect(await resolveLineage('x/mine', ['a/1', 'b/2'], basesOf)).toEqual({ baseModel: 'x/mine (Merge)', generation: 1 });
    expect(await resolveLineage('c/z', ['c/a'], basesOf)).toEqual({ baseModel: 'c/b', generation: 2 });
    expect(await resolveLineage('x/mine', ['unknown/m'], basesOf)).toEqual({ baseModel: 'unknown/m', generation: 1 });
  });

  it('fits rows to an existing table: its columns, its types, its highlight name', () => {
    const existing = [
      { name: 'eval_name', type: 'string' as const },
      { name: 'Official Providers', type: 'boolean' as const },
      { name: 'Generation', type: 'string' as const },
    ];
    const columns = mergeColumns(existing, newContentsColumns(DEFAULT_BENCHMARKS));
    expect(columns.slice(0, 3)).toEqual(existing);
    expect(columns.map((c) => c.name)).not.toContain("Maintainer's Highlight");
    expect(columns.map((c) => c.name)).toContain('IFEval Raw');
    const fitted = fitRowToColumns({ eval_name: 'e', "Maintainer's Highlight": true, Generation: 2, Extra: 'x' }, existing);
    expect(fitted).toEqual({ eval_name: 'e', 'Official Providers': true, Generation: '2' });
  });

  it('upsert replaces the row with the same eval_name in place, else appends', () => {
    const rows = [{ eval_name: 'a', v: 1 }, { eval_name: 'b', v: 2 }];
    expect(upsertContentsRow(rows, { eval_name: 'a', v: 3 })).toEqual([{ eval_name: 'a', v: 3 }, { eval_name: 'b', v: 2 }]);
    expect(upsertContentsRow(rows, { eval_name: 'c', v: 4 })).toHaveLength(3);
  });
});
