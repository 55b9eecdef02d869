import type { ChangeRow, IncidentDetail, IncidentRow, QueueSnapshot } from '@shared/incidents/model';
import type { OfflineMark } from '@shared/offline/contract';
import type { ContractError } from '@shared/kernel/result';
import type { CallPolicy, OfflineStore, SyncContext, SyncStep } from '../../kernel/dispatch/offline-policy';
import { syncedText } from '../../kernel/dispatch/offline-policy';

// ServiceNow offline: the incident queue and the changes in flight per connection, and each incident's detail
// with its journal (else its queue row, saying the journal is not in the copy).

/** Incident details the background sync keeps per ServiceNow connection: the most urgent, then the newest. */
export const SYNC_INCIDENT_DETAILS = 50;

const firstSnow = (store: OfflineStore): string | undefined => store.connections('servicenow')[0]?.id;
const incidentKey = (connectionId: string, sysId: string): string => `${connectionId}\n${sysId}`;
const mark = (syncedAt: string, error: ContractError, missing?: string): OfflineMark => ({
  syncedAt,
  reason: error.message,
  ...(missing ? { missing } : {}),
});
const EMPTY = { value: '', label: '' };

/** An incident's detail from its queue row, when only the list was ever read: the journal is what it lacks. */
export function detailFromRow(row: IncidentRow, link: string): IncidentDetail {
  return {
    ...row,
    description: '',
    caller_id: EMPTY,
    opened_by: EMPTY,
    impact: EMPTY,
    urgency: EMPTY,
    category: EMPTY,
    subcategory: EMPTY,
    contact_type: EMPTY,
    business_service: EMPTY,
    close_code: EMPTY,
    close_notes: '',
    resolved_at: '',
    resolved_by: EMPTY,
    sys_created_on: row.opened_at,
    sys_updated_by: '',
    made_sla: true,
    reassignment_count: 0,
    reopen_count: 0,
    journal: [],
    journalError: null,
    link,
    alert: row.u_alert_name || row.u_alert_instance ? { name: row.u_alert_name, instance: row.u_alert_instance } : null,
  };
}

export const incidentQueueOffline: CallPolicy<'incidents.list'> = {
  kind: 'copy',
  key: (a, store) => a.connectionId ?? firstSnow(store) ?? '',
  save: (out, _a, store) => {
    if (out.error === null && out.syncedAt !== null) store.put('incidents', out.connectionId, out, out.syncedAt);
  },
  restore: async (a, error, store) => {
    const key = a.connectionId ?? firstSnow(store);
    if (!key) return null;
    const hit = await store.get<QueueSnapshot>('incidents', key);
    if (!hit) return null;
    const out: QueueSnapshot = {
      ...hit.data,
      // A number no live delta follows: the first live answer replaces this copy with a snapshot.
      seq: -1,
      stale: true,
      nextAttemptAt: null,
      attemptedAt: new Date().toISOString(),
      error: { code: error.code, message: `${error.message} — showing the offline copy ${syncedText(hit.syncedAt, Date.now())}` },
    };
    return { out, syncedAt: hit.syncedAt, key };
  },
};

export const changesOffline: CallPolicy<'incidents.changesInFlight'> = {
  kind: 'copy',
  key: (a, store) => a.connectionId ?? firstSnow(store) ?? '',
  save: (out, _a, store) => store.put('changes', out.connectionId, out, out.fetchedAt),
  restore: async (a, _error, store) => {
    const key = a.connectionId ?? firstSnow(store);
    if (!key) return null;
    const hit = await store.get<{ connectionId: string; fetchedAt: string; changes: ChangeRow[] }>('changes', key);
    return hit ? { out: hit.data, syncedAt: hit.syncedAt, key } : null;
  },
};

/** The detail with its journal; else the queue row, saying the journal is not in the copy. */
export const incidentOffline: CallPolicy<'incidents.get'> = {
  kind: 'detail',
  system: (a, store) => store.connectionName('servicenow', a.connectionId ?? firstSnow(store)),
  key: (a, store) => incidentKey(a.connectionId ?? firstSnow(store) ?? '', a.sysId),
  save: (out, a, store) => {
    if (!out.offline) store.put('incident', incidentKey(a.connectionId ?? firstSnow(store) ?? '', a.sysId), out);
  },
  restore: async (a, error, store) => {
    const conn = a.connectionId ?? firstSnow(store) ?? '';
    const hit = await store.get<IncidentDetail>('incident', incidentKey(conn, a.sysId));
    const queue = await store.get<QueueSnapshot>('incidents', conn);
    const row = queue?.data.rows.find((r) => r.sys_id === a.sysId);
    // The queue may have been read after the detail: a newer row (higher sys_mod_count) says the copy is behind.
    if (hit && (!row || row.sys_mod_count <= hit.data.sys_mod_count))
      return { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt };
    if (row && queue) {
      const missing = hit
        ? `The description and work notes are from update ${hit.data.sys_mod_count}; the queue saw update ${row.sys_mod_count}.`
        : 'The description and work notes were never read while ServiceNow answered.';
      const base = hit ? { ...hit.data, ...row } : detailFromRow(row, '');
      return { out: { ...base, offline: mark(queue.syncedAt, error, missing) }, syncedAt: queue.syncedAt };
    }
    return hit ? { out: { ...hit.data, offline: mark(hit.syncedAt, error) }, syncedAt: hit.syncedAt } : null;
  },
};

/** The journal of the incidents most likely to be opened offline, read again only when they changed. */
async function syncIncidentDetails(sync: SyncContext, c: { id: string; name: string }, rows: readonly IncidentRow[]): Promise<void> {
  const wanted = [...rows]
    .sort((a, b) => a.priority.value.localeCompare(b.priority.value) || b.sys_updated_on.localeCompare(a.sys_updated_on))
    .slice(0, SYNC_INCIDENT_DETAILS);
  for (const row of wanted) {
    const have = await sync.store.get<{ sys_mod_count: number }>('incident', incidentKey(c.id, row.sys_id));
    if (have && have.data.sys_mod_count >= row.sys_mod_count) continue;
    const before = sync.errors.length;
    const label = `Incident ${row.number} on ${c.name}`;
    const d = await sync.read('incidents.get', { connectionId: c.id, sysId: row.sys_id }, label);
    if (d?.offline) sync.errors.push(`${label}: ${d.offline.reason}`);
    // One system that stopped answering is one problem, not fifty.
    if (sync.errors.length > before) break;
  }
}

/** Each ServiceNow connection's queue, the journals of its most urgent incidents, and its changes in flight. */
export const incidentsSync: SyncStep = {
  name: 'incidents',
  order: 40,
  run: async (sync) => {
    for (const c of sync.store.connections('servicenow')) {
      const q = await sync.read('incidents.list', { connectionId: c.id }, `Incidents on ${c.name}`);
      if (q?.error) sync.errors.push(`Incidents on ${c.name}: ${q.error.message}`);
      else if (q) await syncIncidentDetails(sync, c, q.rows);
      await sync.read('incidents.changesInFlight', { connectionId: c.id }, `Changes on ${c.name}`);
    }
  },
};
