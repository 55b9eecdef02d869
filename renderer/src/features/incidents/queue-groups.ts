import type { IncidentRow } from '@shared/incidents/model';
import { sameAlertGroups } from '@shared/incidents/alert-incident';

// Open incidents that carry the same alert (u_alert_name + u_alert_instance) shown as one group in the queue: a
// lead row with the count, the others folded under it until expanded. Groups are taken over the whole open
// queue (the count and "make parent" cover every open incident with the alert); which members show follows the
// filter. Pure, so the grouping is tested without a DOM and re-runs on every delta.

export interface AlertGroup {
  key: string;
  alertName: string;
  instance: string;
  /** Every open incident with the alert, oldest first. */
  rows: IncidentRow[];
  /** The member most of the others are filed under (parent_incident), or null when none is. */
  parentSysId: string | null;
  /** Members filed under that parent. */
  filed: number;
}

/** The member the others are filed under: the one most of them name as parent_incident (the oldest on a tie). */
export function groupParent(rows: readonly IncidentRow[]): { parentSysId: string | null; filed: number } {
  const members = new Set(rows.map((r) => r.sys_id));
  const votes = new Map<string, number>();
  for (const r of rows) {
    const p = r.parent_incident ?? '';
    if (p !== '' && p !== r.sys_id && members.has(p)) votes.set(p, (votes.get(p) ?? 0) + 1);
  }
  let best: string | null = null;
  let most = 0;
  // rows are oldest first, so the first with the most votes wins a tie.
  for (const r of rows) {
    const v = votes.get(r.sys_id) ?? 0;
    if (v > most) {
      best = r.sys_id;
      most = v;
    }
  }
  return { parentSysId: best, filed: most };
}

/** Each grouped incident's group, by sys_id. Incidents without an alert, or alone with theirs, are not grouped. */
export function alertGroupsBySysId(all: readonly IncidentRow[]): Map<string, AlertGroup> {
  const out = new Map<string, AlertGroup>();
  for (const g of sameAlertGroups(all)) {
    const group: AlertGroup = { ...g, ...groupParent(g.rows) };
    for (const r of g.rows) out.set(r.sys_id, group);
  }
  return out;
}

export type QueueItem =
  | {
      kind: 'row';
      row: IncidentRow;
      /** The group this incident belongs to, if any. */
      group?: AlertGroup;
      /** The row that stands for its group (shows the count and the toggle). */
      lead?: boolean;
      expanded?: boolean;
    }
  | { kind: 'group'; group: AlertGroup; shown: number };

export const itemKey = (item: QueueItem): string => (item.kind === 'row' ? item.row.sys_id : `group:${item.group.key}`);

/**
 * The queue's lines in order: ungrouped incidents as they are; a group at the place of its first shown member,
 * as its lead row (the parent when it is shown, else that first member); when expanded, a group line with the
 * group's actions and the other shown members after it. `reveal` (the open or highlighted incident) expands the
 * group it is folded in, so what is selected is always on screen.
 */
export function queueItems(
  visible: readonly IncidentRow[],
  groups: ReadonlyMap<string, AlertGroup>,
  expanded: ReadonlySet<string>,
  reveal: string | null = null,
): QueueItem[] {
  // One pass for each group's shown members, in the order shown: the queue re-groups on every delta.
  const shownMembers = new Map<string, IncidentRow[]>();
  for (const r of visible) {
    const g = groups.get(r.sys_id);
    if (!g) continue;
    const list = shownMembers.get(g.key);
    if (list) list.push(r);
    else shownMembers.set(g.key, [r]);
  }
  const done = new Set<string>();
  const items: QueueItem[] = [];
  for (const row of visible) {
    const group = groups.get(row.sys_id);
    if (!group) {
      items.push({ kind: 'row', row });
      continue;
    }
    if (done.has(group.key)) continue;
    done.add(group.key);
    const inView = shownMembers.get(group.key) ?? [row];
    const lead = (group.parentSysId ? inView.find((r) => r.sys_id === group.parentSysId) : undefined) ?? row;
    const members = inView.filter((r) => r.sys_id !== lead.sys_id);
    const open = expanded.has(group.key) || (reveal !== null && members.some((m) => m.sys_id === reveal));
    items.push({ kind: 'row', row: lead, group, lead: true, expanded: open });
    if (open) {
      items.push({ kind: 'group', group, shown: inView.length });
      for (const m of members) items.push({ kind: 'row', row: m, group });
    }
  }
  return items;
}

/** The children "make parent" files under `parentSysId`: every other open incident of the group, as last seen. */
export function childrenFor(group: AlertGroup, parentSysId: string): { sysId: string; seenModCount: number }[] {
  return group.rows.filter((r) => r.sys_id !== parentSysId).map((r) => ({ sysId: r.sys_id, seenModCount: r.sys_mod_count }));
}
