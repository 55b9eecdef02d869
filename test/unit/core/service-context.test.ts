// The service context decides what belongs to an SLO, alert, incident or job with one rule per kind; these
// tests feed it systems through its ports (the shapes the real features return) and check what it relates.
import { describe, expect, it } from 'vitest';
import { ServiceContextService } from '../../../electron/core/features/context/service-context';
import type { ContextPorts } from '../../../electron/core/features/context/service-context';
import type { IncidentDetail, IncidentRow } from '@shared/incidents/model';
import type { JobSummary } from '@shared/jobs/model';
import type { PromAlertView } from '@shared/slo/contract';
import { sloStatusFixture } from '../../helpers/slo-status';

const L = (value: string, label = value) => ({ value, label });
const E = { value: '', label: '' };

function row(over: Partial<IncidentRow> & { sys_id: string; number: string }): IncidentRow {
  return {
    short_description: over.number,
    priority: L('1', '1 - Critical'),
    state: L('2', 'In Progress'),
    hold_reason: E,
    assignment_group: E,
    assigned_to: E,
    cmdb_ci: E,
    opened_at: '2026-01-01 00:00:00',
    sys_updated_on: '2026-01-01 00:00:00',
    sla_due: '',
    sys_mod_count: 0,
    u_alert_name: '',
    u_alert_instance: '',
    ...over,
  };
}

function detail(r: IncidentRow, over: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    ...r,
    description: '',
    caller_id: E,
    opened_by: E,
    impact: E,
    urgency: E,
    category: E,
    subcategory: E,
    contact_type: E,
    business_service: E,
    close_code: E,
    close_notes: '',
    resolved_at: '',
    resolved_by: E,
    sys_created_on: '',
    sys_updated_by: '',
    made_sla: true,
    reassignment_count: 0,
    reopen_count: 0,
    journal: [],
    journalError: null,
    link: '',
    alert: r.u_alert_name ? { name: r.u_alert_name, instance: r.u_alert_instance } : null,
    ...over,
  };
}

const job = (id: number, over: Partial<JobSummary> = {}): JobSummary => ({
  connectionId: 'awx',
  connectionName: 'AWX',
  id,
  name: 'Restart service',
  status: 'successful',
  failed: false,
  launchType: 'manual',
  launchedBy: 'admin',
  templateId: 8,
  created: null,
  started: null,
  finished: '2026-01-01T00:00:00Z',
  elapsed: 3,
  limit: '',
  link: `http://awx/#/jobs/playbook/${id}/output`,
  ...over,
});

const promAlert = (labels: Record<string, string>, annotations: Record<string, string> = {}): PromAlertView => ({
  connectionId: 'prom',
  alertname: labels.alertname ?? '',
  state: 'firing',
  labels,
  annotations,
  value: 1,
  ...(labels.severity ? { severity: labels.severity } : {}),
});

const BURN = sloStatusFixture({
  id: 'notifications-delivery',
  service: 'notifications',
  burnRates: { '5m': 25, '30m': 20, '1h': 24, '2h': 10, '6h': 8, '1d': 3, '3d': 2 },
  alerts: [{ severity: 'page', long: '1h', short: '5m', factor: 14.4, longBurn: 24, shortBurn: 25 }],
});
const OTHER = sloStatusFixture({ id: 'checkout-availability', service: 'checkout' });
const SAME_SERVICE = sloStatusFixture({ id: 'notifications-latency', service: 'notifications' });

const INC_SLO = row({
  sys_id: 'a'.repeat(32),
  number: 'INC0000001',
  u_alert_name: 'ErrorBudgetBurn',
  u_alert_instance: 'notifications-delivery',
});
const INC_HOST = row({
  sys_id: 'b'.repeat(32),
  number: 'INC0000002',
  u_alert_name: 'HostDown',
  u_alert_instance: 'web-01:9100',
  cmdb_ci: L('ci1', 'web-01'),
});
const INC_CI = row({ sys_id: 'c'.repeat(32), number: 'INC0000003', cmdb_ci: L('ci1', 'web-01') });
const INC_OTHER = row({
  sys_id: 'd'.repeat(32),
  number: 'INC0000004',
  u_alert_name: 'ErrorBudgetBurn',
  u_alert_instance: 'checkout-availability',
});

function ports(over: Partial<ContextPorts> = {}): ContextPorts {
  const rows = [INC_SLO, INC_HOST, INC_CI, INC_OTHER];
  return {
    slos: {
      fleet: async () => ({ statuses: [BURN, OTHER, SAME_SERVICE] }),
      alerts: async () => ({
        alerts: [
          promAlert(
            { alertname: 'ErrorBudgetBurn', slo: 'notifications-delivery', severity: 'page' },
            { summary: 'burning 25x', runbook_url: 'http://console/runbooks/notify' },
          ),
          promAlert({ alertname: 'ErrorBudgetBurn', slo: 'checkout-availability', severity: 'ticket' }),
          promAlert({ alertname: 'HostDown', instance: 'web-01:9100' }),
        ],
        errors: [],
      }),
      indicator: async () => ({
        indicator: { kind: 'ratio', bad: 'http_requests_total{code=~"5.."}', total: 'http_requests_total', counter: true },
        connectionId: 'prom',
      }),
    },
    incidents: {
      connections: () => [{ id: 'snow', url: 'http://snow' }],
      queue: async () => rows,
      get: async (_c, sysId) => ({ ...detail(rows.find((r) => r.sys_id === sysId) ?? INC_CI), connectionId: 'snow' }),
      changes: async () => [],
    },
    runbooks: {
      suggest: async (input) =>
        input.alertName === 'HostDown' || input.ci === 'web-01'
          ? [
              {
                runbook: {
                  id: 'restart-service',
                  title: 'Restart a failed service',
                  file: '',
                  alerts: ['HostDown'],
                  services: [],
                  cis: [],
                  tags: [],
                  awx: { connection: null, template: 'Restart service' },
                  extraVars: {},
                  limit: null,
                  production: false,
                  problems: [],
                },
                reasons: ['alert HostDown'],
                score: 10,
                extraVars: {},
                limit: null,
                missing: [],
              },
            ]
          : [],
    },
    jobs: {
      recent: async () => ({
        jobs: [job(41, { incidentNumber: 'INC0000002', operator: 'j.doe' }), job(42, { incidentNumber: 'INC0000004' }), job(43)],
        problems: [],
      }),
      get: async (_c, id) => ({
        ...job(id, { incidentNumber: 'INC0000002' }),
        jobExplanation: '',
        resultTraceback: '',
        eventProcessingFinished: true,
        hostStatusCounts: null,
        inventory: null,
        extraVars: JSON.stringify({ incident_number: 'INC0000002', toc_operator: 'j.doe' }),
        production: false,
      }),
    },
    grafanaUrl: () => 'https://grafana.example.com/d/svc',
    prometheusUrl: () => 'http://prom:9090',
    ...over,
  };
}

