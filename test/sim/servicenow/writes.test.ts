import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_TRANSITION_RULE_ID } from './errors';
import { startServiceNowSim } from './server';
import type { SnowSim } from './sim-types';
import type { Json } from './test-helpers';
import { asObject, call, list, parse, str } from './test-helpers';

const T0 = Date.UTC(2026, 5, 10, 8, 0, 0);

const dataPolicy = (fields: string): Json => ({
  error: { message: 'Operation Failed', detail: `Data Policy Exception: \n\tThe following fields are mandatory: ${fields}` },
  status: 'failure',
});

describe('writes', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 40, seed: 3, clock: () => T0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const result = (r: { text: string }): Record<string, Json> => asObject(asObject(JSON.parse(r.text) as Json).result);
  const create = async (body: Record<string, string>, table = 'incident'): Promise<Record<string, Json>> => {
    const r = await call(sim, 'POST', `/api/now/table/${table}`, { body, params: { sysparm_exclude_reference_link: 'true' } });
    expect(r.status, r.text).toBe(201);
    return result(r);
  };
  const patch = (table: string, id: string, body: Record<string, string>, params: Record<string, string> = {}) =>
    call(sim, 'PATCH', `/api/now/table/${table}/${id}`, { body, params: { sysparm_exclude_reference_link: 'true', ...params } });

  it('inserts with defaults and auto fields, 201 and a Location header', async () => {
    const r = await call(sim, 'POST', '/api/now/table/incident', {
      body: { short_description: 'Printer on fire', bogus: 'ignored', sys_mod_count: '99' },
    });
    expect(r.status).toBe(201);
    const rec = result(r);
    const sysId = str(rec.sys_id);
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers.get('location')).toBe(`${sim.url}/api/now/table/incident/${sysId}`);
    expect(rec).toMatchObject({
      short_description: 'Printer on fire',
      state: '1',
      incident_state: '1',
      impact: '3',
      urgency: '3',
      priority: '5',
      active: 'true',
      category: 'inquiry',
      sys_mod_count: '0',
      sys_created_by: 'admin',
      sys_updated_by: 'admin',
      sys_created_on: '2026-06-10 08:00:00',
      sys_updated_on: '2026-06-10 08:00:00',
      opened_at: '2026-06-10 08:00:00',
      sys_class_name: 'incident',
      work_notes: '',
    });
    expect(str(rec.number)).toMatch(/^INC\d{7}$/);
    expect(asObject(rec.opened_by).value).toBe(sim.apiUser.sysId);
    expect(rec).not.toHaveProperty('bogus');
    // Full record: every column of the table comes back.
    expect(Object.keys(rec).length).toBe(sim.table('incident').def.fields.size);
  });

  it('updates with PATCH: sys_mod_count + 1 and sys_updated_on moves', async () => {
    const rec = await create({ short_description: 'patch me' });
    const id = str(rec.sys_id);
    sim.advanceTime(65_000);
    const r = await patch('incident', id, { short_description: 'patched', number: 'INC0000001', sys_updated_by: 'mallory' });
    expect(r.status).toBe(200);
    const after = result(r);
    expect(after.short_description).toBe('patched');
    expect(after.sys_mod_count).toBe('1');
    expect(after.sys_updated_on).toBe('2026-06-10 08:01:05');
    expect(str(after.sys_updated_on)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(after.number).toBe(rec.number);
    expect(after.sys_updated_by).toBe('admin');
    expect(after.sys_created_on).toBe(rec.sys_created_on);
  });

  it('treats PUT as a partial update and skips no-op writes', async () => {
    const rec = await create({ short_description: 'keep me', description: 'long text' });
    const id = str(rec.sys_id);
    const put = await call(sim, 'PUT', `/api/now/table/incident/${id}`, { body: { urgency: '2' } });
    expect(put.status).toBe(200);
    expect(result(put)).toMatchObject({
      short_description: 'keep me',
      description: 'long text',
      urgency: '2',
      priority: '4',
      sys_mod_count: '1',
    });
    const same = await patch('incident', id, { urgency: '2' });
    expect(result(same).sys_mod_count).toBe('1');
  });

  it.each([
    ['1', '1', '1'],
    ['1', '2', '2'],
    ['1', '3', '3'],
    ['2', '1', '2'],
    ['2', '2', '3'],
    ['2', '3', '4'],
    ['3', '1', '3'],
    ['3', '2', '4'],
    ['3', '3', '5'],
  ])('recomputes priority from impact %s × urgency %s = %s', async (impact, urgency, priority) => {
    const rec = await create({ short_description: `matrix ${impact}/${urgency}`, priority: '1' });
    const r = await patch('incident', str(rec.sys_id), { impact, urgency });
    expect(result(r).priority).toBe(priority);
    const inserted = await create({ short_description: 'matrix on insert', impact, urgency });
    expect(inserted.priority).toBe(priority);
  });

  it('enforces the resolve data policy with the documented 403 bodies', async () => {
    const id = str((await create({ short_description: 'to resolve' })).sys_id);
    const none = await patch('incident', id, { state: '6' });
    expect(none.status).toBe(403);
    expect(parse(none)).toEqual(dataPolicy('Resolution code, Close notes'));
    expect(parse(await patch('incident', id, { state: '6', close_notes: 'fixed' }))).toEqual(dataPolicy('Resolution code'));
    expect(parse(await patch('incident', id, { state: '6', close_code: 'Solution provided' }))).toEqual(dataPolicy('Close notes'));
    expect(parse(await patch('incident', id, { state: '6', close_code: 'Solution provided', close_notes: '   ' }))).toEqual(
      dataPolicy('Close notes'),
    );
    // A retired close code counts as missing.
    expect(parse(await patch('incident', id, { state: '6', close_code: 'Solved (Permanently)', close_notes: 'fixed' }))).toEqual(
      dataPolicy('Resolution code'),
    );
    expect(parse(await patch('incident', id, { state: '7' }))).toEqual(dataPolicy('Resolution code, Close notes'));
    // Nothing was saved by the refused writes.
    expect(sim.table('incident').get(id)).toMatchObject({ state: '1', sys_mod_count: '0' });

    sim.advanceTime(30_000);
    const ok = await patch('incident', id, { state: '6', close_code: 'Solution provided', close_notes: 'Restarted the spooler.' });
    expect(ok.status).toBe(200);
    const resolved = result(ok);
    expect(resolved).toMatchObject({
      state: '6',
      incident_state: '6',
      active: 'true',
      resolved_by: sim.apiUser.sysId,
      close_code: 'Solution provided',
    });
    expect(resolved.resolved_at).toBe(resolved.sys_updated_on);
    expect(resolved.closed_at).toBe('');

    sim.advanceTime(30_000);
    const closed = result(await patch('incident', id, { state: '7' }));
    expect(closed).toMatchObject({ state: '7', active: 'false', closed_by: sim.apiUser.sysId });
    expect(closed.closed_at).toBe(closed.sys_updated_on);
    expect(closed.resolved_at).toBe(resolved.resolved_at);
  });

  it('refuses a resolving insert without close fields too', async () => {
    const r = await call(sim, 'POST', '/api/now/table/incident', { body: { short_description: 'born resolved', state: '6' } });
    expect(r.status).toBe(403);
    expect(parse(r)).toEqual(dataPolicy('Resolution code, Close notes'));
  });

  it('clears the hold reason when leaving On Hold and counts reopens', async () => {
    const id = str((await create({ short_description: 'hold', state: '3', hold_reason: '4' })).sys_id);
    expect(sim.table('incident').get(id)?.hold_reason).toBe('4');
    expect(result(await patch('incident', id, { state: '2' })).hold_reason).toBe('');
    await patch('incident', id, { state: '6', close_code: 'Workaround provided', close_notes: 'x' });
    const reopened = result(await patch('incident', id, { state: '2' }));
    expect(reopened).toMatchObject({ state: '2', reopen_count: '1', resolved_at: '', active: 'true' });
  });

  it('appends work notes and comments to sys_journal_field', async () => {
    const id = str((await create({ short_description: 'journal' })).sys_id);
    const r = await patch('incident', id, { work_notes: 'AWX job 4711 finished: successful' });
    expect(result(r)).toMatchObject({ work_notes: '', sys_mod_count: '1' });
    sim.advanceTime(5_000);
    await patch('incident', id, { comments: 'We are on it' });
    const journal = await list(sim, 'sys_journal_field', {
      sysparm_query: `element_id=${id}^element=work_notes^ORelement=comments^ORDERBYDESCsys_created_on`,
      sysparm_fields: 'element,value,name,element_id,sys_created_by,sys_created_on',
    });
    expect(journal.records).toEqual([
      {
        element: 'comments',
        value: 'We are on it',
        name: 'incident',
        element_id: id,
        sys_created_by: 'admin',
        sys_created_on: expect.stringMatching(/^2026-06-10 \d{2}:\d{2}:\d{2}$/) as unknown as Json,
      },
      {
        element: 'work_notes',
        value: 'AWX job 4711 finished: successful',
        name: 'incident',
        element_id: id,
        sys_created_by: 'admin',
        sys_created_on: expect.stringMatching(/^2026-06-10/) as unknown as Json,
      },
    ]);
    const shown = await call(sim, 'GET', `/api/now/table/incident/${id}`, {
      params: { sysparm_display_value: 'true', sysparm_fields: 'comments_and_work_notes' },
    });
    const history = str(result(shown).comments_and_work_notes);
    expect(history.indexOf('(Additional comments)\nWe are on it')).toBeLessThan(history.indexOf('(Work notes)\nAWX job 4711'));
    expect(history).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - System Administrator \(Additional comments\)\nWe are on it\n\n/);
  });

  it('honours X-no-response-body', async () => {
    const id = str((await create({ short_description: 'quiet' })).sys_id);
    const r = await call(sim, 'PATCH', `/api/now/table/incident/${id}`, {
      body: { urgency: '1' },
      headers: { 'X-no-response-body': 'true' },
    });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(sim.table('incident').get(id)?.priority).toBe('3');
    const post = await call(sim, 'POST', '/api/now/table/incident', {
      body: { short_description: 'quiet insert' },
      headers: { 'X-no-response-body': 'true' },
    });
    expect(post.status).toBe(201);
    expect(post.text).toBe('');
    expect(post.headers.get('location')).toMatch(/\/api\/now\/table\/incident\/[0-9a-f]{32}$/);
  });

  it('supports X-HTTP-Method-Override', async () => {
    const id = str((await create({ short_description: 'override' })).sys_id);
    const r = await call(sim, 'POST', `/api/now/table/incident/${id}`, {
      body: { urgency: '2' },
      headers: { 'X-HTTP-Method-Override': 'PATCH' },
    });
    expect(r.status).toBe(200);
    expect(result(r).urgency).toBe('2');
  });

  it('deletes with 204 and then answers 404', async () => {
    const id = str((await create({ short_description: 'delete me' })).sys_id);
    const del = await call(sim, 'DELETE', `/api/now/table/incident/${id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const notFound = {
      error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" },
      status: 'failure',
    };
    const get = await call(sim, 'GET', `/api/now/table/incident/${id}`);
    expect(get.status).toBe(404);
    expect(parse(get)).toEqual(notFound);
    expect((await call(sim, 'DELETE', `/api/now/table/incident/${id}`)).status).toBe(404);
    expect(parse(await call(sim, 'PATCH', `/api/now/table/incident/${id}`, { body: { urgency: '1' } }))).toEqual(notFound);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await fetch(`${sim.url}/api/now/table/incident`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'Content-Type': 'application/json' },
      body: '{"short_description": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { message: 'Exception while reading request', detail: 'The payload is not valid JSON.' },
      status: 'failure',
    });
  });
});

describe('change_request state model', () => {
  let sim: SnowSim;
  beforeAll(async () => {
    sim = await startServiceNowSim({ incidents: 5, seed: 9 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const abort = {
    error: {
      message: 'Operation Failed',
      detail: `Operation against file 'change_request' was aborted by Business Rule 'Change Model: Check State Transition^${CHANGE_TRANSITION_RULE_ID}'. Business Rule Stack:Change Model: Check State Transition`,
    },
    status: 'failure',
  };
  const post = (body: Record<string, string>) => call(sim, 'POST', '/api/now/table/change_request', { body });
  const patch = (id: string, body: Record<string, string>) => call(sim, 'PATCH', `/api/now/table/change_request/${id}`, { body });
  const state = async (id: string, to: string): Promise<number> => (await patch(id, { state: to })).status;

  it('creates changes only in New, numbered CHG', async () => {
    const bad = await post({ short_description: 'skip ahead', state: '-1' });
    expect(bad.status).toBe(403);
    expect(parse(bad)).toEqual(abort);
    const ok = await post({ short_description: 'normal change', type: 'normal' });
    expect(ok.status).toBe(201);
    const rec = asObject(asObject(parse(ok)).result);
    expect(rec).toMatchObject({ state: '-5', type: 'normal', approval: 'not requested' });
    expect(str(rec.number)).toMatch(/^CHG\d{7}$/);
  });

  it('walks a normal change through its states and rejects skips', async () => {
    const id = str(asObject(asObject(parse(await post({ short_description: 'walk', type: 'normal' }))).result).sys_id);
    const skip = await patch(id, { state: '-1' });
    expect(skip.status).toBe(403);
    expect(parse(skip)).toEqual(abort);
    for (const s of ['-4', '-3', '-2', '-1', '0']) expect(await state(id, s), s).toBe(200);
    expect(sim.table('change_request').get(id)).toMatchObject({ approval: 'approved', state: '0' });
    // Canceled is not allowed from Review.
    expect(await state(id, '4')).toBe(403);
    const close = await patch(id, { state: '3' });
    expect(close.status).toBe(403);
    expect(parse(close)).toEqual(dataPolicy('Close code, Close notes'));
    const closed = await patch(id, { state: '3', close_code: 'successful', close_notes: 'done' });
    expect(closed.status).toBe(200);
    expect(asObject(asObject(parse(closed)).result)).toMatchObject({ state: '3', active: 'false' });
    expect(await state(id, '0')).toBe(403);
  });

  it('follows the standard and emergency progressions', async () => {
    const std = str(asObject(asObject(parse(await post({ short_description: 'std', type: 'standard' }))).result).sys_id);
    expect(await state(std, '-4')).toBe(403);
    expect(await state(std, '-2')).toBe(200);
    const emergency = str(asObject(asObject(parse(await post({ short_description: 'em', type: 'emergency' }))).result).sys_id);
    expect(await state(emergency, '-4')).toBe(403);
    expect(await state(emergency, '-3')).toBe(200);
    expect(await state(emergency, '-5')).toBe(200);
    expect(await state(emergency, '4')).toBe(200);
    expect(sim.table('change_request').get(emergency)?.active).toBe('false');
  });

  it('seeds changes in flight across the state model', () => {
    const states = new Set(
      sim
        .table('change_request')
        .all()
        .map((r) => r.state),
    );
    for (const s of ['-5', '-4', '-3', '-2', '-1', '0', '3', '4']) expect(states.has(s), s).toBe(true);
  });
});
