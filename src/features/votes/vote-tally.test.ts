import { describe, expect, it } from 'vitest';
import type { VoteRecord } from '../../datasets/vote-record.js';
import { VoteTally } from './vote-tally.js';

const base: VoteRecord = { model: 'org/a', revision: 'main', username: 'alice', timestamp: '2025-01-01T00:00:00Z', vote_type: 'up', precision: 'bfloat16' };
const v = (overrides: Partial<VoteRecord>): VoteRecord => ({ ...base, ...overrides });

describe('VoteTally', () => {
  it('keeps one vote per (model, revision, username, precision); the latest entry wins', () => {
    const tally = new VoteTally();
    expect(tally.apply(v({}))).toBe('added');
    expect(tally.apply(v({ timestamp: '2025-01-01T00:00:01Z' }))).toBe('unchanged');
    expect(tally.modelCounts('org/a')).toMatchObject({ up: 1, down: 0 });
    expect(tally.apply(v({ vote_type: 'down' }))).toBe('changed');
    expect(tally.modelCounts('org/a')).toMatchObject({ up: 0, down: 1 });
    expect(tally.netVotes('org/a')).toBe(-1);
    // Another precision or revision is another vote.
    tally.apply(v({ precision: 'float16' }));
    tally.apply(v({ revision: 'abc' }));
    expect(tally.modelCounts('org/a')).toMatchObject({ up: 2, down: 1 });
    expect(Object.fromEntries(tally.modelCounts('org/a').byRevision)).toEqual({ main: { up: 1, down: 1 }, abc: { up: 1, down: 0 } });
    expect(tally.netVotes('org/a', 'abc')).toBe(1);
    expect(tally.userVotes('alice')).toHaveLength(3);
  });

  it('removes retracted votes from every index', () => {
    const tally = new VoteTally();
    tally.apply(v({}));
    tally.apply(v({ username: 'bob', vote_type: 'down' }));
    expect(tally.apply({ ...v({}), vote_type: 'retract' })).toBe('removed');
    expect(tally.apply({ ...v({}), vote_type: 'retract' })).toBe('unchanged');
    expect(tally.userVotes('alice')).toEqual([]);
    expect(tally.modelVotes('org/a').map((x) => x.username)).toEqual(['bob']);
    expect(tally.apply({ ...v({ username: 'bob' }), vote_type: 'retract' })).toBe('removed');
    expect(tally.modelCounts('org/a')).toMatchObject({ up: 0, down: 0 });
    expect(tally.votedModels()).toEqual([]);
    expect(tally.size).toBe(0);
  });

  it('lists a user\'s votes by last change', () => {
    const tally = new VoteTally();
    tally.apply(v({ model: 'org/a' }));
    tally.apply(v({ model: 'org/b' }));
    tally.apply(v({ model: 'org/a', vote_type: 'down' }));
    expect(tally.userVotes('alice').map((x) => `${x.model}:${x.vote_type}`)).toEqual(['org/b:up', 'org/a:down']);
  });
});
