/**
 * A deterministic leaderboard for the browser tests: a few hand-made models the tests search
 * for, and synthetic ones up to the size of the real leaderboard (4,576 rows).
 */
import type { ContentsRecord } from '../../src/datasets/contents-table.js';
import { encodeOfficialProviders, OFFICIAL_PROVIDERS_PATH } from '../../src/datasets/official-providers.js';
import { encodeRequestFile, formatUtcSeconds, requestFilePath, type EvalRequest } from '../../src/datasets/request-file.js';
import { DEFAULT_BENCHMARKS } from '../../src/scoring/benchmarks.js';
import { createLocalDatasets } from '../../src/storage/local-repo.js';
import { makeContentsRecord } from '../helpers/contents.js';

export const FULL_SIZE = 4576;

const TYPE_LABELS = {
  pretrained: '🟢 pretrained',
  'continuously pretrained': '🟩 continuously pretrained',
  'fine-tuned': '🔶 fine-tuned on domain-specific datasets',
  chat: '💬 chat models (RLHF, DPO, IFT, ...)',
  merge: '🤝 base merges and moerges',
  multimodal: '🌸 multimodal',
} as const;
type TypeKey = keyof typeof TYPE_LABELS;
const TYPE_EMOJI: Record<TypeKey, string> = {
  pretrained: '🟢',
  'continuously pretrained': '🟩',
  'fine-tuned': '🔶',
  chat: '💬',
  merge: '🤝',
  multimodal: '🌸',
};

/** Mulberry32: a tiny seeded generator, so every run sees the same table. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec {
  fullname: string;
  type: TypeKey;
  params: number;
  precision?: string;
  license?: string;
  architecture?: string;
  average?: number;
  merged?: boolean;
  moe?: boolean;
  flagged?: boolean;
  available?: boolean;
  hearts?: number;
}

/** The models the tests name. Averages are set so that their ranks are known. */
export const KNOWN_MODELS: Spec[] = [
  { fullname: 'acme-ai/Titan-72B-Instruct', type: 'chat', params: 72.7, license: 'other', architecture: 'Qwen2ForCausalLM', average: 52.1, hearts: 910 },
  { fullname: 'meta-llama/Llama-3.1-8B-Instruct', type: 'chat', params: 8.03, license: 'llama3.1', architecture: 'LlamaForCausalLM', average: 41.5, hearts: 3200 },
  { fullname: 'meta-llama/Llama-3.1-8B-Instruct', type: 'chat', params: 8.03, precision: 'float16', license: 'llama3.1', architecture: 'LlamaForCausalLM', average: 40.9, hearts: 3200 },
  { fullname: 'mistralai/Mistral-7B-v0.3', type: 'pretrained', params: 7.25, license: 'apache-2.0', architecture: 'MistralForCausalLM', average: 23.4, hearts: 420 },
  { fullname: 'mistralai/Mixtral-8x7B-Instruct-v0.1', type: 'chat', params: 46.7, license: 'apache-2.0', architecture: 'MixtralForCausalLM', average: 33.9, moe: true, hearts: 4100 },
  { fullname: 'google/gemma-2-2b-it', type: 'chat', params: 2.61, license: 'gemma', architecture: 'Gemma2ForCausalLM', average: 17.2, hearts: 800 },
  { fullname: 'tiny-labs/pico-merge-1B', type: 'merge', params: 1.1, license: 'mit', architecture: 'LlamaForCausalLM', average: 9.8, merged: true, hearts: 3 },
  { fullname: 'shady-org/benchmaxx-7B', type: 'fine-tuned', params: 7.24, license: 'mit', architecture: 'MistralForCausalLM', average: 45.2, flagged: true, hearts: 12 },
];

export const OFFICIAL_ORGS = ['meta-llama', 'mistralai', 'google'];

const ORGS = ['nova-research', 'open-lab', 'qwen-fans', 'deepmerge', 'finetune-co', 'edge-ml', 'zeta-ai', 'hf-community', 'model-makers', 'lowrank'];
const FAMILIES = [
  ['Llama', 'LlamaForCausalLM'],
  ['Qwen2.5', 'Qwen2ForCausalLM'],
  ['Mistral', 'MistralForCausalLM'],
  ['Phi-3', 'Phi3ForCausalLM'],
  ['Gemma', 'Gemma2ForCausalLM'],
  ['Falcon', 'FalconForCausalLM'],
] as const;
const SIZES = [0.5, 1.5, 3, 7, 8, 13, 14, 32, 70, 72];
const LICENSES = ['apache-2.0', 'mit', 'llama3', 'other', 'cc-by-nc-4.0'];
const TYPES = Object.keys(TYPE_LABELS) as TypeKey[];
const PRECISIONS = ['bfloat16', 'bfloat16', 'bfloat16', 'float16', '4bit', '8bit'];

