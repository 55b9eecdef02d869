import { describe, expect, it } from 'vitest';
import type { SloStatusView } from '@shared/slo/contract';
import { sloStatusFixture } from '../../helpers/slo-status';
import type { IncidentRow } from '@shared/incidents/model';
import {
  TONE_WORD,
  ageText,
  alertTone,
  alertWhere,
  burnEmphasis,
  gridColumns,
  heldBack,
  jobsCopyAt,
  combine,
  filterSlos,
  freshness,
  groupSlos,
  shiftIndex,
  sloTone,
  summariseAlerts,
  summariseIncidents,
  summariseJobs,
  worst,
  worstOf,
} from '../../../renderer/src/features/wall/wall-model';
import { pct } from '../../../renderer/src/features/wall/WallParts';

function slo(over: Partial<SloStatusView> & { id: string }): SloStatusView {
  return sloStatusFixture({ budgetMinutesLeft: 10, policy: 'normal', fetchedAt: '2026-01-01T00:00:00.000Z', ...over });
}

const page = { severity: 'page' as const, long: '1h' as const, short: '5m' as const, factor: 14.4, longBurn: 20, shortBurn: 30 };
const ticket = { ...page, severity: 'ticket' as const, factor: 3 };

function row(n: number, priority: string, opened: string, assigned = 'u1', group = 'Ops'): IncidentRow {
  const l = (value: string, label = value) => ({ value, label });
  return {
    sys_id: `${n}`.padStart(32, '0'),
    number: `INC${String(n).padStart(7, '0')}`,
    short_description: `incident ${n}`,
    priority: l(priority),
    state: l('2', 'In Progress'),
    hold_reason: l(''),
    assignment_group: l('g', group),
    assigned_to: l(assigned),
    cmdb_ci: l('ci', 'web-01'),
    opened_at: opened,
    sys_updated_on: opened,
    sla_due: '',
    sys_mod_count: 1,
    u_alert_name: '',
    u_alert_instance: '',
  };
}

describe('wall tones (colour-blind-safe palette: the tone picks colour, glyph and word)', () => {
  it('red for a page alert, an empty budget or the emergency tier; amber for tickets and the middle tiers', () => {
    expect(sloTone(slo({ id: 'a', alerts: [page] }))).toBe('crit');
    expect(sloTone(slo({ id: 'a', errorBudgetRemaining: -0.2, policy: 'caution' }))).toBe('crit');
    expect(sloTone(slo({ id: 'a', policy: 'emergency', errorBudgetRemaining: 0.1 }))).toBe('crit');
    expect(sloTone(slo({ id: 'a', alerts: [ticket] }))).toBe('warn');
    expect(sloTone(slo({ id: 'a', policy: 'restricted' }))).toBe('warn');
    expect(sloTone(slo({ id: 'a' }))).toBe('ok');
  });

  it('grey, never green, for no data, an error or an unknown budget', () => {
    expect(sloTone(slo({ id: 'a', status: 'no-data', policy: 'no-data', errorBudgetRemaining: null }))).toBe('unknown');
    expect(sloTone(slo({ id: 'a', status: 'error' }))).toBe('unknown');
    expect(sloTone(slo({ id: 'a', errorBudgetRemaining: null }))).toBe('unknown');
  });

  it('orders tones crit > warn > unknown > ok', () => {
    expect(worst('ok', 'unknown')).toBe('unknown');
    expect(worst('warn', 'unknown')).toBe('warn');
    expect(worstOf(['ok', 'crit', 'warn'])).toBe('crit');
    expect(worstOf([], 'unknown')).toBe('unknown');
  });

  it('reads alert severities', () => {
    expect(alertTone('critical')).toBe('crit');
    expect(alertTone('page')).toBe('crit');
    expect(alertTone('warning')).toBe('warn');
    expect(alertTone(undefined)).toBe('warn');
  });
});

