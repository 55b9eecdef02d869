import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeQueryValue, isCondition, parseEncodedQuery, splitTerms } from './encoded-query';
import { DYNAMIC_ME } from './query-engine';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import type { Row } from './table-store';
import { list } from './test-helpers';

describe('encoded query parser', () => {
  it('reads ^OR as binding tighter than ^ and ^NQ as OR of groups', () => {
    const q = parseEncodedQuery('active=true^priority=1^ORpriority=2^NQstate=6^EQ^ORDERBYpriority^ORDERBYDESCnumber');
    expect(q.groups).toHaveLength(2);
    const [g1, g2] = q.groups;
    expect(g1?.map((clause) => clause.map((c) => (isCondition(c) ? `${c.field}|${c.op}|${c.value}` : 'invalid')))).toEqual([
      ['active|=|true'],
      ['priority|=|1', 'priority|=|2'],
    ]);
    expect(g2?.map((clause) => clause.map((c) => (isCondition(c) ? `${c.field}|${c.op}|${c.value}` : 'invalid')))).toEqual([['state|=|6']]);
    expect(q.orderBy).toEqual([
      { field: 'priority', desc: false },
      { field: 'number', desc: true },
    ]);
  });

  it('recognises every operator spelling', () => {
    const cases: [string, string, string][] = [
      ['impactNOT IN1,2', 'NOT IN', '1,2'],
      ['stateIN1,2,3', 'IN', '1,2,3'],
      ['short_descriptionNOT LIKEsap', 'NOT LIKE', 'sap'],
      ['short_descriptionLIKEsap', 'LIKE', 'sap'],
      ['numberSTARTSWITHINC', 'STARTSWITH', 'INC'],
      ['numberENDSWITH01', 'ENDSWITH', '01'],
      ['assigned_toISEMPTY', 'ISEMPTY', ''],
      ['assigned_toISNOTEMPTY', 'ISNOTEMPTY', ''],
      ['descriptionEMPTYSTRING', 'EMPTYSTRING', ''],
      ['descriptionANYTHING', 'ANYTHING', ''],
      ['priorityBETWEEN1@3', 'BETWEEN', '1@3'],
      ['caller_idSAMEASopened_by', 'SAMEAS', 'opened_by'],
      ['caller_idNSAMEASopened_by', 'NSAMEAS', 'opened_by'],
      ['priority!=1', '!=', '1'],
      ['priority<=2', '<=', '2'],
      ['priority>=2', '>=', '2'],
      ['priority<2', '<', '2'],
      ['priority>2', '>', '2'],
      [
        'opened_atONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()',
        'ON',
        'Today@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()',
      ],
      ['opened_atNOTONToday', 'NOTON', 'Today'],
      ['sla_dueRELATIVEGT@hour@ago@1', 'RELATIVEGT', '@hour@ago@1'],
      ['sys_class_nameINSTANCEOFtask', 'INSTANCEOF', 'task'],
      ['assignment_group.name=Network', '=', 'Network'],
    ];
    for (const [term, op, value] of cases) {
      const c = parseEncodedQuery(term).groups[0]?.[0]?.[0];
      expect(c && isCondition(c) ? [c.op, c.value] : c, term).toEqual([op, value]);
    }
  });

  it('keeps ^^ as a literal caret inside values', () => {
    expect(splitTerms('short_description=a^^b^state=1')).toEqual(['short_description=a^b', 'state=1']);
    const q = parseEncodedQuery(`short_description=${escapeQueryValue('x^NQstate=1')}`);
    expect(q.groups).toHaveLength(1);
    const c = q.groups[0]?.[0]?.[0];
    expect(c && isCondition(c) ? c.value : undefined).toBe('x^NQstate=1');
  });

  it('round-trips any escaped value, whatever carets it contains', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('^', 'N', 'Q', 'O', 'R', '=', 'a', ' ', '1') }), (value) => {
        const q = parseEncodedQuery(`short_description=${escapeQueryValue(value)}^state=2`);
        const conditions = q.groups.flatMap((g) => g.flatMap((clause) => clause));
        expect(q.groups).toHaveLength(1);
        expect(conditions.map((c) => (isCondition(c) ? [c.field, c.value] : 'invalid'))).toEqual([
          ['short_description', value],
          ['state', '2'],
        ]);
      }),
      { numRuns: 300 },
    );
  });
});

