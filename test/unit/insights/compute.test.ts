import { describe, expect, it } from 'vitest';
import { computeInsights, reportCsv } from '@shared/insights';
import type { InsightChange, InsightIncident, InsightJob, InsightRunbook, InsightsInput, SloMonth } from '@shared/insights';

// A hand-built October 2026 with every edge the definitions have: incidents opened exactly at 00:00 UTC on the
// first day and on the day after the period, one opened a second before the period and resolved in it, one
// resolved exactly at the end, ties in the top lists. Every expected number below was worked out by hand
// from the table in the comments, not by running the code.

const t = (s: string): number => Date.parse(`${s}Z`);
const FROM = t('2026-10-01T00:00:00');
const TO = t('2026-11-01T00:00:00');

const G1 = 'g1'; // "Network"
const G2 = 'g2'; // "Database"
const C1 = 'c1'; // web-01
const C2 = 'c2'; // db-01

function inc(
  n: number,
  p: string,
  group: string,
  opened: string,
  resolved: string | null,
  assigned: string | null,
  alert: string,
  ci: string,
  service = '',
): InsightIncident {
  const res = resolved === null ? null : t(resolved);
  return {
    sysId: `sys${n}`,
    number: `INC000000${n}`,
    shortDescription: `incident ${n}`,
    priority: p,
    group,
    groupName: group === G1 ? 'Network' : 'Database',
    service,
    serviceName: service === 'svc-checkout' ? 'Checkout' : '',
    ci,
    ciName: ci === C1 ? 'web-01' : ci === C2 ? 'db-01' : '',
    alertName: alert,
    openedAt: t(opened),
    resolvedAt: res,
    endedAt: res,
    assignedAt: assigned === null ? null : t(assigned),
  };
}

//        #  P    group opened                  resolved               assigned               alert          CI
const A = inc(1, '1', G1, '2026-10-01T00:00:00', '2026-10-01T01:00:00', '2026-10-01T00:10:00', 'NodeDown', C1, 'svc-checkout'); // 60 min, tta 10
const B = inc(2, '1', G1, '2026-09-30T23:59:59', '2026-10-01T00:30:00', '2026-10-01T00:00:59', 'NodeDown', C1); // opened before; 30.02 min
const C = inc(3, '2', G2, '2026-10-15T12:00:00', '2026-11-01T00:00:00', '2026-10-15T12:05:00', 'DiskFull', C2); // resolved AT the end: not in
const D = inc(4, '2', G2, '2026-10-31T23:59:59', null, null, 'DiskFull', C2);
const E = inc(5, '3', G1, '2026-11-01T00:00:00', null, null, 'NodeDown', C1); // opened AT the end: not in
const F = inc(6, '1', G2, '2026-10-05T00:00:00', '2026-10-05T02:00:00', '2026-10-05T00:20:00', 'HighLatency', C1); // 120 min, tta 20
const G = inc(7, '4', G1, '2026-10-11T09:59:59', '2026-10-11T10:59:59', '2026-11-02T00:00:00', '', C1); // 60 min; assigned after the period
const H = inc(8, '5', G2, '2026-10-21T00:00:00', null, null, '', C2);
const INCIDENTS = [H, G, F, E, D, C, B, A]; // any order

function job(id: number, created: string, incident: string | null, status: string, name: string, fromConsole = false): InsightJob {
  return {
    connectionId: 'awx',
    id,
    name,
    status,
    created: t(created),
    finished: t(created) + 60_000,
    incidentNumber: incident,
    fromConsole,
  };
}
const JOBS: InsightJob[] = [
  job(101, '2026-10-01T00:05:00', 'INC0000001', 'successful', 'Restart node'),
  job(102, '2026-10-05T00:10:00', 'INC0000006', 'failed', 'Restart node'),
  job(103, '2026-10-05T00:30:00', 'INC0000006', 'successful', 'Restart node'),
  job(104, '2026-10-20T08:00:00', null, 'successful', 'Disk cleanup', true), // from the console, no incident
  job(105, '2026-10-20T09:00:00', null, 'successful', 'Disk cleanup'), // scheduled: not remediation
  job(106, '2026-09-30T23:00:00', 'INC0000002', 'successful', 'Restart node'), // before the period
  job(107, '2026-10-30T10:00:00', 'INC0000004', 'successful', 'Unknown template'), // no runbook names it
];
const RUNBOOKS: InsightRunbook[] = [
  { id: 'restart-node', title: 'Restart node', template: 'Restart node', connection: null, manualMinutes: 30 },
  { id: 'disk-cleanup', title: 'Disk cleanup', template: 'Disk cleanup', connection: 'awx', manualMinutes: 15 },
  { id: 'disk-cleanup-lab', title: 'Disk cleanup (lab)', template: 'Disk cleanup', connection: 'lab', manualMinutes: 99 },
  { id: 'read-only', title: 'How to read logs', template: null, connection: null, manualMinutes: null },
];

