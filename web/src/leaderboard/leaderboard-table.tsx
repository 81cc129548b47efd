/**
 * The virtualized table: only the rows in view (plus a few) are in the DOM, so 4,576 rows
 * scroll like 40. Rows have a fixed height; the header is sticky and the model column sticks
 * to the left when scrolling sideways. Arrow keys move between rows.
 */
import { flexRender, type Header, type Row, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { ArrowDownIcon, ArrowUpIcon, SortIcon } from '../components/icons.js';
import { useI18n } from '../i18n/i18n.js';
import type { ModelRow } from './model-row.js';

export const ROW_HEIGHT = 36;
/** The sticky header row (40px cells + 1px border): rows start below it. */
const HEADER_HEIGHT = 41;

function cellStyle(size: number, grow: boolean | undefined): React.CSSProperties {
  return grow ? { flex: `1 0 ${size}px`, minWidth: size } : { flex: `0 0 ${size}px`, width: size };
}

function cellClass(meta: { align?: string; sticky?: boolean } | undefined, base: string): string {
  let name = base;
  if (meta?.align === 'end') name += ' align-end';
  else if (meta?.align === 'center') name += ' align-center';
  if (meta?.sticky) name += ' sticky-col';
  return name;
}

function HeaderCell({ header }: { header: Header<ModelRow, unknown> }) {
  const { t } = useI18n();
  const column = header.column;
  const meta = column.columnDef.meta;
  const sorted = column.getIsSorted();
  const content = flexRender(column.columnDef.header, header.getContext());
  const ariaSort = sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : column.getCanSort() ? 'none' : undefined;
  return (
    <th role="columnheader" aria-sort={ariaSort} className={cellClass(meta, 'th')} style={cellStyle(column.getSize(), meta?.grow)} title={meta?.description}>
      {column.getCanSort() ? (
        <button
          type="button"
          className={sorted ? 'sort-button sorted' : 'sort-button'}
          onClick={column.getToggleSortingHandler()}
          aria-label={t('table.sortBy', { column: meta?.label ?? column.id })}
        >
          <span className="th-label">{content}</span>
          {sorted === 'asc' ? <ArrowUpIcon size={12} /> : sorted === 'desc' ? <ArrowDownIcon size={12} /> : <SortIcon size={12} className="sort-idle" />}
        </button>
      ) : (
        content
      )}
    </th>
  );
}

const BodyRow = memo(function BodyRow({
  row,
  index,
  start,
  pinned,
  columnsKey,
}: {
  row: Row<ModelRow>;
  index: number;
  start: number;
  pinned: boolean;
  /** Changes when the visible columns or their rendering change, so memo re-renders. */
  columnsKey: unknown;
}) {
  void columnsKey;
  return (
    <tr
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      data-model={row.original.name}
      className={pinned ? 'tr pinned-row' : 'tr'}
      style={{ transform: `translateY(${start}px)` }}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta;
        return (
          <td key={cell.id} role="cell" className={cellClass(meta, 'td')} style={cellStyle(cell.column.getSize(), meta?.grow)}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
});

export function LeaderboardTable({
  table,
  rows,
  pinnedCount,
  columnsKey,
  label,
  empty,
}: {
  table: Table<ModelRow>;
  rows: Row<ModelRow>[];
  pinnedCount: number;
  columnsKey: unknown;
  label: string;
  empty: ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start below the sticky header, and a row scrolled to must not hide under it.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableSectionElement>) => {
      const keys = ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'];
      if (!keys.includes(event.key)) return;
      const target = event.target as HTMLElement;
      if (target.tagName === 'INPUT') return;
      const tr = target.closest<HTMLElement>('tr[data-index]');
      if (!tr) return;
      const current = Number(tr.dataset.index);
      const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
      const next =
        event.key === 'ArrowDown' ? current + 1
        : event.key === 'ArrowUp' ? current - 1
        : event.key === 'PageDown' ? current + page
        : event.key === 'PageUp' ? current - page
        : event.key === 'Home' ? 0
        : rows.length - 1;
      const index = Math.max(0, Math.min(rows.length - 1, next));
      event.preventDefault();
      // Focus the same kind of control in the target row (pin button, model link, …).
      const selector = target.classList.contains('pin-button') ? '.pin-button' : target.classList.contains('details-link') ? '.details-link' : '.model-link';
      virtualizer.scrollToIndex(index, { align: 'auto' });
      const find = () => scroller.current?.querySelector<HTMLElement>(`tr[data-index="${index}"] ${selector}`);
      // The next row is usually rendered already (overscan); far jumps wait for the render.
      const near = find();
      if (near) {
        near.focus({ preventScroll: true });
        return;
      }
      const focus = (attempt: number) => {
        const element = find();
        if (element) element.focus({ preventScroll: true });
        else if (attempt < 10) requestAnimationFrame(() => focus(attempt + 1));
      };
      requestAnimationFrame(() => focus(0));
    },
    [rows.length, virtualizer],
  );

  const headerGroups = table.getHeaderGroups();
  const items = virtualizer.getVirtualItems();
  return (
    <div className="table-scroller" ref={scroller} tabIndex={0} role="region" aria-label={label} data-testid="leaderboard-scroller">
      <table role="table" className="lb-table" aria-rowcount={rows.length + 1} aria-label={label}>
        <thead role="rowgroup" className="thead">
          {headerGroups.map((group) => (
            <tr key={group.id} role="row" aria-rowindex={1} className="tr header-row">
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody role="rowgroup" className="tbody" style={{ height: Math.max(virtualizer.getTotalSize(), rows.length === 0 ? 0 : ROW_HEIGHT) }} onKeyDown={onKeyDown}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return <BodyRow key={row.id} row={row} index={item.index} start={item.start - HEADER_HEIGHT} pinned={item.index < pinnedCount} columnsKey={columnsKey} />;
          })}
        </tbody>
      </table>
      {rows.length === 0 && <div className="table-empty">{empty}</div>}
    </div>
  );
}
