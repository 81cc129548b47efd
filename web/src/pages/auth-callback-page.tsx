/** Where the OAuth provider sends the browser back: exchange the code, keep the token, go back. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.js';
import { finishOAuth } from '../auth/oauth.js';
import { setToken } from '../auth/token-store.js';
import { ErrorState, Loading } from '../components/states.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../lib/router.js';
import { usePageTitle } from '../lib/page-title.js';

export default function AuthCallbackPage() {
  const { t } = useI18n();
  usePageTitle(t('auth.signingIn'));
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);

  useEffect(() => {
    // Exactly once, even under StrictMode's double effects: a code is single-use.
    if (started.current) return;
    started.current = true;
    finishOAuth(new URLSearchParams(window.location.search)).then(
      ({ token, returnTo }) => {
        setToken(token);
        void client.invalidateQueries({ queryKey: ['me'] });
        navigate(returnTo, { replace: true });
      },
      (caught: unknown) => setError(caught instanceof ApiError ? caught : caught instanceof Error ? caught : new Error(String(caught))),
    );
  }, [client]);

  if (error) {
    return (
      <div className="page">
        <h1 className="page-title">{t('auth.callbackFailed')}</h1>
        <ErrorState error={error} />
        <Link to="/" className="button">
          {t('notFound.back')}
        </Link>
      </div>
    );
  }
  return <Loading label={t('auth.signingIn')} />;
}
