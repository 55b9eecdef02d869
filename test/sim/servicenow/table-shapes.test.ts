import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import type { Json } from './test-helpers';
import { asObject, call, list, parse, str } from './test-helpers';

// A fixed clock keeps dates and journal timestamps exact.
const NOW = Date.UTC(2026, 2, 18, 10, 30, 0);

describe('record shapes', () => {
  let sim: SnowSim;
  let incidentId: string;
  let groupId: string;
  let groupName: string;
  let managerName: string;

  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 60, seed: 11, clock: () => NOW });
    const group = sim.table('sys_user_group').findBy('name', 'Network Operations');
    groupId = group?.sys_id ?? '';
    groupName = group?.name ?? '';
    managerName = sim.table('sys_user').get(group?.manager ?? '')?.name ?? '';
    incidentId =
      sim.insert('incident', { short_description: 'shape probe', assignment_group: groupId, impact: '1', urgency: '1' }).sys_id ?? '';
  });
  afterAll(async () => {
    await sim.stop();
  });

  const one = async (params: Record<string, string>): Promise<Record<string, Json>> => {
    const r = await call(sim, 'GET', `/api/now/table/incident/${incidentId}`, { params });
    expect(r.status).toBe(200);
    return asObject(asObject(parse(r)).result);
  };

  it.each([
    ['false', 'false', (link: string) => ({ link, value: groupId }), ''],
    ['false', 'true', () => groupId, ''],
    ['true', 'false', (link: string) => ({ display_value: groupName, link }), ''],
    ['true', 'true', () => groupName, ''],
    ['all', 'false', (link: string) => ({ display_value: groupName, link, value: groupId }), { display_value: '', value: '' }],
    ['all', 'true', () => ({ display_value: groupName, value: groupId }), { display_value: '', value: '' }],
  ] as const)('display_value=%s exclude_reference_link=%s gives the documented reference shapes', async (mode, exclude, filled, empty) => {
    const rec = await one({
      sysparm_display_value: mode,
      sysparm_exclude_reference_link: exclude,
      sysparm_fields: 'assignment_group,assigned_to',
    });
    expect(Object.keys(rec)).toEqual(['assignment_group', 'assigned_to']);
    expect(rec.assignment_group).toEqual(filled(`${sim.url}/api/now/table/sys_user_group/${groupId}`));
    expect(rec.assigned_to).toEqual(empty);
  });

  it('builds reference links from the host the client used', async () => {
    // fetch may not set Host; node:http can, the way a proxy or a DNS name would.
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: sim.port,
          path: `/api/now/table/incident/${incidentId}?sysparm_fields=assignment_group`,
          headers: { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, Host: 'snow.example.test:8443' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const rec = asObject(asObject(JSON.parse(body) as Json).result);
    expect(asObject(rec.assignment_group).link).toBe(`http://snow.example.test:8443/api/now/table/sys_user_group/${groupId}`);
  });

  it('sends every value as a string in value mode, with UTC glide date-times', async () => {
    const rec = await one({});
    for (const [key, v] of Object.entries(rec)) {
      if (typeof v === 'object' && v !== null) {
        expect(Object.keys(v).sort(), key).toEqual(['link', 'value']);
      } else {
        expect(typeof v, key).toBe('string');
      }
    }
    expect(rec.priority).toBe('1');
    expect(rec.active).toBe('true');
    expect(rec.sys_mod_count).toBe('0');
    expect(rec.opened_at).toBe('2026-03-18 10:30:00');
    expect(rec.number).toMatch(/^INC\d{7}$/);
    expect(rec.sys_domain).toEqual({ link: `${sim.url}/api/now/table/sys_user_group/global`, value: 'global' });
  });

  it('shows choice labels, and null for empty choices, in display modes', async () => {
    const shown = await one({
      sysparm_display_value: 'true',
      sysparm_fields: 'state,priority,impact,close_code,hold_reason,category,active,sys_class_name',
    });
    expect(shown).toEqual({
      state: 'New',
      priority: '1 - Critical',
      impact: '1 - High',
      close_code: null,
      hold_reason: null,
      category: 'Inquiry / Help',
      active: 'true',
      sys_class_name: 'Incident',
    });
    const both = await one({ sysparm_display_value: 'all', sysparm_fields: 'state,close_code,opened_at' });
    expect(both).toEqual({
      state: { display_value: 'New', value: '1' },
      close_code: { display_value: null, value: '' },
      opened_at: { display_value: '2026-03-18 10:30:00', value: '2026-03-18 10:30:00' },
    });
  });

  it('returns dot-walked fields as flat keys, ignores unknown names and adds no sys_id', async () => {
    const rec = await one({ sysparm_fields: 'number,assignment_group.name,assignment_group.manager,bogus_field,assignment_group.bogus' });
    expect(Object.keys(rec)).toEqual(['number', 'assignment_group.name', 'assignment_group.manager']);
    expect(rec['assignment_group.name']).toBe(groupName);
    const manager = asObject(rec['assignment_group.manager']);
    expect(str(manager.value)).toMatch(/^[0-9a-f]{32}$/);
    const shown = await one({ sysparm_fields: 'assignment_group.manager', sysparm_display_value: 'true' });
    expect(shown['assignment_group.manager']).toEqual({
      display_value: managerName,
      link: `${sim.url}/api/now/table/sys_user/${str(manager.value)}`,
    });
  });

  it('renders journal history newest first in display modes and "" as value', async () => {
    const id = sim.insert('incident', { short_description: 'journal probe' }).sys_id ?? '';
    await call(sim, 'PATCH', `/api/now/table/incident/${id}`, { body: { work_notes: 'first note' } });
    await call(sim, 'PATCH', `/api/now/table/incident/${id}`, { body: { comments: 'customer visible' } });
    const r = await call(sim, 'GET', `/api/now/table/incident/${id}`, {
      params: { sysparm_display_value: 'all', sysparm_fields: 'work_notes,comments,comments_and_work_notes' },
    });
    const rec = asObject(asObject(parse(r)).result);
    expect(rec.work_notes).toEqual({ display_value: '2026-03-18 10:30:00 - System Administrator (Work notes)\nfirst note\n\n', value: '' });
    expect(rec.comments).toEqual({
      display_value: '2026-03-18 10:30:00 - System Administrator (Additional comments)\ncustomer visible\n\n',
      value: '',
    });
    // Same second: creation order decides, newest first.
    expect(rec.comments_and_work_notes).toEqual({
      display_value:
        '2026-03-18 10:30:00 - System Administrator (Additional comments)\ncustomer visible\n\n' +
        '2026-03-18 10:30:00 - System Administrator (Work notes)\nfirst note\n\n',
      value: '',
    });
    const plain = await call(sim, 'GET', `/api/now/table/incident/${id}`, { params: { sysparm_fields: 'work_notes' } });
    expect(asObject(parse(plain)).result).toEqual({ work_notes: '' });
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await fetch(`${sim.url}/api/now/table/incident?sysparm_limit=1`, {
      method: 'HEAD',
      headers: { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-total-count'))).toBe(sim.table('incident').size);
    expect(await res.text()).toBe('');
  });

  it('serves the same records under /api/now/v1 and /api/now/v2', async () => {
    for (const prefix of ['/api/now/v1/table', '/api/now/v2/table']) {
      const r = await call(sim, 'GET', `${prefix}/incident/${incidentId}`, { params: { sysparm_fields: 'sys_id' } });
      expect(r.status).toBe(200);
      expect(asObject(parse(r)).result).toEqual({ sys_id: incidentId });
    }
  });

  it('answers unknown tables, records and paths with the platform errors', async () => {
    const table = await call(sim, 'GET', '/api/now/table/no_such_table');
    expect(table.status).toBe(400);
    expect(parse(table)).toEqual({ error: { message: 'Invalid table no_such_table', detail: null }, status: 'failure' });
    const rec = await call(sim, 'GET', '/api/now/table/incident/0123456789abcdef0123456789abcdef');
    expect(rec.status).toBe(404);
    expect(parse(rec)).toEqual({
      error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" },
      status: 'failure',
    });
    const path = await call(sim, 'GET', '/api/now/nothing_here');
    expect(path.status).toBe(400);
    expect(parse(path)).toEqual({ error: { message: 'Requested URI does not represent any resource', detail: null }, status: 'failure' });
  });

  it('lets clients discover choice codes from sys_choice', async () => {
    const { records } = await list(sim, 'sys_choice', {
      sysparm_query: 'name=incident^element=close_code^inactive=false^ORDERBYsequence',
      sysparm_fields: 'label,value',
    });
    expect(records.map((r) => r.value)).toEqual([
      'Duplicate',
      'Known error',
      'No resolution provided',
      'Resolved by caller',
      'Resolved by change',
      'Resolved by problem',
      'Resolved by request',
      'Solution provided',
      'Workaround provided',
      'User error',
    ]);
    const states = await list(sim, 'sys_choice', {
      sysparm_query: 'name=change_request^element=state^ORDERBYsequence',
      sysparm_fields: 'value,label',
    });
    expect(states.records).toEqual([
      { value: '-5', label: 'New' },
      { value: '-4', label: 'Assess' },
      { value: '-3', label: 'Authorize' },
      { value: '-2', label: 'Scheduled' },
      { value: '-1', label: 'Implement' },
      { value: '0', label: 'Review' },
      { value: '3', label: 'Closed' },
      { value: '4', label: 'Canceled' },
    ]);
    const hold = await list(sim, 'sys_choice', {
      sysparm_query: 'name=incident^element=hold_reason^ORDERBYsequence',
      sysparm_fields: 'value',
    });
    expect(hold.records.map((r) => r.value)).toEqual(['1', '3', '4', '5']);
  });
});

describe('display values in the user time zone and date format', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 5, timeZone: 'Europe/Berlin', dateFormat: 'dd/MM/yyyy', clock: () => NOW });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('shows summer and winter times with the right offset but keeps UTC values', async () => {
    const summer = sim.insert('incident', { short_description: 'tz summer', opened_at: '2026-07-01 10:00:00' }).sys_id ?? '';
    const winter = sim.insert('incident', { short_description: 'tz winter', opened_at: '2026-01-15 23:30:00' }).sys_id ?? '';
    const get = async (id: string): Promise<Json> => {
      const r = await call(sim, 'GET', `/api/now/table/incident/${id}`, {
        params: { sysparm_display_value: 'all', sysparm_fields: 'opened_at' },
      });
      return asObject(asObject(parse(r)).result).opened_at ?? null;
    };
    expect(await get(summer)).toEqual({ display_value: '01/07/2026 12:00:00', value: '2026-07-01 10:00:00' });
    expect(await get(winter)).toEqual({ display_value: '16/01/2026 00:30:00', value: '2026-01-15 23:30:00' });
  });

  it('reads dates as user-zone display values with sysparm_input_display_value=true', async () => {
    const r = await call(sim, 'POST', '/api/now/table/incident', {
      params: { sysparm_input_display_value: 'true', sysparm_fields: 'opened_at,assignment_group,state,impact' },
      body: {
        short_description: 'display input',
        opened_at: '01/07/2026 12:00:00',
        assignment_group: 'Service Desk',
        impact: '2 - Medium',
      },
    });
    expect(r.status).toBe(201);
    const rec = asObject(asObject(parse(r)).result);
    expect(rec.opened_at).toBe('2026-07-01 10:00:00');
    expect(asObject(rec.assignment_group).value).toBe(sim.table('sys_user_group').findBy('name', 'Service Desk')?.sys_id);
    expect(rec.impact).toBe('2');
  });
});
