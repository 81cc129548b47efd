/**
 * Model submissions: runs the rules of validation.ts, writes the request file at the original's
 * path with the original's JSON, durably, and casts the submitter's automatic up vote.
 *
 * No duplicate gets in, even under a race:
 * - submissions of the same (model, precision) run one at a time in this process (a keyed
 *   mutex), so the second of two identical submissions sees the first one's file;
 * - the final checks (official provider, duplicate, quota) run again just before the write,
 *   against the requests index at a known dataset version, and the commit is made with that
 *   version as `parentVersion`: if anything changed in between (another submission, the
 *   evaluation pipeline, another instance sharing the Hub dataset) the commit fails with
 *   StaleVersionError, the index is refreshed and the checks run again.
 * Commits of this process are also serialized among themselves, so only writers outside the
 * process can make a commit stale.
 */
import type { Logger } from 'pino';
import { encodeRequestFile, formatUtcSeconds, requestFilePath, type EvalRequest } from '../../datasets/request-file.js';
import { AppError } from '../../http/errors.js';
import { HubAccessError, HubUnavailableError } from '../../hub/hub-errors.js';
import type { ModelHub } from '../../hub/model-hub.js';
import { StaleVersionError, type DatasetRepo } from '../../storage/dataset-repo.js';
import type { RequestsIndex } from '../queue/requests-index.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { QuotaPolicy } from './quota.js';
import type { SubmitBody } from './schemas.js';
import {
  architecturesOf,
  checkBaseModelField,
  checkDuplicate,
  checkModelIdSyntax,
  checkOfficialProviderFinished,
  checkQuota,
  normalizeSubmission,
  runHubChecks,
  type SubmissionDraft,
} from './validation.js';

export type ModelValidationMode = 'hub' | 'off';

/** The votes feature, as submissions use it: the submitter's automatic up vote. */
export interface SubmissionVoter {
  upvote(vote: { model: string; revision: string; precision: string; username: string }): Promise<void>;
}

export interface SubmissionServiceDeps {
  requests: RequestsIndex;
  /** The requests dataset. */
  repo: DatasetRepo;
  /** Required when `validation` is `hub`. */
  hub?: ModelHub;
  validation: ModelValidationMode;
  /** Orgs of the official-providers dataset (exempt from the quota, and rule 8). */
  officialProviders: () => ReadonlySet<string>;
  voter?: SubmissionVoter;
  quota: number;
  periodDays: number;
  quotaExempt: readonly string[];
  /** Size limit in billions for float16/bfloat16. */
  maxModelSizeB: number;
  now: () => Date;
  logger: Logger;
}

export interface SubmissionOutcome {
  request: EvalRequest;
  /** Path of the request file in the requests dataset. */
  path: string;
  voteRecorded: boolean;
}

/** Stale commits tolerated before giving up (only writers outside this process cause them). */
const MAX_COMMIT_ATTEMPTS = 8;

export const SUCCESS_MESSAGE = 'The model was submitted successfully, and the vote has been recorded';
export const SUCCESS_MESSAGE_WITHOUT_VOTE = 'The model was submitted successfully; the automatic up vote could not be recorded';

export class SubmissionService {
  private readonly perModel = new KeyedMutex();
  private readonly commits = new KeyedMutex();

  constructor(private readonly deps: SubmissionServiceDeps) {
    if (deps.validation === 'hub' && !deps.hub) throw new Error('MODEL_VALIDATION=hub needs a ModelHub');
  }

  get validation(): ModelValidationMode {
    return this.deps.validation;
  }

  /** Validates and queues a submission by `submitter` (a verified user name). */
  async submit(body: SubmitBody, submitter: string): Promise<SubmissionOutcome> {
    const draft = normalizeSubmission(body);
    checkModelIdSyntax(draft);
    checkBaseModelField(draft);
    await this.ensureLoaded();
    checkQuota(draft.modelId, this.allRequests(), this.quotaPolicy(), this.deps.now());
    // The Hub resolves ids case-insensitively: `Org/Model` and `org/model` are one model.
    return this.perModel.run(`${draft.modelId.toLowerCase()}\0${draft.precision}`, () => this.submitLocked(draft, submitter));
  }

