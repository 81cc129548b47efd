/** Who is signed in, and the sign-in dialog (paste a token, or OAuth when configured). */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api/client.js';
import { useMe, useToken, useUiConfig } from '../api/hooks.js';
import type { Me } from '../api/types.js';
import { CloseIcon } from '../components/icons.js';
import { useI18n } from '../i18n/i18n.js';
import { startOAuth } from './oauth.js';
import { setToken } from './token-store.js';

interface AuthValue {
  token: string | null;
  me: Me | undefined;
  /** The stored token was refused by the server. */
  invalid: boolean;
  loading: boolean;
  openSignIn(): void;
  signOut(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const token = useToken();
  const me = useMe();
  const client = useQueryClient();
  const [dialogOpen, setDialogOpen] = useState(false);
  const invalid = me.error instanceof ApiError && me.error.status === 401;

  const signOut = useCallback(() => {
    setToken(null);
    client.removeQueries({ queryKey: ['me'] });
    void client.invalidateQueries({ queryKey: ['votes'] });
  }, [client]);

  const value = useMemo<AuthValue>(
    () => ({
      token,
      me: token ? me.data : undefined,
      invalid,
      loading: token !== null && me.isLoading,
      openSignIn: () => setDialogOpen(true),
      signOut,
    }),
    [token, me.data, me.isLoading, invalid, signOut],
  );

  return (
    <AuthContext.Provider value={value}>
      {children}
      {dialogOpen && <SignInDialog onClose={() => setDialogOpen(false)} />}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

function SignInDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const config = useUiConfig().data;
  const client = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = value.trim();
    if (candidate === '') {
      setError(t('auth.tokenRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Verify before keeping it: a typo should not sign anyone in.
      const response = await fetch('/api/auth/me', { headers: { authorization: `Bearer ${candidate}`, accept: 'application/json' } });
      const body = (await response.json().catch(() => ({}))) as Partial<Me> & { detail?: string; code?: string };
      if (!response.ok) throw new ApiError(response.status, body.detail ?? `HTTP ${response.status}`, body.code);
      setToken(candidate);
      client.setQueryData(['me', candidate], body as Me);
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.detail : (caught as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const oauth = async () => {
    if (!config) return;
    setBusy(true);
    setError(null);
    try {
      await startOAuth(config.oauth, window.location.pathname + window.location.search);
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="sign-in-title" onClose={onClose} onCancel={onClose}>
      <form onSubmit={submit} className="dialog-body">
        <div className="dialog-header">
          <h2 id="sign-in-title">{t('auth.signInTitle')}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')}>
            <CloseIcon />
          </button>
        </div>
        {config?.oauth.enabled && (
          <>
            <button type="button" className="button button-primary button-block" onClick={oauth} disabled={busy}>
              {t('auth.signInWithHf')}
            </button>
            <p className="divider-text">{t('auth.or')}</p>
          </>
        )}
        <label className="field">
          <span className="field-label">{t('auth.tokenLabel')}</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder="hf_…"
            aria-describedby="token-help"
            autoFocus
          />
          <span id="token-help" className="field-help">
            {t('auth.tokenHelp')}
          </span>
        </label>
        {error && (
          <p className="form-error server-detail" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('auth.verifying') : t('auth.signIn')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Verifies a token with the server (used by the OAuth callback). */
export function fetchMe(token: string): Promise<Me> {
  setToken(token);
  return api<Me>('/api/auth/me', { auth: true });
}