describe('context of an SLO', () => {
  it("its service's SLOs, its burn alert, the incident that carries it; not the other SLO's", async () => {
    const c = await new ServiceContextService(ports()).of({ kind: 'slo', id: 'notifications-delivery' });
    expect(c.service).toBe('notifications');
    expect(c.slos.map((s) => s.id)).toEqual(['notifications-delivery', 'notifications-latency']);
    expect(c.slos[0]).toMatchObject({ burnRate: 25, paging: true });
    expect(c.alerts.map((a) => `${a.name}/${a.instance}`)).toEqual(['ErrorBudgetBurn/notifications-delivery']);
    expect(c.incidents.map((i) => [i.number, i.match])).toEqual([['INC0000001', 'alert']]);
    expect(c.incidents[0]?.link).toBe(`http://snow/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${'a'.repeat(32)}`)}`);
    expect(c.alert).toEqual({ name: 'ErrorBudgetBurn', instance: 'notifications-delivery' });
    expect(c.links.map((l) => l.label)).toEqual([
      'Grafana dashboard',
      'Error ratio in Prometheus',
      'Burn-rate alerts in Prometheus',
      'Runbook of ErrorBudgetBurn',
    ]);
    expect(c.links[0]?.url).toBe('https://grafana.example.com/d/svc?var-service=notifications&var-slo=notifications-delivery');
    expect(decodeURIComponent(c.links[1]?.url ?? '')).toContain(
      'g0.expr=sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
    );
    expect(c.problems).toEqual([]);
  });
});

describe('context of an incident', () => {
  it('by its alert and CI: the firing alert, the other incident on the CI, the one runbook, the jobs run for it', async () => {
    const c = await new ServiceContextService(ports()).of({ kind: 'incident', connectionId: 'snow', sysId: 'b'.repeat(32) });
    expect(c.alerts.map((a) => a.name)).toEqual(['HostDown']);
    expect(c.incidents.map((i) => [i.number, i.match])).toEqual([
      ['INC0000002', 'this incident'],
      ['INC0000003', 'CI'],
    ]);
    expect(c.runbooks.map((r) => r.id)).toEqual(['restart-service']);
    expect(c.jobs.map((j) => j.id)).toEqual([41, 43]);
    expect(c.jobs[0]).toMatchObject({ incidentNumber: 'INC0000002', operator: 'j.doe' });
  });
});

describe('context of a job', () => {
  it('goes back to the incident in its variables', async () => {
    const c = await new ServiceContextService(ports()).of({ kind: 'job', connectionId: 'awx', jobId: 41 });
    expect(c.incidents[0]).toMatchObject({ number: 'INC0000002', match: 'this incident', sysId: 'b'.repeat(32) });
    expect(c.links.some((l) => l.kind === 'awx' && l.url.endsWith('/41/output'))).toBe(true);
  });
});

describe('a system that fails or hangs', () => {
  it('adds a problem in its words and leaves the other parts', async () => {
    const c = await new ServiceContextService(
      ports({
        jobs: { recent: () => Promise.reject(new Error('AWX answered 502')), get: () => Promise.reject(new Error('x')) },
      }),
    ).of({ kind: 'slo', id: 'notifications-delivery' });
    expect(c.problems).toEqual(['Jobs: AWX answered 502']);
    expect(c.incidents).toHaveLength(1);
  });

  it('an AWX connection that does not answer is a problem, never "no recent jobs"', async () => {
    // jobs.list answers per connection: the jobs of those that answered, and a problem for each that did not.
    const refused = 'Demo AWX: nothing is listening at 127.0.0.1:47004 (connection refused).';
    const c = await new ServiceContextService(
      ports({
        jobs: { recent: async () => ({ jobs: [], problems: [refused] }), get: () => Promise.reject(new Error('x')) },
      }),
    ).of({ kind: 'slo', id: 'notifications-delivery' });
    expect(c.problems).toEqual([`Jobs: ${refused}`]);
    expect(c.jobs).toEqual([]);
  });

  it('an unknown SLO says so', async () => {
    const c = await new ServiceContextService(ports()).of({ kind: 'slo', id: 'nope' });
    expect(c.problems).toEqual(['No SLO "nope" in the fleet.']);
    expect(c.incidents).toEqual([]);
  });
});
