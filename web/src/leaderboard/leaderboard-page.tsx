/**
 * The leaderboard: the full list is fetched once (cached, ETag'd) and filtered, searched and
 * sorted here, from memoized derived data, with the view state in the URL.
 */
import { getCoreRowModel, getSortedRowModel, useReactTable, type SortingState, type VisibilityState } from '@tanstack/react-table';
import { useCallback, useDeferredValue, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { MODEL_TYPES } from '../api/types.js';
import { useLeaderboard } from '../api/hooks.js';
import { useBranding } from '../components/branding.js';
import { ColumnsIcon, DownloadIcon, FilterIcon, ResetIcon, SearchIcon } from '../components/icons.js';
import { Popover } from '../components/popover.js';
import { EmptyState, ErrorState, Loading } from '../components/states.js';
import { useI18n } from '../i18n/i18n.js';
import { navigate, useLocation } from '../lib/router.js';
import { usePageTitle } from '../lib/page-title.js';
import { buildColumns, defaultColumnIds, type ColumnGroup } from './columns.js';
import { TYPE_LABEL_KEY, TypeIcon } from '../components/type-icon.js';
import { toCsv } from './csv.js';
import { LeaderboardTable } from './leaderboard-table.js';
import type { LeaderboardData, ModelRow } from './model-row.js';
import { RangeSlider } from './range-slider.js';
import { compileSearch, type SearchError } from './search.js';
import {
  DEFAULT_VIEW,
  hasActiveFilters,
  HIDE_FLAGS,
  isDefaultParams,
  makeRowFilter,
  PARAMS_MAX,
  parseViewState,
  serializeViewState,
  SIZE_PRESETS,
  type HideFlag,
  type ViewState,
} from './view-state.js';

/** Applies a change to the view in the URL (replace: a view is not a page visit). */
function updateView(patch: Partial<ViewState>): void {
  const current = parseViewState(window.location.search);
  const query = serializeViewState({ ...current, ...patch });
  navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, { replace: true });
}

const HIDE_LABEL_KEYS = {
  is_merged: 'filters.hideMerged',
  is_moe: 'filters.hideMoe',
  is_flagged: 'filters.hideFlagged',
  is_not_available_on_hub: 'filters.hideUnavailable',
} as const;

const PRESET_LABEL_KEYS = {
  edge: 'presets.edge',
  small: 'presets.small',
  medium: 'presets.medium',
  large: 'presets.large',
} as const;

const GROUP_LABEL_KEYS: Record<ColumnGroup, 'columns.groupModel' | 'columns.groupScores' | 'columns.groupDetails' | 'columns.groupFlags'> = {
  model: 'columns.groupModel',
  scores: 'columns.groupScores',
  details: 'columns.groupDetails',
  flags: 'columns.groupFlags',
};

function searchErrorText(error: SearchError, t: ReturnType<typeof useI18n>['t']): string {
  if (error.kind === 'regex') return t('search.invalidRegex', { message: error.message });
  if (error.kind === 'field') return t('search.unknownField', { field: error.field });
  return t('search.invalidNumber', { field: error.field });
}

