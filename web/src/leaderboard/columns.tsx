/**
 * The leaderboard's columns. Ids follow the original frontend's dot paths
 * (`model.average_score`, `evaluations.ifeval.normalized_score`, …) so that `columns=` links
 * read the same. Benchmark columns come from the data. Cells are cheap: one formatted number,
 * a CSS variable for the score bar, no per-cell allocation beyond that.
 */
import type { ColumnDef } from '@tanstack/react-table';
import type { ModelType } from '../api/types.js';
import { modelPath } from '../api/hooks.js';
import { ChartIcon, ExternalIcon, PinIcon } from '../components/icons.js';
import { TYPE_LABEL_KEY, TypeIcon } from '../components/type-icon.js';
import type { useI18n } from '../i18n/i18n.js';
import { Link } from '../lib/router.js';
import { averageOf, scoreOf, type Benchmark, type ModelRow, type ScoreDisplay } from './model-row.js';
import type { CsvCell } from './csv.js';



export type ColumnGroup = 'model' | 'scores' | 'details' | 'flags';

export interface ColumnMeta {
  label: string;
  description?: string;
  group: ColumnGroup;
  align?: 'start' | 'end' | 'center';
  /** The model column takes the free width. */
  grow?: boolean;
  sticky?: boolean;
  /** Not in the column chooser (always shown). */
  fixed?: boolean;
  csv?: (row: ModelRow) => CsvCell;
}

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData, TValue> {
    label: string;
    description?: string;
    group: ColumnGroup;
    align?: 'start' | 'end' | 'center';
    grow?: boolean;
    sticky?: boolean;
    fixed?: boolean;
    csv?: (row: ModelRow) => CsvCell;
  }
}

export const benchmarkColumnId = (key: string) => `evaluations.${key}.normalized_score`;

/** Shown unless `columns=` says otherwise. */
export function defaultColumnIds(benchmarks: readonly Benchmark[]): string[] {
  return [
    'rank',
    'model_type',
    'id',
    'model.average_score',
    ...benchmarks.map((b) => benchmarkColumnId(b.key)),
    'metadata.params_billions',
    'model.precision',
    'metadata.hub_license',
    'metadata.hub_hearts',
    'metadata.co2_cost',
    'metadata.submission_date',
    'features.flags',
  ];
}

type I18n = ReturnType<typeof useI18n>;

export interface ColumnContext {
  i18n: I18n;
  benchmarks: readonly Benchmark[];
  display: ScoreDisplay;
  pinned: ReadonlySet<string>;
  togglePin(id: string): void;
  hubUrl: string;
  /** Narrow screens: the type column shows its icon only. */
  compact?: boolean;
}

const undef = (value: number | string | null): number | string | undefined => (value === null || value === '' ? undefined : value);

let measure: CanvasRenderingContext2D | null | undefined;

/** A width that shows the whole header label (12px semibold, measured in the page's font) and its sort arrow. */
export function fitWidth(label: string, min: number): number {
  if (measure === undefined) {
    measure = document.createElement('canvas').getContext('2d');
    if (measure) measure.font = `600 12px ${getComputedStyle(document.documentElement).fontFamily}`;
  }
  const text = measure ? measure.measureText(label).width : label.length * 8;
  // Cell padding 20, button padding 4, gap 4, arrow 12, and a little air.
  return Math.max(min, Math.ceil(text) + 46);
}

function ScoreCell({ value, i18n }: { value: number | null; i18n: I18n }) {
  if (value === null) return <span className="muted">–</span>;
  const pct = Math.max(0, Math.min(100, value));
  return (
    <span className="score" style={{ '--pct': `${pct}%` } as React.CSSProperties}>
      {i18n.number(value, 2)}
    </span>
  );
}

function Flags({ row, t }: { row: ModelRow; t: I18n['t'] }) {
  return (
    <span className="flags">
      {row.official && (
        <span className="badge badge-official" title={t('flags.officialHelp')}>
          {t('flags.official')}
        </span>
      )}
      {row.merged && <span className="badge">{t('flags.merged')}</span>}
      {row.moe && <span className="badge">{t('flags.moe')}</span>}
      {row.flagged && (
        <span className="badge badge-danger" title={t('flags.flaggedHelp')}>
          {t('flags.flagged')}
        </span>
      )}
      {row.unavailable && <span className="badge badge-muted">{t('flags.unavailable')}</span>}
    </span>
  );
}

