import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import type { MethodInput, MethodName, MethodOutput } from '@shared/contract';
import type { ContractError, Result } from '@shared/kernel/result';
import { formatMatcher, targetMatchers, type Matcher } from '@shared/alerts/matchers';
import { startAlertmanager, type AlertmanagerHandle, type PostableAlert } from '../helpers/alertmanager';
import { fakeSecrets } from '../helpers/fake-secrets';
import { startServiceNowSim, type SnowSim } from '../sim/servicenow';
import { startAwxSim, type AwxSim } from '../sim/awx';

// The alerts feature against the real Alertmanager from Debian (0.25) through the core's contract, with the
// ServiceNow simulator for incident links and work notes and the AWX simulator (real ansible-playbook runs) for
// job-scoped silences launched through jobs.launch.

const RUNBOOKS: Record<string, string> = {
  'disk-cleanup.md': `---
title: Disk cleanup
alerts: [AmTestDiskFull]
awx: {connection: awx, template: Disk cleanup}
---

# Disk cleanup
`,
  'fail-on-one-host.md': `---
title: Fail on one host
alerts: [HighCPU]
awx: {connection: awx, template: Fail on one host}
---

# Fail on one host
`,
  'viewer-cannot-launch.md': `---
title: Viewer cannot launch
awx: {connection: awx-viewer, template: Disk cleanup}
---

# Launched with a read-only token
`,
};

const GRAFANA = 'https://grafana.example/d/node-exporter/node?orgId=1';

const ALERTS: PostableAlert[] = [
  {
    labels: { alertname: 'HighCPU', service: 'web', instance: 'web-1', severity: 'critical' },
    annotations: { summary: 'CPU above 95%', runbook_url: 'https://wiki.example/cpu' },
  },
  { labels: { alertname: 'HighCPU', service: 'web', instance: 'web-2', severity: 'warning' }, annotations: { summary: 'CPU above 80%' } },
  { labels: { alertname: 'Latency', service: 'web', instance: 'web-1', severity: 'warning' } },
  {
    labels: { alertname: 'AmTestDiskFull', service: 'db', instance: 'db-1:9100', severity: 'warning', team: 'db' },
    annotations: { dashboard_url: 'https://grafana.example/d/disk?var-host=db-1' },
  },
  { labels: { alertname: 'AmTestDiskFull', service: 'db', instance: 'db-2:9100', severity: 'warning', team: 'db' } },
  { labels: { alertname: 'Latency', service: 'api', instance: 'api-1', severity: 'warning' } },
];

const eq = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });
const ne = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: false });
const re = (name: string, value: string): Matcher => ({ name, value, isRegex: true, isEqual: true });
const nre = (name: string, value: string): Matcher => ({ name, value, isRegex: true, isEqual: false });

