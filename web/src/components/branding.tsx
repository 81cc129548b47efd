/** The operator's branding (UI_CONFIG_FILE), in the current language when translated. */
import { useMemo } from 'react';
import { DEFAULT_UI_CONFIG, useUiConfig } from '../api/hooks.js';
import type { UiLink } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

export interface Branding {
  title: string;
  subtitle: string;
  logoUrl: string | null;
  links: UiLink[];
  aboutMarkdown: string;
  hubUrl: string;
}

export function useBranding(): Branding {
  const { data } = useUiConfig();
  const { language } = useI18n();
  return useMemo(() => {
    const config = data ?? DEFAULT_UI_CONFIG;
    const translated = config.translations?.[language] ?? config.translations?.[language.split('-')[0] ?? ''] ?? {};
    return {
      title: translated.title ?? config.title,
      subtitle: translated.subtitle ?? config.subtitle,
      logoUrl: config.logo_url,
      links: translated.links ?? config.links,
      aboutMarkdown: translated.about_markdown ?? config.about_markdown,
      hubUrl: (config.hub_url ?? 'https://huggingface.co').replace(/\/+$/, ''),
    };
  }, [data, language]);
}
