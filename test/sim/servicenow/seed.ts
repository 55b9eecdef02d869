import { priorityFor } from './business-rules';
import { CHOICES } from './choices';
import { journalRow } from './journal';
import { compareText } from './prng';
import type { Prng } from './prng';
import {
  ALERTS,
  CHANGES,
  CI_FAMILIES,
  CLOSE_NOTES,
  COMMENTS,
  FIRST_NAMES,
  GROUPS,
  HUMAN_INCIDENTS,
  LAST_NAMES,
  SERVICES,
  TIME_ZONES,
  TITLES,
  WORK_NOTES,
} from './seed-data';
import type { CiFamily } from './seed-data';
import type { Database, Row, Table } from './table-store';
import { formatDurationValue, formatGlideDateTime } from './time-format';

// Builds a realistic, seed-deterministic queue: people in support groups, a CMDB of hosts behind
// services, a few hundred (or ten thousand) incidents — many opened by monitoring with u_alert_name and
// u_alert_instance — with work-note history, and a handful of change requests in flight.

export interface SeedOptions {
  /** Active (New / In Progress / On Hold) incidents. */
  openIncidents: number;
  /** Resolved, closed and canceled incidents on top of the open ones. */
  historyIncidents: number;
  /** Generated people (besides admin, the API account and the monitoring integration user). */
  users: number;
  changes: number;
  /** Epoch ms everything is relative to. */
  now: number;
  /** user_name of the API account; it gets a sys_user row and group memberships. */
  apiUserName: string;
  /** Days of history the resolved/closed incidents spread over (default 60). */
  historyDays?: number;
  /** Closed change requests spread over the history, some followed by an incident on their CI (default 0). */
  historyChanges?: number;
}

export const ADMIN_SYS_ID = '6816f79cc0a8016401c5a33be04be441';
export const MONITORING_USER_NAME = 'prometheus.alertmanager';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const templates = new WeakMap<Table, Readonly<Record<string, string>>>();

/** A row with every column at its default; cloned from a per-table template because seeding is hot. */
function blank(table: Table): Record<string, string> {
  let template = templates.get(table);
  if (!template) {
    const row: Record<string, string> = {};
    for (const def of table.def.fields.values()) row[def.name] = def.defaultValue ?? '';
    template = row;
    templates.set(table, template);
  }
  return { ...template };
}

function stamp(row: Record<string, string>, createdMs: number, updatedMs: number, by: string, updatedBy = by, modCount = 0): void {
  row.sys_created_on = formatGlideDateTime(createdMs);
  row.sys_updated_on = formatGlideDateTime(updatedMs);
  row.sys_created_by = by;
  row.sys_updated_by = updatedBy;
  row.sys_mod_count = String(modCount);
}

/** What generated incidents draw from; rebuilt from the tables so runtime helpers can use it too. */
export interface World {
  readonly humans: readonly Row[];
  readonly monitoring: Row;
  readonly groups: ReadonlyMap<string, Row>;
  readonly members: ReadonlyMap<string, readonly Row[]>;
  readonly cisByFamily: ReadonlyMap<string, readonly Row[]>;
  readonly services: ReadonlyMap<string, Row>;
  readonly changes: readonly Row[];
}

