/**
 * Light and dark themes: the system's by default (CSS `prefers-color-scheme`), or the one the
 * user picked (stored). `data-theme` on <html> carries the effective theme.
 */
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage.js';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

function subscribeSystem(listener: () => void): () => void {
  const media = query();
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
}

function storedPreference(): ThemePreference {
  const stored = readStored(STORAGE_KEYS.theme);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** Applied before the first render (main.tsx) so that a stored theme does not flash. */
export function applyStoredTheme(): void {
  const preference = storedPreference();
  const theme = preference === 'system' ? (query().matches ? 'dark' : 'light') : preference;
  document.documentElement.dataset.theme = theme;
}

interface ThemeValue {
  preference: ThemePreference;
  theme: Theme;
  setPreference(preference: ThemePreference): void;
}

const ThemeContext = createContext<ThemeValue | null>(null);

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [preference, setPreferenceState] = useState<ThemePreference>(storedPreference);
  const systemDark = useSyncExternalStore(subscribeSystem, () => query().matches);
  const theme: Theme = preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const value = useMemo<ThemeValue>(
    () => ({
      preference,
      theme,
      setPreference: (next) => {
        writeStored(STORAGE_KEYS.theme, next === 'system' ? null : next);
        setPreferenceState(next);
      },
    }),
    [preference, theme],
  );
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeValue {
  const value = useContext(ThemeContext);
  if (!value) throw new Error('useTheme outside ThemeProvider');
  return value;
}
