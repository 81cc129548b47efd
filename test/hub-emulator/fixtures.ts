/**
 * Fixture models and users seeded by the Hub emulator (`startHubEmulator({ seed: true })`).
 *
 * Every model has real files: README.md (YAML front matter + text), config.json,
 * tokenizer_config.json and binary safetensors. Weights are sparse (see safetensors-builder.ts):
 * a real header whose shapes add up to the declared parameter count, followed by zeros that are
 * never allocated. The emulator computes `safetensors.{parameters,total}` of model info from
 * those same headers, so the info total and header parsing always agree.
 *
 * Counts are *stored element counts* (what the Hub's `safetensors.total` and huggingface_hub's
 * `parameter_count` report): a GPTQ `qweight` I32 tensor counts once per int32, not ×8.
 */
import type { EmulatedModel, EmulatedUser } from './types.js';
import {
  buildSafetensors,
  gptqLlamaTensors,
  llamaTensors,
  loraTensors,
  totalCount,
  type LlamaDims,
} from './safetensors-builder.js';

export const EMULATED_ORG = 'emulated';

// ── Models ────────────────────────────────────────────────────────────────────────────────────

/** Passes every submission check: Llama-2-7B shapes (6,738,415,616 params, BF16), apache-2.0 card > 200 chars, chat template, no custom code. */
export const VALID_MODEL = 'emulated/valid-model';
/** A second branch of VALID_MODEL (one more commit: new README text + generation_config.json); its sha differs from main. */
export const VALID_MODEL_V2_BRANCH = 'v2';
export const VALID_MODEL_PARAMS = 6_738_415_616;

/** gated: "manual"; info and file list are public (like the Hub), files need a token of GATED_ACCESS_USER (or of a member of `emulated`). TinyLlama shapes. */
export const GATED_MODEL = 'emulated/gated-model';
/** Never seeded: modelInfo → 404 RepoNotFound. */
export const MISSING_MODEL = 'emulated/missing-model';
/** No README.md at all. TinyLlama shapes. */
export const NO_CARD_MODEL = 'emulated/no-card-model';
/** README front matter without `license` / `license_name`+`license_link`; text > 200 chars. */
export const CARD_WITHOUT_LICENSE_MODEL = 'emulated/card-without-license';
/** Card text after the front matter is 180 code points but 240 UTF-16 units (60 emoji): too short only when counting code points. */
export const SHORT_CARD_MODEL = 'emulated/short-card-model';
/** config.json declares `auto_map` (custom modelling code, needs trust_remote_code). */
export const CUSTOM_CODE_MODEL = 'emulated/custom-code-model';
/** ~119.8B params (BF16, single sparse safetensors of ~240 GB), above the 100B limit. */
export const TOO_LARGE_MODEL = 'emulated/too-large-model';
export const TOO_LARGE_MODEL_PARAMS = 119_822_659_584;
/** PEFT LoRA adapter: adapter_config.json + adapter_model.safetensors, base model VALID_MODEL; no `safetensors` in info. */
export const ADAPTER_MODEL = 'emulated/adapter-model';
/** LoRA (r=16, q_proj+v_proj, 32 layers, hidden 4096) parameters of ADAPTER_MODEL alone. */
export const ADAPTER_MODEL_ADAPTER_PARAMS = 8_388_608;
/** 4-bit GPTQ (quantization_config {quant_method:"gptq", bits:4}) of TinyLlama shapes. */
export const GPTQ_MODEL = 'emulated/gptq-model';
/** Stored element count of GPTQ_MODEL (packed int32 qweight counted once; the Hub's total). */
export const GPTQ_MODEL_STORED_PARAMS = 261_184_512;
/** tokenizer_config.json without `chat_template`. */
export const NO_CHAT_TEMPLATE_MODEL = 'emulated/no-chat-template-model';
/** model.safetensors.index.json + 2 shards (Mistral-7B shapes); info has NO `safetensors` field, so counting needs header parsing. */
export const SHARDED_MODEL = 'emulated/sharded-model';
export const SHARDED_MODEL_PARAMS = 7_241_732_096;
/** private: true; visible only to members of `emulated` (alice). */
export const PRIVATE_MODEL = 'emulated/private-model';
/** Parameter count of the TinyLlama-shaped fixtures (gated, no-card, card-without-license, short-card, custom-code, no-chat-template, private). */
export const SMALL_MODEL_PARAMS = 1_100_048_384;

