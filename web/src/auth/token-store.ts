/** The signed-in token: kept in localStorage, read by the API client, observed by React. */
import { readStored, STORAGE_KEYS, writeStored } from '../lib/storage.js';

let token: string | null = readStored(STORAGE_KEYS.token);
const listeners = new Set<() => void>();

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value && value.trim() !== '' ? value.trim() : null;
  writeStored(STORAGE_KEYS.token, token);
  for (const listener of listeners) listener();
}

export function subscribeToken(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab signed in or out.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEYS.token) {
      token = event.newValue;
      listener();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
