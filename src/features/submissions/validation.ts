/**
 * The submission rules, one small function each, and the order they run in.
 *
 * Order (the React backend's `submit_model`, with the Gradio version's quota and base-model
 * checks and the cheap checks first so that a bad request costs no Hub call):
 *
 *   without the Hub                         with the Hub (MODEL_VALIDATION=hub)
 *   1. enum values (the route's schema)     5. model exists at the revision → pin its sha
 *   2. model id syntax                      6. public (not private)
 *   3. base model given for Delta/Adapter   7. gated → the server's token must have access
 *   4. quota of the model's namespace       8. official provider's model already FINISHED
 *                                           9. duplicate (same model, sha and precision)
 *                                          10. no custom code (config.auto_map)
 *                                          11. model card: exists, license, ≥ 200 code points
 *                                          12. base model exists (Delta/Adapter)
 *                                          13. parameter count and precision-aware size limit
 *                                          14. chat template, when asked for
 *
 * 8, 9 and 4 read the requests index; they run again, against the exact dataset version the
 * request file is committed on, just before the write (see service.ts). With
 * MODEL_VALIDATION=off only 1–4, 8 and 9 run (the revision is then not resolved to a sha).
 *
 * Messages are the original's where it had one. Status codes: 400 for a malformed field,
 * 404 for a model or revision the Hub does not know, 409 for a duplicate, 422 for a model that
 * breaks a rule, 429 for the quota, 503 when the Hub cannot be reached (error-mapping in
 * service.ts).
 */
import type { EvalRequest } from '../../datasets/request-file.js';
import { requestFilePath } from '../../datasets/request-file.js';
import { AppError } from '../../http/errors.js';
import { HubAccessError } from '../../hub/hub-errors.js';
import { codePointLength } from '../../hub/model-card.js';
import type { ModelCard, ModelHub, ModelInfo } from '../../hub/model-hub.js';
import type { QueueEntry } from '../queue/requests-index.js';
import { formatWaitTimeHuman } from '../queue/wait-time.js';
import { modelIdProblem } from './model-id.js';
import { quotaUsage, type QuotaPolicy } from './quota.js';
import type { Precision, SubmissionModelType, SubmitBody, WeightType } from './schemas.js';

/** A submission with the form's defaults applied and the precision normalized. */
export interface SubmissionDraft {
  modelId: string;
  /** '' when none. */
  baseModel: string;
  revision: string;
  precision: Precision;
  weightType: WeightType;
  modelType: SubmissionModelType;
  useChatTemplate: boolean;
}

export const MIN_CARD_LENGTH = 200;

/** Defaults of the original form: revision `main`, float16, Original, no chat template. */
export function normalizeSubmission(body: SubmitBody): SubmissionDraft {
  const precision: Precision = body.precision === undefined ? 'float16' : body.precision === 'gptq' ? 'GPTQ' : body.precision;
  return {
    modelId: body.model_id.trim(),
    baseModel: (body.base_model ?? '').trim(),
    revision: (body.revision ?? '').trim() || 'main',
    precision,
    weightType: body.weight_type ?? 'Original',
    modelType: body.model_type,
    useChatTemplate: body.use_chat_template ?? false,
  };
}

const rejected = (detail: string) => new AppError('SUBMISSION_REJECTED', detail);

// ── 2–4: no Hub needed ────────────────────────────────────────────────────────────────────────

/** 2. A Hub repo id, so nothing else (no path trick) reaches the Hub or the file system. */
export function checkModelIdSyntax(draft: SubmissionDraft): void {
  const problem = modelIdProblem(draft.modelId);
  if (problem) throw new AppError('VALIDATION_ERROR', `Invalid model_id ${JSON.stringify(draft.modelId)}: ${problem}. Expected a Hub repo id such as "org/model-name".`);
  if (revisionProblem(draft.revision)) {
    throw new AppError('VALIDATION_ERROR', `Invalid revision ${JSON.stringify(draft.revision)}: it must be a branch, tag or commit sha (git ref rules: ${revisionProblem(draft.revision)}).`);
  }
}

