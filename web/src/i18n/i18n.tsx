/**
 * Every UI string comes from a catalogue: `catalogue-en.ts` is the reference (its keys are the
 * type), and a translation is one more file `catalogue-<lang>.ts` in this folder — it is found
 * by the glob below, loaded on demand, and offered in the language switch. The language is the
 * stored choice, else the browser's, else the configured default.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage.js';
import en from './catalogue-en.js';

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
export type MessageVars = Record<string, string | number>;

const loaders = import.meta.glob<{ default: Catalogue }>(['./catalogue-*.ts', '!./catalogue-en.ts']);

const LOADERS_BY_LANGUAGE = new Map<string, () => Promise<{ default: Catalogue }>>(
  Object.entries(loaders).map(([file, load]) => [/catalogue-(.+)\.ts$/.exec(file)![1]!, load]),
);

/** Every language the UI ships, English first. */
export const SHIPPED_LANGUAGES: readonly string[] = ['en', ...[...LOADERS_BY_LANGUAGE.keys()].sort()];

/** The language's own name: "English", "français". */
export function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    return code;
  }
}

/** The best of `offered` for the browser's languages (exact tag, then base language). */
export function pickLanguage(offered: readonly string[], preferred: readonly string[], fallback: string): string {
  for (const wanted of preferred) {
    const tag = wanted.toLowerCase();
    const exact = offered.find((code) => code.toLowerCase() === tag);
    if (exact) return exact;
    const base = offered.find((code) => code.toLowerCase() === tag.split('-')[0]);
    if (base) return base;
  }
  return offered.includes(fallback) ? fallback : (offered[0] ?? 'en');
}

interface I18nValue {
  language: string;
  languages: readonly string[];
  setLanguage(code: string): void;
  t(key: MessageKey, vars?: MessageVars): string;
  number(value: number | null | undefined, digits?: number): string;
  integer(value: number | null | undefined): string;
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
}

const I18nContext = createContext<I18nValue | null>(null);

function interpolate(template: string, vars?: MessageVars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function I18nProvider({ children, configured, defaultLanguage }: { children: ReactNode; configured: readonly string[]; defaultLanguage: string }) {
  const languages = useMemo(() => {
    const allowed = configured.length > 0 ? SHIPPED_LANGUAGES.filter((code) => configured.includes(code)) : SHIPPED_LANGUAGES;
    return allowed.length > 0 ? allowed : ['en'];
  }, [configured]);
  const [chosen, setChosen] = useState<string | null>(() => readStored(STORAGE_KEYS.language));
  const language = chosen && languages.includes(chosen) ? chosen : pickLanguage(languages, navigator.languages ?? [navigator.language], defaultLanguage);
  const [catalogues, setCatalogues] = useState<Record<string, Catalogue>>({ en });

  useEffect(() => {
    if (catalogues[language]) return;
    const load = LOADERS_BY_LANGUAGE.get(language);
    if (!load) return;
    let cancelled = false;
    load().then(
      (module) => {
        if (!cancelled) setCatalogues((current) => ({ ...current, [language]: module.default }));
      },
      () => {
        // The chunk failed to load: English stays.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [language, catalogues]);

  const catalogue = catalogues[language];
  // Until a catalogue is loaded, show English rather than a half-translated page.
  const active = catalogue ? language : 'en';

  useEffect(() => {
    document.documentElement.lang = active;
  }, [active]);

  const setLanguage = useCallback((code: string) => {
    writeStored(STORAGE_KEYS.language, code);
    setChosen(code);
  }, []);

  const value = useMemo<I18nValue>(() => {
    const messages = catalogue ?? en;
    const numberFormats = new Map<number, Intl.NumberFormat>();
    const numberFormat = (digits: number) => {
      let format = numberFormats.get(digits);
      if (!format) {
        format = new Intl.NumberFormat(active, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        numberFormats.set(digits, format);
      }
      return format;
    };
    const integerFormat = new Intl.NumberFormat(active, { maximumFractionDigits: 0 });
    const dateFormat = new Intl.DateTimeFormat(active, { dateStyle: 'medium', timeZone: 'UTC' });
    const dateTimeFormat = new Intl.DateTimeFormat(active, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      language: active,
      languages,
      setLanguage,
      t: (key, vars) => interpolate(messages[key] ?? en[key] ?? key, vars),
      number: (value, digits = 2) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : numberFormat(digits).format(value)),
      integer: (value) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : integerFormat.format(value)),
      date: (value) => {
        const date = parseDate(value);
        return date ? dateFormat.format(date) : '–';
      },
      dateTime: (value) => {
        const date = parseDate(value);
        return date ? dateTimeFormat.format(date) : '–';
      },
    };
  }, [catalogue, active, languages, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
