// Jobs that run the real ansible-playbook: lifecycle, events built from ansible's own output, stdout
// formats, a failing host, relaunch of failed hosts, prompts, and cancel of a running job.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi';
import { startAwxSim, TEMPLATE_IDS, type AwxSim } from './index';
import { allEvents, get, obj, post, stdoutFromEvents, waitUntil } from './sim-client';

let sim: AwxSim;

beforeAll(async () => {
  // A longer flush period makes the lag between final status and event_processing_finished easy to see.
  sim = await startAwxSim({ seed: 11, timing: { flushMs: 400 } });
});

afterAll(async () => {
  await sim.stop();
});

async function launch(templateId: number, body: unknown = {}): Promise<number> {
  const res = await post(sim, `/api/v2/job_templates/${templateId}/launch/`, body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return Number(obj(res.json).id);
}

async function jobDetail(id: number): Promise<Record<string, unknown>> {
  return obj((await get(sim, `/api/v2/jobs/${id}/`)).json);
}

async function processed(id: number): Promise<Record<string, unknown>> {
  return waitUntil(
    async () => {
      const job = await jobDetail(id);
      return job.event_processing_finished === true ? job : undefined;
    },
    60_000,
    `job ${id} event processing`,
  );
}

describe('a successful run with a survey', () => {
  let id = 0;
  let events: Record<string, unknown>[] = [];

  beforeAll(async () => {
    id = await launch(TEMPLATE_IDS.restartService, {
      extra_vars: { target_host: 'app01.example.com', service_name: 'redis', health_check_retries: 4, admin_password: 's3cret' },
    });
  });

  it('goes pending → running → successful, and finishes event processing after the final status', async () => {
    expect(obj((await get(sim, `/api/v2/jobs/${id}/`)).json).status).toBe('pending');
    await waitUntil(async () => ((await jobDetail(id)).status === 'running' ? true : undefined), 30_000, 'running');
    const running = await jobDetail(id);
    expect(typeof running.started).toBe('string');
    expect(running.finished).toBeNull();
    expect(running.event_processing_finished).toBe(false);
    expect((await get(sim, `/api/v2/jobs/${id}/cancel/`)).json).toEqual({ can_cancel: true });

    await sim.waitForJob(id, (j) => j.status === 'successful');
    const atFinish = await jobDetail(id);
    expect(atFinish.status).toBe('successful');
    // Events are still being saved when the final status is set.
    expect(atFinish.event_processing_finished).toBe(false);

    const job = await processed(id);
    expect(job).toMatchObject({ status: 'successful', failed: false, job_explanation: '', result_traceback: '' });
    expect(Number(job.elapsed)).toBeGreaterThan(0);
    expect(Date.parse(String(job.finished))).toBeGreaterThanOrEqual(Date.parse(String(job.started)));
    expect(job.host_status_counts).toEqual({ changed: 1 });
    expect(obj(job.playbook_counts)).toEqual({ play_count: 1, task_count: 7 });
    const vars = JSON.parse(String(job.extra_vars)) as Record<string, unknown>;
    expect(vars).toEqual({
      target_host: 'app01.example.com',
      service_name: 'redis',
      health_check_retries: 4,
      admin_password: '$encrypted$',
    });
    expect(String(job.job_args)).toContain('restart_service.yml');
    events = await allEvents(sim, id);
  });

  it('numbers events like ansible-runner: contiguous counters and cumulative lines', () => {
    expect(events.length).toBeGreaterThan(15);
    expect(events.map((e) => e.counter)).toEqual(events.map((_, i) => i + 1));
    let line = 0;
    for (const e of events) {
      expect(e.start_line).toBe(line);
      const stdout = String(e.stdout);
      const lines = stdout === '' ? 0 : stdout.split('\r\n').length;
      // An event's line count is its text lines, plus nothing for an empty event.
      expect(Number(e.end_line) - Number(e.start_line)).toBe(lines);
      line = Number(e.end_line);
    }
    expect(events[0]?.event).toBe('playbook_on_start');
    expect(events.at(-1)?.event).toBe('playbook_on_stats');
  });

  it('keeps ansible’s colours, \\r\\n line ends, hosts and the parent tree', () => {
    const byUuid = new Map(events.map((e) => [e.uuid, e]));
    const start = events[0];
    const play = events.find((e) => e.event === 'playbook_on_play_start');
    expect(play?.parent_uuid).toBe(start?.uuid);
    expect(play?.event_display).toBe('Play Started (Restart service)');
    expect(String(play?.stdout)).toMatch(/^\r\nPLAY \[Restart service\] \*+$/);
    for (const e of events.filter((x) => x.event === 'playbook_on_task_start')) {
      expect(e.parent_uuid).toBe(play?.uuid);
    }
    const hostEvents = events.filter((e) => String(e.event).startsWith('runner_'));
    for (const e of hostEvents) {
      expect(byUuid.get(e.parent_uuid)?.event).toBe('playbook_on_task_start');
      expect(e.host_name).toBe('localhost');
      expect(e.host).toBe(1);
    }
    const retry = events.find((e) => e.event === 'runner_retry');
    expect(stripAnsi(String(retry?.stdout))).toBe('FAILED - RETRYING: [localhost]: Health check redis (4 retries left).');
    const announce = events.find((e) => e.task === 'Announce restart' && e.event === 'runner_on_ok');
    expect(String(announce?.stdout)).toContain('\u001b[0;32mok: [localhost] => {\u001b[0m\r\n');
    expect(String(announce?.stdout)).toContain('Restarting redis on app01.example.com');
    const changed = events.find((e) => e.task === 'Stop redis' && e.event === 'runner_on_ok');
    expect(changed?.changed).toBe(true);
    expect(byUuid.get(changed?.parent_uuid)?.changed).toBe(true);
    const stats = events.at(-1);
    expect(obj(stats?.event_data).ok).toEqual({ localhost: 7 });
    expect(String(stats?.stdout)).toMatch(/^\r\nPLAY RECAP \*+\r\n/);
  });

  it('serves stdout that equals the events joined, in every format', async () => {
    const fromEvents = stdoutFromEvents(events);
    const ansi = await get(sim, `/api/v2/jobs/${id}/stdout/?format=ansi`);
    expect(ansi.headers.get('content-type')).toContain('text/plain');
    expect(ansi.text).toBe(fromEvents);
    expect(ansi.text).toContain('\u001b[0;33mchanged: [localhost]\u001b[0m');
    const txt = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`);
    expect(txt.text).toBe(stripAnsi(fromEvents));
    expect(txt.text).not.toContain('\u001b');
    expect(txt.text).toContain('\nPLAY RECAP *');

    const json = obj((await get(sim, `/api/v2/jobs/${id}/stdout/?format=json`)).json);
    const totalLines = fromEvents.split('\n').length - 1;
    expect(json.range).toEqual({ start: 0, end: totalLines, absolute_end: totalLines });
    expect(json.content).toBe(fromEvents);
    const tail = obj((await get(sim, `/api/v2/jobs/${id}/stdout/?format=json&start_line=-3`)).json);
    expect(tail.range).toEqual({ start: totalLines - 3, end: totalLines, absolute_end: totalLines });
    expect(tail.content).toBe(fromEvents.split('\n').slice(-4).join('\n'));

    const download = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt_download`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="job_${id}.txt"`);
    expect(download.text).toBe(txt.text);
    const html = await get(sim, `/api/v2/jobs/${id}/stdout/?format=html`);
    expect(html.text).toContain('PLAY [Restart service]');
  });

  it('answers the event queries clients use', async () => {
    const latest = obj((await get(sim, `/api/v2/jobs/${id}/job_events/?order_by=-counter&page_size=1`)).json);
    expect(latest.count).toBe(events.length);
    expect((latest.results as Record<string, unknown>[])[0]?.counter).toBe(events.length);
    const limited = obj((await get(sim, `/api/v2/jobs/${id}/job_events/?order_by=counter&limit=3`)).json);
    expect(Object.keys(limited)).toEqual(['results']);
    expect((limited.results as Record<string, unknown>[]).map((e) => e.counter)).toEqual([1, 2, 3]);
    const after = obj((await get(sim, `/api/v2/jobs/${id}/job_events/?order_by=counter&counter__gt=${events.length - 2}`)).json);
    expect((after.results as Record<string, unknown>[]).map((e) => e.counter)).toEqual([events.length - 1, events.length]);
    const withOutput = obj((await get(sim, `/api/v2/jobs/${id}/job_events/?not__stdout=&page_size=200`)).json);
    expect(withOutput.count).toBe(events.filter((e) => e.stdout !== '').length);
    const search = obj((await get(sim, `/api/v2/jobs/${id}/job_events/?search=RETRYING`)).json);
    expect((search.results as Record<string, unknown>[]).map((e) => e.event)).toEqual(['runner_retry']);
    const res = await get(sim, `/api/v2/jobs/${id}/job_events/`);
    expect(res.headers.get('x-ui-max-events')).toBe('4000');
    const detail = obj((await get(sim, `/api/v2/job_events/${String(events[1]?.id)}/`)).json);
    expect(detail).toMatchObject({ type: 'job_event', job: id, counter: 2, event: 'playbook_on_play_start', event_level: 1 });
    const children = obj((await get(sim, `/api/v2/job_events/${String(events[1]?.id)}/children/`)).json);
    expect(children.count).toBe(7);
  });

  it('shows the finished job on its template', async () => {
    const t = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/`)).json);
    expect(t.status).toBe('successful');
    expect(t.last_job_failed).toBe(false);
    expect(obj(obj(t.summary_fields).last_job)).toMatchObject({ id, status: 'successful', failed: false });
    const jobs = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/jobs/`)).json);
    expect(jobs.count).toBe(1);
  });
});

describe('a run that fails on one host', () => {
  it('ends failed with the failing host in the events, and relaunches only that host', async () => {
    const id = await launch(TEMPLATE_IDS.failOnOneHost);
    await sim.waitForJob(id, (j) => j.status === 'failed');
    const job = await processed(id);
    expect(job).toMatchObject({ status: 'failed', failed: true });
    expect(job.host_status_counts).toEqual({ ok: 1, failures: 1 });

    const failures = await allEvents(sim, id, 'order_by=counter&failed=true&no_truncate=1');
    const hostFailure = failures.find((e) => e.event === 'runner_on_failed');
    expect(hostFailure).toMatchObject({
      host_name: 'web2',
      host: 3,
      failed: true,
      task: 'Check disk marker',
      event_display: 'Host Failed',
    });
    expect(stripAnsi(String(hostFailure?.stdout))).toMatch(/^fatal: \[web2\]: FAILED! => \{"changed": false, "cmd": \["test", "-f", /);
    // The task that held the failure is marked failed too, and so is the stats event.
    expect(failures.map((e) => e.event).sort()).toEqual(['playbook_on_stats', 'playbook_on_task_start', 'runner_on_failed']);
    const web2Events = await allEvents(sim, id, 'order_by=counter&host_name=web2');
    expect(web2Events.map((e) => e.task)).not.toContain('Post-check');
    const stdout = (await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`)).text;
    expect(stdout).toMatch(/web2 +: ok=1 +changed=0 +unreachable=0 +failed=1/);

    const summaries = obj((await get(sim, `/api/v2/jobs/${id}/job_host_summaries/`)).json);
    expect(summaries.count).toBe(2);
    expect(obj((await get(sim, `/api/v2/jobs/${id}/relaunch/`)).json).retry_counts).toEqual({ all: 2, failed: 1 });
    const relaunch = await post(sim, `/api/v2/jobs/${id}/relaunch/`, { hosts: 'failed' });
    expect(relaunch.status).toBe(201);
    const again = obj(relaunch.json);
    expect(again).toMatchObject({ launch_type: 'relaunch', limit: 'web2', job: again.id });
    const retried = await processed(Number(again.id));
    expect(retried.status).toBe('failed');
    const retriedHosts = obj((await get(sim, `/api/v2/jobs/${String(again.id)}/job_host_summaries/`)).json);
    expect((retriedHosts.results as Record<string, unknown>[]).map((s) => s.host_name)).toEqual(['web2']);
  });
});

