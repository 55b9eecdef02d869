// The /websocket/ endpoint: handshake auth, the xrftoken/csrftoken check, subscription replies, the
// message shapes, and each delivery mode (faithful, lossy, drop, off).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwxSim, TEMPLATE_IDS, type AwxSim } from './index';
import { allEvents, get, obj, openSocket, post, waitUntil, type RecordingSocket } from './sim-client';

let sim: AwxSim;
const CSRF = 'test-csrf-token';

beforeAll(async () => {
  // A low event rate makes the lossy throttle visible even on a small playbook.
  sim = await startAwxSim({ seed: 5, wsDropAfter: 3, limits: { maxWebsocketEventRate: 2 } });
});

afterAll(async () => {
  await sim.stop();
});

async function subscribed(jobId?: number): Promise<RecordingSocket> {
  const socket = await openSocket(sim);
  await socket.waitFor((m) => m.accept === true);
  socket.send({
    xrftoken: CSRF,
    groups: { jobs: ['status_changed', 'summary'], ...(jobId === undefined ? {} : { job_events: [jobId] }) },
  });
  await socket.waitFor((m) => 'groups_current' in m);
  return socket;
}

async function launch(templateId: number, body: unknown = {}): Promise<number> {
  const res = await post(sim, `/api/v2/job_templates/${templateId}/launch/`, body);
  expect(res.status).toBe(201);
  return Number(obj(res.json).id);
}

async function processedEvents(id: number): Promise<Record<string, unknown>[]> {
  await waitUntil(async () => (obj((await get(sim, `/api/v2/jobs/${id}/`)).json).event_processing_finished ? true : undefined), 60_000);
  return allEvents(sim, id);
}

const eventMessages = (socket: RecordingSocket, id: number): Record<string, unknown>[] =>
  socket.messages.filter((m) => m.group_name === 'job_events' && m.job === id);

describe('handshake and subscription', () => {
  it('refuses unauthenticated sockets and greets authenticated ones', async () => {
    await expect(openSocket(sim, { credential: null })).rejects.toThrow('HTTP 403');
    await expect(openSocket(sim, { credential: { bearer: 'nope' } })).rejects.toThrow('HTTP 403');
    for (const credential of [{ bearer: sim.token }, { basic: ['admin', 'password'] as [string, string] }]) {
      const socket = await openSocket(sim, { credential });
      expect(await socket.waitFor(() => true)).toEqual({ accept: true, user: 1 });
      socket.ws.close();
    }
    const viaApi = await openSocket(sim, { path: '/api/websocket/' });
    expect(await viaApi.waitFor(() => true)).toEqual({ accept: true, user: 1 });
    viaApi.ws.close();
  });

  it('checks xrftoken against the csrftoken cookie', async () => {
    const noCookie = await openSocket(sim, { csrf: null });
    await noCookie.waitFor((m) => m.accept === true);
    noCookie.send({ xrftoken: CSRF, groups: { jobs: ['status_changed'] } });
    expect(await noCookie.waitFor((m) => 'error' in m)).toEqual({ error: 'access denied to channel' });
    noCookie.ws.close();

    const socket = await openSocket(sim);
    await socket.waitFor((m) => m.accept === true);
    socket.send({ xrftoken: 'other', groups: { jobs: ['status_changed'] } });
    expect(await socket.waitFor((m) => 'error' in m)).toEqual({ error: 'access denied to channel' });
    socket.ws.close();
  });

  it('replaces the whole subscription each time and refuses unknown jobs', async () => {
    const socket = await openSocket(sim);
    await socket.waitFor((m) => m.accept === true);
    socket.send({ xrftoken: CSRF, groups: { jobs: ['status_changed', 'summary'] } });
    expect(await socket.waitFor((m) => 'groups_current' in m)).toEqual({
      groups_current: ['jobs-status_changed', 'jobs-summary'],
      groups_left: [],
      groups_joined: ['jobs-status_changed', 'jobs-summary'],
    });
    socket.messages.length = 0;
    socket.send({ xrftoken: CSRF, groups: { jobs: ['status_changed'], job_events: [4242] } });
    expect(await socket.waitFor((m) => 'error' in m)).toEqual({ error: 'access denied to channel job_events for resource id 4242' });
    expect(await socket.waitFor((m) => 'groups_current' in m)).toEqual({
      groups_current: ['jobs-status_changed'],
      groups_left: ['jobs-summary'],
      groups_joined: [],
    });
    socket.messages.length = 0;
    socket.send({ xrftoken: CSRF, groups: { jobs: 'status_changed' } });
    expect(await socket.waitFor(() => true)).toEqual({ error: 'access denied to channel' });
    socket.ws.close();
  });
});

