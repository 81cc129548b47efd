import { describe, expect, it } from 'vitest';
import { codePointLength, parseModelCard } from './model-card.js';

describe('parseModelCard', () => {
  it('splits YAML front matter from the text', () => {
    const card = parseModelCard('---\nlicense: mit\nbase_model:\n- a/b\n---\n# Title\n\nBody\n');
    expect(card).toEqual({ metadata: { license: 'mit', base_model: ['a/b'] }, text: '# Title\n\nBody\n' });
  });

  it('accepts CRLF, leading blank lines and trailing spaces after the closing fence', () => {
    const card = parseModelCard('\n\n---\r\nlicense: apache-2.0\r\n---  \r\nText');
    expect(card).toEqual({ metadata: { license: 'apache-2.0' }, text: 'Text' });
  });

  it('treats content without a leading block as text only', () => {
    expect(parseModelCard('# Title\n---\nlicense: mit\n---\n')).toEqual({
      metadata: {},
      text: '# Title\n---\nlicense: mit\n---\n',
    });
    expect(parseModelCard('')).toEqual({ metadata: {}, text: '' });
  });

  it('keeps the text when the metadata is empty, invalid or not a mapping', () => {
    expect(parseModelCard('---\n\n---\nText')).toEqual({ metadata: {}, text: 'Text' });
    expect(parseModelCard('---\nlicense: [\n---\nText')).toMatchObject({
      metadata: {},
      text: 'Text',
      metadataError: expect.stringContaining('Invalid YAML'),
    });
    expect(parseModelCard('---\n- a\n- b\n---\nText')).toMatchObject({ metadata: {}, text: 'Text', metadataError: expect.any(String) });
  });

  it('keeps YAML 1.2 scalars as the Hub metadata would (dates stay strings)', () => {
    expect(parseModelCard('---\ndate: 2024-01-01\nversion: 1.0\n---\n').metadata).toEqual({
      date: '2024-01-01',
      version: 1,
    });
  });
});

describe('codePointLength', () => {
  it('counts code points like Python len()', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('🦙🦙')).toBe(2);
    expect('🦙🦙'.length).toBe(4);
    expect(codePointLength('é')).toBe(1);
  });
});