export const FIXTURE_MODEL_IDS = [
  VALID_MODEL,
  GATED_MODEL,
  NO_CARD_MODEL,
  CARD_WITHOUT_LICENSE_MODEL,
  SHORT_CARD_MODEL,
  CUSTOM_CODE_MODEL,
  TOO_LARGE_MODEL,
  ADAPTER_MODEL,
  GPTQ_MODEL,
  NO_CHAT_TEMPLATE_MODEL,
  SHARDED_MODEL,
  PRIVATE_MODEL,
] as const;

// ── Users ─────────────────────────────────────────────────────────────────────────────────────

/** Member of `emulated` (can see PRIVATE_MODEL), read token. */
export const ALICE: Required<EmulatedUser> = { name: 'alice', token: 'hf_alice_token', orgs: ['emulated'], role: 'read' };
/** No orgs, read token. */
export const BOB: Required<EmulatedUser> = { name: 'bob', token: 'hf_bob_token', orgs: [], role: 'read' };
/** Write token; member of the dataset namespaces `leaderboard`, `open-llm-leaderboard` and `emulated`. */
export const ADMIN_USER: Required<EmulatedUser> = {
  name: 'admin-user',
  token: 'hf_admin_user_token',
  orgs: ['leaderboard', 'open-llm-leaderboard', 'emulated'],
  role: 'write',
};
/** Has been granted access to GATED_MODEL. */
export const GATED_ACCESS_USER: Required<EmulatedUser> = {
  name: 'gated-access',
  token: 'hf_gated_access_token',
  orgs: [],
  role: 'read',
};
export const SEEDED_USERS: ReadonlyArray<Required<EmulatedUser>> = [ALICE, BOB, ADMIN_USER, GATED_ACCESS_USER];

// ── File builders ─────────────────────────────────────────────────────────────────────────────

/** Fixed dates keep seeded commit shas and info deterministic. */
export const SEED_DATE = '2024-06-01T12:00:00.000Z';

const LLAMA_2_7B: LlamaDims = {
  vocab: 32000,
  hidden: 4096,
  intermediate: 11008,
  layers: 32,
  heads: 32,
  kvHeads: 32,
  dtype: 'BF16',
};
const TINY_LLAMA: LlamaDims = {
  vocab: 32000,
  hidden: 2048,
  intermediate: 5632,
  layers: 22,
  heads: 32,
  kvHeads: 4,
  dtype: 'BF16',
};
const MISTRAL_7B: LlamaDims = {
  vocab: 32000,
  hidden: 4096,
  intermediate: 14336,
  layers: 32,
  heads: 32,
  kvHeads: 8,
  dtype: 'BF16',
};
const LLAMA_120B: LlamaDims = {
  vocab: 128256,
  hidden: 12288,
  intermediate: 32768,
  layers: 76,
  heads: 96,
  kvHeads: 8,
  dtype: 'BF16',
};

export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

const LONG_TEXT =
  'This model is part of the emulated Hub used by the leaderboard test-suite. It is a Llama-style ' +
  'causal language model with safetensors weights, trained on nothing at all: every weight is zero. ' +
  'It exists so that submission checks (license, card length, size, chat template) can be exercised offline.';

function card(front: string | null, title: string, text: string): string {
  const body = `\n# ${title}\n\n${text}\n`;
  return front === null ? body : `---\n${front}\n---\n${body}`;
}

