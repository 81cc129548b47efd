/** One model: its entries (one per precision), its scores against the leaderboard, votes, requests. */
import { useMemo, useState } from 'react';
import { modelPath, useLeaderboard, useModelStatus, useModelVotes } from '../api/hooks.js';
import { useBranding } from '../components/branding.js';
import { distributionOf, Histogram } from '../components/charts.js';
import { ExternalIcon, PinIcon } from '../components/icons.js';
import { EmptyState, ErrorState, isUnavailable, Loading } from '../components/states.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n.js';
import { TYPE_LABEL_KEY, TypeIcon } from '../components/type-icon.js';
import type { LeaderboardData, ModelRow } from '../leaderboard/model-row.js';
import { serializeViewState, DEFAULT_VIEW } from '../leaderboard/view-state.js';
import { Link } from '../lib/router.js';
import { usePageTitle } from '../lib/page-title.js';

export default function ModelPage({ name }: { name: string }) {
  const { t } = useI18n();
  usePageTitle(name);
  const query = useLeaderboard();
  if (query.isPending) return <Loading label={t('model.loading')} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const entries = query.data.byName.get(name);
  return (
    <div className="page model-page">
      {entries ? (
        <ModelDetails name={name} entries={entries} data={query.data} />
      ) : (
        <>
          <h1 className="page-title break-all">{name}</h1>
          <EmptyState title={t('model.notOnLeaderboard')}>{t('model.notOnLeaderboardBody')}</EmptyState>
        </>
      )}
      <div className="two-columns">
        <VotesCard name={name} />
        <StatusHistory name={name} />
      </div>
    </div>
  );
}