describe('prompts on launch', () => {
  it('accepts prompted limit and variables', async () => {
    const res = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.deployApp}/launch/`, {
      limit: 'web1',
      extra_vars: { app_version: '2.0.0', extra_settings: 'canary' },
      job_tags: 'ignored-because-not-prompted',
    });
    expect(res.status).toBe(201);
    const body = obj(res.json);
    expect(body.ignored_fields).toEqual({ job_tags: 'ignored-because-not-prompted' });
    expect(body.limit).toBe('web1');
    expect(JSON.parse(String(body.extra_vars))).toEqual({ app_name: 'storefront', app_version: '2.0.0', extra_settings: 'canary' });
    const id = Number(body.id);
    await sim.waitForJob(id, (j) => j.status === 'successful');
    await processed(id);
    const events = await allEvents(sim, id);
    const hosts = new Set(events.map((e) => e.host_name).filter((h) => h !== ''));
    expect([...hosts]).toEqual(['web1']);
    expect(stdoutFromEvents(events)).toContain('Deploying storefront 2.0.0 to web1');
  });
});

describe('cancel', () => {
  it('cancels a running ansible job: 202, then canceled, then 405', async () => {
    const id = await launch(TEMPLATE_IDS.slowRollout);
    await waitUntil(() => (sim.events(id).some((e) => e.event === 'runner_item_on_ok') ? true : undefined), 60_000, 'first step');
    const cancel = await post(sim, `/api/v2/jobs/${id}/cancel/`);
    expect(cancel.status).toBe(202);
    expect(cancel.text).toBe('');
    const canceled = await sim.waitForJob(id, (j) => j.status === 'canceled', 20_000);
    const job = await jobDetail(id);
    expect(job).toMatchObject({ status: 'canceled', failed: true });
    expect(typeof job.canceled_on).toBe('string');
    expect(typeof job.finished).toBe('string');
    expect(canceled.events.filter((e) => e.event === 'runner_item_on_ok').length).toBeLessThan(20);
    const again = await post(sim, `/api/v2/jobs/${id}/cancel/`);
    expect(again.status).toBe(405);
    expect(again.json).toEqual({ detail: 'Method "POST" not allowed.' });
    expect((await get(sim, `/api/v2/jobs/${id}/cancel/`)).json).toEqual({ can_cancel: false });
  });
});

describe('stop', () => {
  it('kills a running ansible job and its process group', async () => {
    const other = await startAwxSim({ seed: 2 });
    try {
      const res = await post(other, `/api/v2/job_templates/${TEMPLATE_IDS.slowRollout}/launch/`, {});
      const jobId = Number(obj(res.json).id);
      const job = await other.waitForJob(jobId, (j) => j.events.some((e) => e.event === 'runner_item_on_ok'), 60_000);
      const marker = job.jobCwd.replace(/\/project$/, '/');
      expect(marker).not.toBe('');
      const running = (): string[] =>
        execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
          .split('\n')
          .filter((line) => line.includes(marker));
      expect(running().length).toBeGreaterThan(0);
      await other.stop();
      expect(running()).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
