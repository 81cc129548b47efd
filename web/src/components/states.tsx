/** Loading, empty and error states, the same everywhere. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { AlertIcon, InfoIcon } from './icons.js';

export function Loading({ label, rows = 0 }: { label?: string; rows?: number }) {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('state.loading')}</span>
      {rows > 0 && (
        <div className="skeleton-rows" aria-hidden="true">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="skeleton-row" />
          ))}
        </div>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <InfoIcon size={20} />
      <div>
        <p className="state-title">{title}</p>
        {children && <div className="state-body">{children}</div>}
      </div>
    </div>
  );
}

/** The server's `detail`, as is; a retry button when it makes sense. */
export function ErrorState({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const { t } = useI18n();
  const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="state state-error" role="alert">
      <AlertIcon size={20} />
      <div>
        <p className="state-title">{title ?? t('state.error')}</p>
        <p className="state-body server-detail">{detail}</p>
        {requestId && <p className="state-meta">{t('state.requestId', { id: requestId })}</p>}
        {onRetry && (
          <button type="button" className="button button-small" onClick={onRetry}>
            {t('state.retry')}
          </button>
        )}
      </div>
    </div>
  );
}

/** "This server does not offer X yet" for a route that does not exist. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.isMissingRoute;
}