describe('faithful mode', () => {
  it('delivers every event once, in counter order, plus status and summary messages', async () => {
    sim.setWsMode('faithful');
    const watcher = await subscribed();
    const id = await launch(TEMPLATE_IDS.collectLogs, {
      extra_vars: { log_sources: ['app', 'audit'], since_hours: 2.5, ticket_note: 'INC0012345\nbundle for vendor' },
    });
    const socket = await subscribed(id);
    const summary = await socket.waitFor((m) => m.final_counter !== undefined && m.unified_job_id === id, 60_000);
    await socket.waitFor((m) => m.unified_job_id === id && m.status === 'successful', 60_000);
    const rest = await processedEvents(id);
    await waitUntil(() => (eventMessages(socket, id).length === rest.length ? true : undefined), 10_000, 'all events');

    const received = eventMessages(socket, id);
    expect(received.map((m) => m.counter)).toEqual(rest.map((e) => e.counter));
    expect(summary).toEqual({ group_name: 'jobs', unified_job_id: id, final_counter: rest.length });
    const first = received.find((m) => m.event === 'runner_item_on_ok');
    const same = rest.find((e) => e.id === first?.id);
    expect(first?.stdout).toBe(same?.stdout);
    expect(Object.keys(first ?? {})).toEqual([
      'id',
      'job',
      'created',
      'modified',
      'group_name',
      'url',
      'stdout',
      'counter',
      'uuid',
      'parent_uuid',
      'start_line',
      'end_line',
      'event',
      'event_data',
      'failed',
      'changed',
      'event_level',
      'play',
      'role',
      'task',
    ]);
    expect(first?.url).toBe(`/api/v2/job_events/${String(first?.id)}`);
    expect(String(first?.created)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);

    const statuses = watcher.messages.filter((m) => m.unified_job_id === id && 'status' in m);
    expect(statuses.map((m) => m.status)).toEqual(['pending', 'running', 'successful']);
    expect(statuses[1]).toEqual({
      unified_job_id: id,
      status: 'running',
      instance_group_name: 'default',
      type: 'job',
      group_name: 'jobs',
      unified_job_template_id: TEMPLATE_IDS.collectLogs,
    });
    expect(String(statuses[2]?.finished)).toMatch(/Z$/);
    expect(watcher.messages.filter((m) => m.group_name === 'job_events')).toHaveLength(0);
    socket.ws.close();
    watcher.ws.close();
  });
});

describe('lossy mode', () => {
  it('skips events without output, throttles, and still sends play/task/stats', async () => {
    sim.setWsMode('lossy');
    const id = await launch(TEMPLATE_IDS.diskCleanup);
    const socket = await subscribed(id);
    await socket.waitFor((m) => m.unified_job_id === id && m.status === 'successful', 60_000);
    const rest = await processedEvents(id);
    await socket.waitFor((m) => m.event === 'playbook_on_stats', 10_000);
    const received = eventMessages(socket, id);
    const withOutput = rest.filter((e) => e.stdout !== '');
    expect(received.filter((m) => m.stdout !== '').length).toBeLessThan(withOutput.length);
    for (const m of received) {
      if (m.counter !== 1) expect(m.stdout, `counter ${String(m.counter)}`).not.toBe('');
    }
    const kinds = new Set(received.map((m) => m.event));
    for (const kind of ['playbook_on_play_start', 'playbook_on_task_start', 'playbook_on_stats']) expect(kinds).toContain(kind);
    const tasks = rest.filter((e) => e.event === 'playbook_on_task_start').length;
    expect(received.filter((m) => m.event === 'playbook_on_task_start')).toHaveLength(tasks);
    // Delivery follows the callback receiver's save order (event ids), not counters.
    const ids = received.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    socket.ws.close();
  });
});

describe('drop and off modes', () => {
  it('cuts the socket mid-job after a few events; a reconnect works and REST has everything', async () => {
    sim.setWsMode('drop');
    const id = await launch(TEMPLATE_IDS.slowRollout, { extra_vars: { steps: 3, step_seconds: 0.2 } });
    const socket = await subscribed(id);
    const { code } = await socket.closed;
    expect(code).toBe(1006);
    expect(eventMessages(socket, id)).toHaveLength(3);
    expect(sim.job(id)?.status).toBe('running');

    // Each new connection would be cut again in drop mode; the network "recovers" for the reconnect.
    sim.setWsMode('faithful');
    const again = await subscribed(id);
    await again.waitFor((m) => m.unified_job_id === id && m.status === 'successful', 60_000);
    const rest = await processedEvents(id);
    expect(rest.map((e) => e.counter)).toEqual(rest.map((_, i) => i + 1));
    again.ws.close();
  });

  it('offers no websocket at all when off', async () => {
    sim.setWsMode('faithful');
    const open = await subscribed();
    sim.setWsMode('off');
    expect((await open.closed).code).toBe(1006);
    await expect(openSocket(sim)).rejects.toThrow('HTTP 404');
    sim.setWsMode('faithful');
    const back = await openSocket(sim);
    expect(await back.waitFor(() => true)).toEqual({ accept: true, user: 1 });
    back.ws.close();
  });
});
