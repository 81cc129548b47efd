import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from './cached-payload.js';

describe('negotiateEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.9', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['', 'identity'],
    ['*', 'br'],
    ['gzip;q=0, br;q=0', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it('falls back to gzip while the brotli form is not made yet', () => {
    expect(negotiateEncoding('gzip, br', false)).toBe('gzip');
    expect(negotiateEncoding('br', false)).toBe('identity');
  });
});
