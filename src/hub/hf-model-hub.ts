/**
 * ModelHub adapter over @huggingface/hub. Every request goes through the resilient fetch
 * (timeout + retries), and library errors are mapped to HubAccessError / HubUnavailableError /
 * null (not found). Xet is disabled: plain HTTP range requests only.
 */
import {
  downloadFile,
  HubApiError,
  InvalidApiResponseFormatError,
  modelInfo as hfModelInfo,
  parseSafetensorsMetadata,
  SafetensorParseError,
} from '@huggingface/hub';
import { HubAccessError, HubError, HubUnavailableError } from './hub-errors.js';
import { parseModelCard } from './model-card.js';
import { isValidModelId, type ModelCard, type ModelConfigSummary, type ModelHub, type ModelInfo } from './model-hub.js';
import { createResilientFetch, type HubLogger } from './resilient-fetch.js';

export interface HfModelHubOptions {
  /** Default https://huggingface.co (no trailing slash needed). */
  hubUrl?: string;
  /** Server token (must start with `hf_`); lets the server read gated models it was granted. */
  token?: string;
  /** Per-attempt timeout in ms. Default 10_000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Backoff tuning (tests use a few ms). */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  logger?: HubLogger;
  /** Cap on bytes read by fileText/modelCard/tokenizerConfig. Default 5 MiB. */
  maxFileBytes?: number;
  /** Underlying fetch (default global). */
  fetch?: typeof fetch;
}

const DEFAULT_HUB_URL = 'https://huggingface.co';
const ADAPTER_CONFIG = 'adapter_config.json';
const ADAPTER_WEIGHTS = 'adapter_model.safetensors';
const SINGLE_WEIGHTS = 'model.safetensors';
const INDEX_WEIGHTS = 'model.safetensors.index.json';

const INFO_FIELDS = [
  'sha',
  'cardData',
  'config',
  'safetensors',
  'filePaths',
  'library_name',
  'tags',
  'createdAt',
] as const;

type NotFound = { notFound: true };
const NOT_FOUND: NotFound = { notFound: true };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string' && v !== '');
  return undefined;
}

function isoDate(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function isTimeoutError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** A file path inside a repo: relative, no dot segments. Segments are URL-encoded for the request. */
function safeRepoPath(path: string): string | null {
  if (path === '' || path.startsWith('/') || path.includes('\\')) return null;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  return segments.map(encodeURIComponent).join('/');
}

/** Stored element count of one safetensors header (scalars count 1, like huggingface_hub). */
function storedCount(header: Record<string, unknown>): number {
  let total = 0;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__' || !isRecord(info) || !Array.isArray(info['shape'])) continue;
    total += (info['shape'] as unknown[]).reduce<number>((a, b) => a * Number(b), 1);
  }
  return total;
}

