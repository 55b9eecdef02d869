// "Open an incident" from an alert or a burning SLO against the ServiceNow simulator: the duplicate guard (the
// same alert twice, or at once, makes one incident), the webhook's fields (priority from severity through
// impact/urgency, description with summary/runbook/dashboard, assignment group and category from the
// workspace, u_alert_source), grouping duplicates under a parent, and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';
import type { AlertForIncident } from '@shared/incidents/alert-incident';

let sim: SnowSim;
let h: SnowHarness;
let n = 0;

const carrying = (name: string, instance: string): Row[] =>
  sim
    .table('incident')
    .all()
    .filter((r) => r.u_alert_name === name && r.u_alert_instance === instance);
const posts = () => sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/table/incident'));

/** An alert name no other test uses. */
function alert(over: Partial<AlertForIncident> = {}): AlertForIncident {
  n++;
  return {
    name: `LoopTestAlert${n}`,
    instance: `web-${n}:9100`,
    severity: 'critical',
    summary: `Web ${n} answers 5xx`,
    description: 'Error ratio above 5% for 10 minutes.',
    runbookUrl: 'http://127.0.0.1:1/runbooks/restart-service',
    dashboardUrl: 'https://grafana.example.com/d/web?var-instance=web',
    service: 'Storefront',
    source: 'alertmanager',
    ...over,
  };
}

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 40, seed: 13 });
  h = await snowHarness(sim, {
    workspaceLines: ['incidents:', '  assignmentGroup: Linux Operations', '  category: software', '  priorities: {warning: 2, ticket: 4}'],
  });
});

afterAll(async () => {
  await h.close();
  await sim.stop();
});

