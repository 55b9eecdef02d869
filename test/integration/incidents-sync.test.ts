// Delta sync of the incident queue against the simulator: one request when nothing changed, every change
// picked up (also within the same second and late commits inside the overlap), removals when an incident
// leaves the query, alerts for new P1/P2, and the background loop's freshness, back-off and health.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { snowHarness, until } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';
import type { IncidentService } from '../../electron/core/features/incidents/incident-service';
import type { IncidentAlert, QueueDelta, QueueSnapshot, QueueUpdate } from '@shared/incidents/model';
import { QueueUpdate as QueueUpdateSchema } from '@shared/incidents/model';
import { applyQueueUpdate } from '@shared/incidents/queue';

// A fixed clock: sys_updated_on only moves when a test says so, so "the same second" is exact.
const T0 = Date.UTC(2026, 2, 18, 9, 30, 0);
let sim: SnowSim;
let h: SnowHarness;
let svc: IncidentService;
let updates: QueueUpdate[];
let alerts: IncidentAlert[];
let stop: () => void;
let stopAlerts: () => void;

const INCIDENT = '/api/now/table/incident';
const isOpen = (r: Row): boolean => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? '');
const openRows = (): Row[] => sim.table('incident').all().filter(isOpen);
const incidentCalls = () => sim.requests.filter((r) => r.path === INCIDENT);
const lastDelta = (): QueueDelta => {
  const d = updates[updates.length - 1];
  if (d?.kind !== 'delta') throw new Error('no delta yet');
  return d;
};

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 150, seed: 21, clock: () => T0 });
  h = await snowHarness(sim);
});

afterAll(async () => {
  await h.close();
  await sim.stop();
});

beforeEach(async () => {
  // A fresh sync per test, kept current by hand (the interval is far away).
  svc = h.service({ sync: { refreshMs: 3_600_000, overlapSeconds: 5, reconcileEvery: 0 } });
  await svc.list('snow');
  updates = [];
  alerts = [];
  stop = svc.subscribeQueue('snow', (u) => updates.push(QueueUpdateSchema.parse(u)));
  stopAlerts = svc.subscribeAlerts((a) => alerts.push(a));
  sim.clearRequests();
});

afterEach(() => {
  stop();
  stopAlerts();
  svc.stopAll();
  sim.setFault('none');
});

describe('first sync', () => {
  it('reads the whole queue once, in keyset pages, after noting the newest update in the table', async () => {
    const fresh = h.service({ sync: { pageSize: 40 } });
    sim.clearRequests();
    const snap = await fresh.list('snow');
    expect(snap.rows.map((r) => r.sys_id).sort()).toEqual(
      openRows()
        .map((r) => r.sys_id)
        .sort(),
    );
    const calls = incidentCalls();
    expect(calls[0]?.query.sysparm_query).toBe('ORDERBYDESCsys_updated_on^ORDERBYsys_id');
    expect(calls[1]?.query.sysparm_query).toMatch(/^sys_updated_on>=[\d :-]+\^ORDERBYsys_id$/);
    expect(calls.slice(2)).toHaveLength(Math.ceil(openRows().length / 40));
    expect(snap.counts.total).toBe(openRows().length);
    expect(
      snap.counts.byPriority['1'] +
        snap.counts.byPriority['2'] +
        snap.counts.byPriority['3'] +
        snap.counts.byPriority['4'] +
        snap.counts.byPriority['5'],
    ).toBe(openRows().length);
    expect(snap.me?.user_name).toBe(sim.credentials.username);
    expect(snap.myGroups.map((g) => g.label)).toEqual(['Service Desk', 'Site Reliability Engineering']);
    fresh.stopAll();
  });

  it('a subscriber gets the snapshot first, with its age', () => {
    expect(updates.map((u) => u.kind)).toEqual(['snapshot']);
    const snap = updates[0];
    expect(snap?.kind === 'snapshot' && snap.rows.length).toBe(openRows().length);
    expect(snap?.syncedAt).not.toBeNull();
  });
});