// 2026-03-18 is a Wednesday; 10:30 UTC is 06:30 in New York (EDT since March 8).
const NOW = Date.UTC(2026, 2, 18, 10, 30, 0);

describe('query evaluation over HTTP', () => {
  let sim: SnowSim;
  let rows: readonly Row[];

  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 150, seed: 5, clock: () => NOW, timeZone: 'America/New_York' });
    rows = sim.table('incident').all();
  });
  afterAll(async () => {
    await sim.stop();
  });

  const ids = (rs: readonly Row[]): string[] => rs.map((r) => r.sys_id ?? '').sort();
  const query = async (q: string, extra: Record<string, string> = {}): Promise<{ ids: string[]; total: number | undefined }> => {
    const res = await list(sim, 'incident', { sysparm_query: q, sysparm_fields: 'sys_id', ...extra });
    return { ids: res.records.map((r) => String(r.sys_id)).sort(), total: res.total };
  };
  const expectMatch = async (q: string, predicate: (r: Row) => boolean): Promise<void> => {
    const expected = ids(rows.filter(predicate));
    const got = await query(q);
    expect(got.ids, q).toEqual(expected);
    expect(got.total, q).toBe(expected.length);
  };
  const num = (r: Row, f: string): number => Number(r[f] ?? '');

  it('applies comparison operators numerically to integer choices', async () => {
    await expectMatch('priority<=2', (r) => num(r, 'priority') <= 2);
    await expectMatch('priority>3', (r) => num(r, 'priority') > 3);
    await expectMatch('priority<3', (r) => num(r, 'priority') < 3);
    await expectMatch('priority>=4', (r) => num(r, 'priority') >= 4);
    // "5" < "10" only holds numerically.
    await expectMatch('priority<10', () => true);
    await expectMatch('priority!=1', (r) => r.priority !== '1');
    await expectMatch('impactBETWEEN1@2', (r) => num(r, 'impact') >= 1 && num(r, 'impact') <= 2);
  });

  it('handles IN, NOT IN, LIKE, NOT LIKE, STARTSWITH, ENDSWITH', async () => {
    await expectMatch('stateIN1,2', (r) => r.state === '1' || r.state === '2');
    await expectMatch('stateNOT IN1,2,3', (r) => !['1', '2', '3'].includes(r.state ?? ''));
    await expectMatch('short_descriptionLIKEDISK', (r) => (r.short_description ?? '').toLowerCase().includes('disk'));
    await expectMatch('short_descriptionNOT LIKEprometheus', (r) => !(r.short_description ?? '').toLowerCase().includes('prometheus'));
    await expectMatch('numberSTARTSWITHINC001000', (r) => (r.number ?? '').startsWith('INC001000'));
    await expectMatch('numberENDSWITH7', (r) => (r.number ?? '').endsWith('7'));
    await expectMatch('u_alert_instanceENDSWITH:9100', (r) => (r.u_alert_instance ?? '').endsWith(':9100'));
  });

  it('handles ISEMPTY, ISNOTEMPTY, EMPTYSTRING, ANYTHING, SAMEAS and NSAMEAS', async () => {
    await expectMatch('assigned_toISEMPTY', (r) => r.assigned_to === '');
    await expectMatch('assigned_toISNOTEMPTY', (r) => r.assigned_to !== '');
    await expectMatch('u_alert_nameEMPTYSTRING', (r) => r.u_alert_name === '');
    await expectMatch('descriptionANYTHING', () => true);
    await expectMatch('caller_idSAMEASopened_by', (r) => r.caller_id === r.opened_by);
    await expectMatch('caller_idNSAMEASopened_by', (r) => r.caller_id !== r.opened_by);
    await expectMatch('sys_class_nameINSTANCEOFtask', () => true);
  });

  it('binds ^OR tighter than ^ and ORs ^NQ groups', async () => {
    await expectMatch('priority=1^ORpriority=2^state=2', (r) => (r.priority === '1' || r.priority === '2') && r.state === '2');
    await expectMatch('state=2^priority=1^ORpriority=2', (r) => r.state === '2' && (r.priority === '1' || r.priority === '2'));
    await expectMatch(
      'priority=1^state=1^NQpriority=5^state=2',
      (r) => (r.priority === '1' && r.state === '1') || (r.priority === '5' && r.state === '2'),
    );
    await expectMatch('active=true^EQ', (r) => r.active === 'true');
  });

  it('walks references in conditions', async () => {
    const group = sim.table('sys_user_group').findBy('name', 'Linux Operations');
    await expectMatch('assignment_group.name=Linux Operations', (r) => r.assignment_group === group?.sys_id);
    await expectMatch('assignment_group.nameSTARTSWITHlinux^ORassignment_group.name=Service Desk', (r) => {
      const name = sim.table('sys_user_group').get(r.assignment_group ?? '')?.name ?? '';
      return name === 'Linux Operations' || name === 'Service Desk';
    });
    await expectMatch('cmdb_ci.nameSTARTSWITHdb-', (r) => (sim.table('cmdb_ci').get(r.cmdb_ci ?? '')?.name ?? '').startsWith('db-'));
  });

  it('drops conditions on unknown fields silently (never an HTTP error)', async () => {
    await expectMatch('no_such_field=42^priority=1', (r) => r.priority === '1');
    await expectMatch('no_such_field=42', () => true);
    await expectMatch('priority=1^ORno_such_field=1', (r) => r.priority === '1');
    await expectMatch('assignment_group.no_such=1^state=2', (r) => r.state === '2');
    // An ORDERBY on an unknown column is ignored too.
    const res = await list(sim, 'incident', { sysparm_query: 'priority=1^ORDERBYbogus', sysparm_fields: 'sys_id' });
    expect(res.total).toBe(rows.filter((r) => r.priority === '1').length);
  });

  it('matches a value containing carets only when escaped with ^^', async () => {
    const tricky = 'Disk full ^NQactive=true';
    sim.insert('incident', { short_description: tricky });
    rows = sim.table('incident').all();
    const escaped = await query(`short_description=${escapeQueryValue(tricky)}`);
    expect(escaped.total).toBe(1);
    // Unescaped, the caret starts a new query group and the filter matches the whole active queue.
    const injected = await query(`short_description=${tricky}`);
    expect(injected.total).toBe(rows.filter((r) => r.short_description === 'Disk full ' || r.active === 'true').length);
    expect(injected.total).toBeGreaterThan(100);
  });

  it('sorts by several keys, descending, and by the display value of references', async () => {
    const res = await list(sim, 'incident', { sysparm_query: 'ORDERBYpriority^ORDERBYDESCnumber', sysparm_fields: 'priority,number' });
    const pairs = res.records.map((r) => [Number(r.priority), String(r.number)] as const);
    const sorted = [...pairs].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
    expect(pairs).toEqual(sorted);
    expect(pairs.length).toBe(rows.length);

    const byGroup = await list(sim, 'incident', {
      sysparm_query: 'assignment_groupISNOTEMPTY^ORDERBYassignment_group',
      sysparm_fields: 'assignment_group',
      sysparm_display_value: 'true',
      sysparm_exclude_reference_link: 'true',
    });
    const names = byGroup.records.map((r) => String(r.assignment_group).toLowerCase());
    expect(names).toEqual([...names].sort());

    const desc = await list(sim, 'incident', { sysparm_query: 'ORDERBYDESCopened_at', sysparm_fields: 'opened_at' });
    const opened = desc.records.map((r) => String(r.opened_at));
    expect(opened).toEqual([...opened].sort().reverse());
  });

  it('does not return rows in insertion order without ORDERBY, and moves updated rows', async () => {
    const first = await list(sim, 'incident', { sysparm_fields: 'number' });
    const numbers = first.records.map((r) => String(r.number));
    expect(numbers).not.toEqual([...numbers].sort());
    const again = await list(sim, 'incident', { sysparm_fields: 'number' });
    expect(again.records.map((r) => String(r.number))).toEqual(numbers);
    sim.touchIncidents(20);
    const after = await list(sim, 'incident', { sysparm_fields: 'number' });
    expect(after.records.map((r) => String(r.number))).not.toEqual(numbers);
  });

  it('evaluates relative dates in the user time zone', async () => {
    // 2026-03-18 in New York runs from 04:00:00 to 03:59:59 next day, UTC.
    const mark = (opened: string): string =>
      sim.insert('incident', { short_description: 'tz probe', u_alert_name: 'TzProbe', opened_at: opened }).sys_id ?? '';
    const before = mark('2026-03-18 03:59:59');
    const start = mark('2026-03-18 04:00:00');
    const late = mark('2026-03-19 03:59:59');
    const tomorrow = mark('2026-03-19 04:00:00');
    const yesterday = mark('2026-03-17 12:00:00');
    const threeDays = mark('2026-03-15 05:00:00');
    const minutes = mark('2026-03-18 10:25:00');
    const sorted = (...xs: string[]): string[] => [...xs].sort();
    const probe = async (q: string): Promise<string[]> => (await query(`u_alert_name=TzProbe^${q}`)).ids;

    expect(await probe('opened_atONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()')).toEqual(
      sorted(start, late, minutes),
    );
    expect(await probe('opened_atONToday')).toEqual(sorted(start, late, minutes));
    expect(await probe('opened_atNOTONToday@javascript:gs.beginningOfToday()@javascript:gs.endOfToday()')).toEqual(
      sorted(before, tomorrow, yesterday, threeDays),
    );
    expect(await probe('opened_atONYesterday@javascript:gs.beginningOfYesterday()@javascript:gs.endOfYesterday()')).toEqual(
      sorted(before, yesterday),
    );
    expect(await probe('opened_atBETWEENjavascript:gs.daysAgoStart(3)@javascript:gs.daysAgoEnd(3)')).toEqual([threeDays]);
    expect(await probe('opened_at>=javascript:gs.daysAgoStart(1)^opened_at<javascript:gs.beginningOfToday()')).toEqual(
      sorted(before, yesterday),
    );
    expect(await probe('opened_at>=javascript:gs.minutesAgoStart(5)^opened_at<=javascript:gs.nowDateTime()')).toEqual([minutes]);
    expect(await probe("opened_at>=javascript:gs.dateGenerate('2026-03-19','start')")).toEqual([tomorrow]);
    expect(await probe('opened_atRELATIVEGT@minute@ago@10')).toEqual(sorted(minutes, late, tomorrow));
    expect(await probe('opened_at>2026-03-19 00:00:00')).toEqual(sorted(late, tomorrow));
    // An expression the sim cannot evaluate is dropped like an unknown field.
    expect((await probe('opened_at>javascript:gs.noSuchThing()')).length).toBe(7);
  });

  it('resolves gs.getUserID() and the "Me" dynamic filter to the API user', async () => {
    const me = sim.apiUser.sysId;
    sim.insert('incident', { short_description: 'mine', caller_id: me });
    rows = sim.table('incident').all();
    await expectMatch('caller_id=javascript:gs.getUserID()', (r) => r.caller_id === me);
    await expectMatch(`caller_idDYNAMIC${DYNAMIC_ME}`, (r) => r.caller_id === me);
    expect(rows.filter((r) => r.caller_id === me).length).toBeGreaterThan(0);
  });

  it('accepts display values in name-value filters', async () => {
    rows = sim.table('incident').all();
    const group = sim.table('sys_user_group').findBy('name', 'Database Administration');
    const res = await list(sim, 'incident', {
      state: 'In Progress',
      assignment_group: 'Database Administration',
      sysparm_fields: 'sys_id',
    });
    const expected = rows.filter((r) => r.state === '2' && r.assignment_group === group?.sys_id);
    expect(res.total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    const combined = await list(sim, 'incident', { sysparm_query: 'priority=1^NQpriority=2', state: '2', sysparm_fields: 'sys_id' });
    expect(combined.total).toBe(rows.filter((r) => (r.priority === '1' || r.priority === '2') && r.state === '2').length);
  });
});

describe('glide.invalid_query.returns_no_rows', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 30, invalidQueryReturnsNoRows: true });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('returns zero rows (not an error) when a condition names an unknown field', async () => {
    const bad = await list(sim, 'incident', { sysparm_query: 'no_such_field=1^active=true', sysparm_fields: 'sys_id' });
    expect(bad.status).toBe(200);
    expect(bad.records).toEqual([]);
    expect(bad.total).toBe(0);
    const good = await list(sim, 'incident', { sysparm_query: 'active=true', sysparm_fields: 'sys_id' });
    expect(good.total).toBe(
      sim
        .table('incident')
        .all()
        .filter((r) => r.active === 'true').length,
    );
    expect(good.total).toBeGreaterThanOrEqual(30);
  });
});
