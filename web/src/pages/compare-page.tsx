/** Two to four models side by side, per benchmark, with a chart; the selection is in the URL. */
import { useMemo } from 'react';
import { modelPath, useLeaderboard } from '../api/hooks.js';
import { GroupedBars, SERIES_COLORS } from '../components/charts.js';
import { CloseIcon } from '../components/icons.js';
import { ModelPicker } from '../components/model-picker.js';
import { EmptyState, ErrorState, Loading } from '../components/states.js';
import { useI18n } from '../i18n/i18n.js';
import { TYPE_LABEL_KEY, TypeIcon } from '../components/type-icon.js';
import type { ModelRow } from '../leaderboard/model-row.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { usePageTitle } from '../lib/page-title.js';

export const MAX_COMPARE = 4;

function parseModels(params: URLSearchParams): string[] {
  const raw = params.get('models') ?? '';
  return [...new Set(raw.split(',').map((name) => name.trim()).filter(Boolean))].slice(0, MAX_COMPARE);
}

function setModels(models: string[]): void {
  const query = models.length ? `?models=${models.map((m) => encodeURIComponent(m).replace(/%2F/g, '/')).join(',')}` : '';
  navigate(`/compare${query}`, { replace: true });
}

export default function ComparePage() {
  const i18n = useI18n();
  const { t, number } = i18n;
  usePageTitle(t('compare.title'));
  const { params } = useLocation();
  const selected = useMemo(() => parseModels(params), [params]);
  const query = useLeaderboard();
  const names = useMemo(() => (query.data ? [...query.data.byName.keys()] : []), [query.data]);

  if (query.isPending) return <Loading label={t('leaderboard.loading')} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data;
  // Each model's best entry (its best-ranked precision).
  const models = selected.map((name) => ({ name, row: data.byName.get(name)?.[0] }));
  const found = models.filter((m): m is { name: string; row: ModelRow } => m.row !== undefined);
  const missing = models.filter((m) => m.row === undefined).map((m) => m.name);

  const metrics: { key: string; label: string; value: (row: ModelRow) => number | null }[] = [
    { key: 'average', label: t('column.average'), value: (row) => row.average },
    ...data.benchmarks.map((b) => ({ key: b.key, label: b.name, value: (row: ModelRow) => row.scores[b.key]?.normalized ?? null })),
  ];

  return (
    <div className="page compare-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('compare.title')}</h1>
          <p className="page-lead">{t('compare.lead', { max: MAX_COMPARE })}</p>
        </div>
      </div>
      <section className="card">
        <div className="selected-models" aria-label={t('compare.selected')}>
          {models.map((m, i) => (
            <span key={m.name} className="model-token" style={{ '--series': SERIES_COLORS[i] } as React.CSSProperties}>
              <span className="series-dot" aria-hidden="true" />
              <span className="break-all">{m.name}</span>
              <button type="button" className="icon-button small" aria-label={t('compare.remove', { name: m.name })} onClick={() => setModels(selected.filter((s) => s !== m.name))}>
                <CloseIcon size={14} />
              </button>
            </span>
          ))}
        </div>
        {selected.length < MAX_COMPARE ? (
          <ModelPicker names={names} exclude={selected} onPick={(name) => setModels([...selected, name])} label={t('compare.add')} />
        ) : (
          <p className="card-help">{t('compare.full', { max: MAX_COMPARE })}</p>
        )}
        {missing.length > 0 && (
          <p className="form-error" role="alert">
            {t('compare.missing', { names: missing.join(', ') })}
          </p>
        )}
      </section>

      {found.length < 2 ? (
        <EmptyState title={t('compare.needTwo')}>{t('compare.needTwoBody')}</EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="compare-table-title">
            <h2 id="compare-table-title" className="card-title">
              {t('compare.scores')}
            </h2>
            <div className="table-wrap">
              <table className="simple-table compare-table" data-testid="compare-table">
                <thead>
                  <tr>
                    <th scope="col">{t('compare.benchmark')}</th>
                    {found.map((m, i) => (
                      <th key={m.name} scope="col" className="align-end">
                        <span className="series-dot" style={{ background: SERIES_COLORS[i] }} aria-hidden="true" />{' '}
                        <Link to={`/models/${modelPath(m.name)}`} className="break-all">
                          {m.name}
                        </Link>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {metrics.map((metric) => {
                    const values = found.map((m) => metric.value(m.row));
                    const best = Math.max(...values.filter((v): v is number => v !== null));
                    return (
                      <tr key={metric.key}>
                        <th scope="row">{metric.label}</th>
                        {values.map((value, i) => (
                          <td key={found[i]!.name} className={value !== null && value === best ? 'align-end best' : 'align-end'}>
                            {number(value, 2)}
                          </td>
                        ))}
                      </tr>
                    );
                  })}
                  <tr>
                    <th scope="row">{t('column.rank')}</th>
                    {found.map((m) => (
                      <td key={m.name} className="align-end">
                        {m.row.rank}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t('column.type')}</th>
                    {found.map((m) => (
                      <td key={m.name} className="align-end">
                        <TypeIcon type={m.row.type} /> {t(TYPE_LABEL_KEY[m.row.type])}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t('column.params')}</th>
                    {found.map((m) => (
                      <td key={m.name} className="align-end">
                        {number(m.row.params, 2)}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t('column.precision')}</th>
                    {found.map((m) => (
                      <td key={m.name} className="align-end mono">
                        {m.row.precision}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t('column.license')}</th>
                    {found.map((m) => (
                      <td key={m.name} className="align-end">
                        {m.row.license || '–'}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          </section>
          <section className="card" aria-labelledby="compare-chart-title">
            <h2 id="compare-chart-title" className="card-title">
              {t('compare.chart')}
            </h2>
            <div className="legend">
              {found.map((m, i) => (
                <span key={m.name} className="legend-item">
                  <span className="series-dot" style={{ background: SERIES_COLORS[i] }} aria-hidden="true" />
                  {m.name}
                </span>
              ))}
            </div>
            <GroupedBars
              label={t('compare.chartLabel', { models: found.map((m) => m.name).join(', ') })}
              categories={metrics.map((m) => m.label)}
              series={found.map((m) => ({ label: m.name, values: metrics.map((metric) => metric.value(m.row)) }))}
            />
          </section>
        </>
      )}
    </div>
  );
}
