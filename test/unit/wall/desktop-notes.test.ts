import { describe, expect, it } from 'vitest';
import { BurnTracker, SeenKeys, incidentNote, jobNote, noteAllowed } from '@shared/workstation/desktop-notes';
import type { SloFleet, SloStatusView } from '@shared/slo/contract';
import type { IncidentAlert } from '@shared/incidents/model';
import type { JobSummary } from '@shared/jobs/model';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';

const alert = (priority: string, reason: 'new' | 'escalated' = 'new'): IncidentAlert =>
  ({
    connectionId: 'snow-prod',
    connectionName: 'ServiceNow prod',
    reason,
    link: 'https://x/incident.do',
    incident: {
      sys_id: 'a'.repeat(32),
      number: 'INC0010001',
      short_description: 'Checkout down',
      priority: { value: priority, label: priority },
      cmdb_ci: { value: 'c', label: 'web-07' },
    },
  }) as unknown as IncidentAlert;
const job = (status: string): JobSummary =>
  ({ connectionId: 'awx-prod', connectionName: 'AWX prod', id: 41, name: 'Restart service', status, limit: 'web-07' }) as JobSummary;
const paging = { severity: 'page' as const, long: '1h' as const, short: '5m' as const, factor: 14.4, longBurn: 20.5, shortBurn: 30 };
const fleetOf = (ids: string[], stale = false): SloFleet =>
  ({
    statuses: ['checkout', 'search'].map(
      (id) =>
        ({
          id,
          name: id,
          service: id,
          connectionId: 'prom-prod',
          stale,
          alerts: ids.includes(id) ? [paging] : [],
        }) as unknown as SloStatusView,
    ),
    connections: [{ id: 'prom-prod' }],
  }) as unknown as SloFleet;

describe('desktop notifications', () => {
  it('tells a new or escalated P1/P2, opening the incident on click; not a P3', () => {
    expect(incidentNote(alert('1'))).toMatchObject({
      kind: 'incident',
      title: 'New P1: INC0010001',
      target: { view: 'incidents', id: 'INC0010001' },
      urgent: true,
    });
    expect(incidentNote(alert('2', 'escalated'))?.title).toBe('Escalated to P2: INC0010001');
    expect(incidentNote(alert('3'))).toBeNull();
  });

  it('tells a finished job (not a running one), opening the job', () => {
    expect(jobNote(job('running'))).toBeNull();
    expect(jobNote(job('failed'))).toMatchObject({
      title: 'Job #41 failed',
      target: { view: 'jobs', path: ['awx-prod', '41'] },
      urgent: true,
    });
    expect(jobNote(job('successful'))?.urgent).toBe(false);
  });

  it('tells an SLO that starts paging once; the first fleet is the baseline; stale data is no news', () => {
    const t = new BurnTracker();
    expect(t.update(fleetOf(['checkout']))).toEqual([]);
    expect(t.update(fleetOf(['checkout']))).toEqual([]);
    const notes = t.update(fleetOf(['checkout', 'search']));
    expect(notes.map((n) => [n.key, n.target])).toEqual([['burn:search', { view: 'slos', path: ['detail', 'search'] }]]);
    expect(t.update(fleetOf(['search'], true))).toEqual([]);
    expect(t.update(fleetOf([]))).toEqual([]);
    expect(t.update(fleetOf(['checkout'])).map((n) => n.key)).toEqual(['burn:checkout']);
  });

  it('honours the settings and the environment the switcher shows', () => {
    const note = incidentNote(alert('1'));
    if (!note) throw new Error('expected a note');
    const envOf = (id: string): string | undefined => (id === 'snow-prod' ? 'prod' : undefined);
    expect(noteAllowed(note, DEFAULT_UI_SETTINGS, envOf)).toBe(true);
    expect(
      noteAllowed(note, { ...DEFAULT_UI_SETTINGS, notifications: { ...DEFAULT_UI_SETTINGS.notifications, newP1P2: false } }, envOf),
    ).toBe(false);
    expect(noteAllowed(note, { ...DEFAULT_UI_SETTINGS, environment: 'prod' }, envOf)).toBe(true);
    expect(noteAllowed(note, { ...DEFAULT_UI_SETTINGS, environment: 'staging' }, envOf)).toBe(false);
  });

  it('remembers what it told, boundedly', () => {
    const s = new SeenKeys(3);
    expect(s.add('a')).toBe(true);
    expect(s.add('a')).toBe(false);
    for (const k of ['b', 'c', 'd', 'e']) s.add(k);
    expect(s.size).toBe(3);
    expect(s.add('a')).toBe(true);
  });
});
