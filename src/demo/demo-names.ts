/**
 * Invented names for the demo dataset: organizations, users and model families built from
 * neutral word lists, so the demo looks like the real leaderboard without naming real
 * organizations or products. Architecture class names and license ids are the real technical
 * identifiers (filters and the UI key on them).
 */
import type { SeededRandom } from './seeded-random.js';

const WORDS = [
  'amber', 'aspen', 'basalt', 'birch', 'bramble', 'cedar', 'cinder', 'clover', 'cobalt', 'copper',
  'coral', 'dune', 'ember', 'fern', 'flint', 'frost', 'garnet', 'glacier', 'granite', 'harbor',
  'hazel', 'heron', 'indigo', 'iris', 'jade', 'juniper', 'kelp', 'kestrel', 'lark', 'lichen',
  'linden', 'lotus', 'lumen', 'lynx', 'maple', 'marble', 'meadow', 'mesa', 'mica', 'moss',
  'nectar', 'nimbus', 'oak', 'obsidian', 'onyx', 'opal', 'orchid', 'osprey', 'otter', 'pebble',
  'pine', 'plume', 'quartz', 'quill', 'raven', 'reef', 'ridge', 'rowan', 'saffron', 'sage',
  'sequoia', 'sierra', 'slate', 'sparrow', 'spruce', 'storm', 'sable', 'talon', 'thistle', 'tide',
  'topaz', 'tundra', 'umber', 'vale', 'vesper', 'willow', 'wren', 'yarrow', 'zinnia', 'zenith',
] as const;

const ORG_SUFFIXES = ['-ai', '-labs', '-nlp', '-research', '-ml', '-lm', '-collective'] as const;
const CAMEL_SUFFIXES = ['AI', 'Labs', 'Research', 'ML', 'Works', 'Compute'] as const;

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** An organization or user name in one of the shapes Hub namespaces take. */
export function organizationName(random: SeededRandom): string {
  const a = random.pick(WORDS);
  const b = random.pick(WORDS);
  switch (random.int(0, 5)) {
    case 0:
      return `${a}${random.pick(ORG_SUFFIXES)}`;
    case 1:
      return `${capitalize(a)}${capitalize(b)}`;
    case 2:
      return `${a}${b}${random.int(1, 999)}`;
    case 3:
      return `${capitalize(a)}${random.pick(CAMEL_SUFFIXES)}`;
    case 4:
      return `${a}-${b}`;
    default:
      return `${capitalize(a)}_${capitalize(b)}${random.int(1, 99)}`;
  }
}

/** A user name (votes, request senders). */
export function userName(random: SeededRandom): string {
  const a = random.pick(WORDS);
  const b = random.pick(WORDS);
  switch (random.int(0, 3)) {
    case 0:
      return `${a}${b}${random.int(1, 9999)}`;
    case 1:
      return `${capitalize(a)}${capitalize(b)}`;
    case 2:
      return `${a}-${b}-${random.int(1, 99)}`;
    default:
      return `${a}_${random.int(10, 99999)}`;
  }
}

/** A base-model family: an invented name on a real architecture, with its usual sizes. */
export interface ModelFamily {
  name: string;
  architecture: string;
  /** Sizes in billions of parameters, with weights. */
  sizes: readonly (readonly [number, number])[];
  versions: readonly string[];
  moe: boolean;
  multimodal?: boolean;
}

/**
 * Architectures weighted as on the real board (Feb 2025), each with one invented family.
 * `?` is the placeholder real tables use when the architecture is unknown.
 */