  private async submitLocked(draft: SubmissionDraft, submitter: string): Promise<SubmissionOutcome> {
    const indexChecks = (modelId: string, revision: string) => {
      const entries = this.deps.requests.byModel(modelId);
      checkOfficialProviderFinished(modelId, entries, this.deps.officialProviders());
      checkDuplicate(draft, modelId, revision, entries);
    };

    let modelId = draft.modelId;
    let revision = draft.revision;
    let params = 0;
    let architectures = '';
    if (this.deps.validation === 'hub') {
      try {
        const checked = await runHubChecks({ draft, hub: this.deps.hub!, maxModelSizeB: this.deps.maxModelSizeB }, indexChecks);
        modelId = checked.info.id;
        revision = checked.info.sha;
        params = checked.params;
        architectures = architecturesOf(checked.info);
      } catch (error) {
        throw this.hubFailure(error, draft) ?? error;
      }
    } else {
      indexChecks(modelId, revision);
    }

    const request: EvalRequest = {
      model: modelId,
      base_model: draft.baseModel,
      revision,
      precision: draft.precision,
      params,
      architectures,
      weight_type: draft.weightType,
      status: 'PENDING',
      submitted_time: formatUtcSeconds(this.deps.now()),
      model_type: draft.modelType,
      job_id: -1,
      job_start_time: null,
      use_chat_template: draft.useChatTemplate,
      sender: submitter,
    };
    const path = requestFilePath(modelId, draft.precision, draft.weightType);
    try {
      await this.commit(draft, request, path);
    } catch (error) {
      throw this.hubFailure(error, draft) ?? error;
    }
    // The queue endpoints show the submission as soon as the 2xx is sent.
    await this.deps.requests.refresh();
    this.deps.logger.info({ model: modelId, revision, precision: draft.precision, weight_type: draft.weightType, sender: submitter, path }, 'submission queued');

    let voteRecorded = false;
    if (this.deps.voter) {
      try {
        await this.deps.voter.upvote({ model: modelId, revision, precision: draft.precision, username: submitter });
        voteRecorded = true;
      } catch (error) {
        // The submission is durable already; a lost vote must not turn it into an error.
        this.deps.logger.error({ err: error, model: modelId, sender: submitter }, 'automatic up vote failed');
      }
    }
    return { request, path, voteRecorded };
  }

  /** Final checks and the write, at a known version of the requests dataset. */
  private commit(draft: SubmissionDraft, request: EvalRequest, path: string): Promise<void> {
    const content = new TextEncoder().encode(encodeRequestFile(request));
    return this.commits.run('requests', async () => {
      for (let attempt = 1; ; attempt++) {
        await this.deps.requests.refresh();
        // Version and entries are read together, with no await in between.
        const parentVersion = this.deps.requests.version();
        if (parentVersion === undefined) throw notReady();
        const entries = this.deps.requests.byModel(request.model);
        checkOfficialProviderFinished(request.model, entries, this.deps.officialProviders());
        checkDuplicate(draft, request.model, request.revision, entries);
        checkQuota(request.model, this.allRequests(), this.quotaPolicy(), this.deps.now());
        try {
          await this.deps.repo.commit([{ op: 'put', path, content }], `Add ${request.model} to eval queue`, { parentVersion });
          return;
        } catch (error) {
          if (!(error instanceof StaleVersionError)) throw error;
          if (attempt >= MAX_COMMIT_ATTEMPTS) {
            throw new AppError('CONFLICT', 'The evaluation queue kept changing while the submission was being recorded; nothing was written. Retry in a moment.', {
              headers: { 'retry-after': '1' },
            });
          }
          this.deps.logger.debug({ attempt, model: request.model }, 'requests dataset moved; re-checking the submission');
        }
      }
    });
  }

  private async ensureLoaded(): Promise<void> {
    if (this.deps.requests.version() === undefined) await this.deps.requests.refresh();
    if (this.deps.requests.version() === undefined) throw notReady();
  }

  private *allRequests(): Iterable<EvalRequest> {
    for (const entry of this.deps.requests.all()) yield entry.request;
  }

  private quotaPolicy(): QuotaPolicy {
    return {
      quota: this.deps.quota,
      periodDays: this.deps.periodDays,
      exempt: this.deps.quotaExempt,
      officialProviders: this.deps.officialProviders(),
    };
  }

  /** Hub failures as API errors: unreachable → 503 (nothing written); no access → 422. */
  private hubFailure(error: unknown, draft: SubmissionDraft): AppError | undefined {
    if (error instanceof HubUnavailableError) {
      this.deps.logger.warn({ model: draft.modelId, reason: error.reason, status: error.status, attempts: error.attempts }, 'hub unavailable during submission');
      const why =
        error.reason === 'invalid-credentials'
          ? "the Hub rejected the leaderboard's own token (an operator must fix HF_TOKEN)"
          : error.reason === 'timeout'
            ? 'the Hub did not answer in time'
            : error.reason === 'rate-limited'
              ? 'the Hub is rate-limiting the leaderboard'
              : 'the Hub could not be reached or answered with an error';
      return new AppError('HUB_UNAVAILABLE', `The submission of ${draft.modelId} could not be validated: ${why}. Nothing was submitted; retry in a few minutes.`, {
        headers: { 'retry-after': '30' },
      });
    }
    if (error instanceof HubAccessError) {
      return new AppError(
        'SUBMISSION_REJECTED',
        error.reason === 'gated'
          ? `The model ${error.repoId} is gated and requires special access permissions, which the leaderboard has not been granted.`
          : `The leaderboard is not allowed to read ${error.repoId} on the Hub; only public models can be evaluated.`,
      );
    }
    return undefined;
  }
}

function notReady(): AppError {
  return new AppError('NOT_READY', 'The requests dataset is still loading; retry in a moment.', { headers: { 'retry-after': '1' } });
}