interface AmAlertJson {
  fingerprint: string;
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

let am: AlertmanagerHandle;
let amGc: AlertmanagerHandle;
let snow: SnowSim;
let awx: AwxSim;
let core: Core;
let dir: string;
let incidentSysId = '';

const ctx = { transport: 'direct' as const, signal: new AbortController().signal };
const call = async <M extends MethodName>(method: M, args: MethodInput<M>): Promise<Result<MethodOutput<M>>> =>
  (await core.dispatcher.call(method, args, ctx)) as Result<MethodOutput<M>>;
async function ok<M extends MethodName>(method: M, args: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await call(method, args);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
  return r.data;
}
async function err<M extends MethodName>(method: M, args: MethodInput<M>): Promise<ContractError> {
  const r = await call(method, args);
  if (r.ok) throw new Error(`${method} succeeded where a failure was expected`);
  return r.error;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const inHours = (h: number): string => new Date(Date.now() + h * 3_600_000).toISOString();

async function amAlerts(handle = am): Promise<AmAlertJson[]> {
  return handle.get<AmAlertJson[]>('/api/v2/alerts');
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  [am, amGc, snow, awx] = await Promise.all([
    startAlertmanager(),
    // Expired silences are deleted a second after they expire: their ids then answer 404.
    startAlertmanager({ retention: '1s', maintenanceInterval: '1s' }),
    startServiceNowSim({ seed: 7, incidents: 30 }),
    startAwxSim({ wsMode: 'lossy', seed: 3 }),
  ]);
  incidentSysId =
    snow.addIncident({
      short_description: 'Disk almost full on db-1',
      impact: '2',
      urgency: '2',
      u_alert_name: 'AmTestDiskFull',
      u_alert_instance: 'db-1:9100',
    }).sys_id ?? '';
  await Promise.all([am.postAlerts(ALERTS), amGc.postAlerts(ALERTS.slice(0, 2))]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-alerts-'));
  const runbookDir = path.join(dir, 'runbooks');
  mkdirSync(runbookDir);
  for (const [name, text] of Object.entries(RUNBOOKS)) writeFileSync(path.join(runbookDir, name), text);
  const viewerToken = awx.issueToken('viewer');
  const file = path.join(dir, 'toc.yaml');
  writeFileSync(
    file,
    [
      'name: Alert tests',
      `grafana: {url: "${GRAFANA}"}`,
      'connections:',
      '  - id: am',
      '    kind: alertmanager',
      '    name: Alertmanager (test)',
      `    url: ${am.url}`,
      '    auth: {type: none}',
      '  - id: am-gc',
      '    kind: alertmanager',
      '    name: Alertmanager (short retention)',
      `    url: ${amGc.url}`,
      '    auth: {type: none}',
      '  - id: snow',
      '    kind: servicenow',
      '    name: ServiceNow sim',
      `    url: ${snow.url}`,
      `    auth: {type: basic, username: ${snow.credentials.username}, password: {secret: {keychain: "snow:password"}}}`,
      '  - id: awx',
      '    kind: awx',
      '    name: AWX sim',
      `    url: ${awx.url}`,
      `    apiBasePath: ${awx.apiBase}`,
      '    auth: {type: bearer, token: {secret: {keychain: "awx:token"}}}',
      '  - id: awx-viewer',
      '    kind: awx',
      '    name: AWX sim (viewer)',
      `    url: ${awx.url}`,
      `    apiBasePath: ${awx.apiBase}`,
      '    auth: {type: bearer, token: {secret: {keychain: "awx:viewer"}}}',
      'runbooks:',
      `  folders: [${JSON.stringify(runbookDir)}]`,
      '',
    ].join('\n'),
  );
  core = await createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: file,
    dataDir: path.join(dir, 'data'),
    secrets: fakeSecrets({ 'snow:password': snow.credentials.password, 'awx:token': awx.token, 'awx:viewer': viewerToken }),
    validateOutput: true,
  });
});

