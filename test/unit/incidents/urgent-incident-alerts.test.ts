// The urgent-incident stream a queue sync feeds the desktop notification with: new P1/P2 and escalations to
// P1/P2, held until the sync's delta is out, then to every listener in the order found; a fresh start drops
// what was not sent.
import { describe, expect, it } from 'vitest';
import type { ConnectionSpec } from '@shared/connections/model';
import type { IncidentAlert, IncidentRow } from '@shared/incidents/model';
import { UrgentIncidentAlerts } from '../../../electron/core/features/incidents/urgent-incident-alerts';

const L = (value: string) => ({ value, label: value });
const row = (n: number, priority: string): IncidentRow => ({
  sys_id: n.toString(16).padStart(32, '0'),
  number: `INC${n}`,
  short_description: '',
  priority: L(priority),
  state: L('2'),
  hold_reason: L(''),
  assignment_group: L(''),
  assigned_to: L(''),
  cmdb_ci: L(''),
  opened_at: '',
  sys_updated_on: '',
  sla_due: '',
  sys_mod_count: 0,
  u_alert_name: '',
  u_alert_instance: '',
});
const spec = { id: 'snow', name: 'ServiceNow', kind: 'servicenow', url: 'https://x.service-now.com' } as ConnectionSpec;

describe('UrgentIncidentAlerts', () => {
  it('new P1/P2 and escalations into P1/P2 only, sent on flush in the order found, to every listener', () => {
    const u = new UrgentIncidentAlerts(() => spec);
    const a: IncidentAlert[] = [];
    const b: string[] = [];
    const stopA = u.listen((x) => a.push(x));
    u.listen((x) => b.push(`${x.reason}:${x.incident.number}`));
    u.added(row(1, '1'));
    u.added(row(2, '3'));
    u.changed(row(3, '3'), row(3, '2'));
    u.changed(row(4, '2'), row(4, '1')); // already urgent: no second alert
    u.changed(undefined, row(5, '1')); // not seen before: not an escalation
    expect(a).toEqual([]);
    u.flush();
    expect(b).toEqual(['new:INC1', 'escalated:INC3']);
    expect(a[0]).toMatchObject({ connectionId: 'snow', connectionName: 'ServiceNow', reason: 'new' });
    expect(a[0]?.link).toContain('x.service-now.com');
    u.flush();
    expect(b).toHaveLength(2);
    stopA();
    expect(u.listening).toBe(1);
    u.added(row(6, '2'));
    u.dropPending();
    u.flush();
    expect(b).toHaveLength(2);
  });
});
