/**
 * Builds the JSON of `GET /api/{models|datasets}/{id}[/revision/{rev}]` from a commit, deriving
 * what the Hub derives: `cardData` from README.md front matter, the `config` summary from
 * config.json / tokenizer_config.json / adapter_config.json, `safetensors` from weight headers,
 * `siblings` and `tags`.
 */
import { parse as parseYaml } from 'yaml';
import { HttpError, isRecord } from './http-helpers.js';
import type { Commit, RepoState, StoredBlob } from './repo-store.js';

/** Same split as huggingface_hub's REGEX_YAML_BLOCK (kept independent of src/hub on purpose). */
const YAML_BLOCK = /^(\s*---(\r\n|\r|\n))([\S\s]*?)((\r\n|\r|\n)---[ \t]*(\r\n|\n|$))/;

const decoder = new TextDecoder();

interface Derived {
  cardData?: Record<string, unknown>;
  config?: Record<string, unknown>;
  safetensors?: { parameters: Record<string, number>; total: number };
  siblings: Array<{ rfilename: string }>;
  tags: string[];
}

const derivedCache = new WeakMap<Commit, Derived>();

function text(blob: StoredBlob | undefined): string | undefined {
  return blob ? decoder.decode(blob.bytes) : undefined;
}

function json(blob: StoredBlob | undefined): Record<string, unknown> | undefined {
  const raw = text(blob);
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function cardData(readme: string | undefined): Record<string, unknown> | undefined {
  if (readme === undefined) return undefined;
  const match = YAML_BLOCK.exec(readme);
  if (!match) return {};
  try {
    const data: unknown = parseYaml(match[3] ?? '');
    return isRecord(data) ? data : {};
  } catch {
    return {};
  }
}

function pick(source: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> | undefined {
  if (!source) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

function configSummary(commit: Commit): Record<string, unknown> | undefined {
  const config = json(commit.files.get('config.json')?.blob);
  const tokenizer = json(commit.files.get('tokenizer_config.json')?.blob);
  const adapter = json(commit.files.get('adapter_config.json')?.blob);
  const summary: Record<string, unknown> = {
    ...pick(config, ['architectures', 'model_type', 'auto_map', 'quantization_config']),
  };
  const tok = pick(tokenizer, ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'chat_template']);
  if (tok) summary['tokenizer_config'] = tok;
  const peft = pick(adapter, ['base_model_name_or_path', 'task_type']);
  if (peft) summary['peft'] = peft;
  return Object.keys(summary).length > 0 ? summary : undefined;
}

function headerCounts(blob: StoredBlob): Record<string, number> | undefined {
  if (blob.bytes.length < 8) return undefined;
  const view = new DataView(blob.bytes.buffer, blob.bytes.byteOffset, blob.bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > blob.bytes.length) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(blob.bytes.subarray(8, 8 + n)));
  } catch {
    return undefined;
  }
  if (!isRecord(header)) return undefined;
  const counts: Record<string, number> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__' || !isRecord(info) || !Array.isArray(info['shape'])) continue;
    const dtype = String(info['dtype']);
    const elements = (info['shape'] as number[]).reduce((a, b) => a * b, 1);
    counts[dtype] = (counts[dtype] ?? 0) + elements;
  }
  return counts;
}

/** Like the Hub: from model.safetensors, else from the shards of model.safetensors.index.json. */
function safetensorsInfo(commit: Commit): Derived['safetensors'] {
  const files: StoredBlob[] = [];
  const single = commit.files.get('model.safetensors');
  if (single) {
    files.push(single.blob);
  } else {
    const index = json(commit.files.get('model.safetensors.index.json')?.blob);
    const weightMap = index?.['weight_map'];
    if (!isRecord(weightMap)) return undefined;
    for (const shard of new Set(Object.values(weightMap).map(String))) {
      const entry = commit.files.get(shard);
      if (!entry) return undefined;
      files.push(entry.blob);
    }
  }
  const parameters: Record<string, number> = {};
  for (const blob of files) {
    const counts = headerCounts(blob);
    if (!counts) return undefined;
    for (const [dtype, n] of Object.entries(counts)) parameters[dtype] = (parameters[dtype] ?? 0) + n;
  }
  const total = Object.values(parameters).reduce((a, b) => a + b, 0);
  return { parameters, total };
}

function derive(repo: RepoState, commit: Commit): Derived {
  const cached = derivedCache.get(commit);
  if (cached) return cached;
  const data = cardData(text(commit.files.get('README.md')?.blob));
  const config = repo.type === 'model' ? configSummary(commit) : undefined;
  const safetensors = repo.type === 'model' && repo.safetensorsInfo ? safetensorsInfo(commit) : undefined;
  const paths = [...commit.files.keys()].sort();
  const tags = new Set<string>();
  if (repo.type === 'model') {
    const library = repo.libraryName ?? (typeof data?.['library_name'] === 'string' ? data['library_name'] : undefined);
    if (library) tags.add(library);
    if (paths.some((p) => p.endsWith('.safetensors'))) tags.add('safetensors');
    if (typeof config?.['model_type'] === 'string') tags.add(config['model_type']);
    const pipeline = repo.pipelineTag ?? data?.['pipeline_tag'];
    if (typeof pipeline === 'string') tags.add(pipeline);
    if (config?.['auto_map']) tags.add('custom_code');
  }
  for (const tag of Array.isArray(data?.['tags']) ? data['tags'] : []) tags.add(String(tag));
  if (typeof data?.['license'] === 'string') tags.add(`license:${data['license']}`);
  const base = data?.['base_model'];
  for (const b of Array.isArray(base) ? base : base ? [base] : []) tags.add(`base_model:${String(b)}`);
  tags.add('region:us');
  const derived: Derived = {
    ...(data !== undefined ? { cardData: data } : {}),
    ...(config !== undefined ? { config } : {}),
    ...(safetensors !== undefined ? { safetensors } : {}),
    siblings: paths.map((rfilename) => ({ rfilename })),
    tags: [...tags],
  };
  derivedCache.set(commit, derived);
  return derived;
}