/** Git's ref-name rules (`git check-ref-format`), enough to refuse anything that is not a ref or a sha. */
export function revisionProblem(revision: string): string | undefined {
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(revision)) return 'no spaces, control characters or any of ~^:?*[\\';
  if (revision.includes('..') || revision.includes('@{') || revision.includes('//')) return 'no "..", "@{" or "//"';
  if (revision.startsWith('/') || revision.endsWith('/') || revision.endsWith('.') || revision.endsWith('.lock')) return 'no leading or trailing "/", no trailing "." or ".lock"';
  return undefined;
}

/** 3. Delta and Adapter weights need a base model; any base model must be a repo id. */
export function checkBaseModelField(draft: SubmissionDraft): void {
  if ((draft.weightType === 'Delta' || draft.weightType === 'Adapter') && draft.baseModel === '') {
    throw new AppError('VALIDATION_ERROR', `A base_model is required for ${draft.weightType} weights: the Hub id of the model the weights apply to.`);
  }
  if (draft.baseModel !== '') {
    const problem = modelIdProblem(draft.baseModel);
    if (problem) throw new AppError('VALIDATION_ERROR', `Invalid base_model ${JSON.stringify(draft.baseModel)}: ${problem}.`);
  }
}

/** 4. At most `quota` requests per namespace in the window; 429 saying when one more fits. */
export function checkQuota(modelId: string, requests: Iterable<EvalRequest>, policy: QuotaPolicy, now: Date): void {
  const usage = quotaUsage(modelId, requests, policy, now);
  if (usage.allowed) return;
  const resetsAt = usage.resetsAt ?? now;
  const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
  const days = policy.periodDays === 1 ? 'day' : `${policy.periodDays} days`;
  throw new AppError(
    'QUOTA_EXCEEDED',
    `Organisation or user \`${usage.namespace}\` already has ${usage.used} model requests submitted in the last ${days} (quota: ${usage.quota}). ` +
      `The next submission is possible at ${resetsAt.toISOString().replace(/\.\d{3}Z$/, 'Z')} (in ${formatWaitTimeHuman(seconds)}).`,
    { headers: { 'retry-after': String(seconds) }, extra: { quota: usage.quota, used: usage.used, resets_at: resetsAt.toISOString() } },
  );
}

// ── 8–9: the requests index ───────────────────────────────────────────────────────────────────

const ACTIVE_STATUSES = new Set(['PENDING', 'RUNNING', 'EVALUATING', 'FINISHED']);
const statusOf = (request: EvalRequest) => (typeof request.status === 'string' ? request.status.trim().toUpperCase() : '');
const samePrecision = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** 8. An official provider's model that finished once is re-evaluated only on request. */
export function checkOfficialProviderFinished(modelId: string, entries: readonly QueueEntry[], officialProviders: ReadonlySet<string>): void {
  const slash = modelId.indexOf('/');
  if (slash === -1 || !officialProviders.has(modelId.slice(0, slash))) return;
  if (entries.some((entry) => statusOf(entry.request) === 'FINISHED')) {
    throw rejected(`Model ${modelId} is an official provider model with a completed evaluation. To re-evaluate, please open a discussion.`);
  }
}

/**
 * 9. The same model, revision and precision pending, running or finished is a duplicate
 * (any weight type). A FAILED one may be resubmitted; its file is then replaced. A request
 * file at the same path that is being evaluated (another revision) is not replaced either.
 */
export function checkDuplicate(draft: SubmissionDraft, modelId: string, revision: string, entries: readonly QueueEntry[]): void {
  for (const { request } of entries) {
    const status = statusOf(request);
    if (request.revision === revision && samePrecision(request.precision, draft.precision) && ACTIVE_STATUSES.has(status)) {
      const state = status === 'PENDING' ? 'pending' : status === 'FINISHED' ? 'finished' : 'evaluating';
      throw new AppError(
        'DUPLICATE_SUBMISSION',
        `Model ${modelId} revision ${revision} in ${draft.precision} is already in the system with status: ${state}.`,
        { extra: { status: state } },
      );
    }
  }
  const path = requestFilePath(modelId, draft.precision, draft.weightType);
  const running = entries.find((entry) => entry.path === path && ['RUNNING', 'EVALUATING'].includes(statusOf(entry.request)));
  if (running) {
    throw new AppError(
      'DUPLICATE_SUBMISSION',
      `Model ${modelId} in ${draft.precision} is being evaluated at revision ${String(running.request.revision)}; submit the new revision when that evaluation ends.`,
      { extra: { status: 'evaluating' } },
    );
  }
}