export function buildColumns(context: ColumnContext): ColumnDef<ModelRow>[] {
  const { i18n, benchmarks, display, pinned, togglePin, hubUrl, compact = false } = context;
  const { t } = i18n;
  const score = (get: (row: ModelRow) => number | null) => ({
    accessorFn: (row: ModelRow) => undef(get(row)),
    sortUndefined: 'last' as const,
    sortDescFirst: true,
    size: 84,
    cell: ({ row }: { row: { original: ModelRow } }) => <ScoreCell value={get(row.original)} i18n={i18n} />,
  });
  const columns: ColumnDef<ModelRow>[] = [
    {
      id: 'isPinned',
      header: () => <span className="visually-hidden">{t('table.pin')}</span>,
      enableSorting: false,
      size: 36,
      meta: { label: t('table.pin'), group: 'model', fixed: true, align: 'center' },
      cell: ({ row }) => {
        const isPinned = pinned.has(row.original.id);
        return (
          <button
            type="button"
            className={isPinned ? 'pin-button pinned' : 'pin-button'}
            aria-pressed={isPinned}
            aria-label={isPinned ? t('table.unpinModel', { name: row.original.name }) : t('table.pinModel', { name: row.original.name })}
            onClick={() => togglePin(row.original.id)}
          >
            <PinIcon size={14} />
          </button>
        );
      },
    },
    {
      id: 'rank',
      accessorFn: (row) => row.rank,
      header: () => t('column.rank'),
      size: fitWidth(t('column.rank'), 64),
      sortDescFirst: false,
      meta: { label: t('column.rank'), group: 'model', align: 'end', csv: (row) => row.rank },
      cell: ({ row }) => <span className={row.original.rank <= 3 ? `rank rank-top rank-${row.original.rank}` : 'rank'}>{row.original.rank}</span>,
    },
    {
      id: 'model_type',
      accessorFn: (row) => row.type,
      header: () => t('column.type'),
      size: compact ? 64 : fitWidth(t('column.type'), 150),
      meta: { label: t('column.type'), group: 'model', csv: (row) => row.type },
      cell: ({ row }) => (
        <span className="type-cell" title={t(TYPE_LABEL_KEY[row.original.type])}>
          <TypeIcon type={row.original.type} />
          {!compact && <span className="type-label">{t(TYPE_LABEL_KEY[row.original.type])}</span>}
        </span>
      ),
    },
    {
      id: 'id',
      accessorFn: (row) => row.searchName,
      header: () => t('column.model'),
      size: compact ? 240 : 360,
      sortDescFirst: false,
      meta: { label: t('column.model'), group: 'model', grow: true, sticky: true, fixed: true, csv: (row) => row.name },
      cell: ({ row }) => {
        const r = row.original;
        return (
          <span className="model-cell">
            <a
              href={`${hubUrl}/${modelPath(r.name)}`}
              target="_blank"
              rel="noopener noreferrer"
              className="model-link"
              title={t('table.openOnHub', { name: r.name })}
            >
              {r.org && <span className="model-org">{r.org}/</span>}
              <span className="model-name">{r.org ? r.name.slice(r.org.length + 1) : r.name}</span>
              <ExternalIcon size={12} className="external-icon" />
            </a>
            <Link to={`/models/${modelPath(r.name)}`} className="details-link" aria-label={t('table.details', { name: r.name })} title={t('table.details', { name: r.name })}>
              <ChartIcon size={14} />
            </Link>
          </span>
        );
      },
    },
    {
      id: 'model.average_score',
      header: () => t('column.average'),
      meta: {
        label: t('column.average'),
        description: t(display === 'raw' ? 'column.averageRawHelp' : 'column.averageHelp'),
        group: 'scores',
        align: 'end',
        csv: (row) => averageOf(row, display),
      },
      ...score((row) => averageOf(row, display)),
      size: fitWidth(t('column.average'), 92),
    },
    ...benchmarks.map(
      (b): ColumnDef<ModelRow> => ({
        id: benchmarkColumnId(b.key),
        header: () => b.name,
        meta: { label: b.name, group: 'scores', align: 'end', csv: (row) => scoreOf(row, b.key, display) },
        ...score((row) => scoreOf(row, b.key, display)),
        size: fitWidth(b.name, 84),
      }),
    ),
    {
      id: 'metadata.params_billions',
      accessorFn: (row) => undef(row.params),
      sortUndefined: 'last',
      sortDescFirst: true,
      header: () => t('column.params'),
      size: fitWidth(t('column.params'), 96),
      meta: { label: t('column.params'), description: t('column.paramsHelp'), group: 'details', align: 'end', csv: (row) => row.params },
      cell: ({ row }) => (row.original.params === null ? <span className="muted">–</span> : i18n.number(row.original.params, 2)),
    },
    {
      id: 'model.precision',
      accessorFn: (row) => row.precision,
      header: () => t('column.precision'),
      size: fitWidth(t('column.precision'), 96),
      meta: { label: t('column.precision'), group: 'details', csv: (row) => row.precision },
      cell: ({ row }) => <span className="mono">{row.original.precision}</span>,
    },
    {
      id: 'metadata.hub_license',
      accessorFn: (row) => undef(row.license),
      sortUndefined: 'last',
      header: () => t('column.license'),
      size: fitWidth(t('column.license'), 120),
      meta: { label: t('column.license'), group: 'details', csv: (row) => row.license },
      cell: ({ row }) => <span className="truncate" title={row.original.license}>{row.original.license || '–'}</span>,
    },
    {
      id: 'metadata.hub_hearts',
      accessorFn: (row) => undef(row.hearts),
      sortUndefined: 'last',
      sortDescFirst: true,
      header: () => t('column.hearts'),
      size: fitWidth(t('column.hearts'), 80),
      meta: { label: t('column.hearts'), group: 'details', align: 'end', csv: (row) => row.hearts },
      cell: ({ row }) => i18n.integer(row.original.hearts),
    },
    {
      id: 'metadata.co2_cost',
      accessorFn: (row) => undef(row.co2),
      sortUndefined: 'last',
      header: () => t('column.co2'),
      size: fitWidth(t('column.co2'), 96),
      meta: { label: t('column.co2'), description: t('column.co2Help'), group: 'details', align: 'end', csv: (row) => row.co2 },
      cell: ({ row }) => i18n.number(row.original.co2, 2),
    },
    {
      id: 'metadata.upload_date',
      accessorFn: (row) => undef(row.uploadDate),
      sortUndefined: 'last',
      sortDescFirst: true,
      header: () => t('column.uploadDate'),
      size: fitWidth(t('column.uploadDate'), 118),
      meta: { label: t('column.uploadDate'), group: 'details', csv: (row) => row.uploadDate },
      cell: ({ row }) => i18n.date(row.original.uploadDate),
    },
    {
      id: 'metadata.submission_date',
      accessorFn: (row) => undef(row.submissionDate),
      sortUndefined: 'last',
      sortDescFirst: true,
      header: () => t('column.submissionDate'),
      size: fitWidth(t('column.submissionDate'), 118),
      meta: { label: t('column.submissionDate'), group: 'details', csv: (row) => row.submissionDate },
      cell: ({ row }) => i18n.date(row.original.submissionDate),
    },
    {
      id: 'model.architecture',
      accessorFn: (row) => undef(row.architecture),
      sortUndefined: 'last',
      header: () => t('column.architecture'),
      size: 190,
      meta: { label: t('column.architecture'), group: 'details', csv: (row) => row.architecture },
      cell: ({ row }) => <span className="truncate" title={row.original.architecture}>{row.original.architecture || '–'}</span>,
    },
    {
      id: 'model.weight_type',
      accessorFn: (row) => undef(row.weightType),
      header: () => t('column.weightType'),
      size: fitWidth(t('column.weightType'), 100),
      meta: { label: t('column.weightType'), group: 'details', csv: (row) => row.weightType },
      cell: ({ row }) => row.original.weightType || '–',
    },
    {
      id: 'metadata.base_model',
      accessorFn: (row) => undef(row.baseModel),
      sortUndefined: 'last',
      header: () => t('column.baseModel'),
      size: 240,
      meta: { label: t('column.baseModel'), group: 'details', csv: (row) => row.baseModel },
      cell: ({ row }) => <span className="truncate" title={row.original.baseModel}>{row.original.baseModel || '–'}</span>,
    },
    {
      id: 'metadata.generation',
      accessorFn: (row) => undef(row.generation === null ? null : Number(row.generation)),
      sortUndefined: 'last',
      header: () => t('column.generation'),
      size: fitWidth(t('column.generation'), 96),
      meta: { label: t('column.generation'), description: t('column.generationHelp'), group: 'details', align: 'end', csv: (row) => row.generation },
      cell: ({ row }) => row.original.generation ?? '–',
    },
    {
      id: 'model.has_chat_template',
      accessorFn: (row) => (row.hasChatTemplate ? 1 : 0),
      header: () => t('column.chatTemplate'),
      size: fitWidth(t('column.chatTemplate'), 110),
      meta: { label: t('column.chatTemplate'), group: 'details', align: 'center', csv: (row) => row.hasChatTemplate },
      cell: ({ row }) => (row.original.hasChatTemplate ? t('common.yes') : t('common.no')),
    },
    {
      id: 'features.flags',
      accessorFn: (row) => Number(row.official) * 16 + Number(row.flagged) * 8 + Number(row.merged) * 4 + Number(row.moe) * 2 + Number(row.unavailable),
      sortDescFirst: true,
      header: () => t('column.flags'),
      size: 170,
      meta: {
        label: t('column.flags'),
        group: 'flags',
        csv: (row) =>
          [row.official && 'official', row.merged && 'merged', row.moe && 'moe', row.flagged && 'flagged', row.unavailable && 'unavailable'].filter(Boolean).join(' '),
      },
      cell: ({ row }) => <Flags row={row.original} t={t} />,
    },
  ];
  return columns;
}
