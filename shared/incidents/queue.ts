import type { IncidentRow, QueueCounts, QueueSnapshot, QueueUpdate } from './model';

// Pure queue bookkeeping shared by the core (building snapshots and deltas) and the renderer (folding the
// `incidents.queue` stream into its cached snapshot).

export function countQueue(rows: readonly IncidentRow[], meSysId: string | null): QueueCounts {
  const byPriority = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, other: 0 };
  let unassigned = 0;
  let mine = 0;
  for (const r of rows) {
    const p = r.priority.value;
    if (p === '1' || p === '2' || p === '3' || p === '4' || p === '5') byPriority[p]++;
    else byPriority.other++;
    if (r.assigned_to.value === '') unassigned++;
    else if (meSysId !== null && r.assigned_to.value === meSysId) mine++;
  }
  return { total: rows.length, byPriority, unassigned, mine };
}

export type ApplyResult = { ok: true; snapshot: QueueSnapshot } | { ok: false; reason: 'no-snapshot' | 'gap' | 'other-connection' };

/**
 * Folds one update into a snapshot. A snapshot replaces everything; a delta applies only on top of the
 * snapshot it follows (seq + 1): anything else means updates were lost and the caller must read again.
 */
export function applyQueueUpdate(prev: QueueSnapshot | undefined, update: QueueUpdate): ApplyResult {
  if (update.kind === 'snapshot') {
    const { kind: _kind, ...snapshot } = update;
    return { ok: true, snapshot };
  }
  if (!prev) return { ok: false, reason: 'no-snapshot' };
  if (prev.connectionId !== update.connectionId) return { ok: false, reason: 'other-connection' };
  // Already in this snapshot (it was read after the delta was sent).
  if (update.seq <= prev.seq) return { ok: true, snapshot: prev };
  if (update.seq !== prev.seq + 1) return { ok: false, reason: 'gap' };
  const removed = new Set(update.removed);
  const replaced = new Map<string, IncidentRow>();
  for (const r of [...update.changed, ...update.added]) replaced.set(r.sys_id, r);
  const rows: IncidentRow[] = [];
  for (const r of prev.rows) {
    if (removed.has(r.sys_id)) continue;
    const next = replaced.get(r.sys_id);
    rows.push(next ?? r);
    if (next) replaced.delete(r.sys_id);
  }
  for (const r of replaced.values()) rows.push(r);
  return {
    ok: true,
    snapshot: {
      ...prev,
      seq: update.seq,
      rows,
      syncedAt: update.syncedAt,
      attemptedAt: update.attemptedAt,
      refreshMs: update.refreshMs,
      stale: update.stale,
      error: update.error,
      nextAttemptAt: update.nextAttemptAt,
      counts: update.counts,
    },
  };
}

/** The ServiceNow UI link of a record. */
export function recordLink(instanceUrl: string, table: string, sysId: string): string {
  const base = instanceUrl.replace(/\/+$/, '');
  return `${base}/nav_to.do?uri=${encodeURIComponent(`${table}.do?sys_id=${sysId}`)}`;
}
