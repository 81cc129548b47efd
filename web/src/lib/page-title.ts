import { useEffect } from 'react';
import { useBranding } from '../components/branding.js';

/** `Page · Leaderboard title` in the tab. */
export function usePageTitle(title: string | undefined): void {
  const { title: site } = useBranding();
  useEffect(() => {
    document.title = title ? `${title} · ${site}` : site;
  }, [title, site]);
}