afterAll(async () => {
  await core?.dispose();
  await Promise.all([am?.stop(), amGc?.stop(), snow?.stop(), awx?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Alertmanager connection', () => {
  it('tests the connection with GET /api/v2/status: version and cluster status', async () => {
    const probe = await ok('connections.test', { id: 'am' });
    expect(probe.ok).toBe(true);
    expect(probe.version).toBe('Alertmanager 0.25.0');
    expect(probe.steps).toEqual([{ name: 'GET /api/v2/status', ok: true, message: 'Alertmanager 0.25.0, cluster disabled' }]);
  });

  it('says what answered when the URL is not an Alertmanager', async () => {
    const spec = {
      id: 'am-wrong',
      kind: 'alertmanager' as const,
      name: 'Not an Alertmanager',
      url: `${snow.url}/nothing`,
      auth: { type: 'none' as const },
    };
    await ok('connections.save', { spec });
    const probe = await ok('connections.test', { id: 'am-wrong' });
    expect(probe.ok).toBe(false);
    expect(probe.steps[0]?.message).toMatch(/Not an Alertmanager answered (40\d|\d{3})/);
    await ok('connections.remove', { id: 'am-wrong' });
  });
});

describe('alert groups', () => {
  it('groups as the route says (group_by alertname, service), with each group receiver', async () => {
    const g = await ok('alerts.groups', { connectionId: 'am' });
    const summary = g.groups
      .map(
        (x) =>
          `${x.receiver} ${x.labels.alertname}/${x.labels.service}: ${x.alerts
            .map((a) => a.labels.instance)
            .sort()
            .join(',')}`,
      )
      .sort();
    expect(summary).toEqual([
      'dba AmTestDiskFull/db: db-1:9100,db-2:9100',
      'default HighCPU/web: web-1,web-2',
      'default Latency/api: api-1',
      'default Latency/web: web-1',
    ]);
    expect(Object.keys(g.groups[0]?.labels ?? {}).sort()).toEqual(['alertname', 'service']);
    expect(g.connectionName).toBe('Alertmanager (test)');
  });

  it('shows state: an alert inhibited by a critical one on the same instance is suppressed, with what inhibits it', async () => {
    const g = await ok('alerts.groups', { connectionId: 'am' });
    const all = g.groups.flatMap((x) => x.alerts);
    const critical = all.find((a) => a.labels.alertname === 'HighCPU' && a.labels.instance === 'web-1');
    const latency = all.find((a) => a.labels.alertname === 'Latency' && a.labels.instance === 'web-1');
    expect(critical?.state).toBe('active');
    expect(latency?.state).toBe('suppressed');
    expect(latency?.inhibitedBy).toEqual([critical?.fingerprint]);
    expect(latency?.silencedBy).toEqual([]);
    expect(Date.parse(latency?.startsAt ?? '')).toBeGreaterThan(Date.now() - 120_000);
    const active = await ok('alerts.groups', { connectionId: 'am', suppressed: false });
    expect(active.groups.flatMap((x) => x.alerts).some((a) => a.fingerprint === latency?.fingerprint)).toBe(false);
  });

  it('links each alert: runbook_url, dashboard_url or Grafana with var-<label>, and the incident that carries it', async () => {
    const g = await ok('alerts.groups', { connectionId: 'am' });
    const all = g.groups.flatMap((x) => x.alerts);
    const cpu = all.find((a) => a.labels.alertname === 'HighCPU' && a.labels.instance === 'web-1');
    expect(cpu?.annotations.summary).toBe('CPU above 95%');
    expect(cpu?.links.runbookUrl).toBe('https://wiki.example/cpu');
    expect(cpu?.links.dashboardSource).toBe('grafana');
    const dash = new URL(cpu?.links.dashboardUrl ?? '');
    expect(dash.origin + dash.pathname).toBe('https://grafana.example/d/node-exporter/node');
    expect(dash.searchParams.get('orgId')).toBe('1');
    expect(dash.searchParams.get('var-instance')).toBe('web-1');
    expect(dash.searchParams.get('var-severity')).toBe('critical');
    expect(cpu?.links.incident).toBeUndefined();

    const disk = all.find((a) => a.labels.alertname === 'AmTestDiskFull' && a.labels.instance === 'db-1:9100');
    expect(disk?.links.dashboardUrl).toBe('https://grafana.example/d/disk?var-host=db-1');
    expect(disk?.links.dashboardSource).toBe('annotation');
    expect(disk?.links.incident).toMatchObject({
      connectionId: 'snow',
      sysId: incidentSysId,
      match: 'instance',
      shortDescription: 'Disk almost full on db-1',
    });
    expect(disk?.links.incident?.link).toContain(`${snow.url}/nav_to.do?uri=`);
    expect(disk?.links.runbooks).toEqual([{ id: 'disk-cleanup', title: 'Disk cleanup' }]);
    expect(cpu?.links.runbooks).toEqual([{ id: 'fail-on-one-host', title: 'Fail on one host' }]);
    const disk2 = all.find((a) => a.labels.instance === 'db-2:9100');
    expect(disk2?.links.incident).toBeUndefined();
    expect(g.linkProblems).toEqual([]);
  });

  it('answers not_configured for an unknown kind of connection and bad_request for a non-Alertmanager one', async () => {
    expect((await err('alerts.groups', { connectionId: 'snow' })).code).toBe('bad_request');
    expect((await err('alerts.groups', { connectionId: 'nope' })).code).toBe('not_configured');
  });
});

describe('matchers: the preview judges like Alertmanager does', () => {
  const sets: Matcher[][] = [
    [re('instance', '(?i)WEB-1')],
    [nre('severity', 'crit.*')],
    [eq('team', '')],
    [re('alertname', 'High.*|AmTest.*'), ne('instance', 'db-2:9100')],
    [re('instance', '[[:alpha:]]+-[[:digit:]]')],
    [re('service', 'we')],
    [re('instance', 'db-\\d:9100'), eq('service', 'db')],
  ];
  for (const set of sets) {
    it(`{${set.map(formatMatcher).join(', ')}} selects the same alerts as Alertmanager's own filter`, async () => {
      const preview = await ok('alerts.previewSilence', { connectionId: 'am', matchers: set });
      const query = set.map((m) => `filter=${encodeURIComponent(formatMatcher(m))}`).join('&');
      const theirs = await am.get<AmAlertJson[]>(`/api/v2/alerts?${query}`);
      expect(preview.matching.map((a) => a.fingerprint).sort()).toEqual(theirs.map((a) => a.fingerprint).sort());
      expect(preview.considered).toBe(ALERTS.length);
    });
  }

  it('reports a regex it cannot compile, by matcher index', async () => {
    const p = await ok('alerts.previewSilence', { connectionId: 'am', matchers: [eq('service', 'web'), re('instance', 'web-(')] });
    expect(p.matching).toEqual([]);
    expect(p.problems).toEqual([{ index: 1, message: expect.stringMatching(/invalid regular expression "web-\("/) as unknown }]);
  });
});

describe('silences', () => {
  it('creates a silence that suppresses exactly the alerts the preview showed, and not others', async () => {
    const matchers = [eq('service', 'web'), ne('severity', 'critical'), re('instance', 'web-.*')];
    const preview = await ok('alerts.previewSilence', { connectionId: 'am', matchers });
    expect(preview.matching.map((a) => `${a.labels.alertname}@${a.labels.instance}`).sort()).toEqual(['HighCPU@web-2', 'Latency@web-1']);
    const created = await ok('alerts.createSilence', {
      connectionId: 'am',
      matchers,
      endsAt: inHours(1),
      createdBy: 'alice',
      comment: 'maintenance on the web tier, CHG0040001',
    });
    expect(created.silence).toMatchObject({
      state: 'active',
      createdBy: 'alice',
      comment: 'maintenance on the web tier, CHG0040001',
      matchers,
    });
    const id = created.silence.id;
    const after = await amAlerts();
    const silenced = after
      .filter((a) => a.status.silencedBy.includes(id))
      .map((a) => a.fingerprint)
      .sort();
    expect(silenced).toEqual(preview.matching.map((a) => a.fingerprint).sort());
    for (const a of after.filter((x) => !silenced.includes(x.fingerprint))) expect(a.status.silencedBy).not.toContain(id);
    expect(after.find((a) => a.labels.alertname === 'HighCPU' && a.labels.instance === 'web-2')?.status.state).toBe('suppressed');

    const audit = await core.services.audit.list({ limit: 20 });
    const entry = audit.find((e) => e.action === 'alerts.silence.create' && e.remoteRef === id);
    expect(entry).toMatchObject({ outcome: 'ok', connectionId: 'am' });
    expect(entry?.id).toBe(created.auditId);
    expect(entry?.target).toContain('service="web"');

    const list = await ok('alerts.silences', { connectionId: 'am' });
    expect(list.active.find((s) => s.id === id)?.silencedAlerts).toBe(2);

    const expired = await ok('alerts.expireSilence', { connectionId: 'am', id });
    expect(expired).toMatchObject({ id, wasAlreadyExpired: false });
    const back = await amAlerts();
    expect(back.find((a) => a.labels.alertname === 'HighCPU' && a.labels.instance === 'web-2')?.status).toMatchObject({
      state: 'active',
      silencedBy: [],
    });
    expect((await core.services.audit.list({ limit: 5 })).find((e) => e.id === expired.auditId)).toMatchObject({
      action: 'alerts.silence.expire',
      outcome: 'ok',
      remoteRef: id,
    });
  });

  it('lists silences as active, pending and expired', async () => {
    const active = await ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'api-1')],
      endsAt: inHours(2),
      createdBy: 'bob',
      comment: 'api deploy',
    });
    const pending = await ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'db-2:9100')],
      startsAt: inHours(24),
      endsAt: inHours(26),
      createdBy: 'bob',
      comment: 'tomorrow: disk swap',
    });
    expect(pending.silence.state).toBe('pending');
    const gone = await ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'web-2')],
      endsAt: inHours(1),
      createdBy: 'bob',
      comment: 'short',
    });
    await ok('alerts.expireSilence', { connectionId: 'am', id: gone.silence.id });
    const list = await ok('alerts.silences', { connectionId: 'am' });
    expect(list.active.map((s) => s.id)).toContain(active.silence.id);
    expect(list.pending.map((s) => s.id)).toEqual([pending.silence.id]);
    expect(list.expired.map((s) => s.id)).toContain(gone.silence.id);
    expect(list.active.find((s) => s.id === active.silence.id)?.silencedAlerts).toBe(1);
    // A pending silence silences nothing yet.
    expect((await amAlerts()).find((a) => a.labels.instance === 'db-2:9100')?.status.silencedBy).toEqual([]);
    await ok('alerts.expireSilence', { connectionId: 'am', id: active.silence.id });
    await ok('alerts.expireSilence', { connectionId: 'am', id: pending.silence.id });
  });

  it('extends a silence in place: same id, new end, audited', async () => {
    const created = await ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'api-1')],
      endsAt: inHours(1),
      createdBy: 'carol',
      comment: 'api restart',
    });
    const newEnd = inHours(3);
    const extended = await ok('alerts.extendSilence', { connectionId: 'am', id: created.silence.id, endsAt: newEnd });
    expect(extended.silence.id).toBe(created.silence.id);
    expect(extended.replacedId).toBeUndefined();
    expect(Date.parse(extended.silence.endsAt)).toBe(Date.parse(newEnd));
    expect(extended.silence).toMatchObject({ createdBy: 'carol', comment: 'api restart', state: 'active' });
    const list = await ok('alerts.silences', { connectionId: 'am' });
    expect(list.active.filter((s) => s.id === created.silence.id)).toHaveLength(1);
    expect((await core.services.audit.list({ limit: 5 })).find((e) => e.id === extended.auditId)).toMatchObject({
      action: 'alerts.silence.extend',
      outcome: 'ok',
    });
    await ok('alerts.expireSilence', { connectionId: 'am', id: created.silence.id });
  });

  it('refuses to extend an expired silence (Alertmanager would mint a new one) and expiring twice says it was already expired', async () => {
    const created = await ok('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'web-1')],
      endsAt: inHours(1),
      createdBy: 'dave',
      comment: 'x',
    });
    await ok('alerts.expireSilence', { connectionId: 'am', id: created.silence.id });
    const e = await err('alerts.extendSilence', { connectionId: 'am', id: created.silence.id, endsAt: inHours(2) });
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/expired at/);
    expect((await ok('alerts.expireSilence', { connectionId: 'am', id: created.silence.id })).wasAlreadyExpired).toBe(true);
  });
});

