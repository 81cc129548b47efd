/**
 * The branding of the web UI as configuration (UI_CONFIG_FILE, JSON or YAML): title, subtitle,
 * logo, links, the about page (Markdown) and the languages offered. Operators of the original
 * forked the frontend to change these; here they are a file. Every field has a default.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { readJsonOrYaml } from '../../config.js';

const LANGUAGE = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', description: 'A BCP 47 language tag, e.g. en or pt-BR' });
/** Absolute http(s) URL, site-relative path (`/logo.svg`) or data: URI. */
const URL_OR_PATH = Type.String({ pattern: '^(https?://|/|data:image/)', maxLength: 100_000 });

export const UiLink = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 80 }),
    url: Type.String({ pattern: '^(https?://|/|mailto:)', maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/** Texts an operator may translate per language; missing ones fall back to the top-level value. */
export const UiTranslation = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    subtitle: Type.Optional(Type.String({ maxLength: 300 })),
    about_markdown: Type.Optional(Type.String({ maxLength: 200_000 })),
    links: Type.Optional(Type.Array(UiLink, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

/** The file's shape. `about_file` is read relative to the config file. */
export const UiConfigFile = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    subtitle: Type.Optional(Type.String({ maxLength: 300 })),
    logo_url: Type.Optional(Type.Union([URL_OR_PATH, Type.Null()])),
    links: Type.Optional(Type.Array(UiLink, { maxItems: 20 })),
    about_markdown: Type.Optional(Type.String({ maxLength: 200_000 })),
    about_file: Type.Optional(Type.String({ minLength: 1 })),
    default_language: Type.Optional(LANGUAGE),
    languages: Type.Optional(Type.Array(LANGUAGE, { minItems: 1, maxItems: 50 })),
    translations: Type.Optional(Type.Record(Type.String(), UiTranslation)),
  },
  { additionalProperties: false },
);
export type UiConfigFile = Static<typeof UiConfigFile>;

/** The branding served under `/api/config/ui` (with the benchmarks and OAuth added by the route). */
export interface UiBranding {
  title: string;
  subtitle: string;
  logo_url: string | null;
  links: { label: string; url: string }[];
  about_markdown: string;
  default_language: string;
  /** Languages offered in the switch; empty means every catalogue the UI ships. */
  languages: string[];
  translations: Record<string, Static<typeof UiTranslation>>;
}

export const DEFAULT_ABOUT_MARKDOWN = `## About this leaderboard

This leaderboard compares open large language models on the same benchmarks, evaluated the same way.

- **Scores** are normalized so that random guessing scores 0 and a perfect score is 100; the average is the mean of the normalized scores.
- **Submit** a model from the Hub on the *Submit* page; pending models are evaluated in order of the community's votes.
- The data and the API are open: see [the API documentation](/docs).
`;

export const DEFAULT_UI_BRANDING: Readonly<UiBranding> = Object.freeze({
  title: 'Open LLM Leaderboard',
  subtitle: 'Compare open large language models on the same benchmarks, evaluated the same way.',
  logo_url: null,
  links: [{ label: 'API', url: '/docs' }],
  about_markdown: DEFAULT_ABOUT_MARKDOWN,
  default_language: 'en',
  languages: [],
  translations: {},
});

export class UiConfigError extends Error {
  constructor(file: string, reason: string) {
    super(`Invalid UI_CONFIG_FILE ${file}: ${reason}`);
    this.name = 'UiConfigError';
  }
}

const checkUiConfigFile = Compile(UiConfigFile);

/** Validates parsed file content into the branding (defaults filled in); throws UiConfigError. */
export function validateUiConfig(parsed: unknown, origin = 'ui config', baseDir = process.cwd()): UiBranding {
  const value = parsed ?? {};
  if (!checkUiConfigFile.Check(value)) {
    const first = [...checkUiConfigFile.Errors(value)][0];
    throw new UiConfigError(origin, first ? `${first.instancePath || '/'} ${first.message}` : 'does not match the schema');
  }
  const file = value as UiConfigFile;
  if (file.about_markdown !== undefined && file.about_file !== undefined) {
    throw new UiConfigError(origin, 'give either about_markdown or about_file, not both');
  }
  let about = file.about_markdown ?? DEFAULT_UI_BRANDING.about_markdown;
  if (file.about_file !== undefined) {
    try {
      about = readFileSync(path.resolve(baseDir, file.about_file), 'utf8');
    } catch (error) {
      throw new UiConfigError(origin, `about_file: ${(error as Error).message}`);
    }
  }
  const languages = file.languages ?? [];
  const defaultLanguage = file.default_language ?? languages[0] ?? DEFAULT_UI_BRANDING.default_language;
  if (languages.length > 0 && !languages.includes(defaultLanguage)) {
    throw new UiConfigError(origin, `default_language "${defaultLanguage}" is not in languages (${languages.join(', ')})`);
  }
  return {
    title: file.title ?? DEFAULT_UI_BRANDING.title,
    subtitle: file.subtitle ?? DEFAULT_UI_BRANDING.subtitle,
    logo_url: file.logo_url ?? null,
    links: file.links ?? DEFAULT_UI_BRANDING.links.map((link) => ({ ...link })),
    about_markdown: about,
    default_language: defaultLanguage,
    languages,
    translations: file.translations ?? {},
  };
}

/** Reads UI_CONFIG_FILE (JSON, or YAML by extension); the defaults when `file` is undefined. */
export function loadUiConfig(file: string | undefined): UiBranding {
  if (file === undefined) return validateUiConfig({});
  let parsed: unknown;
  try {
    parsed = readJsonOrYaml(file);
  } catch (error) {
    throw new UiConfigError(file, (error as Error).message);
  }
  return validateUiConfig(parsed, file, path.dirname(file));
}