export function worldFrom(db: Database): World {
  const users = db.table('sys_user').all();
  const byId = new Map(users.map((u) => [u.sys_id ?? '', u]));
  const groups = new Map(
    db
      .table('sys_user_group')
      .all()
      .map((g) => [g.name ?? '', g]),
  );
  const members = new Map<string, Row[]>();
  for (const m of db.table('sys_user_grmember').all()) {
    const user = byId.get(m.user ?? '');
    if (!user) continue;
    const list = members.get(m.group ?? '') ?? [];
    list.push(user);
    members.set(m.group ?? '', list);
  }
  // Keep member lists in a stable order independent of the table's physical order.
  for (const list of members.values()) list.sort((a, b) => compareText(a.user_name, b.user_name));
  const cisByFamily = new Map<string, Row[]>();
  const cis = [...db.table('cmdb_ci').all()].sort((a, b) => compareText(a.name, b.name));
  for (const ci of cis) {
    const family = (ci.name ?? '').replace(/-\d+$/, '');
    const list = cisByFamily.get(family) ?? [];
    list.push(ci);
    cisByFamily.set(family, list);
  }
  const monitoring = users.find((u) => u.user_name === MONITORING_USER_NAME) ?? users[0];
  if (!monitoring) throw new Error('seed: no users');
  return {
    humans: users
      .filter((u) => u.user_name !== MONITORING_USER_NAME && u.sys_id !== ADMIN_SYS_ID)
      .sort((a, b) => compareText(a.user_name, b.user_name)),
    monitoring,
    groups,
    members,
    cisByFamily,
    services: new Map(
      db
        .table('cmdb_ci_service')
        .all()
        .map((s) => [s.name ?? '', s]),
    ),
    changes: [...db.table('change_request').all()].sort((a, b) => compareText(a.number, b.number)),
  };
}

function seedChoices(db: Database, r: Prng, now: number): void {
  const table = db.table('sys_choice');
  for (const [tableName, fields] of Object.entries(CHOICES)) {
    for (const [element, choices] of Object.entries(fields)) {
      choices.forEach((c, i) => {
        const row = blank(table);
        row.sys_id = r.sysId();
        row.name = tableName;
        row.element = element;
        row.value = c.value;
        row.label = c.label;
        row.sequence = String(i * 10);
        row.inactive = c.inactive === true ? 'true' : 'false';
        row.dependent_value = c.dependentValue ?? '';
        stamp(row, now - 400 * DAY, now - 400 * DAY, 'system');
        table.put(row);
      });
    }
  }
}

function seedPeople(db: Database, r: Prng, opts: SeedOptions): void {
  const users = db.table('sys_user');
  const created = opts.now - 300 * DAY;
  const add = (sysId: string, userName: string, first: string, last: string, extra: Record<string, string> = {}): Row => {
    const row = blank(users);
    Object.assign(row, {
      sys_id: sysId,
      user_name: userName,
      first_name: first,
      last_name: last,
      name: `${first} ${last}`.trim(),
      email: `${userName}@example.com`,
      time_zone: 'UTC',
      ...extra,
    });
    stamp(row, created, created, 'admin');
    users.put(row);
    return row;
  };
  add(ADMIN_SYS_ID, 'admin', 'System', 'Administrator', { title: 'System Administrator' });
  const api =
    opts.apiUserName === 'admin'
      ? undefined
      : add(r.sysId(), opts.apiUserName, 'TOC Console', 'Integration', { title: 'Integration user' });
  add(r.sysId(), MONITORING_USER_NAME, 'Prometheus', 'Alertmanager', { title: 'Monitoring integration' });

  const taken = new Set<string>();
  const humans: Row[] = [];
  for (let i = 0; i < opts.users; i++) {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    let userName = `${first}.${last}`.toLowerCase();
    for (let n = 2; taken.has(userName); n++) userName = `${first}.${last}${n}`.toLowerCase();
    taken.add(userName);
    humans.push(
      add(r.sysId(), userName, first, last, {
        title: r.pick(TITLES),
        time_zone: r.pick(TIME_ZONES),
        phone: `+49 30 5550${String(1000 + i).slice(-4)}`,
        vip: r.chance(0.05) ? 'true' : 'false',
      }),
    );
  }

  const groups = db.table('sys_user_group');
  const members = db.table('sys_user_grmember');
  const join = (user: Row, group: Row): void => {
    const m = blank(members);
    m.sys_id = r.sysId();
    m.user = user.sys_id ?? '';
    m.group = group.sys_id ?? '';
    stamp(m, created, created, 'admin');
    members.put(m);
  };
  const groupRows = GROUPS.map((spec) => {
    const g = blank(groups);
    Object.assign(g, { sys_id: r.sysId(), name: spec.name, description: spec.description, email: spec.email });
    stamp(g, created, created, 'admin');
    return g;
  });
  // Everyone is in one team, some in two; each team gets at least three people and a manager.
  const teamOf = new Map<Row, Row[]>(groupRows.map((g) => [g, []]));
  humans.forEach((u, i) => {
    const primary = groupRows[i % groupRows.length];
    if (primary) teamOf.get(primary)?.push(u);
    if (r.chance(0.25)) {
      const second = r.pick(groupRows);
      const team = teamOf.get(second);
      if (team && !team.includes(u)) team.push(u);
    }
  });
  for (const g of groupRows) {
    const team = teamOf.get(g) ?? [];
    if (team[0]) g.manager = team[0].sys_id ?? '';
    groups.put(g);
    for (const u of team) join(u, g);
  }
  // The API account is on call for SRE and the service desk, so "My Groups" filters have data.
  const apiUser = api ?? users.get(ADMIN_SYS_ID);
  for (const name of ['Site Reliability Engineering', 'Service Desk']) {
    const g = groupRows.find((x) => x.name === name);
    if (g && apiUser) join(apiUser, g);
  }
}