describe("errors in Alertmanager's own words", () => {
  it('quotes the 400 for a bad matcher and audits the failure', async () => {
    const e = await err('alerts.createSilence', {
      connectionId: 'am',
      matchers: [re('instance', 'web-(')],
      endsAt: inHours(1),
      createdBy: 'eve',
      comment: 'typo',
    });
    expect(e.code).toBe('validation');
    expect(e.detail?.status).toBe(400);
    expect(e.detail?.remoteMessage).toBe(
      'silence invalid: invalid label matcher 0: invalid regular expression "web-(": error parsing regexp: missing closing ): `web-(`',
    );
    expect(e.message).toContain('Alertmanager (test) answered 400');
    const audit = await core.services.audit.list({ limit: 5 });
    expect(audit.find((x) => x.action === 'alerts.silence.create' && x.outcome === 'error')?.message).toContain(
      'invalid regular expression',
    );
  });

  it('quotes the 400 for matchers that would match every alert', async () => {
    const e = await err('alerts.createSilence', {
      connectionId: 'am',
      matchers: [re('instance', '.*')],
      endsAt: inHours(1),
      createdBy: 'eve',
      comment: 'too broad',
    });
    expect(e.detail).toMatchObject({ status: 400, remoteMessage: 'silence invalid: at least one matcher must not match the empty string' });
  });

  it('quotes the 400 for an end before the start', async () => {
    const e = await err('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'x')],
      startsAt: inHours(2),
      endsAt: inHours(1),
      createdBy: 'eve',
      comment: 'backwards',
    });
    expect(e.detail).toMatchObject({ status: 400, remoteMessage: 'Failed to create silence: start time must be before end time' });
  });

  it('requires creator and comment before anything is sent', async () => {
    const e = await err('alerts.createSilence', {
      connectionId: 'am',
      matchers: [eq('instance', 'x')],
      endsAt: inHours(1),
      createdBy: '  ',
      comment: '',
    });
    expect(e.code).toBe('bad_request');
    expect(e.detail?.fields?.map((f) => f.path).sort()).toEqual(['comment', 'createdBy']);
  });

  it('answers 404 for the id of an expired silence Alertmanager has deleted', async () => {
    const created = await ok('alerts.createSilence', {
      connectionId: 'am-gc',
      matchers: [eq('instance', 'web-1')],
      endsAt: inHours(1),
      createdBy: 'frank',
      comment: 'soon gone',
    });
    const id = created.silence.id;
    await ok('alerts.expireSilence', { connectionId: 'am-gc', id });
    await waitFor('the expired silence to be garbage-collected', async () => {
      const r = await fetch(`${amGc.url}/api/v2/silence/${id}`);
      await r.text();
      return r.status === 404 ? true : undefined;
    });
    const extend = await err('alerts.extendSilence', { connectionId: 'am-gc', id, endsAt: inHours(2) });
    expect(extend.code).toBe('not_found');
    expect(extend.detail?.status).toBe(404);
    expect(extend.message).toContain(`has no silence ${id}`);
    const expire = await err('alerts.expireSilence', { connectionId: 'am-gc', id });
    expect(expire.code).toBe('not_found');
    // Alertmanager 0.25 answers this DELETE with 500 "silence not found" (later versions: 404).
    expect(expire.detail?.remoteMessage).toBe('silence not found');
  });
});