function llamaConfig(d: LlamaDims, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: d.hidden,
      intermediate_size: d.intermediate,
      num_hidden_layers: d.layers,
      num_attention_heads: d.heads,
      num_key_value_heads: d.kvHeads,
      vocab_size: d.vocab,
      max_position_embeddings: 4096,
      rms_norm_eps: 1e-5,
      tie_word_embeddings: d.tieEmbeddings ?? false,
      torch_dtype: d.dtype === 'BF16' ? 'bfloat16' : 'float16',
      transformers_version: '4.44.0',
      ...extra,
    },
    null,
    2,
  );
}

function tokenizerConfig(withChatTemplate: boolean): string {
  return JSON.stringify(
    {
      bos_token: '<s>',
      eos_token: '</s>',
      unk_token: '<unk>',
      pad_token: null,
      model_max_length: 4096,
      tokenizer_class: 'LlamaTokenizer',
      ...(withChatTemplate ? { chat_template: CHAT_TEMPLATE } : {}),
    },
    null,
    2,
  );
}

function standardModel(
  id: string,
  dims: LlamaDims,
  opts: { readme?: string | null; config?: string; tokenizer?: string } = {},
): EmulatedModel {
  const files: EmulatedModel['files'] = {
    'config.json': opts.config ?? llamaConfig(dims),
    'tokenizer_config.json': opts.tokenizer ?? tokenizerConfig(true),
    'generation_config.json': JSON.stringify({ bos_token_id: 1, eos_token_id: 2 }, null, 2),
    'model.safetensors': buildSafetensors(llamaTensors(dims), { format: 'pt' }),
  };
  const readme =
    opts.readme === undefined
      ? card('license: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-generation', id, LONG_TEXT)
      : opts.readme;
  if (readme !== null) files['README.md'] = readme;
  return { id, files, createdAt: SEED_DATE, libraryName: 'transformers', pipelineTag: 'text-generation' };
}

function shardedModel(): EmulatedModel {
  const tensors = llamaTensors(MISTRAL_7B);
  const split = tensors.findIndex((t) => t.name.startsWith('model.layers.16.'));
  const shards = [tensors.slice(0, split), tensors.slice(split)];
  const names = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
  const weightMap: Record<string, string> = {};
  shards.forEach((shard, i) => shard.forEach((t) => (weightMap[t.name] = names[i]!)));
  const files: EmulatedModel['files'] = {
    'README.md': card('license: apache-2.0\nlibrary_name: transformers', 'Sharded model', LONG_TEXT),
    'config.json': llamaConfig(MISTRAL_7B, { architectures: ['MistralForCausalLM'], model_type: 'mistral' }),
    'tokenizer_config.json': tokenizerConfig(true),
    'model.safetensors.index.json': JSON.stringify(
      { metadata: { total_size: totalCount(tensors) * 2 }, weight_map: weightMap },
      null,
      2,
    ),
  };
  shards.forEach((shard, i) => (files[names[i]!] = buildSafetensors(shard, { format: 'pt' })));
  return {
    id: SHARDED_MODEL,
    files,
    createdAt: SEED_DATE,
    libraryName: 'transformers',
    pipelineTag: 'text-generation',
    safetensorsInfo: false,
  };
}

function adapterModel(): EmulatedModel {
  const tensors = loraTensors({ hidden: 4096, layers: 32, rank: 16, targets: ['q_proj', 'v_proj'] });
  return {
    id: ADAPTER_MODEL,
    createdAt: SEED_DATE,
    libraryName: 'peft',
    pipelineTag: 'text-generation',
    files: {
      'README.md': card(
        `license: apache-2.0\nlibrary_name: peft\nbase_model: ${VALID_MODEL}`,
        'LoRA adapter',
        LONG_TEXT,
      ),
      'adapter_config.json': JSON.stringify(
        {
          base_model_name_or_path: VALID_MODEL,
          peft_type: 'LORA',
          task_type: 'CAUSAL_LM',
          r: 16,
          lora_alpha: 32,
          lora_dropout: 0.05,
          target_modules: ['q_proj', 'v_proj'],
        },
        null,
        2,
      ),
      'adapter_model.safetensors': buildSafetensors(tensors, { format: 'pt' }),
      'tokenizer_config.json': tokenizerConfig(true),
    },
  };
}

