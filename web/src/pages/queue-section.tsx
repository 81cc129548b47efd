/** The evaluation queue: pending, running, finished and failed requests, with wait times and votes. */
import { useState } from 'react';
import { modelPath, useQueue } from '../api/hooks.js';
import type { QueueItem, QueueStatus } from '../api/types.js';
import { EmptyState, ErrorState, isUnavailable, Loading } from '../components/states.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../lib/router.js';
import { TypeLabel } from '../components/type-icon.js';

const TABS = [
  { key: 'pending', label: 'queue.pending' },
  { key: 'evaluating', label: 'queue.running' },
  { key: 'finished', label: 'queue.finished' },
  { key: 'failed', label: 'queue.failed' },
] as const;

const PAGE = 50;

/** The wait of a request: seconds (`3600`, `"3600.5s"`) formatted here, else the server's text. */
export function useWaitTime() {
  const { t } = useI18n();
  return (item: Pick<QueueItem, 'wait_time' | 'wait_time_human'>): string => {
    const value = item.wait_time;
    const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?s?$/.test(value.trim()) ? Number.parseFloat(value) : null;
    if (seconds === null || !Number.isFinite(seconds)) return item.wait_time_human || (typeof value === 'string' && value !== '' ? value : '–');
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return t('time.minutes', { n: minutes });
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return t('time.hours', { n: hours, m: minutes % 60 });
    return t('time.days', { n: Math.floor(hours / 24), h: hours % 24 });
  };
}

export function QueueSection() {
  const i18n = useI18n();
  const { t } = i18n;
  const queue = useQueue();
  const [tab, setTab] = useState<keyof QueueStatus>('pending');
  const [limit, setLimit] = useState(PAGE);
  const waitTime = useWaitTime();

  return (
    <section className="card" aria-labelledby="queue-title">
      <h2 id="queue-title" className="card-title">
        {t('queue.title')}
      </h2>
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        isUnavailable(queue.error) ? (
          <EmptyState title={t('common.unavailable')} />
        ) : (
          <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
        )
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label={t('queue.title')}>
            {TABS.map((item) => (
              <button
                key={item.key}
                type="button"
                role="tab"
                id={`queue-tab-${item.key}`}
                aria-selected={tab === item.key}
                aria-controls="queue-panel"
                tabIndex={tab === item.key ? 0 : -1}
                onClick={() => {
                  setTab(item.key);
                  setLimit(PAGE);
                }}
                onKeyDown={(event) => {
                  const index = TABS.findIndex((x) => x.key === tab);
                  const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
                  if (next === null) return;
                  const target = TABS[(next + TABS.length) % TABS.length]!;
                  setTab(target.key);
                  document.getElementById(`queue-tab-${target.key}`)?.focus();
                }}
              >
                {t(item.label)} <span className="chip-count">{i18n.integer(queue.data[item.key]?.length ?? 0)}</span>
              </button>
            ))}
          </div>
          <div id="queue-panel" role="tabpanel" aria-labelledby={`queue-tab-${tab}`}>
            {(queue.data[tab] ?? []).length === 0 ? (
              <EmptyState title={t('queue.empty')} />
            ) : (
              <>
                <div className="table-wrap">
                  <table className="simple-table" data-testid={`queue-${tab}`}>
                    <thead>
                      <tr>
                        <th scope="col">{t('column.model')}</th>
                        <th scope="col">{t('column.precision')}</th>
                        <th scope="col">{t('column.type')}</th>
                        <th scope="col">{t('queue.submitter')}</th>
                        <th scope="col">{t('queue.submitted')}</th>
                        <th scope="col">{t('queue.wait')}</th>
                        <th scope="col" className="align-end">{t('queue.votes')}</th>
                        {tab === 'failed' && <th scope="col">{t('queue.reason')}</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {(queue.data[tab] ?? []).slice(0, limit).map((item, i) => (
                        <tr key={`${item.name}-${item.precision ?? ''}-${item.revision ?? ''}-${i}`}>
                          <td className="break-all">
                            <Link to={`/models/${modelPath(item.name)}`}>{item.name}</Link>
                          </td>
                          <td className="mono">{item.precision ?? '–'}</td>
                          <td>
                            <TypeLabel value={item.model_type} />
                          </td>
                          <td>{item.submitter ?? '–'}</td>
                          <td>{i18n.dateTime(item.submission_time)}</td>
                          <td>{waitTime(item)}</td>
                          <td className="align-end">{i18n.integer(item.votes ?? 0)}</td>
                          {tab === 'failed' && <td className="small">{item.reason ?? '–'}</td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {(queue.data[tab]?.length ?? 0) > limit && (
                  <button type="button" className="button button-small" onClick={() => setLimit((l) => l + PAGE * 4)}>
                    {t('queue.showMore', { count: i18n.integer((queue.data[tab]?.length ?? 0) - limit) })}
                  </button>
                )}
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
