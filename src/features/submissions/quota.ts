/**
 * The submission quota of the original (Gradio version, `user_submission_permission`):
 * at most `quota` request files per model namespace whose `submitted_time` falls in the last
 * `periodDays` days, whatever their status. Official providers and the QUOTA_EXEMPT namespaces
 * are unlimited. Namespaces compare case-insensitively, as the Hub resolves them.
 */
import type { EvalRequest } from '../../datasets/request-file.js';
import { quotaNamespace } from './model-id.js';

export interface QuotaPolicy {
  /** Requests allowed per namespace per period. */
  quota: number;
  periodDays: number;
  /** Namespaces without a quota (QUOTA_EXEMPT). */
  exempt: readonly string[];
  /** Orgs of the official-providers dataset (also exempt). */
  officialProviders: ReadonlySet<string>;
}

export interface QuotaUsage {
  namespace: string;
  exempt: boolean;
  /** Requests of the namespace inside the window. */
  used: number;
  quota: number;
  /** True when one more request fits. */
  allowed: boolean;
  /** When `allowed` is false: the moment one request leaves the window and one more fits. */
  resetsAt: Date | undefined;
}

const DAY_MS = 24 * 3600 * 1000;

function isExempt(namespace: string, policy: QuotaPolicy): boolean {
  const lower = namespace.toLowerCase();
  if (policy.exempt.some((name) => name.toLowerCase() === lower)) return true;
  for (const org of policy.officialProviders) if (org.toLowerCase() === lower) return true;
  return false;
}

/** How much of its quota the namespace of `modelId` has used at `now`. */
export function quotaUsage(modelId: string, requests: Iterable<EvalRequest>, policy: QuotaPolicy, now: Date): QuotaUsage {
  const namespace = quotaNamespace(modelId);
  if (isExempt(namespace, policy)) {
    return { namespace, exempt: true, used: 0, quota: policy.quota, allowed: true, resetsAt: undefined };
  }
  const lower = namespace.toLowerCase();
  const windowStart = now.getTime() - policy.periodDays * DAY_MS;
  const times: number[] = [];
  for (const request of requests) {
    if (typeof request.model !== 'string' || quotaNamespace(request.model).toLowerCase() !== lower) continue;
    const submitted = typeof request.submitted_time === 'string' ? Date.parse(request.submitted_time) : Number.NaN;
    if (Number.isFinite(submitted) && submitted > windowStart) times.push(submitted);
  }
  const used = times.length;
  if (used < policy.quota) return { namespace, exempt: false, used, quota: policy.quota, allowed: true, resetsAt: undefined };
  // One more fits once all but quota-1 of them have left the window.
  times.sort((a, b) => a - b);
  const leaving = times[used - policy.quota] ?? now.getTime();
  return {
    namespace,
    exempt: false,
    used,
    quota: policy.quota,
    allowed: false,
    resetsAt: new Date(leaving + policy.periodDays * DAY_MS),
  };
}
