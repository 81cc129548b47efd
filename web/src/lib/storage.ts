/** localStorage that never throws (private modes, disabled storage). */
export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
}

export const STORAGE_KEYS = {
  token: 'leaderboard.token',
  theme: 'leaderboard.theme',
  language: 'leaderboard.language',
  oauthFlow: 'leaderboard.oauth-flow',
} as const;