function downloadCsv(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const NARROW = '(max-width: 640px)';
const subscribeNarrow = (listener: () => void) => {
  const media = window.matchMedia(NARROW);
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
};

export function LeaderboardPage() {
  const { t } = useI18n();
  usePageTitle(undefined);
  const query = useLeaderboard();
  if (query.isPending) {
    return (
      <div className="leaderboard-page">
        <Loading label={t('leaderboard.loading')} rows={12} />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="leaderboard-page">
        <ErrorState error={query.error} title={t('leaderboard.loadError')} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  if (query.data.rows.length === 0) {
    return (
      <div className="leaderboard-page">
        <EmptyState title={t('leaderboard.emptyTitle')}>{t('leaderboard.emptyBody')}</EmptyState>
      </div>
    );
  }
  return <LeaderboardView data={query.data} />;
}

function LeaderboardView({ data }: { data: LeaderboardData }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { hubUrl } = useBranding();
  const location = useLocation();
  const view = useMemo(() => parseViewState(location.search), [location.search]);

  // The search box is typed into directly; the filtering follows a moment later if busy.
  const [searchText, setSearchText] = useState(view.search);
  useEffect(() => {
    setSearchText((current) => (current === view.search ? current : view.search));
  }, [view.search]);
  const deferredSearch = useDeferredValue(view.search);
  const compiled = useMemo(() => compileSearch(deferredSearch), [deferredSearch]);

  const filterKey = serializeViewState({ ...view, search: '', pinned: [], columns: null, sort: null, scoreDisplay: 'normalized' });
  const rowFilter = useMemo(() => makeRowFilter(view, compiled.predicate), [filterKey, compiled]);
  const filtered = useMemo(() => data.rows.filter(rowFilter), [data.rows, rowFilter]);

  const pinnedKey = view.pinned.join(',');
  const pinnedSet = useMemo(() => new Set(view.pinned.filter((id) => data.byId.has(id))), [pinnedKey, data.byId]);
  // Pinned models stay in the table (on top) whatever the filters say.
  const tableData = useMemo(() => {
    if (pinnedSet.size === 0) return filtered;
    const extra: ModelRow[] = [];
    const inFiltered = new Set<string>();
    for (const row of filtered) if (pinnedSet.has(row.id)) inFiltered.add(row.id);
    for (const id of pinnedSet) if (!inFiltered.has(id)) extra.push(data.byId.get(id)!);
    return extra.length ? [...extra, ...filtered] : filtered;
  }, [filtered, pinnedSet, data.byId]);

  const togglePin = useCallback((id: string) => {
    const current = parseViewState(window.location.search).pinned;
    updateView({ pinned: current.includes(id) ? current.filter((p) => p !== id) : [...current, id] });
  }, []);

  const compact = useSyncExternalStore(subscribeNarrow, () => window.matchMedia(NARROW).matches);
  const columns = useMemo(
    () => buildColumns({ i18n, benchmarks: data.benchmarks, display: view.scoreDisplay, pinned: pinnedSet, togglePin, hubUrl, compact }),
    [i18n, data.benchmarks, view.scoreDisplay, pinnedSet, togglePin, hubUrl, compact],
  );
  const defaults = useMemo(() => defaultColumnIds(data.benchmarks), [data.benchmarks]);
  const visibleIds = view.columns ?? defaults;
  const columnVisibility = useMemo<VisibilityState>(() => {
    const visible = new Set(visibleIds);
    const state: VisibilityState = {};
    for (const column of columns) {
      if (column.id && !column.meta?.fixed) state[column.id] = visible.has(column.id);
    }
    return state;
  }, [columns, visibleIds.join(',')]);

  // Rows are memoized: this changes whenever what a row renders changes.
  const renderKey = useMemo(() => ({ columns, columnVisibility }), [columns, columnVisibility]);

  const sorting = useMemo<SortingState>(() => (view.sort ? [view.sort] : []), [view.sort?.id, view.sort?.desc]);
  const table = useReactTable({
    data: tableData,
    columns,
    state: { sorting, columnVisibility },
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      updateView({ sort: first ? { id: first.id, desc: first.desc } : null });
    },
    enableSortingRemoval: true,
    enableMultiSort: false,
  });
  const sortedRows = table.getRowModel().rows;
  const rows = useMemo(() => {
    if (pinnedSet.size === 0) return sortedRows;
    return [...sortedRows.filter((row) => pinnedSet.has(row.id)), ...sortedRows.filter((row) => !pinnedSet.has(row.id))];
  }, [sortedRows, pinnedSet]);

  const shown = rows.length;
  const activeFilterCount =
    (view.types.length > 0 ? 1 : 0) + (view.precisions.length > 0 ? 1 : 0) + (isDefaultParams(view.params) ? 0 : 1) + view.hide.length + (view.official ? 1 : 0);
  const [panelOpen, setPanelOpen] = useState(() => hasActiveFilters(view) && (view.types.length > 0 || view.precisions.length > 0 || view.hide.length > 0));

  const typeCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const row of data.rows) counts.set(row.type, (counts.get(row.type) ?? 0) + 1);
    return counts;
  }, [data.rows]);
  const precisionCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const row of data.rows) counts.set(row.precision, (counts.get(row.precision) ?? 0) + 1);
    return counts;
  }, [data.rows]);

  const exportCsv = () => {
    const visible = table.getVisibleLeafColumns().filter((column) => column.columnDef.meta?.csv);
    const header = visible.map((column) => column.columnDef.meta!.label);
    const body = rows.map((row) => visible.map((column) => column.columnDef.meta!.csv!(row.original)));
    downloadCsv(`leaderboard-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(header, body));
  };

  const toggleIn = <T,>(list: readonly T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const chooserColumns = table.getAllLeafColumns().filter((column) => !column.columnDef.meta?.fixed);
  const setColumns = (ids: string[]) => {
    const same = ids.length === defaults.length && ids.every((id, i) => id === defaults[i]);
    updateView({ columns: same ? null : ids });
  };
  const toggleColumn = (id: string) => {
    const next = new Set(visibleIds);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    // Keep the table's column order in the URL.
    setColumns(chooserColumns.map((column) => column.id).filter((cid) => next.has(cid)));
  };

  return (
    <div className="leaderboard-page">
      <h1 className="visually-hidden">{t('leaderboard.heading')}</h1>
      <div className="toolbar" role="search">
        <div className="search-box">
          <SearchIcon size={16} className="search-icon" />
          <label htmlFor="lb-search" className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            id="lb-search"
            type="search"
            value={searchText}
            placeholder={t('search.placeholder')}
            aria-describedby="lb-search-help"
            aria-invalid={compiled.error ? true : undefined}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setSearchText(event.target.value);
              updateView({ search: event.target.value });
            }}
            data-testid="search-input"
          />
        </div>
        <div className="segmented" role="group" aria-label={t('display.label')}>
          {(['normalized', 'raw'] as const).map((mode) => (
            <button key={mode} type="button" aria-pressed={view.scoreDisplay === mode} onClick={() => updateView({ scoreDisplay: mode })}>
              {t(mode === 'raw' ? 'display.raw' : 'display.normalized')}
            </button>
          ))}
        </div>
        <button
          type="button"
          className={activeFilterCount > 0 ? 'button button-active' : 'button'}
          aria-expanded={panelOpen}
          aria-controls="filter-panel"
          onClick={() => setPanelOpen((open) => !open)}
          data-testid="filters-toggle"
        >
          <FilterIcon />
          <span>{t('filters.button')}</span>
          {activeFilterCount > 0 && <span className="count-badge">{activeFilterCount}</span>}
        </button>
        <Popover label={t('columns.button')} buttonContent={<><ColumnsIcon /><span>{t('columns.button')}</span></>} testId="columns-button">
          <div className="column-chooser">
            {(['model', 'scores', 'details', 'flags'] as const).map((group) => {
              const inGroup = chooserColumns.filter((column) => column.columnDef.meta?.group === group);
              if (inGroup.length === 0) return null;
              return (
                <fieldset key={group}>
                  <legend>{t(GROUP_LABEL_KEYS[group])}</legend>
                  {inGroup.map((column) => (
                    <label key={column.id} className="check">
                      <input type="checkbox" checked={column.getIsVisible()} onChange={() => toggleColumn(column.id)} />
                      <span>{column.columnDef.meta?.label}</span>
                    </label>
                  ))}
                </fieldset>
              );
            })}
            <div className="chooser-actions">
              <button type="button" className="button button-small" onClick={() => updateView({ columns: null })}>
                {t('columns.reset')}
              </button>
            </div>
          </div>
        </Popover>
        <button type="button" className="button" onClick={exportCsv} data-testid="csv-button">
          <DownloadIcon />
          <span>{t('csv.button')}</span>
        </button>
      </div>
      <p id="lb-search-help" className={compiled.error ? 'search-help search-error' : 'search-help'} role={compiled.error ? 'alert' : undefined}>
        {compiled.error ? searchErrorText(compiled.error, t) : t('search.help')}
      </p>

      <div className="quick-bar">
        <div className="chips" role="group" aria-label={t('presets.label')}>
          {SIZE_PRESETS.map((preset) => {
            const active = view.params[0] === preset.range[0] && view.params[1] === preset.range[1];
            return (
              <button
                key={preset.id}
                type="button"
                className="chip"
                aria-pressed={active}
                onClick={() => updateView({ params: active ? [...DEFAULT_VIEW.params] : [...preset.range] })}
                data-testid={`preset-${preset.id}`}
              >
                {t(PRESET_LABEL_KEYS[preset.id])}
              </button>
            );
          })}
          <button type="button" className="chip" aria-pressed={view.official} onClick={() => updateView({ official: !view.official })} data-testid="official-toggle">
            {t('filters.officialOnly')}
          </button>
        </div>
        <p className="result-count" aria-live="polite" data-testid="result-count">
          {t('leaderboard.count', { shown: i18n.integer(shown), total: i18n.integer(data.rows.length) })}
          {pinnedSet.size > 0 && <span className="muted"> · {t('leaderboard.pinnedCount', { count: pinnedSet.size })}</span>}
          {(activeFilterCount > 0 || view.search !== '') && (
            <button
              type="button"
              className="link-button"
              onClick={() => updateView({ search: '', types: [], precisions: [], params: [...DEFAULT_VIEW.params], hide: [], official: false })}
            >
              <ResetIcon size={13} /> {t('filters.reset')}
            </button>
          )}
        </p>
      </div>

      {panelOpen && (
        <section id="filter-panel" className="filter-panel" aria-label={t('filters.panel')}>
          <fieldset className="filter-group">
            <legend>{t('filters.types')}</legend>
            <div className="chips">
              {MODEL_TYPES.filter((type) => typeCounts.has(type) || view.types.includes(type)).map((type) => (
                <button key={type} type="button" className="chip" aria-pressed={view.types.includes(type)} onClick={() => updateView({ types: toggleIn(view.types, type) })}>
                  <TypeIcon type={type} /> {t(TYPE_LABEL_KEY[type])}
                  <span className="chip-count">{i18n.integer(typeCounts.get(type) ?? 0)}</span>
                </button>
              ))}
            </div>
          </fieldset>
          <fieldset className="filter-group">
            <legend>{t('filters.precisions')}</legend>
            <div className="chips">
              {data.precisions.map((precision) => (
                <button
                  key={precision}
                  type="button"
                  className="chip mono"
                  aria-pressed={view.precisions.includes(precision)}
                  onClick={() => updateView({ precisions: toggleIn(view.precisions, precision) })}
                >
                  {precision}
                  <span className="chip-count">{i18n.integer(precisionCounts.get(precision) ?? 0)}</span>
                </button>
              ))}
            </div>
          </fieldset>
          <fieldset className="filter-group filter-range">
            <legend>{t('filters.params')}</legend>
            <RangeSlider min={0} max={PARAMS_MAX} value={view.params} onChange={(params) => updateView({ params })} />
          </fieldset>
          <fieldset className="filter-group">
            <legend>{t('filters.flags')}</legend>
            <div className="checks">
              {HIDE_FLAGS.map((flag: HideFlag) => (
                <label key={flag} className="check">
                  <input type="checkbox" checked={view.hide.includes(flag)} onChange={() => updateView({ hide: toggleIn(view.hide, flag) })} />
                  <span>{t(HIDE_LABEL_KEYS[flag])}</span>
                </label>
              ))}
            </div>
          </fieldset>
        </section>
      )}

      <LeaderboardTable
        table={table}
        rows={rows}
        pinnedCount={pinnedSet.size}
        columnsKey={renderKey}
        label={t('leaderboard.tableLabel')}
        empty={
          <EmptyState title={t('leaderboard.noMatch')}>
            <button
              type="button"
              className="button button-small"
              onClick={() => updateView({ search: '', types: [], precisions: [], params: [...DEFAULT_VIEW.params], hide: [], official: false })}
            >
              {t('filters.reset')}
            </button>
          </EmptyState>
        }
      />
      {pinnedSet.size >= 2 && pinnedSet.size <= 4 && (
        <div className="floating-action">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              const names = [...new Set([...pinnedSet].map((id) => data.byId.get(id)!.name))];
              navigate(`/compare?models=${names.map(encodeURIComponent).join(',')}`);
            }}
          >
            {t('leaderboard.comparePinned', { count: pinnedSet.size })}
          </button>
        </div>
      )}
    </div>
  );
}