describe('staleness: the last good data is never shown as current', () => {
  const now = 1_000_000;
  it('is fresh within twice the refresh interval and stale after it', () => {
    expect(freshness({ at: now - 19_000, refreshMs: 10_000, failing: false }, now)).toEqual({ ageMs: 19_000, stale: false, why: null });
    const old = freshness({ at: now - 21_000, refreshMs: 10_000, failing: false }, now);
    expect(old.stale).toBe(true);
    expect(old.why).toMatch(/twice its interval/);
  });

  it('is stale at once when the last refresh failed, with the reason, however young the data', () => {
    expect(freshness({ at: now - 1000, refreshMs: 10_000, failing: true, reason: 'connection refused' }, now)).toEqual({
      ageMs: 1000,
      stale: true,
      why: 'connection refused',
    });
  });

  it('is stale (no data) before the first answer', () => {
    expect(freshness({ at: null, refreshMs: 10_000, failing: false }, now)).toMatchObject({ ageMs: null, stale: true });
  });

  it('combines sources: the oldest age, the slowest interval, failing when any fails', () => {
    const c = combine([
      { at: now - 5000, refreshMs: 10_000, failing: false },
      { at: now - 9000, refreshMs: 30_000, failing: true, reason: 'snow down' },
    ]);
    expect(c).toEqual({ at: now - 9000, refreshMs: 30_000, failing: true, reason: 'snow down' });
    expect(
      combine([
        { at: null, refreshMs: 1, failing: false },
        { at: now, refreshMs: 1, failing: false },
      ]).at,
    ).toBeNull();
    expect(combine([]).at).toBeNull();
  });

  it('writes ages short, never negative', () => {
    expect(ageText(null)).toBe('never');
    expect(ageText(-5000)).toBe('0 s');
    expect(ageText(59_000)).toBe('59 s');
    expect(ageText(5 * 60_000)).toBe('5 min');
    expect(ageText(3 * 3_600_000)).toBe('3 h');
    expect(ageText(3 * 86_400_000)).toBe('3 d');
  });
});

describe('wall pages', () => {
  it('groups SLOs by service (or team), worst first inside and between groups, stable by name', () => {
    const list = [
      slo({ id: 'b-ok', service: 'b' }),
      slo({ id: 'a-ok', service: 'a', errorBudgetRemaining: 0.9 }),
      slo({ id: 'a-warn', service: 'a', policy: 'caution', errorBudgetRemaining: 0.7 }),
      slo({ id: 'c-crit', service: 'c', alerts: [page], labels: { team: 'payments' } }),
    ];
    const g = groupSlos(list, 'service');
    expect(g.map((x) => x.key)).toEqual(['c', 'a', 'b']);
    expect(g[1]?.items.map((i) => i.s.id)).toEqual(['a-warn', 'a-ok']);
    expect(groupSlos(list, 'team').map((x) => x.key)).toEqual(['payments', 'no team']);
    expect(filterSlos(list, { service: ['A'] }).map((s) => s.id)).toEqual(['a-ok', 'a-warn']);
    expect(filterSlos(list, { team: ['payments'] }).map((s) => s.id)).toEqual(['c-crit']);
  });

  it('counts incidents by priority and lists the newest P1/P2 first', () => {
    const rows = [
      row(1, '3', '2026-01-01 10:00:00'),
      row(2, '2', '2026-01-01 11:00:00'),
      row(3, '1', '2026-01-01 09:00:00', ''),
      row(4, '2', '2026-01-01 12:00:00'),
    ];
    const s = summariseIncidents(rows, {});
    expect(s).toMatchObject({ p1: 1, p2: 2, other: 1, unassigned: 1, tone: 'crit' });
    expect(s.newest.map((r) => r.number)).toEqual(['INC0000004', 'INC0000002', 'INC0000003']);
    expect(
      summariseIncidents(
        rows.filter((r) => r.priority.value !== '1'),
        {},
      ).tone,
    ).toBe('warn');
    expect(summariseIncidents(rows, { priority: ['3'] })).toMatchObject({ p1: 0, p2: 0, other: 1, tone: 'ok' });
  });

  it('says where an alert fires: an SLO burn alert (Alertmanager labels: slo, long, short) names its SLO and windows', () => {
    // The demo's ErrorBudgetBurn alerts as Alertmanager returns them: no instance, service or job label.
    const fast = { alertname: 'ErrorBudgetBurn', severity: 'page', slo: 'notifications-delivery', long: '1h', short: '5m' };
    const slow = { ...fast, long: '6h', short: '30m' };
    expect(alertWhere(fast)).toBe('notifications-delivery · 1h/5m');
    expect(alertWhere(slow)).not.toBe(alertWhere(fast));
    expect(alertWhere({ alertname: 'DiskAlmostFull', instance: 'web-07:9100', service: 'checkout' })).toBe('web-07:9100');
    expect(alertWhere({ alertname: 'HighLatency', service: 'search' })).toBe('search');
    expect(alertWhere({ alertname: 'X', sloth_service: 'payments' })).toBe('payments');
    expect(alertWhere({ alertname: 'Watchdog' })).toBe('');
  });

  it('a job list answered from the offline copy for a failing AWX has the copy\'s age, not "no data"', () => {
    const synced = '2026-12-07T05:07:00.000Z';
    const fromCopy = [{ connectionId: 'awx' }, { connectionId: 'awx' }];
    expect(jobsCopyAt(fromCopy, ['awx'], synced)).toBe(Date.parse(synced));
    // No copy for a failing connection: the answer's time is only when it was asked.
    expect(jobsCopyAt([{ connectionId: 'awx' }], ['awx', 'awx-2'], synced)).toBeNull();
    expect(jobsCopyAt([], ['awx'], synced)).toBeNull();
    // Nothing failing: the live answer's own age applies elsewhere.
    expect(jobsCopyAt(fromCopy, [], synced)).toBeNull();
    expect(jobsCopyAt(fromCopy, ['awx'], undefined)).toBeNull();
  });

  it('summarises alerts and jobs (a failed job is amber, never pins the wall)', () => {
    const a = summariseAlerts(
      [
        { key: '1', name: 'A', severity: 'warning', where: '', since: null, tone: 'warn' },
        { key: '2', name: 'B', severity: 'critical', where: '', since: null, tone: 'crit' },
      ],
      {},
    );
    expect(a).toMatchObject({ crit: 1, warn: 1, tone: 'crit' });
    expect(a.shown[0]?.name).toBe('B');
    const now = Date.parse('2026-01-01T12:00:00Z');
    const j = summariseJobs(
      [
        { id: 1, connectionId: 'c', name: 'x', status: 'running', started: '2026-01-01T11:59:00Z', finished: null },
        { id: 2, connectionId: 'c', name: 'y', status: 'failed', started: null, finished: '2026-01-01T11:30:00Z' },
        { id: 3, connectionId: 'c', name: 'z', status: 'failed', started: null, finished: '2026-01-01T09:00:00Z' },
      ],
      now,
    );
    expect(j.running.map((x) => x.id)).toEqual([1]);
    expect(j.recentFailed.map((x) => x.id)).toEqual([2]);
    expect(j.tone).toBe('warn');
  });

  it('prints budgets big and short, with a real minus sign', () => {
    expect(pct(0.5)).toBe('50%');
    expect(pct(0.054)).toBe('5.4%');
    expect(pct(-3.026)).toBe('−303%');
    expect(pct(null)).toBe('—');
  });

  it('moves the board by a pixel through nine positions, one step per period', () => {
    const seen = new Set<number>();
    for (let t = 0; t < 9 * 120_000; t += 120_000) seen.add(shiftIndex(t));
    expect(seen.size).toBe(9);
    expect(shiftIndex(0)).toBe(shiftIndex(119_999));
    expect(shiftIndex(9 * 120_000)).toBe(shiftIndex(0));
  });
});