function record(spec: Spec, rand: () => number, index: number): ContentsRecord {
  const precision = spec.precision ?? 'bfloat16';
  const average = spec.average ?? Math.round(rand() * 4500) / 100;
  const overrides: Record<string, unknown> = {
    fullname: spec.fullname,
    eval_name: `${spec.fullname.replace('/', '_')}_${precision}`,
    Precision: precision,
    Type: TYPE_LABELS[spec.type],
    T: TYPE_EMOJI[spec.type],
    Architecture: spec.architecture ?? 'LlamaForCausalLM',
    Model: `<a target="_blank" href="https://huggingface.co/${spec.fullname}">${spec.fullname}</a>`,
    'Model sha': (index.toString(16).padStart(8, '0') + 'abcdef0123456789abcdef0123456789').slice(0, 40),
    'Average ⬆️': average,
    'Hub License': spec.license ?? 'apache-2.0',
    'Hub ❤️': spec.hearts ?? Math.floor(rand() * 300),
    '#Params (B)': spec.params,
    'Available on the hub': spec.available ?? true,
    Merged: spec.merged ?? false,
    MoE: spec.moe ?? false,
    Flagged: spec.flagged ?? false,
    'Chat Template': spec.type === 'chat',
    'CO₂ cost (kg)': Math.round((0.3 + spec.params * 0.08 * (0.8 + rand() * 0.4)) * 100) / 100,
    'Upload To Hub Date': `2024-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 27)).padStart(2, '0')}`,
    'Submission Date': `2024-${String(1 + ((index + 3) % 12)).padStart(2, '0')}-${String(1 + ((index * 7) % 27)).padStart(2, '0')}`,
    Generation: spec.type === 'pretrained' ? 0 : 1 + (index % 3),
    'Base Model': spec.fullname,
  };
  // Benchmark scores scattered around the average (normalized 0–100, raw 0–1).
  for (const b of DEFAULT_BENCHMARKS) {
    const normalized = Math.max(0, Math.min(100, average + (rand() - 0.5) * 30));
    overrides[b.normalized_column] = Math.round(normalized * 100) / 100;
    overrides[b.raw_column] = Math.round((0.2 + normalized / 130) * 10_000) / 10_000;
  }
  return makeContentsRecord(overrides as Partial<ContentsRecord>);
}

/** `size` records: the known models first, then synthetic ones. */
export function leaderboardRecords(size = FULL_SIZE): ContentsRecord[] {
  const rand = random(42);
  const records = KNOWN_MODELS.map((spec, i) => record(spec, rand, i));
  for (let i = records.length; i < size; i += 1) {
    const org = ORGS[i % ORGS.length]!;
    const [family, architecture] = FAMILIES[Math.floor(rand() * FAMILIES.length)]!;
    const params = SIZES[Math.floor(rand() * SIZES.length)]! + Math.round(rand() * 40) / 100;
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    records.push(
      record(
        {
          fullname: `${org}/${family}-${Math.round(params)}B-v${i}`,
          type,
          params,
          precision: PRECISIONS[Math.floor(rand() * PRECISIONS.length)]!,
          license: LICENSES[Math.floor(rand() * LICENSES.length)]!,
          architecture,
          // Synthetic models stay below the known top models.
          average: Math.round(rand() * 3900) / 100,
          merged: type === 'merge',
          moe: rand() < 0.04,
          flagged: rand() < 0.01,
          available: rand() > 0.02,
        },
        rand,
        i,
      ),
    );
  }
  return records;
}

/** Pending requests (the vote page and the queue), when the requests dataset is read. */
export const PENDING_MODELS = ['queue-org/waiting-model-7B', 'queue-org/another-model-1B', 'other-org/third-13B'];

export async function seedExtras(dataDir: string, now = new Date('2025-01-15T12:00:00Z')): Promise<void> {
  const datasets = createLocalDatasets(dataDir);
  await datasets['official-providers'].commit([{ op: 'put', path: OFFICIAL_PROVIDERS_PATH, content: encodeOfficialProviders(OFFICIAL_ORGS) }], 'seed');
  const requests = PENDING_MODELS.map((model, i): EvalRequest => ({
    model,
    base_model: '',
    revision: 'c0ffee'.padEnd(40, String(i)),
    precision: 'bfloat16',
    params: [7.24, 1.1, 13][i]!,
    architectures: 'LlamaForCausalLM',
    weight_type: 'Original',
    status: 'PENDING',
    submitted_time: formatUtcSeconds(new Date(now.getTime() - (i + 1) * 3_600_000)),
    model_type: '💬 chat models (RLHF, DPO, IFT, ...)',
    job_id: -1,
    job_start_time: null,
    use_chat_template: true,
    sender: 'alice',
  }));
  await datasets.requests.commit(
    requests.map((request) => ({
      op: 'put' as const,
      path: requestFilePath(request.model, request.precision, request.weight_type),
      content: new TextEncoder().encode(encodeRequestFile(request)),
    })),
    'seed',
  );
}