function chg(n: number, state: string, closed: string | null, workEnd: string | null, ci: string, group: string): InsightChange {
  return {
    sysId: `chg${n}`,
    number: `CHG000000${n}`,
    shortDescription: `change ${n}`,
    ci,
    ciName: ci === C1 ? 'web-01' : ci === C2 ? 'db-01' : '',
    service: '',
    group,
    state,
    closedAt: closed === null ? null : t(closed),
    workEnd: workEnd === null ? null : t(workEnd),
  };
}
const CHANGES: InsightChange[] = [
  chg(1, '3', '2026-10-10T12:00:00', '2026-10-10T10:00:00', C1, G1), // G opens 23:59:59 after work_end: failed
  chg(2, '3', '2026-10-20T00:00:00', null, C2, G2), // H opens exactly 24 h after: outside [end, end+24h)
  chg(3, '4', '2026-10-12T00:00:00', null, C1, G1), // canceled: not counted
  chg(4, '3', '2026-09-30T12:00:00', null, C1, G1), // closed before the period
  chg(5, '3', '2026-10-31T20:00:00', null, C1, G1), // E opens 4 h later, after the period: failed
  chg(6, '3', '2026-10-25T00:00:00', null, '', G2), // no CI: cannot be followed
];
const SLOS: SloMonth[] = [
  {
    name: 'checkout-availability',
    service: 'checkout',
    month: '2026-10',
    target: 0.999,
    errorRatio: 0.0005,
    budgetConsumed: 0.5,
    partial: false,
    error: null,
  },
  {
    name: 'search-latency',
    service: 'search',
    month: '2026-10',
    target: 0.99,
    errorRatio: 0.02,
    budgetConsumed: 2,
    partial: false,
    error: null,
  },
];
const INPUT: InsightsInput = { incidents: INCIDENTS, jobs: JOBS, changes: CHANGES, runbooks: RUNBOOKS, slos: SLOS };