describe('the duplicate guard', () => {
  it('the same alert twice: one incident, the second call links it', async () => {
    const a = alert();
    const first = await h.ok('incidents.openFromAlert', { alert: a });
    const second = await h.ok('incidents.openFromAlert', { alert: a });
    expect(first.outcome).toBe('created');
    expect(second.outcome).toBe('linked');
    expect(second.incident.sys_id).toBe(first.incident.sys_id);
    expect(second.message).toBe(`${first.incident.number} already carries alert ${a.name} on ${a.instance}: linked, no new incident`);
    expect(carrying(a.name, a.instance)).toHaveLength(1);
    const log = await h.core.services.audit.list({ limit: 50 });
    expect(log.filter((e) => e.action === 'incidents.from_alert' && e.remoteRef === first.incident.sys_id).map((e) => e.outcome)).toEqual([
      'ok',
      'ok',
    ]);
  });

  it('ten calls for the same alert at once (a double click, two views): still one incident', async () => {
    const a = alert();
    sim.clearRequests();
    const all = await Promise.all(Array.from({ length: 10 }, () => h.ok('incidents.openFromAlert', { alert: a })));
    expect(all.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(new Set(all.map((r) => r.incident.sys_id)).size).toBe(1);
    expect(carrying(a.name, a.instance)).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });

  it('another instance of the alert, or a resolved incident for it, does not count: a new incident', async () => {
    const a = alert();
    const first = await h.ok('incidents.openFromAlert', { alert: a });
    const other = await h.ok('incidents.openFromAlert', { alert: { ...a, instance: 'web-other:9100' } });
    expect(other.outcome).toBe('created');
    sim.closeIncident(first.incident.sys_id);
    const again = await h.ok('incidents.openFromAlert', { alert: a });
    expect(again.outcome).toBe('created');
    expect(again.incident.sys_id).not.toBe(first.incident.sys_id);
  });

  it('a caret in the alert name cannot widen the lookup (it is escaped, not an OR)', async () => {
    const open = sim.addIncident({ short_description: 'unrelated', u_alert_name: 'Other', u_alert_instance: 'x' });
    const a = alert({ name: `Evil^ORu_alert_name=Other`, instance: `x` });
    const r = await h.ok('incidents.openFromAlert', { alert: a });
    expect(r.outcome).toBe('created');
    expect(r.incident.sys_id).not.toBe(open.sys_id);
    expect(sim.table('incident').get(r.incident.sys_id)?.u_alert_name).toBe('Evil^ORu_alert_name=Other');
  });
});

describe('what the new incident carries', () => {
  it('critical → priority 1 through impact 1 / urgency 1; description, group, category, source', async () => {
    const a = alert({ labels: { alertname: 'x', team: 'web' }, runbookTitle: 'Restart a failed service' });
    const r = await h.ok('incidents.openFromAlert', { alert: a });
    const row = sim.table('incident').get(r.incident.sys_id) ?? {};
    const linux = sim
      .table('sys_user_group')
      .all()
      .find((g) => g.name === 'Linux Operations')?.sys_id;
    expect(row).toMatchObject({
      impact: '1',
      urgency: '1',
      priority: '1',
      u_alert_name: a.name,
      u_alert_instance: a.instance,
      u_alert_source: 'Alertmanager',
      assignment_group: linux,
      category: 'software',
      short_description: `[Alertmanager] ${a.name}: Web ${n} answers 5xx`,
    });
    expect(row.description).toContain(`Summary: Web ${n} answers 5xx`);
    expect(row.description).toContain('Runbook: http://127.0.0.1:1/runbooks/restart-service');
    expect(row.description).toContain('Console runbook: Restart a failed service');
    expect(row.description).toContain('Dashboard: https://grafana.example.com/d/web?var-instance=web');
    expect(row.description).toContain(`by ${sim.credentials.username} via TOC Console`);
    expect(r.message).toMatch(new RegExp(`^${r.incident.number} opened for alert ${a.name} on ${a.instance} \\(priority 1 - Critical\\)$`));
    expect(r.link).toContain(r.incident.sys_id);
    // "Open in ServiceNow" leads to a page of the record in the simulator, not a 404.
    const page = await fetch(r.link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<title>${r.incident.number} — ServiceNow simulator</title>`);
    expect((await fetch(`${sim.url}/nav_to.do?uri=${encodeURIComponent('incident.do?sys_id=' + 'f'.repeat(32))}`)).status).toBe(404);
  });

  it('severity from the workspace map (warning → 2), the defaults (info → 5), unknown → 3; a non-http runbook link is left out', async () => {
    const cases: [string, string][] = [
      ['warning', '2'],
      ['WARNING', '2'],
      ['ticket', '4'],
      ['info', '5'],
      ['something-else', '3'],
    ];
    for (const [severity, priority] of cases) {
      const r = await h.ok('incidents.openFromAlert', { alert: alert({ severity, runbookUrl: 'javascript:alert(1)' }) });
      const row = sim.table('incident').get(r.incident.sys_id) ?? {};
      expect([severity, row.priority]).toEqual([severity, priority]);
      expect(row.description).not.toContain('javascript:');
    }
  });

  it('a burning SLO: the SLO is the instance, the source says so', async () => {
    const r = await h.ok('incidents.openFromAlert', {
      alert: { name: 'ErrorBudgetBurn', instance: 'notifications-delivery', severity: 'page', summary: 'burning 25x', source: 'slo' },
    });
    expect(sim.table('incident').get(r.incident.sys_id)).toMatchObject({
      u_alert_name: 'ErrorBudgetBurn',
      u_alert_instance: 'notifications-delivery',
      u_alert_source: 'SLO burn rate',
      priority: '1',
    });
  });
});

describe('duplicates made elsewhere', () => {
  it('links the oldest, lists the others, and files a duplicate under it as parent; a loop is refused', async () => {
    const a = alert();
    const older = sim.addIncident({ short_description: 'dup 1', u_alert_name: a.name, u_alert_instance: a.instance });
    const newer = sim.addIncident({ short_description: 'dup 2', u_alert_name: a.name, u_alert_instance: a.instance });
    sim.update('incident', newer.sys_id ?? '', { opened_at: '2099-01-01 00:00:00' });
    const r = await h.ok('incidents.openFromAlert', { alert: a });
    expect(r.outcome).toBe('linked');
    expect(r.incident.sys_id).toBe(older.sys_id);
    expect(r.others.map((o) => o.sys_id)).toEqual([newer.sys_id]);
    expect(r.message).toContain('(1 more open with the same alert)');

    const child = await h.ok('incidents.setParent', {
      sysId: newer.sys_id ?? '',
      parentSysId: older.sys_id ?? '',
      seenModCount: Number(sim.table('incident').get(newer.sys_id ?? '')?.sys_mod_count),
    });
    expect(sim.table('incident').get(newer.sys_id ?? '')?.parent_incident).toBe(older.sys_id);
    expect(child.message).toBe(`${newer.number} filed under ${older.number} (same alert)`);

    const loop = await h.err('incidents.setParent', {
      sysId: older.sys_id ?? '',
      parentSysId: newer.sys_id ?? '',
      seenModCount: Number(sim.table('incident').get(older.sys_id ?? '')?.sys_mod_count),
    });
    expect(loop.code).toBe('validation');
    expect(sim.table('incident').get(older.sys_id ?? '')?.parent_incident).toBe('');
    const self = await h.err('incidents.setParent', { sysId: older.sys_id ?? '', parentSysId: older.sys_id ?? '', seenModCount: 0 });
    expect(self.message).toBe('An incident cannot be its own parent.');
  });
});

describe('refusals lose nothing', () => {
  it('an assignment group the instance does not have: refused with the workspace field, nothing created', async () => {
    const bad = await snowHarness(sim, { workspaceLines: ['incidents:', '  assignmentGroup: No Such Team'] });
    try {
      const a = alert();
      sim.clearRequests();
      const e = await bad.err('incidents.openFromAlert', { alert: a });
      expect(e.code).toBe('config');
      expect(e.message).toContain('"No Such Team" is not an active group');
      expect(posts()).toHaveLength(0);
      expect(carrying(a.name, a.instance)).toHaveLength(0);
      const log = await bad.core.services.audit.list({ limit: 5 });
      expect(log[0]).toMatchObject({ action: 'incidents.from_alert', outcome: 'error' });
    } finally {
      await bad.close();
    }
  });

  it('ServiceNow refusing the insert (a write ACL) is quoted; nothing is left behind, and a retry works', async () => {
    const a = alert();
    sim.setAcl({ readOnlyTables: ['incident'] });
    try {
      const e = await h.err('incidents.openFromAlert', { alert: a });
      expect(e.code).toBe('forbidden');
      expect(e.detail?.remoteMessage ?? e.message).toMatch(/ACL Exception Insert Failed due to security constraints/);
    } finally {
      sim.setAcl(undefined);
    }
    expect(carrying(a.name, a.instance)).toHaveLength(0);
    const retry = await h.ok('incidents.openFromAlert', { alert: a });
    expect(retry.outcome).toBe('created');
    expect(carrying(a.name, a.instance)).toHaveLength(1);
  });

  it('wall mode refuses it as an action', async () => {
    const wall = await snowHarness(sim, { wall: true });
    try {
      expect((await wall.err('incidents.openFromAlert', { alert: alert() })).code).toBe('read_only');
    } finally {
      await wall.close();
    }
  });
});