describe('wall layout and emphasis', () => {
  it('columns fill a 16:9 page for any number of tiles, bigger tiles for fewer', () => {
    expect(gridColumns(1)).toBe(1);
    for (let n = 1; n <= 40; n++) {
      const cols = gridColumns(n);
      const rows = Math.ceil(n / cols);
      // No empty row, and never more than one row's worth of empty cells.
      expect(cols * rows - n).toBeLessThan(cols);
      // Tiles stay between twice as tall as wide and three times as wide as tall on a 1.9:1 page.
      const aspect = 1.9 / cols / (1 / rows);
      expect(aspect).toBeGreaterThan(0.5);
      expect(aspect).toBeLessThan(3);
    }
    expect(gridColumns(4)).toBeLessThanOrEqual(3);
    expect(gridColumns(24)).toBeGreaterThanOrEqual(5);
  });

  it('a paging burn is marked as a page with its rate; a slow burn stays quiet', () => {
    const paging = { ...page, longBurn: 25.3, shortBurn: 31 };
    const slow = { ...ticket, long: '6h' as const, short: '30m' as const, longBurn: 7, shortBurn: 6.5 };
    expect(burnEmphasis(slo({ id: 'a', alerts: [slow, paging] }))).toEqual({ level: 'page', rate: 25.3 });
    expect(burnEmphasis(slo({ id: 'b', alerts: [slow] }))).toEqual({ level: 'ticket', rate: 6.5 });
    expect(burnEmphasis(slo({ id: 'c' }))).toEqual({ level: 'none', rate: 1 });
  });

  it('pages held back while red: every page that is not red, only while pinned', () => {
    expect(heldBack([true, false, false, true, false], true)).toBe(3);
    expect(heldBack([true, false], false)).toBe(0);
    expect(heldBack([true, true], true)).toBe(0);
  });

  it('grey says UNKNOWN, not NO DATA (an unreachable Prometheus is not "no data")', () => {
    expect(TONE_WORD.unknown).toBe('UNKNOWN');
  });
});