describe('delta refresh', () => {
  it('nothing changed: exactly one request, also right after the first sync, and an empty delta with the new age', async () => {
    const fresh = h.service({ sync: { refreshMs: 3_600_000, reconcileEvery: 0 } });
    await fresh.list('snow');
    sim.clearRequests();
    await fresh.refresh('snow');
    expect(sim.requests).toHaveLength(1);
    fresh.stopAll();
    sim.clearRequests();
    await svc.refresh('snow');
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.query.sysparm_fields).toBe('sys_id,sys_updated_on,sys_mod_count');
    expect(sim.requests[0]?.query.sysparm_query).toMatch(
      /^sys_updated_on>=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\^ORDERBYsys_updated_on\^ORDERBYsys_id$/,
    );
    const d = lastDelta();
    expect([d.added.length, d.changed.length, d.removed.length]).toEqual([0, 0, 0]);
    expect(d.syncedAt).not.toBeNull();
    expect(d.error).toBeNull();
  });

  it('50 changes: one probe and one read-back, all 50 picked up with their new values', async () => {
    sim.advanceTime(60_000);
    const chosen = openRows().slice(0, 50);
    for (const r of chosen) sim.update('incident', r.sys_id ?? '', { short_description: `${r.short_description ?? ''} (edited)` });
    await svc.refresh('snow');
    expect(sim.requests).toHaveLength(2);
    const d = lastDelta();
    expect(d.changed.map((r) => r.sys_id).sort()).toEqual(chosen.map((r) => r.sys_id).sort());
    expect(d.changed.every((r) => r.short_description.endsWith('(edited)'))).toBe(true);
    expect(
      svc
        .sync('snow')
        .snapshot()
        .rows.filter((r) => r.short_description.endsWith('(edited)')),
    ).toHaveLength(50);
  });

  it('random updates across the table (touchIncidents): the ones in the queue are changed, the others ignored', async () => {
    sim.advanceTime(60_000);
    const touched = sim.touchIncidents(50, { workNote: 'touched by the test' });
    const inQueue = touched.filter((id) => isOpen(sim.table('incident').get(id) as Row));
    await svc.refresh('snow');
    const d = lastDelta();
    expect(d.changed.map((r) => r.sys_id).sort()).toEqual([...inQueue].sort());
    expect(d.removed).toEqual([]);
    expect(sim.requests.length).toBe(1 + Math.ceil(touched.length / 50));
    // The rows outside the queue are remembered: the next look (same window) is one request again.
    sim.clearRequests();
    await svc.refresh('snow');
    expect(sim.requests).toHaveLength(1);
    expect(lastDelta().changed).toEqual([]);
  });

  it('updates in the same second as the last one seen are not missed', async () => {
    sim.advanceTime(60_000);
    const [a, b] = openRows();
    sim.update('incident', a?.sys_id ?? '', { short_description: 'first in this second' });
    await svc.refresh('snow');
    expect(lastDelta().changed.map((r) => r.sys_id)).toEqual([a?.sys_id]);
    // Same clock second as `a` and as the watermark now.
    sim.update('incident', b?.sys_id ?? '', { short_description: 'second in this second' });
    await svc.refresh('snow');
    expect(lastDelta().changed.map((r) => r.short_description)).toEqual(['second in this second']);
  });

  it('the same holds with no overlap at all (the window is >=, not >)', async () => {
    const tight = h.service({ sync: { refreshMs: 3_600_000, overlapSeconds: 0, reconcileEvery: 0 } });
    await tight.list('snow');
    sim.advanceTime(60_000);
    const [a, b] = openRows();
    sim.update('incident', a?.sys_id ?? '', { short_description: 'tight 1' });
    await tight.refresh('snow');
    sim.update('incident', b?.sys_id ?? '', { short_description: 'tight 2' });
    await tight.refresh('snow');
    expect(tight.sync('snow').row(b?.sys_id ?? '')?.short_description).toBe('tight 2');
    tight.stopAll();
  });

  it('a late commit stamped a few seconds before the watermark is caught by the overlap', async () => {
    sim.advanceTime(60_000);
    const [a, late] = openRows();
    sim.update('incident', a?.sys_id ?? '', { short_description: 'moves the watermark' });
    await svc.refresh('snow');
    sim.advanceTime(-3000);
    sim.update('incident', late?.sys_id ?? '', { short_description: 'committed late' });
    sim.advanceTime(3000);
    await svc.refresh('snow');
    expect(lastDelta().changed.map((r) => r.short_description)).toEqual(['committed late']);
  });

  it('removals: a resolved incident leaves the queue', async () => {
    sim.advanceTime(60_000);
    const target = openRows()[3];
    sim.closeIncident(target?.number ?? '');
    await svc.refresh('snow');
    expect(lastDelta().removed).toEqual([target?.sys_id]);
    expect(svc.sync('snow').row(target?.sys_id ?? '')).toBeUndefined();
  });

  it('removals and arrivals by reassignment, for a queue scoped to one group', async () => {
    const groups = sim.table('sys_user_group').all();
    const sre = groups.find((g) => g.name === 'Site Reliability Engineering')?.sys_id ?? '';
    const net = groups.find((g) => g.name === 'Network Operations')?.sys_id ?? '';
    const scoped = h.service({
      sync: { query: `active=true^stateNOT IN6,7,8^assignment_group=${sre}`, refreshMs: 3_600_000, reconcileEvery: 0 },
    });
    const before = await scoped.list('snow');
    const leaving = before.rows[0];
    const joining = openRows().find((r) => r.assignment_group === net);
    sim.advanceTime(60_000);
    sim.update('incident', leaving?.sys_id ?? '', { assignment_group: net, assigned_to: '' });
    sim.update('incident', joining?.sys_id ?? '', { assignment_group: sre, assigned_to: '' });
    const seen: QueueUpdate[] = [];
    const s = scoped.subscribeQueue('snow', (u) => seen.push(u));
    await scoped.refresh('snow');
    const d = seen[seen.length - 1];
    expect(d?.kind === 'delta' && d.removed).toEqual([leaving?.sys_id]);
    expect(d?.kind === 'delta' && d.added.map((r) => r.sys_id)).toEqual([joining?.sys_id]);
    s();
    scoped.stopAll();
  });

  it('new incidents arrive; a new P1 and an escalation to P2 raise alerts, an ordinary one does not', async () => {
    sim.advanceTime(60_000);
    const p1 = sim.addIncident({
      short_description: 'Checkout down',
      impact: '1',
      urgency: '1',
      u_alert_name: 'CheckoutDown',
      u_alert_instance: 'checkout:443',
    });
    const p5 = sim.addIncident({ short_description: 'Printer jam', impact: '3', urgency: '3' });
    const low = openRows().find((r) => r.priority === '4' && r.impact === '2');
    sim.update('incident', low?.sys_id ?? '', { urgency: '1' }); // impact 2 × urgency 1 = P2
    await svc.refresh('snow');
    const d = lastDelta();
    expect(d.added.map((r) => r.number).sort()).toEqual([p1.number, p5.number].sort());
    expect(d.changed.find((r) => r.sys_id === low?.sys_id)?.priority).toEqual({ value: '2', label: '2 - High' });
    expect(alerts.map((a) => [a.reason, a.incident.number])).toEqual([
      ['new', p1.number],
      ['escalated', low?.number],
    ]);
    expect(alerts[0]?.incident.u_alert_name).toBe('CheckoutDown');
    expect(alerts[0]?.link).toContain('incident.do');
  });

  it('a deleted record is found by the periodic reconcile', async () => {
    const rec = h.service({ sync: { refreshMs: 3_600_000, reconcileEvery: 1 } });
    await rec.list('snow');
    const victim = openRows()[5];
    sim.remove('incident', victim?.sys_id ?? '');
    await rec.refresh('snow'); // a delta: a deleted row has no update to see
    expect(rec.sync('snow').row(victim?.sys_id ?? '')).toBeDefined();
    await rec.refresh('snow'); // the reconcile
    expect(rec.sync('snow').row(victim?.sys_id ?? '')).toBeUndefined();
    expect(rec.sync('snow').stats.reconciles).toBe(1);
    rec.stopAll();
  });

  it('the stream folds into the same queue a fresh read gives', async () => {
    sim.advanceTime(60_000);
    sim.touchIncidents(30);
    sim.closeIncident(openRows()[0]?.number ?? '');
    sim.addIncident({ impact: '2', urgency: '2' });
    await svc.refresh('snow');
    let folded: QueueSnapshot | undefined;
    const all: QueueUpdate[] = [];
    const s = svc.subscribeQueue('snow', (u) => all.push(u));
    sim.advanceTime(60_000);
    sim.touchIncidents(10);
    await svc.refresh('snow');
    for (const u of all) {
      const r = applyQueueUpdate(folded, u);
      if (!r.ok) throw new Error(r.reason);
      folded = r.snapshot;
    }
    s();
    const fresh = await h.service().list('snow');
    const key = (rows: { sys_id: string; sys_mod_count: number }[]) => rows.map((r) => `${r.sys_id}:${r.sys_mod_count}`).sort();
    expect(key(folded?.rows ?? [])).toEqual(key(fresh.rows));
    expect(folded?.counts).toEqual(fresh.counts);
  });
});

