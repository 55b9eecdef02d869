import { memo, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { IncidentRow } from '@shared/incidents/model';
import { ageMs, localTime, priorityTone, shortAge } from './queue-model';
import type { Mark, QueueSort, SortKey } from './queue-model';
import { itemKey } from './queue-groups';
import type { AlertGroup, QueueItem } from './queue-groups';

// The queue as a virtualised grid: only the rows in view (plus a few) are in the DOM, so 10,000 incidents
// scroll like 30. Rows have one fixed height; positions are transforms (set through CSSOM, which the CSP allows).
// Incidents carrying the same alert fold under a lead row with the count; expanded, a group line offers
// "make parent" and the other members follow, indented.

export const ROW_HEIGHT = 34;

/** The group in the DOM (tests, styles): its key joins name and instance with a NUL, which selectors cannot quote. */
const groupAttr = (g: AlertGroup): string => `${g.alertName}@${g.instance}`;

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
  /** Set on a grouped incident: its group; `lead` rows carry the count and the toggle. */
  group?: AlertGroup | undefined;
  lead?: boolean | undefined;
  expanded?: boolean | undefined;
  onToggle?: ((key: string) => void) | undefined;
}

const QueueRow = memo(function QueueRow(p: RowProps): ReactNode {
  const r = p.row;
  const now = p.minute * 60_000;
  const tone = priorityTone(r.priority);
  const g = p.group;
  const filedUnder = g?.parentSysId && r.parent_incident === g.parentSysId ? g.rows.find((x) => x.sys_id === g.parentSysId) : undefined;
  return (
    <div
      role="row"
      aria-rowindex={p.index + 2}
      aria-selected={p.selected}
      {...(p.lead ? { 'aria-expanded': p.expanded === true } : {})}
      className={`queue-row${p.selected ? ' selected' : ''}${p.mark ? ` mark-${p.mark}` : ''}${g && !p.lead ? ' in-group' : ''}`}
      data-group={g ? groupAttr(g) : undefined}
      data-group-lead={p.lead ? 'true' : undefined}
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
        {g && p.lead ? (
          <button
            type="button"
            className="group-toggle"
            aria-expanded={p.expanded === true}
            aria-label={`${g.rows.length} open incidents carry alert ${g.alertName}${g.instance ? ` on ${g.instance}` : ''}: ${p.expanded ? 'fold them' : 'show them'}`}
            title={`${g.rows.length} open incidents carry alert ${g.alertName}${g.instance ? ` on ${g.instance}` : ''}`}
            data-testid="group-toggle"
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle?.(g.key);
            }}
          >
            <span aria-hidden="true">{p.expanded ? '▾' : '▸'}</span> ×{g.rows.length}
          </button>
        ) : null}
        {filedUnder ? (
          <span className="muted" title={`Filed under ${filedUnder.number}`}>
            ↳{' '}
          </span>
        ) : null}
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

/** The line under an expanded group's lead: what the group is, where it is filed, and "make parent". */
function GroupLine(p: { group: AlertGroup; shown: number; index: number; top: number; onMakeParent: (key: string) => void }): ReactNode {
  const g = p.group;
  const parent = g.parentSysId ? g.rows.find((r) => r.sys_id === g.parentSysId) : undefined;
  return (
    <div
      role="row"
      aria-rowindex={p.index + 2}
      className="queue-row queue-group-line"
      data-testid="incident-group"
      data-group={groupAttr(g)}
      data-count={g.rows.length}
      style={{ transform: `translateY(${p.top}px)` }}
    >
      <span role="gridcell" className="group-line-text">
        {g.rows.length} open incidents carry alert <strong>{g.alertName}</strong>
        {g.instance ? <> on {g.instance}</> : null}
        {p.shown < g.rows.length ? <span className="muted"> ({p.shown} match the filter)</span> : null}
        {parent ? (
          <span className="muted" data-testid="incident-group-parent">
            {' '}
            · {g.filed} filed under {parent.number}
          </span>
        ) : null}
      </span>
      <span role="gridcell" className="group-line-actions">
        <button type="button" className="btn btn-small" onClick={() => p.onMakeParent(g.key)} data-testid="make-parent-open">
          Make parent…
        </button>
      </span>
    </div>
  );
}

export interface QueueListProps {
  /** The incidents that match the filter (the count). */
  rows: IncidentRow[];
  /** What the grid shows, in order: incidents and group lines (see queue-groups.ts). */
  items: QueueItem[];
  onToggleGroup: (key: string) => void;
  onMakeParent: (key: string) => void;
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
    count: p.items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => {
      const item = p.items[i];
      return item ? itemKey(item) : i;
    },
    initialRect: { width: 1200, height: 600 },
  });
  const selectedIndex = p.selectedId ? p.items.findIndex((it) => it.kind === 'row' && it.row.sys_id === p.selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const minute = Math.floor(p.now / 60_000);
  return (
    <div
      className="queue"
      role="grid"
      aria-label="Open incidents"
      aria-rowcount={p.items.length + 1}
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
            const item = p.items[vi.index];
            if (!item) return null;
            if (item.kind === 'group')
              return (
                <GroupLine
                  key={itemKey(item)}
                  group={item.group}
                  shown={item.shown}
                  index={vi.index}
                  top={vi.start}
                  onMakeParent={p.onMakeParent}
                />
              );
            const row = item.row;
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
                group={item.group}
                lead={item.lead}
                expanded={item.expanded}
                onToggle={p.onToggleGroup}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
