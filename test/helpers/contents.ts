/** Small, hand-made contents records for tests (the demo generator makes large ones). */
import type { ContentsRecord } from '../../src/datasets/contents-table.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';

let counter = 0;

/** A complete row of the default benchmarks; `overrides` win. */
export function makeContentsRecord(overrides: Partial<ContentsRecord> & { fullname?: string } = {}): ContentsRecord {
  counter += 1;
  const fullname = (overrides.fullname as string | undefined) ?? `test-org/model-${counter}`;
  const precision = (overrides.Precision as string | undefined) ?? 'bfloat16';
  const record: ContentsRecord = {
    eval_name: `${fullname.replace('/', '_')}_${precision}`,
    Precision: precision,
    Type: '💬 chat models (RLHF, DPO, IFT, ...)',
    T: '💬',
    'Weight type': 'Original',
    Architecture: 'LlamaForCausalLM',
    Model: `<a target="_blank" href="https://huggingface.co/${fullname}">${fullname}</a>`,
    fullname,
    'Model sha': 'a'.repeat(40),
    'Average ⬆️': 20,
    'Hub License': 'apache-2.0',
    'Hub ❤️': 5,
    '#Params (B)': 7.24,
    'Available on the hub': true,
    Merged: false,
    MoE: false,
    Flagged: false,
    'Chat Template': true,
    'CO₂ cost (kg)': 1.5,
    "Maintainer's Highlight": false,
    'Upload To Hub Date': '2024-05-01',
    'Submission Date': '2024-06-01',
    Generation: 1,
    'Base Model': fullname,
  };
  for (const b of DEFAULT_BENCHMARKS) {
    record[b.raw_column] = 0.4;
    record[b.normalized_column] = 20;
  }
  return { ...record, ...overrides } as ContentsRecord;
}