describe('background loop', () => {
  it('refreshes on its interval, keeps the last good rows through failures with back-off, goes stale, records health, recovers', async () => {
    const loop = h.service({ sync: { refreshMs: 150, reconcileEvery: 0 } });
    const seen: QueueUpdate[] = [];
    const s = loop.subscribeQueue('snow', (u) => seen.push(u));
    await until(() => seen.filter((u) => u.kind === 'delta').length >= 2, 5000, 'two refreshes');
    const rows = loop.sync('snow').snapshot().rows.length;
    expect(rows).toBe(openRows().length);
    expect(h.core.services.connections.healthList().find((x) => x.id === 'snow')?.state).toBe('ok');

    sim.setFault({ mode: '503', retryAfterSeconds: 0, match: INCIDENT });
    const errors = (): QueueDelta[] => seen.filter((u): u is QueueDelta => u.kind === 'delta' && u.error !== null);
    await until(() => errors().length >= 3, 10_000, 'three failed attempts');
    const failed = errors();
    expect(failed[0]?.error?.code).toBe('remote_error');
    expect(failed[0]?.error?.detail?.remoteMessage).toContain('Service Unavailable');
    // Back-off: each wait is about twice the one before.
    const gaps = failed.slice(0, 3).map((d) => Date.parse(d.nextAttemptAt ?? '') - Date.parse(d.attemptedAt ?? ''));
    expect(gaps[0]).toBeGreaterThanOrEqual(150 * 0.9 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(300 * 0.9 - 5);
    expect(gaps[2]).toBeGreaterThanOrEqual(600 * 0.9 - 5);
    // The rows stay, with their age; older than twice the interval they are stale.
    expect(loop.sync('snow').snapshot().rows).toHaveLength(rows);
    expect(failed[failed.length - 1]?.stale).toBe(true);
    const health = h.core.services.connections.healthList().find((x) => x.id === 'snow');
    expect(health?.state).toBe('error');
    expect(health?.message).toContain('Service Unavailable');

    sim.setFault('none');
    await until(
      () => {
        const last = seen[seen.length - 1];
        return last?.kind === 'delta' && last.error === null;
      },
      10_000,
      'recovery',
    );
    const last = seen[seen.length - 1] as QueueDelta;
    expect(last.stale).toBe(false);
    expect(h.core.services.connections.healthList().find((x) => x.id === 'snow')?.state).toBe('ok');
    s();
    const attempts = sim.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    // No subscriber, no loop.
    expect(sim.requests.length).toBe(attempts);
    loop.stopAll();
  });

  it('a login page during a refresh: the error says so and the rows stay', async () => {
    sim.setFault({ mode: 'html-login', match: INCIDENT });
    await svc.refresh('snow');
    expect(lastDelta().error?.code).toBe('login_required');
    expect(lastDelta().error?.message).toMatch(/session expired or an SSO login is needed/);
    // A list answers with the last good rows and the error rather than failing...
    const listed = await svc.list('snow');
    expect(listed.error?.code).toBe('login_required');
    expect(listed.rows.length).toBe(openRows().length);
    // ...while a console with no rows yet has nothing to show but the error.
    const empty = await h
      .service()
      .list('snow')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(empty).toMatchObject({ code: 'login_required' });
  });
});

describe('the connection is edited', () => {
  it('a queue of another instance starts over with a snapshot, and its health is recorded', async () => {
    const other = await startServiceNowSim({ incidents: 12, seed: 99 });
    const file = path.join(h.dir, 'toc.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      const seen: QueueUpdate[] = [];
      const loop = h.service({ sync: { refreshMs: 3_600_000 } });
      await loop.list('snow');
      const s = loop.subscribeQueue('snow', (u) => seen.push(u));
      writeFileSync(file, original.replace(sim.url, other.url));
      await h.core.services.reloadWorkspace();
      // A secret belongs to the origin it was entered for: the other instance gets its password only once the
      // engineer enters it for that instance.
      await h.ok('connections.setSecret', { connectionId: 'snow', field: 'password', value: other.credentials.password });
      const listed = await loop.list('snow');
      const otherOpen = other
        .table('incident')
        .all()
        .filter((r) => r.active === 'true' && !['6', '7', '8'].includes(r.state ?? '')).length;
      expect(listed.rows).toHaveLength(otherOpen);
      const last = seen[seen.length - 1];
      expect(last?.kind).toBe('snapshot');
      expect(last?.kind === 'snapshot' && last.rows.length).toBe(otherOpen);
      s();
      loop.stopAll();
    } finally {
      writeFileSync(file, original);
      await h.core.services.reloadWorkspace();
      await h.ok('connections.setSecret', { connectionId: 'snow', field: 'password', value: sim.credentials.password });
      await other.stop();
    }
  });
});

describe('through the contract', () => {
  it('incidents.queue streams a schema-valid snapshot to a subscriber, and incidents.list answers with counts', async () => {
    const got: unknown[] = [];
    const sub = h.core.dispatcher.subscribe('incidents.queue', {}, (p) => got.push(p));
    if (!sub.ok) throw new Error(sub.error.message);
    await until(() => got.length > 0, 10_000, 'the first snapshot');
    sub.data.stop();
    const first = QueueUpdateSchema.parse(got[0]);
    expect(first.kind).toBe('snapshot');
    const listed = await h.ok('incidents.list', {});
    expect(listed.counts.total).toBe(openRows().length);
    const bad = h.core.dispatcher.subscribe('incidents.queue', { connectionId: 'nope' }, () => undefined);
    expect(bad.ok).toBe(false);
  });
});