function seedCmdb(db: Database, r: Prng, now: number): void {
  const groups = new Map(
    db
      .table('sys_user_group')
      .all()
      .map((g) => [g.name ?? '', g]),
  );
  const created = now - 200 * DAY;
  const services = db.table('cmdb_ci_service');
  for (const spec of SERVICES) {
    const s = blank(services);
    const group = groups.get(spec.group);
    Object.assign(s, {
      sys_id: r.sysId(),
      name: spec.name,
      short_description: spec.description,
      busines_criticality: spec.criticality,
      support_group: group?.sys_id ?? '',
      owned_by: group?.manager ?? '',
    });
    stamp(s, created, created, 'admin');
    services.put(s);
  }
  const cis = db.table('cmdb_ci');
  for (const family of CI_FAMILIES) {
    const group = groups.get(family.group);
    for (let i = 1; i <= family.count; i++) {
      const name = `${family.prefix}-${String(i).padStart(2, '0')}`;
      const c = blank(cis);
      Object.assign(c, {
        sys_id: r.sysId(),
        name,
        sys_class_name: family.className,
        short_description: family.description,
        host_name: name,
        fqdn: `${name}.prod.example.com`,
        ip_address: `10.20.${family.subnet}.${10 + i}`,
        environment: 'Production',
        operational_status: r.chance(0.04) ? '3' : '1',
        install_status: '1',
        support_group: group?.sys_id ?? '',
        managed_by: group?.manager ?? '',
      });
      stamp(c, created, created, 'admin');
      cis.put(c);
    }
  }
}

function seedChanges(db: Database, r: Prng, opts: SeedOptions): void {
  const table = db.table('change_request');
  const world = worldFrom(db);
  for (let i = 0; i < opts.changes; i++) {
    const spec = CHANGES[i % CHANGES.length];
    if (!spec) continue;
    const group = world.groups.get(spec.group);
    const team = world.members.get(group?.sys_id ?? '') ?? [];
    const owner = team.length > 0 ? r.pick(team) : undefined;
    const start = opts.now + spec.startInHours * HOUR;
    const end = start + spec.durationHours * HOUR;
    const opened = Math.min(start, opts.now) - r.int(2, 10) * DAY;
    const c = blank(table);
    const impact = r.pick(['2', '3', '3']);
    const urgency = r.pick(['2', '3', '3']);
    Object.assign(c, {
      sys_id: r.sysId(),
      number: db.nextNumber('change_request'),
      short_description: spec.short,
      description: `${spec.short}.\nRequested by ${spec.group}.`,
      type: spec.type,
      state: spec.state,
      risk: spec.risk,
      category: spec.category,
      impact,
      urgency,
      priority: priorityFor(impact, urgency) ?? '4',
      approval: ['-2', '-1', '0', '3'].includes(spec.state) ? 'approved' : spec.state === '-3' ? 'requested' : 'not requested',
      assignment_group: group?.sys_id ?? '',
      assigned_to: owner?.sys_id ?? '',
      requested_by: owner?.sys_id ?? '',
      opened_by: owner?.sys_id ?? '',
      opened_at: formatGlideDateTime(opened),
      start_date: formatGlideDateTime(start),
      end_date: formatGlideDateTime(end),
      justification: 'Keeps the service within its SLO and supported versions.',
      implementation_plan: '1. Announce in #ops\n2. Apply via AWX job template\n3. Verify dashboards',
      backout_plan: 'Re-run the previous version of the job template.',
      test_plan: 'Synthetic checks green for 15 minutes.',
      sys_class_name: 'change_request',
    });
    if (['-1', '0', '3'].includes(spec.state)) c.work_start = formatGlideDateTime(Math.min(start, opts.now));
    if (['0', '3'].includes(spec.state)) c.work_end = formatGlideDateTime(Math.min(end, opts.now));
    if (spec.state === '3' || spec.state === '4') {
      c.active = 'false';
      c.closed_at = formatGlideDateTime(Math.min(end + HOUR, opts.now));
      c.closed_by = owner?.sys_id ?? '';
    }
    if (spec.state === '3') {
      c.close_code = 'successful';
      c.close_notes = 'Implemented as planned, verification passed.';
    }
    const by = owner?.user_name ?? 'admin';
    stamp(c, opened, Math.min(opts.now, Math.max(opened, start)), by, by, r.int(1, 8));
    table.put(c);
  }
}

