/**
 * Two small SVG charts, no charting library: a histogram of the leaderboard's scores with one
 * model marked, and grouped bars comparing models per benchmark. Both carry a text summary
 * for screen readers.
 */
import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n.js';

export const SERIES_COLORS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'];

export interface Distribution {
  bins: number[];
  /** Share of scores strictly below `value`, 0–1. */
  percentile: (value: number) => number;
  median: number | null;
  count: number;
}

/** Bins 0–100 scores (values outside are clamped) and keeps them sorted for percentiles. */
export function distributionOf(values: readonly number[], binCount = 25): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const bins = new Array<number>(binCount).fill(0);
  for (const value of sorted) {
    const index = Math.min(binCount - 1, Math.max(0, Math.floor((value / 100) * binCount)));
    bins[index]! += 1;
  }
  const percentile = (value: number) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sorted[mid]! < value) low = mid + 1;
      else high = mid;
    }
    return sorted.length === 0 ? 0 : low / sorted.length;
  };
  const median = sorted.length === 0 ? null : sorted[Math.floor(sorted.length / 2)]!;
  return { bins, percentile, median, count: sorted.length };
}

export function Histogram({ title, distribution, value, max = 100 }: { title: string; distribution: Distribution; value: number | null; max?: number }) {
  const { t, number } = useI18n();
  const width = 280;
  const height = 96;
  const pad = { top: 8, bottom: 18, left: 4, right: 4 };
  const peak = Math.max(1, ...distribution.bins);
  const binWidth = (width - pad.left - pad.right) / distribution.bins.length;
  const x = (score: number) => pad.left + (Math.max(0, Math.min(max, score)) / max) * (width - pad.left - pad.right);
  const innerHeight = height - pad.top - pad.bottom;
  const markerBin = value === null ? -1 : Math.min(distribution.bins.length - 1, Math.floor((Math.max(0, value) / max) * distribution.bins.length));
  const better = value === null ? null : Math.floor(distribution.percentile(value) * 100);
  const summary =
    value === null
      ? t('chart.noScore', { title })
      : t('chart.summary', { title, score: number(value, 2), better: better ?? 0, median: number(distribution.median, 2) });
  return (
    <figure className="chart-card">
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-value">{value === null ? '–' : number(value, 2)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} className="histogram">
        {distribution.bins.map((count, i) => {
          const h = (count / peak) * innerHeight;
          return (
            <rect
              key={i}
              x={pad.left + i * binWidth + 0.5}
              y={pad.top + innerHeight - h}
              width={Math.max(1, binWidth - 1)}
              height={h}
              rx={1}
              className={i === markerBin ? 'bar bar-highlight' : 'bar'}
            />
          );
        })}
        <line x1={pad.left} x2={width - pad.right} y1={pad.top + innerHeight + 0.5} y2={pad.top + innerHeight + 0.5} className="axis" />
        {[0, 25, 50, 75, 100].map((tick) => (
          <text key={tick} x={x((tick / 100) * max)} y={height - 4} className="tick" textAnchor={tick === 0 ? 'start' : tick === 100 ? 'end' : 'middle'}>
            {tick}
          </text>
        ))}
        {value !== null && <line x1={x(value)} x2={x(value)} y1={pad.top - 4} y2={pad.top + innerHeight} className="marker" />}
      </svg>
      <p className="chart-note">{better === null ? t('chart.noScoreShort') : t('chart.betterThan', { pct: better })}</p>
    </figure>
  );
}

export interface BarSeries {
  label: string;
  values: (number | null)[];
}

/** Horizontal grouped bars: one group per category, one bar per series. */
export function GroupedBars({ categories, series, max = 100, label }: { categories: string[]; series: BarSeries[]; max?: number; label: string }) {
  const { number } = useI18n();
  const barHeight = 12;
  const gap = 3;
  const groupGap = 14;
  const labelWidth = 120;
  const valueWidth = 52;
  const width = 900;
  const plot = width - labelWidth - valueWidth;
  const groupHeight = series.length * (barHeight + gap) - gap;
  const height = categories.length * (groupHeight + groupGap);
  const scale = useMemo(() => (value: number) => (Math.max(0, Math.min(max, value)) / max) * plot, [max, plot]);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="grouped-bars">
      {[0, 25, 50, 75, 100].map((tick) => (
        <line key={tick} x1={labelWidth + scale((tick / 100) * max)} x2={labelWidth + scale((tick / 100) * max)} y1={0} y2={height - groupGap / 2} className="grid" />
      ))}
      {categories.map((category, ci) => {
        const y0 = ci * (groupHeight + groupGap);
        return (
          <g key={category}>
            <text x={labelWidth - 8} y={y0 + groupHeight / 2} className="bar-label" textAnchor="end" dominantBaseline="middle">
              {category}
            </text>
            {series.map((s, si) => {
              const value = s.values[ci] ?? null;
              const y = y0 + si * (barHeight + gap);
              return (
                <g key={s.label}>
                  <rect x={labelWidth} y={y} width={value === null ? 0 : Math.max(1, scale(value))} height={barHeight} rx={2} fill={SERIES_COLORS[si % SERIES_COLORS.length]} />
                  <text x={labelWidth + (value === null ? 0 : scale(value)) + 4} y={y + barHeight / 2} className="bar-value" dominantBaseline="middle">
                    {value === null ? '–' : number(value, 1)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
