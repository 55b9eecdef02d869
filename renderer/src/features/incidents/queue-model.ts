import type { IncidentRow, Labeled } from '@shared/incidents/model';
import { parseGlideDateTime } from '@shared/incidents/glide-time';
import { formatDateTime } from '../../app/format/time';

// Filtering and sorting the queue in the renderer: pure, so 10,000 rows re-filter in a millisecond or two on
// every delta and the tests need no DOM.

export interface QueueFilter {
  myGroups: boolean;
  assignedToMe: boolean;
  unassigned: boolean;
  /** Priority values to show; empty = all. */
  priorities: string[];
  /** State values to show; empty = all. */
  states: string[];
  text: string;
  /** Only incidents whose SLA due time has passed (absent in views saved before it existed). */
  slaBreached?: boolean;
}

export const EMPTY_FILTER: QueueFilter = { myGroups: false, assignedToMe: false, unassigned: false, priorities: [], states: [], text: '' };

export const SORT_KEYS = [
  'number',
  'priority',
  'state',
  'short_description',
  'cmdb_ci',
  'assignment_group',
  'assigned_to',
  'opened_at',
  'sys_updated_on',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface QueueSort {
  key: SortKey;
  desc: boolean;
}

export const DEFAULT_SORT: QueueSort = { key: 'priority', desc: false };

export interface Viewer {
  meSysId: string | null;
  groupIds: ReadonlySet<string>;
  /** Epoch ms the SLA filter compares sla_due with. */
  now?: number;
}

/** The SLA due time has passed: sla_due set and earlier than now. */
export function slaBreached(r: IncidentRow, now: number): boolean {
  const due = r.sla_due ? parseGlideDateTime(r.sla_due) : null;
  return due !== null && due < now;
}

/** "Oldest unassigned": the unassigned incidents, oldest opened first. */
export const OLDEST_UNASSIGNED: { filter: Partial<QueueFilter>; sort: QueueSort } = {
  filter: { unassigned: true },
  sort: { key: 'opened_at', desc: false },
};

export function filterRows(rows: readonly IncidentRow[], f: QueueFilter, viewer: Viewer): IncidentRow[] {
  const words = f.text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const prios = new Set(f.priorities);
  const states = new Set(f.states);
  return rows.filter((r) => {
    if (f.myGroups && !viewer.groupIds.has(r.assignment_group.value)) return false;
    if (f.assignedToMe && (viewer.meSysId === null || r.assigned_to.value !== viewer.meSysId)) return false;
    if (f.unassigned && r.assigned_to.value !== '') return false;
    if (f.slaBreached && !slaBreached(r, viewer.now ?? Date.now())) return false;
    if (prios.size > 0 && !prios.has(r.priority.value)) return false;
    if (states.size > 0 && !states.has(r.state.value)) return false;
    if (words.length > 0) {
      const hay =
        `${r.number} ${r.short_description} ${r.cmdb_ci.label} ${r.assignment_group.label} ${r.assigned_to.label} ${r.u_alert_name} ${r.u_alert_instance}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
}

const labelOf = (v: Labeled): string => v.label;
const numeric = (v: Labeled): number => {
  const n = Number(v.value);
  return v.value === '' || !Number.isFinite(n) ? Number.POSITIVE_INFINITY : n;
};

function compare(a: IncidentRow, b: IncidentRow, key: SortKey): number {
  switch (key) {
    case 'priority':
      return numeric(a.priority) - numeric(b.priority);
    case 'state':
      return numeric(a.state) - numeric(b.state);
    case 'number':
    case 'short_description':
    case 'opened_at':
    case 'sys_updated_on':
      return a[key].localeCompare(b[key]);
    default: {
      // Empty references sort last in ascending order.
      const x = labelOf(a[key]);
      const y = labelOf(b[key]);
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
      return x.localeCompare(y);
    }
  }
}

/** Sorted copy; ties broken by priority, then oldest opened, then number, so the order never jumps. */
export function sortRows(rows: readonly IncidentRow[], s: QueueSort): IncidentRow[] {
  const dir = s.desc ? -1 : 1;
  return [...rows].sort(
    (a, b) => dir * compare(a, b, s.key) || compare(a, b, 'priority') || compare(a, b, 'opened_at') || compare(a, b, 'number'),
  );
}

export type PriorityTone = 'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'px';

export function priorityTone(p: Labeled): PriorityTone {
  return (['1', '2', '3', '4', '5'] as const).includes(p.value as '1') ? (`p${p.value}` as PriorityTone) : 'px';
}

/** Milliseconds since a ServiceNow date-time, or null when it is empty. */
export function ageMs(glide: string, now: number): number | null {
  const t = parseGlideDateTime(glide);
  return t === null ? null : now - t;
}

/** "42 min", "5 h", "3 d": compact ages for list cells. */
export function shortAge(ms: number | null): string {
  if (ms === null) return '—';
  const m = Math.max(0, Math.floor(ms / 60_000));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** A ServiceNow UTC value in the console's one format and zone (Settings → Time zone). */
export function localTime(glide: string): string {
  const t = parseGlideDateTime(glide);
  return t === null ? '—' : formatDateTime(t, { seconds: false });
}

export type Mark = 'new' | 'changed';

/** Folds a delta into the marks: new rows stay "new" until seen, changed rows become "changed". */
export function markDelta(
  marks: Readonly<Record<string, Mark>>,
  added: readonly IncidentRow[],
  changed: readonly IncidentRow[],
  removed: readonly string[],
  /** sys_mod_count each of this user's own writes left; a row at that version is theirs, never "unseen". */
  own: Readonly<Record<string, number>> = {},
): Record<string, Mark> {
  const next: Record<string, Mark> = { ...marks };
  const mine = (r: IncidentRow): boolean => own[r.sys_id] !== undefined && r.sys_mod_count <= (own[r.sys_id] ?? -1);
  for (const r of added) if (!mine(r)) next[r.sys_id] = 'new';
  for (const r of changed) if (!mine(r) && next[r.sys_id] !== 'new') next[r.sys_id] = 'changed';
  for (const id of removed) delete next[id];
  return next;
}