interface Note {
  element: 'work_notes' | 'comments';
  text: string;
  at: number;
  by: string;
}

export interface GeneratedIncident {
  row: Record<string, string>;
  notes: Note[];
}

const ACTIVE_CLOSE_CODES: readonly (readonly [string, number])[] = [
  ['Solution provided', 8],
  ['Workaround provided', 4],
  ['Resolved by change', 2],
  ['Duplicate', 2],
  ['Known error', 1],
  ['Resolved by caller', 2],
  ['User error', 1],
  ['No resolution provided', 1],
];

// Distributions, hoisted because generateIncident runs ten thousand times at start-up.
const ALERT_WEIGHTS = ALERTS.map((a) => [a, a.weight] as const);
const FAMILY_BY_PREFIX = new Map<string, CiFamily>(CI_FAMILIES.map((f) => [f.prefix, f]));
const CONTACT_TYPES = [
  ['email', 3],
  ['phone', 3],
  ['self-service', 4],
  ['chat', 1],
  ['walk-in', 0.5],
] as const;
const HUMAN_IMPACT = [
  ['1', 0.5],
  ['2', 3],
  ['3', 6.5],
] as const;
const HUMAN_URGENCY = [
  ['1', 1],
  ['2', 3],
  ['3', 6],
] as const;
const OPEN_STATES = [
  ['1', 30],
  ['2', 55],
  ['3', 15],
] as const;
const DONE_STATES = [
  ['6', 35],
  ['7', 55],
  ['8', 10],
] as const;
const REASSIGNMENTS = [
  ['0', 6],
  ['1', 3],
  ['2', 1],
] as const;
const HOLD_REASONS = [
  ['1', 4],
  ['3', 2],
  ['4', 3],
  ['5', 1],
] as const;

function userNameOf(u: Row | undefined): string {
  return u?.user_name ?? 'admin';
}

const SLA_HOURS: Readonly<Record<string, number>> = { '1': 4, '2': 8, '3': 24, '4': 72, '5': 120 };

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? k);
}

/** One incident in a given lifecycle phase. `number` and `sys_id` are set by the caller. */
/** Typical time to resolve per priority (minutes): urgent work is fixed in hours, planning items in days. */
const RESOLVE_MINUTES: Readonly<Record<string, number>> = { '1': 150, '2': 420, '3': 1500, '4': 4300, '5': 8600 };

/**
 * Minutes from opening to resolution: the priority's typical time, skewed (most fast, a long tail), and a
 * little longer the older the incident is (the team got better over the months, as the insights view shows).
 */
