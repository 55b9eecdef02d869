import type { ConnectionSpec } from '@shared/connections/model';
import type { IncidentAlert, IncidentRow } from '@shared/incidents/model';
import { recordLink } from '@shared/incidents/queue';

// The stream of urgent incidents one queue sync feeds the desktop notification with: a P1/P2 that entered the
// queue ("new"), or an incident already in it that became P1/P2 ("escalated"). What a sync attempt finds is
// held until the attempt's delta is sent, then given to every listener in the order found.

type AlertListener = (a: IncidentAlert) => void;

export const isUrgent = (r: IncidentRow): boolean => r.priority.value === '1' || r.priority.value === '2';

export class UrgentIncidentAlerts {
  private pending: IncidentAlert[] = [];
  private readonly listeners = new Set<AlertListener>();

  constructor(private readonly spec: () => ConnectionSpec) {}

  get listening(): number {
    return this.listeners.size;
  }

  listen(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  /** A row entered the queue. */
  added(row: IncidentRow): void {
    if (isUrgent(row)) this.pending.push(this.alert('new', row));
  }

  /** A row in the queue changed from `before`. */
  changed(before: IncidentRow | undefined, row: IncidentRow): void {
    if (before && !isUrgent(before) && isUrgent(row)) this.pending.push(this.alert('escalated', row));
  }

  /** Sends what was found since the last flush. */
  flush(): void {
    const alerts = this.pending;
    this.pending = [];
    for (const a of alerts) for (const l of this.listeners) l(a);
  }

  /** Forgets what was found and not sent (the queue is read afresh). */
  dropPending(): void {
    this.pending = [];
  }

  private alert(reason: IncidentAlert['reason'], row: IncidentRow): IncidentAlert {
    const spec = this.spec();
    return { connectionId: spec.id, connectionName: spec.name, reason, incident: row, link: recordLink(spec.url, 'incident', row.sys_id) };
  }
}
