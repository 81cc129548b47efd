import { describe, expect, it } from 'vitest';
import type { EvalRequest } from '../../datasets/request-file.js';
import { quotaUsage, type QuotaPolicy } from './quota.js';

const DAY = 24 * 3600 * 1000;
const now = new Date('2025-01-15T10:00:00Z');
const at = (msAgo: number, model = 'org/m') => ({ model, submitted_time: new Date(now.getTime() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z'), status: 'PENDING' }) as EvalRequest;
const policy: QuotaPolicy = { quota: 3, periodDays: 7, exempt: ['free'], officialProviders: new Set(['Big']) };

describe('quotaUsage', () => {
  it('counts the namespace\'s requests strictly inside the window, whatever their status', () => {
    const requests = [at(DAY), { ...at(2 * DAY), status: 'FAILED' }, at(7 * DAY), at(8 * DAY), at(DAY, 'other/m')];
    expect(quotaUsage('org/new', requests, policy, now)).toMatchObject({ namespace: 'org', used: 2, allowed: true, resetsAt: undefined });
  });

  it('says when one more fits: when all but quota-1 have left the window', () => {
    const requests = [at(1 * DAY), at(2 * DAY), at(3 * DAY), at(5 * DAY)];
    const usage = quotaUsage('org/new', requests, policy, now);
    expect(usage).toMatchObject({ used: 4, allowed: false });
    // The 2 oldest must leave: the one of 3 days ago leaves in 4 days.
    expect(usage.resetsAt?.toISOString()).toBe(new Date(now.getTime() + 4 * DAY).toISOString());
  });

  it('ignores unparsable times and compares namespaces case-insensitively', () => {
    const requests = [at(DAY, 'ORG/a'), at(DAY, 'Org/b'), { model: 'org/c', submitted_time: 'yesterday', status: 'PENDING' } as EvalRequest];
    expect(quotaUsage('org/new', requests, policy, now).used).toBe(2);
  });

  it('exempts QUOTA_EXEMPT and official providers (case-insensitively)', () => {
    const full = [at(1), at(2), at(3), at(4)].map((r) => ({ ...r, model: 'free/x' }));
    expect(quotaUsage('FREE/y', full, policy, now)).toMatchObject({ exempt: true, allowed: true });
    expect(quotaUsage('big/y', full.map((r) => ({ ...r, model: 'big/x' })), policy, now)).toMatchObject({ exempt: true, allowed: true });
  });
});