// ── 5–7, 10–14: the Hub ───────────────────────────────────────────────────────────────────────

/** What the Hub checks learn along the way; the request file is built from it. */
export interface HubCheckContext {
  draft: SubmissionDraft;
  hub: ModelHub;
  maxModelSizeB: number;
  info?: ModelInfo;
  /** undefined: not read yet; null: the repo has no README.md. */
  card?: ModelCard | null;
  /** Billions of parameters as the original wrote them (rounded to 3 decimals, GPTQ ×8). */
  params?: number;
}

function requireInfo(ctx: HubCheckContext): ModelInfo {
  if (!ctx.info) throw new Error('resolveModel must run first');
  return ctx.info;
}

/** 5. The model exists at the revision; the submission is pinned to the commit it resolves to. */
export async function resolveModel(ctx: HubCheckContext): Promise<ModelInfo> {
  const { draft } = ctx;
  const info = await ctx.hub.modelInfo(draft.modelId, draft.revision);
  if (!info) {
    throw new AppError(
      'MODEL_NOT_FOUND',
      `Model ${draft.modelId} not found on the Hugging Face Hub at revision "${draft.revision}" (check the id and the revision; private models cannot be submitted).`,
    );
  }
  ctx.info = info;
  return info;
}

/** 6. Only public models are evaluated. */
export function checkPublic(ctx: HubCheckContext): void {
  const info = requireInfo(ctx);
  if (info.private) throw rejected(`Model ${info.id} is private: only public models can be evaluated.`);
}

/** 7. A gated model is accepted only when the leaderboard's own token has been granted access. */
export async function checkGatedAccess(ctx: HubCheckContext): Promise<void> {
  const info = requireInfo(ctx);
  if (!info.gated) return;
  try {
    ctx.card = await ctx.hub.modelCard(info.id, info.sha);
  } catch (error) {
    if (error instanceof HubAccessError) {
      throw rejected(
        `The model ${info.id} is gated and requires special access permissions, which the leaderboard has not been granted. Grant access to the leaderboard's account, or submit a non-gated copy.`,
      );
    }
    throw error;
  }
}

/** 10. Custom modelling code (`auto_map`) would need `trust_remote_code=True`. */
export function checkNoCustomCode(ctx: HubCheckContext, info: ModelInfo = requireInfo(ctx)): void {
  const autoMap = info.config?.auto_map;
  if (autoMap && typeof autoMap === 'object' && Object.keys(autoMap).length > 0) {
    throw rejected("The model requires `trust_remote_code=True` to launch, and for safety reasons, we don't accept such models automatically.");
  }
}

/** 11. A card with a license and a description of at least 200 characters (code points). */
export async function checkModelCard(ctx: HubCheckContext): Promise<void> {
  const info = requireInfo(ctx);
  const card = ctx.card !== undefined ? ctx.card : await ctx.hub.modelCard(info.id, info.sha);
  ctx.card = card;
  if (!card) throw rejected('Please add a model card to your model to explain how you trained/fine-tuned it.');
  const meta = card.metadata;
  const present = (key: string) => meta[key] !== undefined && meta[key] !== null && meta[key] !== '';
  if (!present('license') && !(present('license_name') && present('license_link'))) {
    throw rejected('License not found. Please add a license to your model card using the `license` metadata or a `license_name`/`license_link` pair.');
  }
  if (codePointLength(card.text) < MIN_CARD_LENGTH) throw rejected('Please add a description to your model card, it is too short.');
}