const MODEL_FIELDS = [
  'author',
  'cardData',
  'config',
  'createdAt',
  'disabled',
  'downloads',
  'downloadsAllTime',
  'gated',
  'gitalyUid',
  'inferenceProviderMapping',
  'lastModified',
  'library_name',
  'likes',
  'model-index',
  'pipeline_tag',
  'private',
  'resourceGroup',
  'safetensors',
  'sha',
  'siblings',
  'spaces',
  'tags',
  'transformersInfo',
  'trendingScore',
  'usedStorage',
  'widgetData',
  'xetEnabled',
] as const;

const DATASET_FIELDS = [
  'author',
  'cardData',
  'citation',
  'createdAt',
  'description',
  'disabled',
  'downloads',
  'downloadsAllTime',
  'gated',
  'gitalyUid',
  'lastModified',
  'likes',
  'paperswithcode_id',
  'private',
  'resourceGroup',
  'sha',
  'siblings',
  'tags',
  'trendingScore',
  'usedStorage',
  'xetEnabled',
] as const;

const MODEL_DEFAULT = [
  'author',
  'sha',
  'lastModified',
  'private',
  'disabled',
  'gated',
  'downloads',
  'likes',
  'library_name',
  'pipeline_tag',
  'tags',
  'cardData',
  'config',
  'safetensors',
  'siblings',
  'createdAt',
  'spaces',
  'usedStorage',
];
const DATASET_DEFAULT = [
  'author',
  'sha',
  'lastModified',
  'private',
  'disabled',
  'gated',
  'downloads',
  'likes',
  'tags',
  'cardData',
  'siblings',
  'createdAt',
  'description',
  'usedStorage',
];

function fieldValue(repo: RepoState, commit: Commit, d: Derived, field: string): unknown {
  const namespace = repo.id.split('/')[0];
  switch (field) {
    case 'author':
      return namespace;
    case 'cardData':
      return d.cardData;
    case 'config':
      return d.config;
    case 'createdAt':
      return repo.createdAt;
    case 'disabled':
      return false;
    case 'downloads':
      return repo.downloads;
    case 'downloadsAllTime':
      return repo.downloads;
    case 'gated':
      return repo.gated;
    case 'gitalyUid':
      return repo.internalId;
    case 'inferenceProviderMapping':
      return [];
    case 'lastModified':
      return commit.date;
    case 'library_name':
      return repo.libraryName ?? d.cardData?.['library_name'];
    case 'likes':
      return repo.likes;
    case 'model-index':
      return d.cardData?.['model-index'] ?? null;
    case 'pipeline_tag':
      return repo.pipelineTag ?? d.cardData?.['pipeline_tag'];
    case 'private':
      return repo.private;
    case 'resourceGroup':
      return undefined;
    case 'safetensors':
      return d.safetensors;
    case 'sha':
      return commit.sha;
    case 'siblings':
      return d.siblings;
    case 'spaces':
      return [];
    case 'tags':
      return d.tags;
    case 'transformersInfo': {
      const arch = d.config?.['architectures'];
      return Array.isArray(arch) && repo.libraryName === 'transformers'
        ? { auto_model: 'AutoModelForCausalLM', pipeline_tag: 'text-generation', processor: 'AutoTokenizer' }
        : undefined;
    }
    case 'trendingScore':
      return 0;
    case 'usedStorage':
      return [...commit.files.values()].reduce((sum, f) => sum + f.blob.size, 0);
    case 'widgetData':
      return undefined;
    case 'xetEnabled':
      return false;
    case 'citation':
    case 'paperswithcode_id':
      return d.cardData?.[field];
    case 'description':
      return undefined;
    default:
      return undefined;
  }
}

/**
 * `expand` = the requested `expand`/`expand[]` values; empty = the Hub's default field set.
 * With `expand`, only `_id`, `id` and the listed fields are returned (like the Hub).
 * An unknown field answers 400, as the Hub does.
 */
export function repoInfoJson(repo: RepoState, commit: Commit, expand: string[]): Record<string, unknown> {
  const allowed: readonly string[] = repo.type === 'model' ? MODEL_FIELDS : DATASET_FIELDS;
  for (const field of expand) {
    if (!allowed.includes(field)) {
      throw new HttpError(400, `"expand" must be one of [${allowed.map((f) => `"${f}"`).join(', ')}]`);
    }
  }
  const fields = expand.length > 0 ? expand : repo.type === 'model' ? MODEL_DEFAULT : DATASET_DEFAULT;
  const d = derive(repo, commit);
  const out: Record<string, unknown> = { _id: repo.internalId, id: repo.id };
  if (expand.length === 0 && repo.type === 'model') out['modelId'] = repo.id;
  for (const field of fields) {
    const value = fieldValue(repo, commit, d, field);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