describe('insights over a hand-computed October', () => {
  const r = computeInsights(INPUT, { from: FROM, to: TO, generatedAt: TO, snowConnectionId: 'snow' });

  it('counts opened by opened_at and resolved by resolved_at, boundaries at 00:00 UTC', () => {
    expect(r.from).toBe('2026-10-01');
    expect(r.to).toBe('2026-11-01');
    expect(r.incidents.opened).toBe(6); // A C D F G H; not B (a second early) nor E (at the end)
    expect(r.incidents.resolved).toBe(4); // A B F G; not C (resolved at the end)
    expect(r.figures['incidents.opened']?.records).toEqual([
      'INC0000001',
      'INC0000006',
      'INC0000007',
      'INC0000003',
      'INC0000008',
      'INC0000004',
    ]);
    expect(r.figures['incidents.resolved']?.records.sort()).toEqual(['INC0000001', 'INC0000002', 'INC0000006', 'INC0000007']);
  });

  it('MTTR over the incidents resolved in the period, including one opened before it', () => {
    // [30.02, 60, 60, 120]: median (60+60)/2, p90 the ⌈3.6⌉ = 4th.
    expect(r.incidents.mttrMinutes).toEqual({ median: 60, p90: 120, count: 4 });
    expect(r.incidents.byPriority['1']).toEqual({
      opened: 2,
      resolved: 3,
      mttrMinutes: { median: 60, p90: 120, count: 3 }, // [30.02, 60, 120]
      timeToAssignMinutes: { median: 15, p90: 20, count: 2 }, // A 10, F 20
    });
    expect(r.incidents.byPriority['2']).toEqual({
      opened: 2,
      resolved: 0,
      mttrMinutes: { median: null, p90: null, count: 0 },
      timeToAssignMinutes: { median: 5, p90: 5, count: 1 },
    });
    expect(r.incidents.byPriority['3']?.opened).toBe(0);
    expect(r.incidents.byPriority['4']?.mttrMinutes).toEqual({ median: 60, p90: 60, count: 1 });
    expect(r.incidents.byPriority['5']?.opened).toBe(1);
    // B took 1801 s and counts for P1 though it was opened before the period.
    expect(r.figures['incidents.byPriority.1.mttrMinutes']?.records.sort()).toEqual(['INC0000001', 'INC0000002', 'INC0000006']);
    expect(r.records.INC0000002?.detail).toBe('P1 · Network · resolved after 30 min');
  });

  it('time to assign over incidents opened in the period and assigned before its end', () => {
    expect(r.incidents.timeToAssignMinutes).toEqual({ median: 10, p90: 20, count: 3 }); // C 5, A 10, F 20; not G
    expect(r.figures['incidents.timeToAssignMinutes']?.records.sort()).toEqual(['INC0000001', 'INC0000003', 'INC0000006']);
  });

  it('per group, busiest first and ties by name', () => {
    expect(r.incidents.byGroup.map((g) => [g.name, g.opened, g.resolved])).toEqual([
      ['Database', 4, 1],
      ['Network', 2, 3],
    ]);
    expect(r.incidents.byGroup[1]?.mttrMinutes).toEqual({ median: 60, p90: 60, count: 3 }); // [30.02, 60, 60]
  });

  it('backlog: open over [opened, end); the last point is what the period leaves open', () => {
    const at = (d: string): number | undefined => r.incidents.backlog.find((b) => b.at === `${d}T00:00:00Z`)?.open;
    expect(r.incidents.backlog).toHaveLength(32);
    expect(at('2026-10-01')).toBe(2); // A (opened at that instant) and B
    expect(at('2026-10-02')).toBe(0);
    expect(at('2026-10-05')).toBe(1); // F
    expect(at('2026-10-16')).toBe(1); // C
    expect(at('2026-10-21')).toBe(2); // C and H (opened at that instant)
    expect(at('2026-11-01')).toBe(3); // C (resolved at the end), D, H; not E (opened at the end)
    expect(r.figures['incidents.backlog']?.records).toEqual(['INC0000003', 'INC0000008', 'INC0000004']);
  });

  it('top alerts: incidents opened in the period per u_alert_name, ties by name', () => {
    expect(r.topAlerts).toEqual([
      { alert: 'DiskFull', count: 2 },
      { alert: 'HighLatency', count: 1 },
      { alert: 'NodeDown', count: 1 }, // B and E are outside the period
    ]);
    expect(r.figures['topAlerts.NodeDown']?.records).toEqual(['INC0000001']);
    expect(r.topCis).toEqual([
      { ci: C2, name: 'db-01', count: 3 },
      { ci: C1, name: 'web-01', count: 3 },
    ]);
  });

  it('automation: remediation jobs, the incidents they served, runbooks and minutes saved', () => {
    expect(r.automation).toMatchObject({
      incidentsWithJob: 3, // A, F, D
      rate: 0.5, // 3 of 6
      jobs: { launched: 5, successful: 4, successRate: 0.8 }, // 101 102 103 104 107
      minutesSaved: 75, // restart-node 2 × 30 + disk-cleanup 1 × 15
    });
    expect(r.automation.runbooks).toEqual([
      {
        id: 'restart-node',
        title: 'Restart node',
        template: 'Restart node',
        launched: 3,
        successful: 2,
        successRate: 0.6667,
        manualMinutes: 30,
        minutesSaved: 60,
      },
      {
        id: 'disk-cleanup',
        title: 'Disk cleanup',
        template: 'Disk cleanup',
        launched: 1,
        successful: 1,
        successRate: 1,
        manualMinutes: 15,
        minutesSaved: 15,
      },
      {
        id: 'disk-cleanup-lab',
        title: 'Disk cleanup (lab)',
        template: 'Disk cleanup',
        launched: 0,
        successful: 0,
        successRate: null,
        manualMinutes: 99,
        minutesSaved: 0,
      },
    ]);
    expect(r.figures['automation.jobs.launched']?.records).toEqual(['awx#101', 'awx#102', 'awx#103', 'awx#104', 'awx#107']);
    expect(r.figures['automation.minutesSaved']?.records).toEqual(['awx#101', 'awx#103', 'awx#104']);
    expect(r.warnings.join(' ')).toContain('1 successful remediation job(s) ran a template no runbook names');
    expect(r.records['awx#104']).toMatchObject({
      kind: 'job',
      connectionId: 'awx',
      detail: 'successful · launched from the console · runbook Disk cleanup',
    });
  });

  it('change failure rate: closed changes followed by an incident on their CI within the window', () => {
    expect(r.changes).toEqual({ closed: 4, followedByIncident: 2, failureRate: 0.5, windowHours: 24 }); // 1 2 5 6; 1 and 5
    expect(r.figures['changes.closed']?.records).toEqual(['CHG0000001', 'CHG0000002', 'CHG0000006', 'CHG0000005']);
    expect(r.figures['changes.followedByIncident']?.records).toEqual(['CHG0000001', 'INC0000007', 'CHG0000005', 'INC0000005']);
    expect(r.records.CHG0000001?.detail).toBe('web-01 · followed by INC0000007 1440 min after the work ended');
    // A window of 25 h also catches H after change 2.
    const wide = computeInsights(INPUT, { from: FROM, to: TO, changeWindowHours: 25 });
    expect(wide.changes).toMatchObject({ closed: 4, followedByIncident: 3, failureRate: 0.75 });
  });

  it('every figure says how it was computed', () => {
    for (const [key, f] of Object.entries(r.figures)) expect(f.how.length, key).toBeGreaterThan(20);
    expect(r.figures['incidents.mttrMinutes']?.how).toContain('nearest rank');
    expect(r.slos).toEqual(SLOS);
  });

  it('filters by assignment group: incidents, their jobs and changes; SLOs stay with a warning', () => {
    const g = computeInsights(INPUT, { from: FROM, to: TO, group: G1 });
    expect(g.incidents.opened).toBe(2); // A G
    expect(g.incidents.resolved).toBe(3); // A B G
    expect(g.automation).toMatchObject({ incidentsWithJob: 1, rate: 0.5, jobs: { launched: 1, successful: 1 }, minutesSaved: 30 });
    expect(g.changes).toMatchObject({ closed: 2, followedByIncident: 2, failureRate: 1 }); // 1 and 5; incidents on the CI count whatever their group
    expect(g.warnings.join(' ')).toContain('not filtered by group');
  });

  it('filters by service: incidents of the business service and SLOs of the same name', () => {
    const s = computeInsights(INPUT, { from: FROM, to: TO, service: 'svc-checkout' });
    expect(s.incidents.opened).toBe(1); // A
    expect(s.slos.map((x) => x.name)).toEqual(['checkout-availability']);
    const byName = computeInsights(INPUT, { from: FROM, to: TO, service: 'Checkout' });
    expect(byName.incidents.opened).toBe(1);
    expect(byName.slos.map((x) => x.name)).toEqual(['checkout-availability']);
  });

  it('an empty period has zeros and unknowns, never NaN', () => {
    const e = computeInsights(INPUT, { from: t('2025-01-01T00:00:00'), to: t('2025-01-02T00:00:00') });
    expect(e.incidents).toMatchObject({ opened: 0, resolved: 0, mttrMinutes: { median: null, p90: null, count: 0 }, byGroup: [] });
    expect(e.incidents.backlog).toEqual([
      { at: '2025-01-01T00:00:00Z', open: 0 },
      { at: '2025-01-02T00:00:00Z', open: 0 },
    ]);
    expect(e.topAlerts).toEqual([]);
    expect(e.automation).toMatchObject({
      incidentsWithJob: 0,
      rate: null,
      jobs: { launched: 0, successful: 0, successRate: null },
      minutesSaved: 0,
    });
    expect(e.changes.failureRate).toBeNull();
    expect(JSON.stringify(e)).not.toMatch(/NaN|Infinity/);
    const none = computeInsights({ incidents: [], jobs: [], changes: [], runbooks: [], slos: [] }, { from: FROM, to: TO });
    expect(none.incidents.opened).toBe(0);
  });

  it('a top list is cut at `top`, keeping the most frequent', () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      inc(100 + i, '3', G1, '2026-10-02T00:00:00', null, null, `Alert${String(i % 12).padStart(2, '0')}`, C1),
    );
    const x = computeInsights({ ...INPUT, incidents: many }, { from: FROM, to: TO, top: 3 });
    // Alert00, 01, 02 occur twice (i and i+12); the rest once.
    expect(x.topAlerts).toEqual([
      { alert: 'Alert00', count: 2 },
      { alert: 'Alert01', count: 2 },
      { alert: 'Alert02', count: 2 },
    ]);
  });

  it('CSV: one row per number, quoted, formula-safe', () => {
    const csv = reportCsv(r);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('from,to,section,name,measure,value,how,records');
    expect(lines).toContain(
      `2026-10-01,2026-11-01,incidents,all,opened,6,"incidents whose opened_at is in [2026-10-01 00:00, 2026-11-01 00:00) UTC",INC0000001 INC0000006 INC0000007 INC0000003 INC0000008 INC0000004`,
    );
    expect(lines.find((l) => l.includes(',changes,change failure rate,'))).toMatch(/,rate,0\.5,/);
    const evil = computeInsights(
      { ...INPUT, incidents: [inc(9, '1', G1, '2026-10-02T00:00:00', null, null, '=HYPERLINK("x")', C1)] },
      { from: FROM, to: TO },
    );
    expect(reportCsv(evil)).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