/** 12. Delta and Adapter weights apply to a base model that must exist (and load without custom code). */
export async function checkBaseModelOnHub(ctx: HubCheckContext): Promise<void> {
  const { draft } = ctx;
  if (draft.weightType === 'Original' || draft.baseModel === '') return;
  const base = await ctx.hub.modelInfo(draft.baseModel, 'main');
  if (!base) throw new AppError('MODEL_NOT_FOUND', `Base model ${draft.baseModel} not found on the Hugging Face Hub.`);
  if (base.private) throw rejected(`Base model ${base.id} is private: only public models can be evaluated.`);
  checkNoCustomCode(ctx, base);
}

/** The factor the size limit grows by for precisions that need less memory than 16 bits. */
export function sizeLimitFactor(precision: Precision, info?: ModelInfo): number {
  switch (precision) {
    case '8bit':
      return 2;
    case '4bit':
      return 4;
    case 'GPTQ': {
      const bits = Number(info?.config?.quantization_config?.bits);
      return Number.isFinite(bits) && bits > 0 && bits < 16 ? 16 / bits : 4;
    }
    default:
      return 1;
  }
}

/** Billions as the original wrote them: `round(count / 1e9 × (8 for GPTQ), 3)`. */
export function paramsInBillions(storedCount: number, precision: Precision, modelId: string): number {
  const factor = precision === 'GPTQ' || modelId.toLowerCase().includes('gptq') ? 8 : 1;
  return Math.round((factor * storedCount) / 1e6) / 1000;
}

/** 13. Parameter count from the safetensors weights, within the precision's size limit. */
export async function checkSize(ctx: HubCheckContext): Promise<number> {
  const info = requireInfo(ctx);
  const { draft } = ctx;
  const baseModel = draft.weightType === 'Adapter' && draft.baseModel !== '' ? draft.baseModel : undefined;
  const count = await ctx.hub.parameterCount(info.id, info.sha, info, baseModel);
  if (count === null) {
    throw rejected('Model size could not be determined: the model must have safetensors weights (model.safetensors, a sharded index, or adapter_model.safetensors for adapters).');
  }
  const params = paramsInBillions(count, draft.precision, info.id);
  const limit = ctx.maxModelSizeB * sizeLimitFactor(draft.precision, info);
  if (params > limit) {
    throw rejected(`Model too large for ${draft.precision}: ${params}B parameters (limit: ${Number(limit.toFixed(3))}B).`);
  }
  ctx.params = params;
  return params;
}

/** 14. With use_chat_template, the tokenizer must define a chat template. */
export async function checkChatTemplate(ctx: HubCheckContext): Promise<void> {
  const info = requireInfo(ctx);
  if (!ctx.draft.useChatTemplate) return;
  // Recent transformers versions may keep the template in its own file.
  if (info.files.includes('chat_template.jinja') || info.files.includes('chat_template.json')) return;
  const config = await ctx.hub.tokenizerConfig(info.id, info.sha);
  const template = config?.['chat_template'];
  if (template === undefined || template === null || template === '') {
    throw rejected(
      `The model ${info.id} doesn't have a chat_template in its tokenizer_config.json. Please add a chat_template before submitting or submit without it.`,
    );
  }
}

/** `;`-joined `config.architectures`, as the original wrote them. */
export function architecturesOf(info: ModelInfo | undefined): string {
  const list = info?.config?.architectures;
  return Array.isArray(list) ? list.filter((item) => typeof item === 'string').join(';') : '';
}

export interface IndexChecks {
  /** 8 and 9 against the current requests index, with the Hub's spelling of the id and the sha. */
  (modelId: string, revision: string): void;
}

/** Rules 5–14, in order. Returns what the request file needs. */
export async function runHubChecks(ctx: HubCheckContext, indexChecks: IndexChecks): Promise<{ info: ModelInfo; params: number }> {
  const info = await resolveModel(ctx);
  checkPublic(ctx);
  await checkGatedAccess(ctx);
  indexChecks(info.id, info.sha);
  checkNoCustomCode(ctx);
  await checkModelCard(ctx);
  await checkBaseModelOnHub(ctx);
  const params = await checkSize(ctx);
  await checkChatTemplate(ctx);
  return { info, params };
}
