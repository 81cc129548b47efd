/**
 * Hub repo ids, checked before anything reaches the Hub or the file system.
 *
 * The rules are huggingface_hub's `validate_repo_id`: an optional namespace and a name, each of
 * `[\w\-.]` characters, beginning and ending with a word character (the `\b` of its regex), the
 * name at most 96 characters, no `--` or `..` anywhere and no `.git` suffix. Only ASCII word
 * characters are accepted (Python's `\w` is Unicode-aware; Hub names are ASCII in practice).
 * A valid id therefore can never contain `/` tricks, `..`, a backslash or a NUL, so the request
 * file path built from it stays inside the requests dataset.
 */

const PART = /^[A-Za-z0-9_](?:[\w.-]*[A-Za-z0-9_])?$/;
export const MAX_NAME_LENGTH = 96;

export interface ParsedModelId {
  /** `org/name`, or `name` for a repo without a namespace. */
  id: string;
  /** The namespace (`org`), undefined when the id has none. */
  namespace: string | undefined;
  name: string;
}

/** Why `raw` is not a Hub repo id, or undefined when it is one. */
export function modelIdProblem(raw: string): string | undefined {
  if (raw.length === 0) return 'it is empty';
  const parts = raw.split('/');
  if (parts.length > 2) return 'it has more than one "/" (expected "namespace/name")';
  if (raw.includes('--') || raw.includes('..')) return 'it contains "--" or ".."';
  if (raw.endsWith('.git')) return 'it ends with ".git"';
  for (const part of parts) {
    if (part.length > MAX_NAME_LENGTH) return `a part is longer than ${MAX_NAME_LENGTH} characters`;
    if (!PART.test(part)) {
      return 'each part must use only letters, digits, "-", "_" and ".", and begin and end with a letter, digit or "_"';
    }
  }
  return undefined;
}

/** Parses a repo id; undefined when it is not valid (see `modelIdProblem` for why). */
export function parseModelId(raw: string): ParsedModelId | undefined {
  if (modelIdProblem(raw) !== undefined) return undefined;
  const slash = raw.indexOf('/');
  return slash === -1
    ? { id: raw, namespace: undefined, name: raw }
    : { id: raw, namespace: raw.slice(0, slash), name: raw.slice(slash + 1) };
}

/**
 * The namespace quotas are counted on: the org of `org/name`; a model without a namespace is
 * its own namespace (the original skipped the quota for those; counting them is safer).
 */
export function quotaNamespace(modelId: string): string {
  const slash = modelId.indexOf('/');
  return slash === -1 ? modelId : modelId.slice(0, slash);
}
