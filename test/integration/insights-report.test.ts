// `toc report` against the ServiceNow and AWX simulators and a real Prometheus. Every expected number is worked
// out here from the simulators' own rows with plain string comparisons and loops — never by calling the
// insights code — and the ServiceNow user's display time zone is Berlin, so any use of display values shows.
// Over 400 lines: one dataset on three systems, and each figure's independent answer next to its check.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../electron/cli/toc';
import { AuditLog } from '../../electron/core/kernel/audit/audit-log';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { addHistoricJob, startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { startPrometheusWithDataset } from '../helpers/prometheus';
import type { PrometheusHandle } from '../helpers/prometheus';
import { freePort } from '../helpers/free-port';

const NOW = Date.UTC(2026, 6, 10, 12, 0, 0); // 2026-07-10 12:00 UTC
const F = '2026-06-01 00:00:00';
const T = '2026-07-01 00:00:00';
const DAY = 86_400_000;
const utc = (s: string): number => Date.parse(`${s.replace(' ', 'T')}Z`);
const inJune = (s: string | undefined): boolean => s !== undefined && s !== '' && s >= F && s < T;

let snow: SnowSim;
let awx: AwxSim;
let prom: PrometheusHandle;
let dir: string;
let config: string;
let consoleJobId = -1;
const saved = { data: process.env.TOC_DATA_DIR, pw: process.env.TOC_T_SNOW_PW, tok: process.env.TOC_T_AWX_TOKEN };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

// Priority from impact/urgency, as the simulator recomputes it.
const IU: Record<string, [string, string]> = { '1': ['1', '1'], '2': ['1', '2'], '3': ['1', '3'], '4': ['2', '3'], '5': ['3', '3'] };

beforeAll(async () => {
  // Prometheus: checkout traffic of 1000 requests per 5 minutes; 2 failures per step in May, 1 in June.
  const end = Date.UTC(2026, 6, 1) / 1000;
  const june = Date.UTC(2026, 5, 1) / 1000;
  prom = await startPrometheusWithDataset({
    end,
    days: 62,
    series: [
      {
        kind: 'counter',
        name: 'http_requests_total',
        labels: { service: 'checkout', code: '200' },
        increment: (t) => (t <= june ? 998 : 999),
      },
      { kind: 'counter', name: 'http_requests_total', labels: { service: 'checkout', code: '500' }, increment: (t) => (t <= june ? 2 : 1) },
    ],
  });

  snow = await startServiceNowSim({
    seed: 11,
    incidents: 60,
    historyIncidents: 260,
    historyDays: 75,
    historyChanges: 60,
    timeZone: 'Europe/Berlin',
    dateFormat: 'dd/MM/yyyy',
    clock: () => NOW,
  });
  // The edges: opened exactly at the start and at the end, resolved exactly at the end, opened a second early.
  const group = snow.table('sys_user_group').findBy('name', 'Database Administration')?.sys_id ?? '';
  const edge = (number: string, p: string, opened: string, resolved: string, alert: string): void => {
    const [impact, urgency] = IU[p] ?? ['3', '3'];
    snow.addIncident({
      number,
      impact,
      urgency,
      state: resolved ? '6' : '2',
      active: 'true',
      assignment_group: group,
      opened_at: opened,
      resolved_at: resolved,
      close_code: resolved ? 'Solution provided' : '',
      close_notes: resolved ? 'fixed' : '',
      u_alert_name: alert,
      sys_updated_on: resolved || opened,
    });
  };
  edge('INC0090001', '1', '2026-06-01 00:00:00', '2026-06-01 00:45:00', 'EdgeAlert');
  edge('INC0090002', '1', '2026-05-31 23:59:59', '2026-06-01 00:10:00', 'EdgeAlert');
  edge('INC0090003', '2', '2026-06-30 23:59:59', '2026-07-01 00:00:00', 'EdgeAlert');
  edge('INC0090004', '2', '2026-07-01 00:00:00', '', 'EdgeAlert');

  awx = await startAwxSim({ seed: 3 });
  const incidents = snow.table('incident').all();
  const juneAlerts = incidents
    .filter((r) => inJune(r.opened_at) && r.u_alert_name)
    .sort((a, b) => ((a.number ?? '') < (b.number ?? '') ? -1 : 1));
  juneAlerts.forEach((r, i) => {
    if (i % 3 !== 0) return;
    const created = utc(r.opened_at ?? '') + 15 * 60_000;
    if (created >= NOW) return;
    addHistoricJob(awx.state, {
      templateId: i % 2 === 0 ? TEMPLATE_IDS.diskCleanup : TEMPLATE_IDS.restartService,
      created,
      elapsedSeconds: 40,
      status: i % 4 === 0 ? 'failed' : 'successful',
      extraVars: { incident_number: r.number, target_host: 'web-01' },
    });
  });
  // Not remediation: a scheduled job with no incident; and a remediation job before the period.
  addHistoricJob(awx.state, {
    templateId: TEMPLATE_IDS.diskCleanup,
    created: utc('2026-06-10 03:00:00'),
    elapsedSeconds: 30,
    status: 'successful',
    launchType: 'scheduled',
  });
  addHistoricJob(awx.state, {
    templateId: TEMPLATE_IDS.diskCleanup,
    created: utc('2026-05-20 03:00:00'),
    elapsedSeconds: 30,
    status: 'successful',
    extraVars: { incident_number: 'INC0010001' },
  });
  // Launched from the console without incident_number in its variables: only the audit log knows.
  const consoleJob = addHistoricJob(awx.state, {
    templateId: TEMPLATE_IDS.restartService,
    created: utc('2026-06-15 10:00:00'),
    elapsedSeconds: 50,
    status: 'successful',
  });

  consoleJobId = consoleJob.id;
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-insights-'));
  const dataDir = path.join(dir, 'data');
  process.env.TOC_DATA_DIR = dataDir;
  process.env.TOC_T_SNOW_PW = snow.credentials.password;
  process.env.TOC_T_AWX_TOKEN = awx.token;
  await new AuditLog({ dir: path.join(dataDir, 'audit'), who: 'tester' }).append({
    action: 'jobs.launch',
    target: 'job template "Restart service" (#8) on AWX',
    connectionId: 'awx',
    outcome: 'ok',
    remoteRef: `job ${consoleJob.id}`,
    message: `AWX job #${consoleJob.id} launched (from runbook "Restart a service"; for INC0090001)`,
  });
  mkdirSync(path.join(dir, 'runbooks'));
  mkdirSync(path.join(dir, 'slos'));
  writeFileSync(
    path.join(dir, 'runbooks', 'disk.md'),
    '---\ntitle: Free disk space\nawx: {connection: awx, template: Disk cleanup}\nmanualMinutes: 20\n---\n# Disk\n',
  );
  writeFileSync(
    path.join(dir, 'runbooks', 'restart.md'),
    '---\ntitle: Restart a service\nawx: {template: Restart service}\nmanualMinutes: 45\n---\n# Restart\n',
  );
  writeFileSync(
    path.join(dir, 'slos', 'checkout.yaml'),
    `apiVersion: openslo/v1
kind: SLO
metadata: {name: checkout-availability}
spec:
  service: checkout
  indicator:
    metadata: {name: checkout-errors}
    spec:
      ratioMetric:
        counter: true
        bad: {metricSource: {type: Prometheus, spec: {query: 'http_requests_total{service="checkout",code=~"5.."}'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'http_requests_total{service="checkout"}'}}}
  timeWindow: [{duration: 30d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.999}]
`,
  );
  config = path.join(dir, 'toc.yaml');
  writeFileSync(
    config,
    `name: Insights test
connections:
  - {id: snow, kind: servicenow, name: ServiceNow sim, url: ${snow.url}, auth: {type: basic, username: ${snow.credentials.username}, password: {secret: {env: TOC_T_SNOW_PW}}}}
  - {id: awx, kind: awx, name: AWX sim, url: ${awx.url}, auth: {type: bearer, token: {secret: {env: TOC_T_AWX_TOKEN}}}}
  - {id: prom, kind: prometheus, name: Prometheus, url: ${prom.url}, auth: {type: none}, timeoutMs: 20000}
slos: {connection: prom, files: ['slos/*.yaml']}
runbooks: {folders: [runbooks]}
`,
  );
}, 240_000);

afterAll(async () => {
  await Promise.all([snow?.stop(), awx?.stop(), prom?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of [
    ['TOC_DATA_DIR', saved.data],
    ['TOC_T_SNOW_PW', saved.pw],
    ['TOC_T_AWX_TOKEN', saved.tok],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

// ---- the expected answers, from the simulators' rows -----------------------------------------------------

function p90(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(0.9 * s.length) - 1] ?? null;
}
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? null) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
const r2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);

function expected(filter: (r: Row) => boolean = () => true) {
  const rows = snow.table('incident').all().filter(filter);
  const opened = rows.filter((r) => inJune(r.opened_at));
  const resolved = rows.filter((r) => inJune(r.resolved_at));
  const ttr = (r: Row): number => (utc(r.resolved_at ?? '') - utc(r.opened_at ?? '')) / 60_000;
  const byPriority: Record<string, { opened: number; resolved: number; median: number | null; p90: number | null }> = {};
  for (const p of ['1', '2', '3', '4', '5']) {
    const d = resolved.filter((r) => r.priority === p).map(ttr);
    byPriority[p] = { opened: opened.filter((r) => r.priority === p).length, resolved: d.length, median: r2(median(d)), p90: r2(p90(d)) };
  }
  const alerts = new Map<string, number>();
  for (const r of opened) if (r.u_alert_name) alerts.set(r.u_alert_name, (alerts.get(r.u_alert_name) ?? 0) + 1);
  const topAlerts = [...alerts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([alert, count]) => ({ alert, count }));
  return { rows, opened, resolved, byPriority, topAlerts, all: resolved.map(ttr) };
}

describe('toc report', () => {
  it('--json: every figure of June matches the simulators', async () => {
    const r = await run(['report', '--config', config, '--from', '2026-06-01', '--to', '2026-07-01', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const x = expected();
    expect(j.from).toBe('2026-06-01');
    expect(j.to).toBe('2026-07-01');
    expect(x.opened.length).toBeGreaterThan(50); // the dataset is not trivially small
    expect(j.incidents.opened).toBe(x.opened.length);
    expect(j.incidents.resolved).toBe(x.resolved.length);
    for (const [p, e] of Object.entries(x.byPriority)) {
      expect(j.incidents.byPriority[p].opened, `P${p} opened`).toBe(e.opened);
      expect(j.incidents.byPriority[p].resolved, `P${p} resolved`).toBe(e.resolved);
      expect(j.incidents.byPriority[p].mttrMinutes.median, `P${p} median`).toBe(e.median);
      expect(j.incidents.byPriority[p].mttrMinutes.p90, `P${p} p90`).toBe(e.p90);
    }
    expect(j.incidents.mttrMinutes.median).toBe(r2(median(x.all)));
    expect(j.topAlerts).toEqual(x.topAlerts);
    // The edges: INC0090001 in, INC0090002 resolved-only, INC0090003 opened-only, INC0090004 neither.
    expect(j.figures['incidents.opened'].records).toContain('INC0090001');
    expect(j.figures['incidents.opened'].records).not.toContain('INC0090002');
    expect(j.figures['incidents.resolved'].records).toContain('INC0090002');
    expect(j.figures['incidents.resolved'].records).not.toContain('INC0090003');
    expect(j.figures['incidents.opened'].records).not.toContain('INC0090004');

    // Time to assign, from the "Assigned to Duration" metric instances.
    const firstAssign = new Map<string, number>();
    for (const m of snow.table('metric_instance').all()) {
      const t = utc(m.start ?? '');
      const prev = firstAssign.get(m.id ?? '');
      if (prev === undefined || t < prev) firstAssign.set(m.id ?? '', t);
    }
    const tta = x.opened
      .map((r) => ({ r, at: firstAssign.get(r.sys_id ?? '') }))
      .filter((a): a is { r: Row; at: number } => a.at !== undefined && a.at < utc(T))
      .map((a) => (a.at - utc(a.r.opened_at ?? '')) / 60_000);
    expect(tta.length).toBeGreaterThan(10);
    expect(j.incidents.timeToAssignMinutes).toEqual({ median: r2(median(tta)), p90: r2(p90(tta)), count: tta.length });

    // Backlog at the end: opened before July, not ended before it.
    const endOpen = x.rows.filter((r) => {
      if ((r.opened_at ?? '') >= T) return false;
      const ended = r.resolved_at || r.closed_at || (['7', '8'].includes(r.state ?? '') ? r.sys_updated_on : '');
      return !ended || ended >= T;
    });
    expect(j.incidents.backlog.at(-1)).toEqual({ at: '2026-07-01T00:00:00Z', open: endOpen.length });

    // Automation, from the jobs this test put into AWX.
    const jobs = awx.jobs().filter((jb) => jb.created >= utc(F) && jb.created < utc(T));
    const remediation = jobs.filter((jb) => typeof jb.extraVars.incident_number === 'string' || jb.id === consoleJobId);
    const openedNumbers = new Set(x.opened.map((r) => r.number));
    const withJob = new Set(
      remediation
        .map((jb) => (typeof jb.extraVars.incident_number === 'string' ? jb.extraVars.incident_number : 'INC0090001'))
        .filter((n) => openedNumbers.has(n)),
    );
    expect(remediation.length).toBeGreaterThan(5);
    expect(withJob.has('INC0090001')).toBe(true); // through the audit log only
    expect(j.automation.jobs.launched).toBe(remediation.length);
    expect(j.automation.jobs.successful).toBe(remediation.filter((jb) => jb.status === 'successful').length);
    expect(j.automation.incidentsWithJob).toBe(withJob.size);
    expect(j.automation.rate).toBe(Math.round((withJob.size / x.opened.length) * 10_000) / 10_000);
    const ok = (tid: number): number => remediation.filter((jb) => jb.templateId === tid && jb.status === 'successful').length;
    expect(j.automation.minutesSaved).toBe(ok(TEMPLATE_IDS.diskCleanup) * 20 + ok(TEMPLATE_IDS.restartService) * 45);

    // Change failure rate: closed in June, an incident on its CI within 24 h of its end.
    const changes = snow
      .table('change_request')
      .all()
      .filter((c) => c.state === '3' && inJune(c.closed_at));
    const failed = changes.filter((c) => {
      const end = utc(c.work_end || c.closed_at || '');
      return (
        c.cmdb_ci !== '' &&
        x.rows.some((r) => r.cmdb_ci === c.cmdb_ci && utc(r.opened_at ?? '') >= end && utc(r.opened_at ?? '') < end + DAY)
      );
    });
    expect(changes.length).toBeGreaterThan(5);
    expect(failed.length).toBeGreaterThan(0);
    expect(j.changes).toEqual({
      closed: changes.length,
      followedByIncident: failed.length,
      failureRate: Math.round((failed.length / changes.length) * 10_000) / 10_000,
      windowHours: 24,
    });

    // SLO: 1 failure in 1000 against a 0.999 target uses the whole June budget; only June is in the period.
    expect(j.slos).toHaveLength(1);
    expect(j.slos[0]).toMatchObject({ name: 'checkout-availability', service: 'checkout', month: '2026-06', partial: false, error: null });
    expect(j.slos[0].budgetConsumed).toBeCloseTo(1, 1);
    expect(j.sources.join(' ')).toContain('Aggregate API');
  });

  it('two months: May used twice its budget; --group filters incidents by assignment group', async () => {
    const r = await run([
      'report',
      '--config',
      config,
      '--from',
      '2026-05-01',
      '--to',
      '2026-07-01',
      '--group',
      'Database Administration',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    const slo = Object.fromEntries(j.slos.map((s: { month: string; budgetConsumed: number }) => [s.month, s.budgetConsumed]));
    expect(slo['2026-05']).toBeCloseTo(2, 1);
    expect(slo['2026-06']).toBeCloseTo(1, 1);
    const g = snow.table('sys_user_group').findBy('name', 'Database Administration')?.sys_id;
    const inPeriod = (s: string | undefined): boolean => s !== undefined && s >= '2026-05-01 00:00:00' && s < T;
    const rows = snow
      .table('incident')
      .all()
      .filter((x) => x.assignment_group === g);
    expect(j.filter.group).toBe('Database Administration');
    expect(j.incidents.opened).toBe(rows.filter((x) => inPeriod(x.opened_at)).length);
    expect(j.incidents.resolved).toBe(rows.filter((x) => inPeriod(x.resolved_at)).length);
  });

  it('falls back to paged Table reads when the Aggregate API is refused, with the same numbers', async () => {
    snow.setAcl({ denyAggregateApi: true });
    try {
      const r = await run(['report', '--config', config, '--from', '2026-06-01', '--to', '2026-07-01', '--json']);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      const x = expected();
      expect(j.incidents.opened).toBe(x.opened.length);
      expect(j.topAlerts).toEqual(x.topAlerts);
      expect(j.sources.join(' ')).toContain('the Aggregate API answered 403: User Not Authorized');
    } finally {
      snow.setAcl(undefined);
    }
  });

  it('says when row ACLs hide incidents the Aggregate API still counts', async () => {
    snow.setAcl({ hiddenRows: { incident: 'priority=1' } });
    try {
      const r = await run(['report', '--config', config, '--from', '2026-06-01', '--to', '2026-07-01', '--json']);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      const p1 = expected().byPriority['1'];
      expect(j.incidents.byPriority['1'].opened).toBe(p1?.opened);
      expect(j.figures['incidents.byPriority.1.opened'].records).toEqual([]);
      expect(r.err).toContain(`P1: ServiceNow counts ${p1?.opened} incidents opened, the Table API returned 0 readable ones.`);
    } finally {
      snow.setAcl(undefined);
    }
  });

  it('--csv: one row per number with how and records', async () => {
    const r = await run(['report', '--config', config, '--from', '2026-06-01', '--to', '2026-07-01', '--csv']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\r\n');
    expect(lines[0]).toBe('from,to,section,name,measure,value,how,records');
    expect(lines.find((l) => l.startsWith('2026-06-01,2026-07-01,incidents,all,opened,'))).toContain(`,${expected().opened.length},`);
  });

  it('exit 2 with the reason for a bad period, an unknown group or an unreachable ServiceNow; --help is 0', async () => {
    const bad = await run(['report', '--config', config, '--from', '2026-06-31', '--to', '2026-07-01']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"2026-06-31" is not a day of the calendar');
    const reversed = await run(['report', '--config', config, '--from', '2026-07-01', '--to', '2026-06-01']);
    expect(reversed.code).toBe(2);
    expect(reversed.err).toContain('must be after');
    const group = await run(['report', '--config', config, '--from', '2026-06-01', '--to', '2026-07-01', '--group', 'Nobody']);
    expect(group.code).toBe(2);
    expect(group.err).toContain('ServiceNow has no active assignment group "Nobody". Groups: ');
    const help = await run(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('toc report --config FILE --from DATE --to DATE');
    const down = path.join(dir, 'down.yaml');
    writeFileSync(
      down,
      `name: down\nconnections:\n  - {id: snow, kind: servicenow, name: Down, url: 'http://127.0.0.1:${await freePort()}', auth: {type: basic, username: a, password: {secret: {env: TOC_T_SNOW_PW}}}, timeoutMs: 2000}\n`,
    );
    const unreachable = await run(['report', '--config', down, '--from', '2026-06-01', '--to', '2026-07-01', '--json']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.out).toBe('');
    expect(unreachable.err).toMatch(/^toc report: .*(refused|reach)/m);
  });
});