function gptqModel(): EmulatedModel {
  const model = standardModel(GPTQ_MODEL, TINY_LLAMA, {
    config: llamaConfig(TINY_LLAMA, {
      torch_dtype: 'float16',
      quantization_config: { quant_method: 'gptq', bits: 4, group_size: 128, desc_act: false, sym: true },
    }),
  });
  model.files['model.safetensors'] = buildSafetensors(gptqLlamaTensors({ ...TINY_LLAMA, groupSize: 128 }), {
    format: 'pt',
  });
  return model;
}

/** 180 code points, 240 UTF-16 code units. */
export const SHORT_CARD_TEXT = `${'Short card. '.repeat(10)}${'🦙'.repeat(60)}`;

/** The fixture models, built fresh (cheap: weights are sparse). */
export function fixtureModels(): EmulatedModel[] {
  const valid = standardModel(VALID_MODEL, LLAMA_2_7B, {
    readme: card(
      'license: apache-2.0\nlanguage:\n- en\nlibrary_name: transformers\npipeline_tag: text-generation\ntags:\n- llama\n- emulated',
      'Valid model',
      LONG_TEXT,
    ),
  });
  valid.likes = 42;
  valid.downloads = 1234;
  valid.branches = {
    [VALID_MODEL_V2_BRANCH]: {
      title: 'Release v2',
      files: {
        'README.md': card(
          'license: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-generation',
          'Valid model v2',
          `${LONG_TEXT} This is the v2 branch.`,
        ),
        'generation_config.json': JSON.stringify({ bos_token_id: 1, eos_token_id: 2, temperature: 0.7 }, null, 2),
      },
    },
  };

  const gated = standardModel(GATED_MODEL, TINY_LLAMA);
  gated.gated = 'manual';
  gated.gatedAccess = [GATED_ACCESS_USER.name];

  const priv = standardModel(PRIVATE_MODEL, TINY_LLAMA);
  priv.private = true;

  const customCode = standardModel(CUSTOM_CODE_MODEL, TINY_LLAMA, {
    config: llamaConfig(TINY_LLAMA, {
      architectures: ['EmulatedForCausalLM'],
      model_type: 'emulated',
      auto_map: {
        AutoConfig: 'configuration_emulated.EmulatedConfig',
        AutoModelForCausalLM: 'modeling_emulated.EmulatedForCausalLM',
      },
    }),
  });
  customCode.files['configuration_emulated.py'] = 'from transformers import PretrainedConfig\n\nclass EmulatedConfig(PretrainedConfig):\n    model_type = "emulated"\n';
  customCode.files['modeling_emulated.py'] = 'from transformers import PreTrainedModel\n\nclass EmulatedForCausalLM(PreTrainedModel):\n    pass\n';

  return [
    valid,
    gated,
    standardModel(NO_CARD_MODEL, TINY_LLAMA, { readme: null }),
    standardModel(CARD_WITHOUT_LICENSE_MODEL, TINY_LLAMA, {
      readme: card('language:\n- en\ntags:\n- emulated\nlibrary_name: transformers', 'No license', LONG_TEXT),
    }),
    standardModel(SHORT_CARD_MODEL, TINY_LLAMA, {
      readme: `---\nlicense: mit\n---\n${SHORT_CARD_TEXT}`,
    }),
    customCode,
    standardModel(TOO_LARGE_MODEL, LLAMA_120B),
    adapterModel(),
    gptqModel(),
    standardModel(NO_CHAT_TEMPLATE_MODEL, TINY_LLAMA, { tokenizer: tokenizerConfig(false) }),
    shardedModel(),
    priv,
  ];
}