export function createHfModelHub(options: HfModelHubOptions = {}): ModelHub {
  const hubUrl = (options.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  const accessToken = options.token === '' ? undefined : options.token;
  if (accessToken !== undefined && !accessToken.startsWith('hf_')) {
    throw new TypeError('The Hub token must start with "hf_"');
  }
  const logger = options.logger;
  const maxFileBytes = options.maxFileBytes ?? 5 * 1024 * 1024;
  const resilientFetch = createResilientFetch({
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    ...options.backoff,
    ...(logger ? { logger } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  /** Maps a failed Hub answer (status + X-Error-Code) to NOT_FOUND or a typed error. */
  function mapFailure(repoId: string, status: number, code: string | undefined, message: string, cause: unknown): NotFound {
    if (code === 'GatedRepo') {
      throw new HubAccessError(`${repoId} is gated and the server's token has no access to it`, {
        reason: 'gated',
        repoId,
        status,
        cause,
      });
    }
    if (status === 401 && /invalid credentials/i.test(message)) {
      throw new HubUnavailableError('The Hub rejected the configured token (invalid credentials)', {
        reason: 'invalid-credentials',
        status,
        attempts: 1,
        cause,
      });
    }
    if (status === 404 || status === 401) return NOT_FOUND;
    if (status === 403) {
      throw new HubAccessError(`Access to ${repoId} is forbidden`, { reason: 'private', repoId, status, cause });
    }
    throw new HubUnavailableError(`Unexpected Hub answer ${status} for ${repoId}`, {
      reason: status === 429 ? 'rate-limited' : status >= 500 ? 'server-error' : 'bad-response',
      status,
      attempts: 1,
      cause,
    });
  }

  /**
   * Runs one library call with a fetch that remembers failed responses (status, `X-Error-Code`,
   * `X-Error-Message`): the library's HubApiError keeps no headers, and on a failed HEAD it even
   * throws a SyntaxError while reading the (empty) JSON body. Resolves NOT_FOUND for 404 and
   * 401-without-GatedRepo (huggingface_hub treats such 401s as RepositoryNotFound).
   */
  async function call<T>(repoId: string, fn: (fetchImpl: typeof fetch) => Promise<T>): Promise<T | NotFound> {
    const failures = new Map<string, { status: number; code: string | undefined; message: string }>();
    let lastFailure: { status: number; code: string | undefined; message: string } | undefined;
    const recording = (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await resilientFetch(input, init);
      if (!res.ok && res.status >= 400) {
        const failure = {
          status: res.status,
          code: res.headers.get('x-error-code') ?? undefined,
          message: res.headers.get('x-error-message') ?? '',
        };
        failures.set(res.url, failure);
        failures.set(input instanceof Request ? input.url : String(input), failure);
        lastFailure = failure;
      }
      return res;
    }) as typeof fetch;
    try {
      return await fn(recording);
    } catch (err) {
      if (err instanceof HubError) throw err;
      if (err instanceof HubApiError) {
        return mapFailure(repoId, err.statusCode, failures.get(err.url)?.code, err.message, err);
      }
      if (err instanceof SyntaxError && lastFailure) {
        return mapFailure(repoId, lastFailure.status, lastFailure.code, lastFailure.message, err);
      }
      if (err instanceof InvalidApiResponseFormatError) {
        throw new HubUnavailableError(`Malformed Hub response for ${repoId}: ${err.message}`, {
          reason: 'bad-response',
          cause: err,
        });
      }
      if (isTimeoutError(err)) {
        throw new HubUnavailableError(`Hub timed out while reading ${repoId}`, { reason: 'timeout', cause: err });
      }
      if (err instanceof TypeError && /terminated|fetch failed|network/i.test(err.message)) {
        throw new HubUnavailableError(`Hub connection lost while reading ${repoId}`, { reason: 'network', cause: err });
      }
      throw err;
    }
  }

  const base = { hubUrl, ...(accessToken ? { accessToken } : {}) };

  async function modelInfo(modelId: string, revision = 'main'): Promise<ModelInfo | null> {
    if (!isValidModelId(modelId)) return null;
    const result = await call(modelId, (fetchImpl) =>
      hfModelInfo({
        ...base,
        name: modelId,
        revision: revision === '' ? 'main' : revision,
        additionalFields: [...INFO_FIELDS],
        fetch: fetchImpl,
      }),
    );
    if ('notFound' in result) return null;
    const data = result as unknown as Record<string, unknown>;
    const cardData = isRecord(data['cardData']) ? data['cardData'] : undefined;
    const safetensors = isRecord(data['safetensors']) ? data['safetensors'] : undefined;
    const gated = data['gated'];
    const info: ModelInfo = {
      id: String(data['name']),
      sha: String(data['sha']),
      private: data['private'] === true,
      gated: gated === 'auto' || gated === 'manual' ? gated : false,
      likes: typeof data['likes'] === 'number' ? data['likes'] : 0,
      downloads: typeof data['downloads'] === 'number' ? data['downloads'] : 0,
      tags: Array.isArray(data['tags']) ? data['tags'].map(String) : [],
      files: Array.isArray(data['filePaths']) ? data['filePaths'].map(String) : [],
    };
    const lastModified = isoDate(data['updatedAt']);
    if (lastModified) info.lastModified = lastModified;
    const createdAt = isoDate(data['createdAt']);
    if (createdAt) info.createdAt = createdAt;
    if (cardData) {
      info.cardData = cardData;
      const license = firstString(cardData['license']);
      if (license) info.license = license;
      const baseModel = firstString(cardData['base_model']);
      if (baseModel) info.baseModel = baseModel;
    }
    if (isRecord(data['config'])) info.config = data['config'] as ModelConfigSummary;
    if (safetensors && typeof safetensors['total'] === 'number') {
      info.safetensorsTotal = safetensors['total'];
      if (isRecord(safetensors['parameters'])) {
        info.safetensorsParameters = safetensors['parameters'] as Record<string, number>;
      }
    }
    if (typeof data['library_name'] === 'string') info.libraryName = data['library_name'];
    if (typeof data['task'] === 'string') info.pipelineTag = data['task'];
    return info;
  }

  async function fileText(modelId: string, revision: string, path: string): Promise<string | null> {
    const encodedPath = safeRepoPath(path);
    if (!isValidModelId(modelId) || encodedPath === null) return null;
    const result = await call(modelId, async (fetchImpl) => {
      const blob = await downloadFile({
        ...base,
        repo: modelId,
        path: encodedPath,
        revision: revision === '' ? 'main' : revision,
        xet: false,
        fetch: fetchImpl,
      });
      if (!blob) return NOT_FOUND;
      if (blob.size > maxFileBytes) {
        logger?.warn({ modelId, path, size: blob.size, maxFileBytes }, 'hub file truncated');
      }
      return blob.size > maxFileBytes ? blob.slice(0, maxFileBytes).text() : blob.text();
    });
    return typeof result === 'string' ? result : null;
  }

  async function modelCard(modelId: string, revision: string): Promise<ModelCard | null> {
    const text = await fileText(modelId, revision, 'README.md');
    return text === null ? null : parseModelCard(text);
  }

  async function jsonFile(modelId: string, revision: string, path: string): Promise<Record<string, unknown> | null> {
    const text = await fileText(modelId, revision, path);
    if (text === null) return null;
    try {
      const value: unknown = JSON.parse(text);
      if (isRecord(value)) return value;
    } catch {
      // fall through
    }
    logger?.warn({ modelId, revision, path }, 'hub file is not a JSON object');
    return null;
  }

  /** Sum of stored element counts from safetensors headers; null when not parseable. */
  async function headerCount(modelId: string, revision: string, path?: string): Promise<number | null> {
    const result = await call(modelId, async (fetchImpl) => {
      try {
        const parsed = await parseSafetensorsMetadata({
          ...base,
          repo: modelId,
          revision,
          ...(path ? { path } : {}),
          computeParametersCount: false,
          fetch: fetchImpl,
        });
        const headers = parsed.sharded ? Object.values(parsed.headers) : [parsed.header];
        return headers.reduce((sum, header) => sum + storedCount(header as Record<string, unknown>), 0);
      } catch (err) {
        if (err instanceof SafetensorParseError) {
          logger?.warn({ modelId, revision, path, err: err.message }, 'unparseable safetensors header');
          return null;
        }
        throw err;
      }
    });
    return typeof result === 'number' ? result : null;
  }

  async function parameterCount(
    modelId: string,
    revision: string,
    knownInfo?: ModelInfo,
    baseModel?: string,
    depth = 0,
  ): Promise<number | null> {
    const info = knownInfo ?? (await modelInfo(modelId, revision));
    if (!info) return null;
    const pinned = info.sha || revision;
    if (info.files.includes(ADAPTER_CONFIG)) {
      if (!info.files.includes(ADAPTER_WEIGHTS)) return null;
      const adapterParams = await headerCount(modelId, pinned, ADAPTER_WEIGHTS);
      if (adapterParams === null) return null;
      let baseId = baseModel ?? firstString(info.config?.peft?.base_model_name_or_path) ?? info.baseModel;
      if (!baseId) {
        const adapterConfig = await jsonFile(modelId, pinned, ADAPTER_CONFIG);
        baseId = firstString(adapterConfig?.['base_model_name_or_path']);
      }
      if (!baseId || baseId === modelId || depth > 0) return null;
      const baseParams = await parameterCount(baseId, 'main', undefined, undefined, depth + 1);
      return baseParams === null ? null : adapterParams + baseParams;
    }
    if (info.safetensorsTotal !== undefined) return info.safetensorsTotal;
    if (!info.files.includes(SINGLE_WEIGHTS) && !info.files.includes(INDEX_WEIGHTS)) return null;
    return headerCount(modelId, pinned);
  }

  return {
    modelInfo,
    modelCard,
    parameterCount: (modelId, revision, info, baseModel) => parameterCount(modelId, revision, info, baseModel),
    tokenizerConfig: (modelId, revision) => jsonFile(modelId, revision, 'tokenizer_config.json'),
    fileText,
  };
}