describe('job-scoped silence: "silence this target\'s alerts while the job runs"', () => {
  const jobSilence = async (jobId: number) => (await ok('alerts.jobSilences', {})).find((j) => j.jobId === jobId);
  const stateOf = async (alertname: string, instance: string) =>
    (await amAlerts()).find((a) => a.labels.alertname === alertname && a.labels.instance === instance)?.status;

  it('is created before the launch, holds while the job runs, and is expired when the job succeeds — with work notes on the incident', async () => {
    const matchers = targetMatchers('db-1');
    const launched = await ok('jobs.launch', {
      runbookId: 'disk-cleanup',
      incident: { connectionId: 'snow', sysId: incidentSysId, number: 'INC-test' },
      silenceWhileRunning: { connectionId: 'am', matchers },
    });
    const jobId = launched.job.id;
    // Right after the launch answers, the job has not even started ansible: the target's alert is silenced.
    const whileRunning = await stateOf('AmTestDiskFull', 'db-1:9100');
    const held = await jobSilence(jobId);
    expect(held).toMatchObject({ connectionId: 'am', state: 'silencing', jobId });
    const silenceId = held?.silenceId ?? '';
    expect(whileRunning).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] });
    // Before the launch: the silence's audit entry precedes the launch's (the list is newest first).
    const audit = await core.services.audit.list({ limit: 50 });
    const created = audit.findIndex((e) => e.action === 'alerts.silence.create' && e.remoteRef === silenceId);
    const launch = audit.findIndex((e) => e.action === 'jobs.launch' && e.remoteRef === `job ${jobId}`);
    expect(created).toBeGreaterThan(launch);
    expect(launch).toBeGreaterThanOrEqual(0);
    // The safety net: 2 hours without a job timeout.
    expect(Date.parse(held?.safetyNetEndsAt ?? '') - Date.parse(held?.createdAt ?? '')).toBe(120 * 60_000);

    expect((await stateOf('AmTestDiskFull', 'db-2:9100'))?.silencedBy).toEqual([]);
    expect((await ok('alerts.silences', { connectionId: 'am' })).active.find((s) => s.id === silenceId)?.job).toEqual(
      expect.objectContaining({ jobId }) as unknown,
    );

    const ended = await waitFor(
      'the job silence to end',
      async () => {
        const j = await jobSilence(jobId);
        return j?.state === 'silencing' ? undefined : j;
      },
      90_000,
    );
    expect(ended).toMatchObject({ state: 'expired', outcome: 'successful', problems: [] });
    expect((await ok('jobs.get', { connectionId: 'awx', jobId })).status).toBe('successful');
    // The alert notifies again.
    expect(await stateOf('AmTestDiskFull', 'db-1:9100')).toMatchObject({ state: 'active', silencedBy: [] });
    expect((await ok('alerts.silences', { connectionId: 'am' })).expired.map((s) => s.id)).toContain(silenceId);
    expect(
      (await core.services.audit.list({ limit: 50 })).find((e) => e.action === 'alerts.silence.expire' && e.remoteRef === silenceId)
        ?.message,
    ).toContain(`job ${jobId}`);
    const notes = await waitFor('both silence work notes', async () => {
      const d = await ok('incidents.get', { connectionId: 'snow', sysId: incidentSysId });
      const mine = d.journal.filter((j) => j.element === 'work_notes' && j.value.includes(silenceId));
      return mine.length >= 2 ? mine : undefined;
    });
    expect(notes.map((n) => n.value).join('\n')).toMatch(/created by TOC Console before launching runbook "Disk cleanup"/);
    expect(notes.map((n) => n.value).join('\n')).toMatch(/expired by TOC Console: job \d+ \(runbook "Disk cleanup"\) ended: successful/);
  }, 120_000);

  it('is expired when the job fails too', async () => {
    const matchers = targetMatchers('web-2');
    const launched = await ok('jobs.launch', { runbookId: 'fail-on-one-host', silenceWhileRunning: { connectionId: 'am', matchers } });
    const jobId = launched.job.id;
    const silenceId = (await jobSilence(jobId))?.silenceId ?? '';
    expect(silenceId).not.toBe('');
    const ended = await waitFor(
      'the job silence to end',
      async () => {
        const j = await jobSilence(jobId);
        return j?.state === 'silencing' ? undefined : j;
      },
      90_000,
    );
    expect(ended).toMatchObject({ state: 'expired', outcome: 'failed' });
    expect((await ok('jobs.get', { connectionId: 'awx', jobId })).status).toBe('failed');
    expect(await stateOf('HighCPU', 'web-2')).toMatchObject({ state: 'active', silencedBy: [] });
  }, 120_000);

  it("is expired at once when AWX refuses the launch, and the refusal is reported in AWX's words", async () => {
    const before = (await ok('alerts.jobSilences', {})).length;
    const e = await err('jobs.launch', {
      runbookId: 'viewer-cannot-launch',
      silenceWhileRunning: { connectionId: 'am', matchers: targetMatchers('api-1') },
    });
    expect(e.code).toBe('forbidden');
    const list = await ok('alerts.jobSilences', {});
    expect(list).toHaveLength(before + 1);
    expect(list[0]).toMatchObject({ state: 'expired', outcome: 'launch_failed' });
    expect(await stateOf('Latency', 'api-1')).toMatchObject({ silencedBy: [] });
  });

  it('launches nothing when Alertmanager refuses the silence', async () => {
    const jobsBefore = awx.jobs().length;
    const e = await err('jobs.launch', {
      runbookId: 'disk-cleanup',
      silenceWhileRunning: { connectionId: 'am', matchers: [re('instance', '.*')] },
    });
    expect(e.detail?.remoteMessage).toBe('silence invalid: at least one matcher must not match the empty string');
    expect(awx.jobs().length).toBe(jobsBefore);
  });
});