export function resolveMinutes(priority: string, u: number, ageShare: number): number {
  const typical = RESOLVE_MINUTES[priority] ?? 1500;
  return Math.max(10, typical * (0.2 + 1.8 * u * u) * (0.8 + 0.5 * ageShare));
}

export function generateIncident(world: World, table: Table, r: Prng, now: number, open: boolean, historyDays = 60): GeneratedIncident {
  const row = blank(table);
  const notes: Note[] = [];
  let group: Row | undefined;
  let ci: Row | undefined;
  let service: Row | undefined;
  let caller: Row;
  let openedBy: Row;
  let host = '';
  let impact: string;
  let urgency: string;

  if (r.chance(0.4)) {
    const alert = r.weighted(ALERT_WEIGHTS);
    const family = FAMILY_BY_PREFIX.get(r.pick(alert.families));
    const hosts = world.cisByFamily.get(family?.prefix ?? '') ?? [];
    ci = hosts.length > 0 ? r.pick(hosts) : undefined;
    host = ci?.name ?? 'unknown-host';
    const serviceName = r.pick(family?.services ?? ['Checkout']);
    service = world.services.get(serviceName);
    const job = SERVICES.find((s) => s.name === serviceName)?.job ?? 'node';
    row.short_description = `[Prometheus] ${alert.summary(host, serviceName, job)}`;
    row.description = alert.detail(host, serviceName, job);
    row.u_alert_name = alert.name;
    row.u_alert_instance = `${host}:${family?.port ?? 9100}`;
    row.category = alert.category;
    row.subcategory = alert.subcategory;
    row.contact_type = 'monitoring';
    caller = world.monitoring;
    openedBy = world.monitoring;
    group = world.groups.get(family?.group ?? '') ?? world.groups.get('Site Reliability Engineering');
    impact = r.weighted(alert.impact);
    urgency = r.weighted(alert.urgency);
  } else {
    const spec = r.pick(HUMAN_INCIDENTS);
    group = world.groups.get(spec.group);
    service = spec.service !== undefined ? world.services.get(spec.service) : undefined;
    if (spec.service !== undefined && r.chance(0.5)) {
      const family = CI_FAMILIES.find((f) => f.services.includes(spec.service ?? ''));
      const hosts = world.cisByFamily.get(family?.prefix ?? '') ?? [];
      if (hosts.length > 0) ci = r.pick(hosts);
    }
    host = ci?.name ?? '';
    row.short_description = spec.short;
    row.description = `${spec.short}.\nReported via the service portal. Steps to reproduce and affected users in the comments.`;
    row.category = spec.category;
    row.subcategory = spec.subcategory;
    row.contact_type = r.weighted(CONTACT_TYPES);
    caller = world.humans.length > 0 ? r.pick(world.humans) : world.monitoring;
    const desk = world.members.get(world.groups.get('Service Desk')?.sys_id ?? '') ?? [];
    openedBy = row.contact_type === 'self-service' || desk.length === 0 ? caller : r.pick(desk);
    impact = r.weighted(HUMAN_IMPACT);
    urgency = r.weighted(HUMAN_URGENCY);
  }

  const team = world.members.get(group?.sys_id ?? '') ?? [];
  const state = r.weighted(open ? OPEN_STATES : DONE_STATES);
  const assigned = state !== '1' || r.chance(0.15) ? (team.length > 0 ? r.pick(team) : undefined) : undefined;
  const priority = priorityFor(impact, urgency) ?? '5';

  // Recent incidents are more common than old ones, as in any live queue.
  const span = open ? 30 * DAY : historyDays * DAY;
  // Open ones lean to the last days (as in any live queue); history is spread evenly over its months.
  const u = r.next();
  const opened = Math.floor((now - 5 * 60_000 - span * (open ? u ** 2 : u)) / 1000) * 1000;
  let updated = opened + Math.floor((now - opened) * r.next());

  Object.assign(row, {
    state,
    incident_state: state,
    impact,
    urgency,
    priority,
    severity: priority === '1' ? '1' : priority === '2' ? '2' : '3',
    caller_id: caller.sys_id ?? '',
    opened_by: openedBy.sys_id ?? '',
    opened_at: formatGlideDateTime(opened),
    assignment_group: state === '1' && r.chance(0.25) ? '' : (group?.sys_id ?? ''),
    assigned_to: assigned?.sys_id ?? '',
    cmdb_ci: ci?.sys_id ?? '',
    business_service: service?.sys_id ?? '',
    sla_due: formatGlideDateTime(opened + (SLA_HOURS[priority] ?? 24) * HOUR),
    reassignment_count: assigned ? r.weighted(REASSIGNMENTS) : '0',
    sys_class_name: 'incident',
  });
  if (state === '3') row.hold_reason = r.weighted(HOLD_REASONS);
  if (r.chance(0.15) && world.humans.length > 0)
    row.watch_list = [r.pick(world.humans), r.pick(world.humans)]
      .map((u) => u.sys_id ?? '')
      .filter((v, i, a) => a.indexOf(v) === i)
      .join(',');
  if (service?.name === 'Checkout' && r.chance(0.2)) {
    const deploy = world.changes.find((c) => (c.short_description ?? '').includes('checkout'));
    if (deploy) row.caused_by = deploy.sys_id ?? '';
  }

  if (!open) {
    const minutes = resolveMinutes(priority, r.next(), (now - opened) / span);
    const resolved = Math.max(opened + 60_000, Math.min(opened + Math.floor(minutes * 60_000), now - 60_000));
    const resolver = assigned ?? (team.length > 0 ? r.pick(team) : undefined);
    if (state === '8') {
      row.active = 'false';
      updated = Math.min(opened + Math.floor(r.next() * DAY), now);
    } else {
      row.close_code = r.weighted(ACTIVE_CLOSE_CODES);
      row.close_notes = r.pick(CLOSE_NOTES);
      row.resolved_at = formatGlideDateTime(resolved);
      row.resolved_by = resolver?.sys_id ?? '';
      row.calendar_duration = formatDurationValue((resolved - opened) / 1000);
      if (row.close_code === 'Resolved by change' && world.changes.length > 0) row.rfc = r.pick(world.changes).sys_id ?? '';
      updated = resolved;
      if (state === '7') {
        const closed = Math.min(resolved + HOUR + Math.floor(r.next() * 5 * DAY), now);
        row.closed_at = formatGlideDateTime(closed);
        row.closed_by = resolver?.sys_id ?? '';
        row.active = 'false';
        updated = closed;
      }
      row.made_sla = resolved <= opened + (SLA_HOURS[priority] ?? 24) * HOUR ? 'true' : 'false';
    }
  } else {
    row.made_sla = now <= opened + (SLA_HOURS[priority] ?? 24) * HOUR ? 'true' : 'false';
  }

  const noteCount = state === '1' || state === '8' ? r.int(0, 1) : r.int(1, 4);
  const authors = assigned ? [assigned, ...team.slice(0, 2)] : team.length > 0 ? team.slice(0, 3) : [world.monitoring];
  for (let i = 0; i < noteCount; i++) {
    const at = i === noteCount - 1 ? updated : opened + Math.floor(((updated - opened) * (i + 1)) / (noteCount + 1));
    const isComment = caller !== world.monitoring && r.chance(0.2);
    const vars = {
      service: service?.name ?? 'service',
      host: host || 'the affected host',
      job: String(r.int(4000, 9999)),
      group: group?.name ?? 'the owning team',
      case: String(r.int(100000, 999999)),
    };
    notes.push(
      isComment
        ? { element: 'comments', text: r.pick(COMMENTS), at, by: userNameOf(caller) }
        : {
            element: 'work_notes',
            text: fill(r.pick(WORK_NOTES), vars),
            at,
            by: userNameOf(authors.length > 0 ? r.pick(authors) : undefined),
          },
    );
  }
  const lastAuthor = notes[notes.length - 1]?.by ?? userNameOf(assigned ?? openedBy);
  const modCount = state === '1' ? notes.length : notes.length + r.int(1, 3);
  stamp(row, opened, updated, userNameOf(openedBy), lastAuthor, modCount);
  return { row, notes };
}

