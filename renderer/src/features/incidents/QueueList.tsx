import { memo, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { IncidentRow } from '@shared/incidents/model';
import { ageMs, localTime, priorityTone, shortAge } from './queue-model';
import type { Mark, QueueSort, SortKey } from './queue-model';

// The queue as a virtualised grid: only the rows in view (plus a few) are in the DOM, so 10,000 incidents
// scroll like 30. Rows have one fixed height; positions are transforms (set through CSSOM, which the CSP allows).

export const ROW_HEIGHT = 34;

const COLUMNS: { key: SortKey; label: string; className: string }[] = [
  { key: 'number', label: 'Number', className: 'c-number' },
  { key: 'priority', label: 'Priority', className: 'c-priority' },
  { key: 'state', label: 'State', className: 'c-state' },
  { key: 'short_description', label: 'Short description', className: 'c-short' },
  { key: 'cmdb_ci', label: 'CI', className: 'c-ci' },
  { key: 'assignment_group', label: 'Assignment group', className: 'c-group' },
  { key: 'assigned_to', label: 'Assigned to', className: 'c-assigned' },
  { key: 'opened_at', label: 'Age', className: 'c-age' },
  { key: 'sys_updated_on', label: 'Updated', className: 'c-updated' },
];

interface RowProps {
  row: IncidentRow;
  index: number;
  top: number;
  selected: boolean;
  mark: Mark | undefined;
  /** Minutes since the epoch: rows re-render once a minute for their ages, not every second. */
  minute: number;
  onSelect: (sysId: string) => void;
}

const QueueRow = memo(function QueueRow(p: RowProps): ReactNode {
  const r = p.row;
  const now = p.minute * 60_000;
  const tone = priorityTone(r.priority);
  return (
    <div
      role="row"
      aria-rowindex={p.index + 2}
      aria-selected={p.selected}
      className={`queue-row${p.selected ? ' selected' : ''}${p.mark ? ` mark-${p.mark}` : ''}`}
      data-testid="incident-row"
      data-sys-id={r.sys_id}
      data-number={r.number}
      data-mark={p.mark ?? ''}
      data-priority={r.priority.value}
      style={{ transform: `translateY(${p.top}px)` }}
      onClick={() => p.onSelect(r.sys_id)}
    >
      <span role="gridcell" className="c-number">
        {p.mark ? (
          <span className={`row-mark mark-${p.mark}`} title={p.mark === 'new' ? 'New since you looked' : 'Changed since you looked'}>
            <span className="visually-hidden">{p.mark}</span>
          </span>
        ) : null}
        {r.number}
      </span>
      <span role="gridcell" className="c-priority">
        <span className={`prio prio-${tone}`}>{r.priority.label || '—'}</span>
      </span>
      <span role="gridcell" className="c-state">
        {r.state.label}
        {r.hold_reason.label ? <span className="muted"> · {r.hold_reason.label}</span> : null}
      </span>
      <span role="gridcell" className="c-short" title={r.short_description}>
        {r.short_description}
      </span>
      <span role="gridcell" className="c-ci">
        {r.cmdb_ci.label || <span className="muted">—</span>}
      </span>
      <span role="gridcell" className="c-group">
        {r.assignment_group.label || <span className="muted">unassigned</span>}
      </span>
      <span role="gridcell" className="c-assigned">
        {r.assigned_to.label || <span className="muted">—</span>}
      </span>
      <span role="gridcell" className="c-age" title={`Opened ${localTime(r.opened_at)}`}>
        {shortAge(ageMs(r.opened_at, now))}
      </span>
      <span role="gridcell" className="c-updated" title={`Updated ${localTime(r.sys_updated_on)}`}>
        {shortAge(ageMs(r.sys_updated_on, now))} ago
      </span>
    </div>
  );
});

export interface QueueListProps {
  rows: IncidentRow[];
  selectedId: string | null;
  marks: Readonly<Record<string, Mark>>;
  sort: QueueSort;
  now: number;
  onSort: (key: SortKey) => void;
  onSelect: (sysId: string) => void;
}

export function QueueList(p: QueueListProps): ReactNode {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: p.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => p.rows[i]?.sys_id ?? i,
    initialRect: { width: 1200, height: 600 },
  });
  const selectedIndex = p.selectedId ? p.rows.findIndex((r) => r.sys_id === p.selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const minute = Math.floor(p.now / 60_000);
  return (
    <div
      className="queue"
      role="grid"
      aria-label="Open incidents"
      aria-rowcount={p.rows.length + 1}
      data-testid="incident-queue"
      data-count={p.rows.length}
    >
      <div className="queue-head" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => {
          const active = p.sort.key === c.key;
          return (
            <span
              key={c.key}
              role="columnheader"
              className={c.className}
              aria-sort={active ? (p.sort.desc ? 'descending' : 'ascending') : 'none'}
            >
              <button type="button" className="sort-button" onClick={() => p.onSort(c.key)} data-testid={`sort-${c.key}`}>
                {c.label}
                {active ? <span aria-hidden="true">{p.sort.desc ? ' ▼' : ' ▲'}</span> : null}
              </button>
            </span>
          );
        })}
      </div>
      <div className="queue-scroll" ref={scrollRef} data-testid="incident-queue-scroll">
        <div className="queue-canvas" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((vi) => {
            const row = p.rows[vi.index];
            if (!row) return null;
            return (
              <QueueRow
                key={row.sys_id}
                row={row}
                index={vi.index}
                top={vi.start}
                selected={row.sys_id === p.selectedId}
                mark={p.marks[row.sys_id]}
                minute={minute}
                onSelect={p.onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
