/**
 * ModelHub: what the service needs to know about a model repo on a Hugging Face Hub (model info,
 * card, parameter count, tokenizer config). Adapters: ./hf-model-hub.ts (@huggingface/hub).
 *
 * Conventions for every method:
 * - "Not found" (unknown repo, unknown revision, missing file, or a private repo the token cannot
 *   see — the Hub does not tell them apart) resolves to `null`; an id that cannot be a Hub repo id
 *   (see isValidModelId) is also `null`, without any request.
 * - Gated/forbidden → throws HubAccessError; Hub unreachable/failing → throws HubUnavailableError
 *   (./hub-errors.ts).
 * - `revision` is a branch, tag or full commit sha. Pin later calls with `ModelInfo.sha`.
 */

/** Summary of the model configuration as the Hub extracts it (`config` of model info). */
export interface ModelConfigSummary {
  architectures?: string[];
  model_type?: string;
  /** Present when the repo declares custom code (needs `trust_remote_code`). */
  auto_map?: Record<string, unknown>;
  quantization_config?: {
    quant_method?: string;
    bits?: number;
    load_in_4bit?: boolean;
    load_in_8bit?: boolean;
    [key: string]: unknown;
  };
  /** Selected keys of tokenizer_config.json (the Hub includes `chat_template` when present). */
  tokenizer_config?: { chat_template?: unknown; [key: string]: unknown };
  /** From adapter_config.json of PEFT adapters. */
  peft?: { base_model_name_or_path?: string; task_type?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ModelInfo {
  /** "org/name" as the Hub spells it. */
  id: string;
  /** Commit sha the requested revision resolved to. */
  sha: string;
  private: boolean;
  gated: false | 'auto' | 'manual';
  likes: number;
  downloads: number;
  /** ISO 8601. */
  lastModified?: string;
  /** ISO 8601. */
  createdAt?: string;
  tags: string[];
  /** `cardData.license` (a string; first entry if the card lists several). */
  license?: string;
  /** README.md YAML metadata as parsed by the Hub (license, license_name, license_link, base_model…). */
  cardData?: Record<string, unknown>;
  config?: ModelConfigSummary;
  /** Every file path of the revision. */
  files: string[];
  /**
   * Hub-computed parameter total from model.safetensors(.index.json) headers: stored element
   * counts (a GPTQ int32 `qweight` counts once, not ×8). Absent when the Hub has none.
   */
  safetensorsTotal?: number;
  /** Per-dtype counts behind safetensorsTotal. */
  safetensorsParameters?: Record<string, number>;
  libraryName?: string;
  pipelineTag?: string;
  /** `cardData.base_model` (first entry when it is a list). */
  baseModel?: string;
}

/** README.md split like huggingface_hub's RepoCard. */
export interface ModelCard {
  /** The YAML front matter (empty when there is none or it is invalid). */
  metadata: Record<string, unknown>;
  /** Everything after the front matter. Count its length with codePointLength (./model-card.ts). */
  text: string;
  /** Set when a front matter block exists but is not valid YAML or not a mapping. */
  metadataError?: string;
}

export interface ModelHub {
  /** Model info at `revision` (default "main"). */
  modelInfo(modelId: string, revision?: string): Promise<ModelInfo | null>;

  /** README.md at `revision`; null when the repo has no README.md. */
  modelCard(modelId: string, revision: string): Promise<ModelCard | null>;

  /**
   * Total parameter count, as stored element counts (the Hub's `safetensors.total`, and
   * huggingface_hub's `parameter_count` sum; GPTQ/packed weights are NOT unpacked, so callers
   * apply the leaderboard's ×8 GPTQ rule themselves).
   * - `info.safetensorsTotal` when present (no extra request), else safetensors header parsing
   *   (model.safetensors, or every shard of model.safetensors.index.json).
   * - Adapters (repo has adapter_config.json): adapter_model.safetensors params + the base model's
   *   count at "main". Base model: `baseModel`, else adapter config / card `base_model`.
   * null when it cannot be determined (no safetensors weights, malformed headers, base missing).
   * `info` avoids a second modelInfo call when the caller has it (must be for the same revision).
   */
  parameterCount(modelId: string, revision: string, info?: ModelInfo, baseModel?: string): Promise<number | null>;

  /** tokenizer_config.json parsed; null when absent or not a JSON object. */
  tokenizerConfig(modelId: string, revision: string): Promise<Record<string, unknown> | null>;

  /** Text of any file of the repo (UTF-8); null when absent. Large files are cut (see adapter). */
  fileText(modelId: string, revision: string, path: string): Promise<string | null>;
}

const NAME = /^[\w.-]{1,96}$/;

/**
 * huggingface_hub's repo id rule (`validate_repo_id`): optional `namespace/`, then a name of
 * `[\w.-]{1,96}`, no `--` or `..`, not ending in `.git`. The client library interpolates ids into
 * URLs unencoded, so ids must be checked before any request.
 */
export function isValidModelId(id: string): boolean {
  const parts = id.split('/');
  if (parts.length < 1 || parts.length > 2) return false;
  return parts.every((p) => NAME.test(p) && !p.includes('--') && !p.includes('..') && !p.endsWith('.git'));
}