export function putIncident(db: Database, r: Prng, generated: GeneratedIncident): Row {
  const row = generated.row;
  db.table('incident').put(row);
  const journal = db.table('sys_journal_field');
  for (const note of generated.notes) {
    journal.put(journalRow(r.sysId(), 'incident', row.sys_id ?? '', note.element, note.text, formatGlideDateTime(note.at), note.by));
  }
  return row;
}

export function seedDatabase(db: Database, r: Prng, opts: SeedOptions): void {
  const now = Math.floor(opts.now / 1000) * 1000;
  seedChoices(db, r, now);
  seedPeople(db, r, opts);
  seedCmdb(db, r, now);
  db.setNumberCounter('change_request', 30_000);
  seedChanges(db, r, { ...opts, now });

  const world = worldFrom(db);
  const table = db.table('incident');
  const generated: GeneratedIncident[] = [];
  for (let i = 0; i < opts.openIncidents; i++) generated.push(generateIncident(world, table, r, now, true));
  const historyDays = opts.historyDays ?? 60;
  for (let i = 0; i < opts.historyIncidents; i++) generated.push(generateIncident(world, table, r, now, false, historyDays));
  if ((opts.historyChanges ?? 0) > 0) seedHistoryChanges(db, r, world, now, historyDays, opts.historyChanges ?? 0, generated);
  // Numbers follow creation time, as sys_number hands them out.
  generated.sort((a, b) => compareText(a.row.opened_at, b.row.opened_at));
  db.setNumberCounter('incident', 10_000);
  for (const g of generated) {
    g.row.sys_id = r.sysId();
    g.row.number = db.nextNumber('incident');
    putIncident(db, r, g);
  }
  seedAssignmentMetrics(db, r, now);
}

