import type { AuditEntry } from '@shared/activity/model';

/** Newest first, each entry once (an appended event can race the first page that already holds it). */
export function mergeAudit(...lists: AuditEntry[][]): AuditEntry[] {
  const byId = new Map<string, AuditEntry>();
  for (const list of lists) for (const e of list) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** Folds `activity.appended` events into the cached first page. */
export function prependAppended(prev: AuditEntry[] | undefined, batch: AuditEntry[]): AuditEntry[] | undefined {
  return prev ? mergeAudit(batch, prev) : undefined;
}
