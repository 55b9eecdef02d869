import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertLinks, grafanaDashboardUrl, incidentForAlert, runbooksForAlert, safeHttpUrl, type IncidentRef } from '@shared/alerts/links';

const incident = (over: Partial<IncidentRef>): IncidentRef => ({
  connectionId: 'snow',
  sys_id: 'a'.repeat(32),
  number: 'INC0010001',
  short_description: 'Disk full',
  state: { label: 'In Progress' },
  u_alert_name: 'DiskFull',
  u_alert_instance: 'db-1:9100',
  link: 'https://snow.example/nav_to.do?uri=incident.do%3Fsys_id%3Daaaa',
  ...over,
});

describe('Grafana dashboard links', () => {
  it('adds every label as var-<label>, encoded, and a time range around the alert', () => {
    const url = grafanaDashboardUrl(
      'https://grafana.example/d/abc/node',
      { instance: 'web-1:9100', job: 'node exporter', alertname: 'A&B' },
      { startsAt: '2026-01-01T10:00:00Z' },
    );
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('https://grafana.example/d/abc/node');
    expect(u.searchParams.get('var-instance')).toBe('web-1:9100');
    expect(u.searchParams.get('var-job')).toBe('node exporter');
    expect(u.searchParams.get('var-alertname')).toBe('A&B');
    expect(u.searchParams.get('from')).toBe(String(Date.parse('2026-01-01T10:00:00Z') - 3_600_000));
    expect(u.searchParams.get('to')).toBe('now');
  });

  it('keeps the base query, its variables and time range, and the hash', () => {
    const url = grafanaDashboardUrl(
      'https://g.example/d/x?orgId=2&var-env=prod&from=now-6h#panel',
      { env: 'dev', instance: 'a' },
      { startsAt: '2026-01-01T10:00:00Z' },
    );
    const u = new URL(url);
    expect(u.searchParams.get('orgId')).toBe('2');
    expect(u.searchParams.getAll('var-env')).toEqual(['prod']);
    expect(u.searchParams.get('var-instance')).toBe('a');
    expect(u.searchParams.get('from')).toBe('now-6h');
    expect(u.searchParams.get('to')).toBeNull();
    expect(u.hash).toBe('#panel');
  });

  it('any labels survive the round trip through URL parsing (property)', () => {
    const labelsArb = fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 6 });
    fc.assert(
      fc.property(labelsArb, (labels) => {
        const u = new URL(grafanaDashboardUrl('https://g.example/d/uid/name?orgId=1', labels));
        for (const [k, v] of Object.entries(labels)) expect(u.searchParams.get(`var-${k}`)).toBe(v);
        expect(u.searchParams.get('orgId')).toBe('1');
      }),
    );
  });
});

describe('safe links', () => {
  it('only passes absolute http(s) URLs', () => {
    expect(safeHttpUrl('https://runbooks.example/disk')).toBe('https://runbooks.example/disk');
    expect(safeHttpUrl(' http://x.example/a ')).toBe('http://x.example/a');
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('/relative')).toBeUndefined();
    expect(safeHttpUrl('https://')).toBeUndefined();
    expect(safeHttpUrl(undefined)).toBeUndefined();
  });
});

describe('incident for an alert', () => {
  it('prefers the incident with the same alert name and instance', () => {
    const list = [
      incident({ number: 'INC1', u_alert_instance: '' }),
      incident({ number: 'INC2', u_alert_instance: 'db-2:9100' }),
      incident({ number: 'INC3' }),
    ];
    expect(incidentForAlert({ alertname: 'DiskFull', instance: 'db-1:9100' }, list)).toMatchObject({ number: 'INC3', match: 'instance' });
  });
  it('matches instances with and without the port', () => {
    expect(incidentForAlert({ alertname: 'DiskFull', instance: 'db-1' }, [incident({})])).toMatchObject({
      number: 'INC0010001',
      match: 'instance',
    });
  });
  it('falls back to an incident naming the alert without an instance, never to another instance', () => {
    expect(
      incidentForAlert({ alertname: 'DiskFull', instance: 'db-9' }, [incident({ number: 'INC2', u_alert_instance: '' })]),
    ).toMatchObject({ number: 'INC2', match: 'name' });
    expect(incidentForAlert({ alertname: 'DiskFull', instance: 'db-9' }, [incident({})])).toBeUndefined();
    expect(incidentForAlert({ alertname: 'Other', instance: 'db-1:9100' }, [incident({})])).toBeUndefined();
    expect(incidentForAlert({ instance: 'db-1:9100' }, [incident({})])).toBeUndefined();
  });
});

describe('all links of an alert', () => {
  const runbooks = [
    { id: 'disk-cleanup', title: 'Disk cleanup', alerts: ['DiskFull', 'DiskAlmostFull'] },
    { id: 'restart', title: 'Restart', alerts: ['ServiceDown'] },
  ];
  it('uses runbook_url and dashboard_url annotations, console runbooks by alert name, and the incident', () => {
    const l = alertLinks(
      {
        labels: { alertname: 'DiskFull', instance: 'db-1:9100' },
        annotations: { runbook_url: 'https://wiki.example/disk', dashboard_url: 'https://grafana.example/d/disk' },
        startsAt: '2026-01-01T00:00:00Z',
        generatorURL: 'http://prom.example/graph?g0.expr=x',
      },
      { grafanaUrl: 'https://grafana.example/d/fallback', runbooks, incidents: [incident({})] },
    );
    expect(l).toEqual({
      runbookUrl: 'https://wiki.example/disk',
      dashboardUrl: 'https://grafana.example/d/disk',
      dashboardSource: 'annotation',
      generatorUrl: 'http://prom.example/graph?g0.expr=x',
      runbooks: [{ id: 'disk-cleanup', title: 'Disk cleanup' }],
      incident: expect.objectContaining({ number: 'INC0010001', sysId: 'a'.repeat(32), match: 'instance' }) as unknown,
    });
  });
  it('builds the dashboard from the workspace Grafana URL when the rule has none, and drops unsafe links', () => {
    const l = alertLinks(
      { labels: { alertname: 'ServiceDown', job: 'api' }, annotations: { runbook_url: 'javascript:alert(1)' } },
      { grafanaUrl: 'https://grafana.example/d/svc', runbooks, incidents: [] },
    );
    expect(l.runbookUrl).toBeUndefined();
    expect(l.dashboardSource).toBe('grafana');
    expect(l.dashboardUrl).toBe('https://grafana.example/d/svc?var-alertname=ServiceDown&var-job=api');
    expect(l.runbooks).toEqual([{ id: 'restart', title: 'Restart' }]);
    expect(l.incident).toBeUndefined();
  });
  it('has no dashboard without an annotation or a Grafana URL', () => {
    const l = alertLinks({ labels: { alertname: 'X' }, annotations: {} }, { runbooks: [], incidents: [] });
    expect(l).toEqual({ runbooks: [] });
    expect(runbooksForAlert(undefined, runbooks)).toEqual([]);
  });
});