const CHANGE_WORK = [
  'Kernel patch on {ci}',
  'Upgrade nginx on {ci}',
  'Rotate TLS certificates on {ci}',
  'Tune connection pool on {ci}',
  'OS security updates on {ci}',
];
const TIME_FIELDS = ['opened_at', 'resolved_at', 'closed_at', 'sys_created_on', 'sys_updated_on', 'sla_due'] as const;

/**
 * Closed changes over the history, each on one CI. Some are followed by an incident on the same CI a few
 * hours after the work ended — more often in the older months, so the change failure rate improves.
 */
function seedHistoryChanges(
  db: Database,
  r: Prng,
  world: World,
  now: number,
  historyDays: number,
  count: number,
  generated: GeneratedIncident[],
): void {
  const table = db.table('change_request');
  const incidents = db.table('incident');
  for (let i = 0; i < count; i++) {
    const family = r.pick(CI_FAMILIES);
    const hosts = world.cisByFamily.get(family.prefix) ?? [];
    if (hosts.length === 0) continue;
    const ci = r.pick(hosts);
    const age = r.next();
    const workEnd = Math.floor((now - DAY - age * (historyDays - 1) * DAY) / 1000) * 1000;
    const workStart = workEnd - r.int(1, 4) * HOUR;
    const closed = Math.min(now - 60_000, workEnd + r.int(1, 6) * HOUR);
    const group = world.groups.get(family.group);
    const team = world.members.get(group?.sys_id ?? '') ?? [];
    const owner = team.length > 0 ? r.pick(team) : undefined;
    const service = world.services.get(r.pick(family.services));
    const c = blank(table);
    const short = fill(r.pick(CHANGE_WORK), { ci: ci.name ?? '' });
    Object.assign(c, {
      sys_id: r.sysId(),
      number: db.nextNumber('change_request'),
      short_description: short,
      description: `${short}.\nRequested by ${family.group}.`,
      type: r.chance(0.6) ? 'standard' : 'normal',
      state: '3',
      risk: r.pick(['3', '4']),
      category: 'Software',
      impact: '3',
      urgency: '3',
      priority: '5',
      approval: 'approved',
      assignment_group: group?.sys_id ?? '',
      assigned_to: owner?.sys_id ?? '',
      requested_by: owner?.sys_id ?? '',
      opened_by: owner?.sys_id ?? '',
      cmdb_ci: ci.sys_id ?? '',
      business_service: service?.sys_id ?? '',
      opened_at: formatGlideDateTime(workStart - r.int(1, 5) * DAY),
      start_date: formatGlideDateTime(workStart),
      end_date: formatGlideDateTime(workEnd),
      work_start: formatGlideDateTime(workStart),
      work_end: formatGlideDateTime(workEnd),
      active: 'false',
      closed_at: formatGlideDateTime(closed),
      closed_by: owner?.sys_id ?? '',
      close_code: 'successful',
      close_notes: 'Implemented as planned, verification passed.',
      sys_class_name: 'change_request',
    });
    stamp(c, workStart - DAY, closed, owner?.user_name ?? 'admin', owner?.user_name ?? 'admin', r.int(4, 9));
    table.put(c);

    if (!r.chance(0.03 + 0.2 * age)) continue;
    // The change broke something: an incident on its CI, opened a few hours after the work ended.
    const g = generateIncident(world, incidents, r, now, false, historyDays);
    const openedMs = Date.parse(`${(g.row.opened_at ?? '').replace(' ', 'T')}Z`);
    const last = Math.max(...TIME_FIELDS.map((f) => (g.row[f] ? Date.parse(`${(g.row[f] ?? '').replace(' ', 'T')}Z`) : openedMs)));
    const target = workEnd + r.int(20, 600) * 60_000;
    if (target + (last - openedMs) > now - 60_000) continue;
    const delta = target - openedMs;
    for (const f of TIME_FIELDS) if (g.row[f]) g.row[f] = formatGlideDateTime(Date.parse(`${(g.row[f] ?? '').replace(' ', 'T')}Z`) + delta);
    for (const n of g.notes) n.at += delta;
    g.row.cmdb_ci = ci.sys_id ?? '';
    g.row.caused_by = c.sys_id ?? '';
    generated.push(g);
  }
}

