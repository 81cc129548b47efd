/**
 * Model card (README.md) parsing, identical in its split to huggingface_hub's RepoCard:
 * `REGEX_YAML_BLOCK` finds a leading `---` YAML block; `text` is everything after its closing
 * `---` line. Lengths are meant to be compared in code points (Python `len`), see codePointLength.
 */
import { parse as parseYaml } from 'yaml';
import type { ModelCard } from './model-hub.js';

/** huggingface_hub `REGEX_YAML_BLOCK` (repocard.py); group 3 is the YAML body. */
const REGEX_YAML_BLOCK = /^(\s*---(\r\n|\r|\n))([\S\s]*?)((\r\n|\r|\n)---[ \t]*(\r\n|\n|$))/;

export function parseModelCard(content: string): ModelCard {
  const match = REGEX_YAML_BLOCK.exec(content);
  if (!match) return { metadata: {}, text: content };
  const text = content.slice(match.index + match[0].length);
  let parsed: unknown;
  try {
    // yaml's default (core) schema is safe: no custom tags, timestamps stay strings.
    parsed = parseYaml(match[3] ?? '', { maxAliasCount: 100 });
  } catch (err) {
    return { metadata: {}, text, metadataError: `Invalid YAML in the model card metadata: ${(err as Error).message}` };
  }
  if (parsed === null || parsed === undefined) return { metadata: {}, text };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { metadata: {}, text, metadataError: 'The model card metadata block is not a mapping' };
  }
  return { metadata: parsed as Record<string, unknown>, text };
}

/** Length in Unicode code points, as Python's `len(str)`; JS `.length` counts UTF-16 units. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
