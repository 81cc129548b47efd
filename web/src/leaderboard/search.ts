/**
 * The leaderboard search, compiled once per query into one predicate:
 *
 * - `llama`               case-insensitive substring of the model name
 * - `/^meta-llama\//i`    a regular expression on the model name
 * - `@license:mit`        a field: name, org, architecture, license, base_model (substring),
 *                         precision, type, weight_type (exact), any of them `/regex/`;
 *                         `@params:<7`, `@params:7-14`
 * - `qwen; llama`         `;` separates alternatives (OR); inside one, terms combine (AND)
 *
 * Pure module (no DOM): unit-tested from Node.
 */
import type { ModelRow } from './model-row.js';

export type SearchError = { kind: 'regex'; message: string } | { kind: 'field'; field: string } | { kind: 'number'; field: string };

export interface CompiledSearch {
  /** Undefined when the query is empty or invalid (nothing is filtered out). */
  predicate?: (row: ModelRow) => boolean;
  error?: SearchError;
}

type TextField = 'name' | 'org' | 'architecture' | 'license' | 'precision' | 'type' | 'baseModel' | 'weightType';

const FIELD_ALIASES: Record<string, TextField | 'params'> = {
  name: 'name',
  model: 'name',
  org: 'org',
  author: 'org',
  arch: 'architecture',
  architecture: 'architecture',
  license: 'license',
  precision: 'precision',
  type: 'type',
  base: 'baseModel',
  base_model: 'baseModel',
  weight: 'weightType',
  weight_type: 'weightType',
  params: 'params',
  size: 'params',
};

export const SEARCH_FIELDS = ['name', 'org', 'architecture', 'license', 'precision', 'type', 'base_model', 'weight_type', 'params'] as const;

class SearchSyntaxError extends Error {
  constructor(readonly detail: SearchError) {
    super(detail.kind);
  }
}

/** Fields whose values are a closed list: `@precision:float16` must not match bfloat16. */
const EXACT_FIELDS = new Set<TextField>(['precision', 'type', 'weightType']);

function textMatcher(pattern: string, exact = false): (text: string) => boolean {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (regex) {
    const [, source = '', flags = ''] = regex;
    let compiled: RegExp;
    try {
      compiled = new RegExp(source, flags.includes('i') ? flags.replace(/[gy]/g, '') : `${flags.replace(/[gy]/g, '')}i`);
    } catch (error) {
      throw new SearchSyntaxError({ kind: 'regex', message: (error as Error).message });
    }
    return (text) => compiled.test(text);
  }
  const needle = pattern.toLowerCase();
  if (exact) return (text) => text.toLowerCase() === needle;
  return (text) => text.toLowerCase().includes(needle);
}

function numberMatcher(field: string, pattern: string): (value: number | null) => boolean {
  const text = pattern.replace(/\s+/g, '');
  const comparison = /^(<=|>=|<|>|=)?(\d+(?:\.\d+)?)$/.exec(text);
  if (comparison) {
    const [, op = '=', raw = '0'] = comparison;
    const n = Number(raw);
    switch (op) {
      case '<':
        return (v) => v !== null && v < n;
      case '<=':
        return (v) => v !== null && v <= n;
      case '>':
        return (v) => v !== null && v > n;
      case '>=':
        return (v) => v !== null && v >= n;
      default:
        // `@params:7` matches 7.0–7.99 (what people mean by "7B").
        return (v) => v !== null && v >= n && v < n + 1;
    }
  }
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    return (v) => v !== null && v >= low && v <= high;
  }
  throw new SearchSyntaxError({ kind: 'number', field });
}

/** Splits one alternative into `@field:value` terms and the free text. */
function tokenize(group: string): { fields: [string, string][]; text: string } {
  const fields: [string, string][] = [];
  const rest: string[] = [];
  let i = 0;
  while (i < group.length) {
    const ch = group[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const field = ch === '@' ? /^@([a-z_]+):/i.exec(group.slice(i)) : null;
    if (field) {
      i += field[0].length;
      let value = '';
      if (group[i] === '/') {
        // A regex value runs to the closing slash (and its flags).
        const end = /^\/(?:\\.|[^/\\])+\/[a-z]*/.exec(group.slice(i));
        value = end ? end[0] : group.slice(i).split(/\s/)[0]!;
      } else if (group[i] === '"') {
        const close = group.indexOf('"', i + 1);
        value = group.slice(i + 1, close === -1 ? group.length : close);
        i = close === -1 ? group.length : close + 1;
        fields.push([field[1]!.toLowerCase(), value]);
        continue;
      } else {
        value = group.slice(i).split(/\s/)[0]!;
      }
      i += value.length;
      fields.push([field[1]!.toLowerCase(), value]);
      continue;
    }
    if (ch === '/') {
      // A regex on the name keeps its spaces.
      const end = /^\/(?:\\.|[^/\\])+\/[a-z]*(?=\s|$)/.exec(group.slice(i));
      if (end) {
        rest.push(end[0]);
        i += end[0].length;
        continue;
      }
    }
    const word = group.slice(i).split(/\s/)[0]!;
    rest.push(word);
    i += word.length;
  }
  return { fields, text: rest.join(' ') };
}

function compileGroup(group: string): (row: ModelRow) => boolean {
  const { fields, text } = tokenize(group);
  const tests: ((row: ModelRow) => boolean)[] = [];
  for (const [alias, value] of fields) {
    const field = FIELD_ALIASES[alias];
    if (!field) throw new SearchSyntaxError({ kind: 'field', field: alias });
    if (value === '') continue;
    if (field === 'params') {
      const match = numberMatcher(alias, value);
      tests.push((row) => match(row.params));
    } else {
      const match = textMatcher(value, EXACT_FIELDS.has(field));
      tests.push((row) => match(row[field]));
    }
  }
  if (text !== '') {
    const regexText = /^\/(.+)\/([a-z]*)$/s.test(text);
    if (regexText) {
      const match = textMatcher(text);
      tests.push((row) => match(row.name));
    } else {
      const needle = text.toLowerCase();
      tests.push((row) => row.searchName.includes(needle));
    }
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (row) => tests.every((test) => test(row));
}

export function compileSearch(query: string): CompiledSearch {
  const groups = query
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean);
  if (groups.length === 0) return {};
  try {
    const predicates = groups.map(compileGroup);
    if (predicates.length === 1) return { predicate: predicates[0] };
    return { predicate: (row) => predicates.some((p) => p(row)) };
  } catch (error) {
    if (error instanceof SearchSyntaxError) return { error: error.detail };
    throw error;
  }
}