/** Typical minutes until someone is assigned, per priority: [min, max]. */
const ASSIGN_MINUTES: Readonly<Record<string, readonly [number, number]>> = {
  '1': [2, 15],
  '2': [5, 45],
  '3': [15, 240],
  '4': [60, 900],
  '5': [120, 2400],
};

/** The OOB "Assigned to Duration" metric: one metric_instance per assigned incident, starting when it was assigned. */
function seedAssignmentMetrics(db: Database, r: Prng, now: number): void {
  const defs = db.table('metric_definition');
  const def = blank(defs);
  Object.assign(def, {
    sys_id: r.sysId(),
    name: 'Assigned to Duration',
    table: 'incident',
    field: 'assigned_to',
    type: 'field_value_duration',
    active: 'true',
  });
  stamp(def, now - 400 * DAY, now - 400 * DAY, 'system');
  defs.put(def);
  const metrics = db.table('metric_instance');
  const parse = (v: string | undefined): number | null => (v ? Date.parse(`${v.replace(' ', 'T')}Z`) : null);
  for (const inc of [...db.table('incident').all()].sort((a, b) => compareText(a.number, b.number))) {
    if (!inc.assigned_to) continue;
    const opened = parse(inc.opened_at);
    if (opened === null) continue;
    const [lo, hi] = ASSIGN_MINUTES[inc.priority ?? ''] ?? [15, 240];
    const latest = parse(inc.resolved_at) ?? parse(inc.sys_updated_on) ?? now;
    const start = Math.max(opened, Math.min(opened + Math.floor((lo + (hi - lo) * r.next() ** 2) * 60_000), latest));
    const m = blank(metrics);
    Object.assign(m, {
      sys_id: r.sysId(),
      definition: def.sys_id ?? '',
      id: inc.sys_id ?? '',
      table: 'incident',
      field: 'assigned_to',
      field_value: inc.assigned_to,
      start: formatGlideDateTime(start),
      calculation_complete: 'false',
    });
    stamp(m, start, start, 'system');
    metrics.put(m);
  }
}