function ModelDetails({ name, entries, data }: { name: string; entries: ModelRow[]; data: LeaderboardData }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const { hubUrl } = useBranding();
  const [selectedId, setSelectedId] = useState(entries[0]!.id);
  const selected = entries.find((entry) => entry.id === selectedId) ?? entries[0]!;

  // One distribution per benchmark over the whole leaderboard, computed once per data.
  const distributions = useMemo(() => {
    const result = new Map<string, ReturnType<typeof distributionOf>>();
    result.set('average', distributionOf(data.rows.map((row) => row.average).filter((v): v is number => v !== null)));
    for (const b of data.benchmarks) {
      result.set(b.key, distributionOf(data.rows.map((row) => row.scores[b.key]?.normalized ?? null).filter((v): v is number => v !== null)));
    }
    return result;
  }, [data]);

  const pinLink = `/?${serializeViewState({ ...DEFAULT_VIEW, pinned: entries.map((e) => e.id) })}`;
  return (
    <>
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <TypeIcon type={selected.type} /> {t(TYPE_LABEL_KEY[selected.type])}
          </p>
          <h1 className="page-title break-all">{name}</h1>
          <p className="meta-line">
            {selected.architecture && <span>{selected.architecture}</span>}
            {selected.params !== null && <span>{t('model.paramsValue', { value: number(selected.params, 2) })}</span>}
            {selected.license && <span>{t('model.licenseValue', { value: selected.license })}</span>}
            {selected.hearts !== null && <span>♥ {i18n.integer(selected.hearts)}</span>}
            {selected.co2 !== null && <span>{t('model.co2Value', { value: number(selected.co2, 2) })}</span>}
          </p>
        </div>
        <div className="page-actions">
          <a className="button" href={`${hubUrl}/${modelPath(name)}`} target="_blank" rel="noopener noreferrer">
            <ExternalIcon /> {t('model.viewOnHub')}
          </a>
          <Link className="button" to={`/compare?models=${encodeURIComponent(name)}`}>
            {t('model.compare')}
          </Link>
          <Link className="button" to={pinLink}>
            <PinIcon /> {t('model.pin')}
          </Link>
        </div>
      </div>

      <section className="card" aria-labelledby="entries-title">
        <h2 id="entries-title" className="card-title">
          {t('model.entries', { count: entries.length })}
        </h2>
        <div className="table-wrap">
          <table className="simple-table">
            <thead>
              <tr>
                <th scope="col">{t('column.precision')}</th>
                <th scope="col" className="align-end">{t('column.rank')}</th>
                <th scope="col" className="align-end">{t('column.average')}</th>
                {data.benchmarks.map((b) => (
                  <th key={b.key} scope="col" className="align-end">
                    {b.name}
                  </th>
                ))}
                <th scope="col">{t('column.weightType')}</th>
                <th scope="col">{t('column.chatTemplate')}</th>
                <th scope="col">{t('model.revision')}</th>
                <th scope="col">{t('column.submissionDate')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} className={entry.id === selected.id ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link-button mono" aria-pressed={entry.id === selected.id} onClick={() => setSelectedId(entry.id)}>
                      {entry.precision || '–'}
                    </button>
                  </td>
                  <td className="align-end">{entry.rank}</td>
                  <td className="align-end strong">{number(entry.average, 2)}</td>
                  {data.benchmarks.map((b) => (
                    <td key={b.key} className="align-end">
                      {number(entry.scores[b.key]?.normalized ?? null, 2)}
                    </td>
                  ))}
                  <td>{entry.weightType || '–'}</td>
                  <td>{entry.hasChatTemplate ? t('common.yes') : t('common.no')}</td>
                  <td className="mono" title={entry.sha}>
                    {entry.sha ? entry.sha.slice(0, 8) : '–'}
                  </td>
                  <td>{i18n.date(entry.submissionDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="dist-title">
        <h2 id="dist-title" className="card-title">
          {t('model.distributionTitle', { precision: selected.precision || '–' })}
        </h2>
        <p className="card-help">{t('model.distributionHelp', { count: i18n.integer(data.rows.length) })}</p>
        <div className="chart-grid">
          <Histogram title={t('column.average')} distribution={distributions.get('average')!} value={selected.average} />
          {data.benchmarks.map((b) => (
            <Histogram key={b.key} title={b.name} distribution={distributions.get(b.key)!} value={selected.scores[b.key]?.normalized ?? null} />
          ))}
        </div>
      </section>
    </>
  );
}

function VotesCard({ name }: { name: string }) {
  const { t, integer } = useI18n();
  const votes = useModelVotes(name);
  return (
    <section className="card" aria-labelledby="votes-title">
      <h2 id="votes-title" className="card-title">
        {t('model.votesTitle')}
      </h2>
      {votes.isPending ? (
        <Loading />
      ) : votes.isError ? (
        isUnavailable(votes.error) ? (
          <EmptyState title={t('common.unavailable')} />
        ) : (
          <ErrorState error={votes.error} onRetry={() => void votes.refetch()} />
        )
      ) : (
        <dl className="stats">
          <div>
            <dt>{t('model.votesTotal')}</dt>
            <dd data-testid="votes-total">{integer(votes.data.total_votes)}</dd>
          </div>
          <div>
            <dt>{t('model.votesUp')}</dt>
            <dd>{integer(votes.data.up_votes)}</dd>
          </div>
          <div>
            <dt>{t('model.votesDown')}</dt>
            <dd>{integer(votes.data.down_votes)}</dd>
          </div>
        </dl>
      )}
      <p className="card-help">
        <Link to="/vote">{t('model.votesLink')}</Link>
      </p>
    </section>
  );
}

function StatusHistory({ name }: { name: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const status = useModelStatus(name);
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title" className="card-title">
        {t('model.statusTitle')}
      </h2>
      {status.isPending ? (
        <Loading />
      ) : status.isError ? (
        isUnavailable(status.error) ? (
          <EmptyState title={t('common.unavailable')} />
        ) : (
          <ErrorState error={status.error} onRetry={() => void status.refetch()} />
        )
      ) : !status.data || status.data.requests.length === 0 ? (
        <EmptyState title={t('model.noRequests')} />
      ) : (
        <div className="table-wrap">
          <table className="simple-table">
            <thead>
              <tr>
                <th scope="col">{t('queue.status')}</th>
                <th scope="col">{t('column.precision')}</th>
                <th scope="col">{t('queue.submitted')}</th>
                <th scope="col" className="align-end">{t('queue.position')}</th>
                <th scope="col">{t('queue.job')}</th>
              </tr>
            </thead>
            <tbody>
              {status.data.requests.map((request, i) => (
                <tr key={`${request.precision ?? ''}-${i}`}>
                  <td>
                    <StatusBadge status={request.status} />
                    {request.reason && <span className="muted small"> {request.reason}</span>}
                  </td>
                  <td className="mono">{request.precision ?? '–'}</td>
                  <td>{i18n.dateTime(request.submission_time ?? request.submitted_time)}</td>
                  <td className="align-end">{request.queue_position ?? '–'}</td>
                  <td className="mono">{request.job_id ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