export const FAMILIES: readonly (readonly [ModelFamily, number])[] = [
  [{ name: 'Larch', architecture: 'LlamaForCausalLM', sizes: [[8.03, 12], [1.236, 2], [3.213, 2], [70.554, 2], [6.738, 1], [13.016, 1], [10.732, 1]], versions: ['2', '3', '3.1', '3.2'], moe: false }, 1614],
  [{ name: 'Quillon', architecture: 'Qwen2ForCausalLM', sizes: [[7.616, 6], [14.77, 4], [0.494, 3], [1.544, 2], [3.086, 1], [32.764, 1], [72.706, 1]], versions: ['1.5', '2', '2.5'], moe: false }, 908],
  [{ name: 'Mistwood', architecture: 'MistralForCausalLM', sizes: [[7.242, 6], [12.248, 4], [10.732, 1], [22.247, 1]], versions: ['0.1', '0.2', '0.3'], moe: false }, 537],
  [{ name: 'Garnet', architecture: 'Gemma2ForCausalLM', sizes: [[9.242, 5], [2.614, 2], [27.227, 1], [10.159, 2]], versions: ['2'], moe: false }, 236],
  [{ name: 'Mistwood-MoE', architecture: 'MixtralForCausalLM', sizes: [[46.703, 5], [12.879, 2], [24.154, 1], [140.63, 1]], versions: ['0.1'], moe: true }, 75],
  [{ name: 'Quillon-Core', architecture: 'Qwen2Model', sizes: [[7.616, 2], [1.544, 1]], versions: ['2'], moe: false }, 73],
  [{ name: 'Phoebe', architecture: 'Phi3ForCausalLM', sizes: [[3.821, 3], [13.96, 2], [14.66, 1]], versions: ['3', '3.5', '4'], moe: false }, 65],
  [{ name: 'Nameless', architecture: '?', sizes: [[7.0, 2], [8.0, 2], [14.0, 1], [-1, 2]], versions: ['1'], moe: false }, 57],
  [{ name: 'Phoebe-Mini', architecture: 'PhiForCausalLM', sizes: [[2.78, 2], [1.418, 1]], versions: ['1', '2'], moe: false }, 30],
  [{ name: 'Garnet-Classic', architecture: 'GemmaForCausalLM', sizes: [[8.538, 2], [2.506, 1]], versions: ['1', '1.1'], moe: false }, 28],
  [{ name: 'Nyx', architecture: 'GPTNeoXForCausalLM', sizes: [[0.162, 1], [1.415, 1], [6.857, 1], [12.0, 1]], versions: ['1'], moe: false }, 24],
  [{ name: 'Tinyline', architecture: 'GPT2LMHeadModel', sizes: [[0.124, 2], [0.355, 1], [0.774, 1], [1.558, 1]], versions: ['1'], moe: false }, 19],
  [{ name: 'Gravel', architecture: 'GraniteForCausalLM', sizes: [[8.171, 2], [2.634, 1]], versions: ['3.0', '3.1'], moe: false }, 13],
  [{ name: 'Tern', architecture: 'T5ForConditionalGeneration', sizes: [[0.248, 1], [0.783, 1], [2.85, 1]], versions: ['1'], moe: false }, 12],
  [{ name: 'Quillon-MoE', architecture: 'Qwen2MoeForCausalLM', sizes: [[14.316, 2], [57.409, 1]], versions: ['1.5', '2'], moe: true }, 11],
  [{ name: 'Coho', architecture: 'CohereForCausalLM', sizes: [[34.981, 2], [103.811, 1]], versions: ['1'], moe: false }, 8],
  [{ name: 'Stilt', architecture: 'StableLmForCausalLM', sizes: [[1.645, 1], [2.795, 1]], versions: ['2'], moe: false }, 8],
  [{ name: 'Intaglio', architecture: 'InternLM2ForCausalLM', sizes: [[7.738, 2], [19.861, 1]], versions: ['2', '2.5'], moe: false }, 7],
  [{ name: 'Larch-Vision', architecture: 'MllamaForConditionalGeneration', sizes: [[10.67, 3], [88.6, 1]], versions: ['3.2'], moe: false, multimodal: true }, 6],
  [{ name: 'Nematic', architecture: 'NemotronForCausalLM', sizes: [[4.0, 1], [8.58, 1]], versions: ['1'], moe: false }, 6],
  [{ name: 'Blossom', architecture: 'BloomForCausalLM', sizes: [[0.559, 1], [7.069, 1]], versions: ['1'], moe: false }, 5],
  [{ name: 'Fulmar', architecture: 'FalconForCausalLM', sizes: [[7.217, 2], [40.0, 1]], versions: ['1'], moe: false }, 5],
  [{ name: 'Gleam', architecture: 'GlmForCausalLM', sizes: [[9.4, 1]], versions: ['4'], moe: false }, 4],
  [{ name: 'Jackdaw', architecture: 'GPTJForCausalLM', sizes: [[6.0, 1]], versions: ['1'], moe: false }, 4],
  [{ name: 'Neon', architecture: 'GPTNeoForCausalLM', sizes: [[1.316, 1], [2.718, 1]], versions: ['1'], moe: false }, 4],
];

/** A size as model names write it: `8B`, `0.5B`, `135M`. */
export function sizeLabel(params: number): string {
  if (params <= 0) return '';
  if (params >= 1) return `${Math.round(params)}B`;
  if (params >= 0.3) return `${Math.round(params * 10) / 10}B`;
  return `${Math.round(params * 1000)}M`;
}

/** Name parts by model type: what fine-tuners, mergers and labs put in names. */
export const NAME_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  pretrained: ['', 'Base', 'base'],
  'continuously pretrained': ['CPT', 'Continued', 'ext-32k', 'LongCtx'],
  'fine-tuned': ['Math', 'Coder', 'Med', 'Law', 'Roleplay', 'ft', 'SFT', 'Reasoner', 'Writer', 'Finance'],
  chat: ['Instruct', 'Chat', 'DPO', 'ORPO', 'it', 'SimPO', 'KTO'],
  merge: ['slerp', 'TIES', 'DARE', 'della', 'model_stock', 'Merge', 'passthrough'],
  multimodal: ['Vision', 'VL', 'Vision-Instruct'],
  other: ['Exp', 'experimental', 'test'],
};

/** Creative words community models carry. */
export const FLAIR = [
  'Aurora', 'Nebula', 'Windrose', 'Halcyon', 'Solstice', 'Everglow', 'Moonrise', 'Starling', 'Tempest',
  'Verdant', 'Cascade', 'Ironwood', 'Lodestar', 'Driftwood', 'Kingfisher', 'Bluebell', 'Wildfire',
  'Nightjar', 'Sundew', 'Brightwater',
] as const;

/** Licenses of available models, weighted as on the real board. */
export const LICENSES: readonly (readonly [string, number])[] = [
  ['apache-2.0', 1299],
  ['other', 282],
  ['mit', 234],
  ['llama3.1', 140],
  ['gemma', 116],
  ['llama3', 114],
  ['cc-by-nc-4.0', 111],
  ['llama3.2', 83],
  ['llama2', 25],
  ['creativeml-openrail-m', 15],
  ['gpl-3.0', 9],
  ['llama3.3', 9],
  ['cc-by-nc-sa-4.0', 8],
  ['bigscience-bloom-rail-1.0', 5],
  ['cc-by-4.0', 3],
  ['cc-by-sa-4.0', 3],
  ['bigcode-openrail-m', 3],
  ['unknown', 2],
];
