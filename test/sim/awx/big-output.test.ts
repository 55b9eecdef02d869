// The 200,000-line job, run once: its event holds every line, list views truncate it, and every display
// format of stdout answers AWX's "too large" sentence while the download streams everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwxSim, TEMPLATE_IDS, type AwxSim } from './index';
import { get, list, obj, post, waitUntil } from './sim-client';

let sim: AwxSim;
let id = 0;
let totalChars = 0;

beforeAll(async () => {
  sim = await startAwxSim({ seed: 3 });
  const started = Date.now();
  const res = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.bigOutput}/launch/`, {});
  id = Number(obj(res.json).id);
  await sim.waitForJob(id, (j) => j.status !== 'pending' && j.status !== 'waiting' && j.status !== 'running', 180_000);
  const finished = Date.now();
  await waitUntil(async () => (obj((await get(sim, `/api/v2/jobs/${id}/`)).json).event_processing_finished ? true : undefined), 30_000);
  const elapsed = Number(obj((await get(sim, `/api/v2/jobs/${id}/`)).json).elapsed);
  console.log(
    `200k-line job: ansible ran ${elapsed.toFixed(1)} s; launch to final status ${((finished - started) / 1000).toFixed(1)} s; ` +
      `to all events saved ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  totalChars = sim.events(id).reduce((n, e) => n + e.stdout.length, 0);
}, 240_000);

afterAll(async () => {
  await sim.stop();
});

describe('a job printing 200,000 lines', () => {
  it('succeeds with one event holding all the lines', () => {
    expect(sim.job(id)?.status).toBe('successful');
    const big = sim.events(id).find((e) => e.event === 'runner_on_ok');
    expect(big).toBeDefined();
    expect((big?.endLine ?? 0) - (big?.startLine ?? 0)).toBe(200_004);
    expect(big?.stdout.split('\r\n')).toHaveLength(200_004);
    expect(big?.stdout).toContain('"line 200000 of the big output"');
  });

  it('truncates that event to 1024 characters in lists, but not with no_truncate or in the detail view', async () => {
    const listed = list((await get(sim, `/api/v2/jobs/${id}/job_events/?event=runner_on_ok`)).json)[0];
    const cut = String(listed?.stdout);
    expect(cut.length).toBeLessThanOrEqual(1024 + 4 * 5);
    // First 1023 characters, an ellipsis, then resets for the colour codes left open.
    const tail = cut.slice(cut.lastIndexOf('\u2026'));
    expect(tail.length).toBeGreaterThan(1);
    expect(tail.replaceAll('\u001b[0m', '')).toBe('\u2026');
    expect(cut.lastIndexOf('\u2026')).toBe(1023);
    expect(cut.startsWith('\u001b[0;32mok: [localhost] => {\u001b[0m\r\n')).toBe(true);
    const full = list((await get(sim, `/api/v2/jobs/${id}/job_events/?event=runner_on_ok&no_truncate=true`)).json)[0];
    expect(String(full?.stdout).split('\r\n')).toHaveLength(200_004);
    const detail = obj((await get(sim, `/api/v2/job_events/${String(listed?.id)}/`)).json);
    expect(String(detail.stdout).length).toBe(String(full?.stdout).length);
    const banner = list((await get(sim, `/api/v2/jobs/${id}/job_events/?event=playbook_on_task_start`)).json)[0];
    expect(String(banner?.stdout)).toMatch(/^\r\nTASK \[Print 200000 lines\] \*+$/);
  });

  it('answers every display format with the too-large sentence, with status 200', async () => {
    const sentence = `Standard Output too large to display (${totalChars} bytes), only download supported for sizes over 1048576 bytes.`;
    expect(totalChars).toBeGreaterThan(1_048_576);
    for (const format of ['txt', 'ansi']) {
      const res = await get(sim, `/api/v2/jobs/${id}/stdout/?format=${format}`);
      expect(res.status).toBe(200);
      expect(res.text).toBe(sentence);
    }
    const json = await get(sim, `/api/v2/jobs/${id}/stdout/?format=json&start_line=0&end_line=10`);
    expect(json.status).toBe(200);
    expect(json.json).toEqual({ range: { start: 0, end: 1, absolute_end: 1 }, content: sentence });
  });

  it('streams the full text as a download', async () => {
    const res = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt_download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="job_${id}.txt"`);
    const lines = res.text.split('\n');
    expect(lines).toContain('        "line 000001 of the big output",');
    expect(lines).toContain('        "line 200000 of the big output"');
    expect(res.text).not.toContain('\u001b');
    expect(lines.length).toBeGreaterThan(200_004);
    const ansi = await get(sim, `/api/v2/jobs/${id}/stdout/?format=ansi_download`);
    expect(ansi.headers.get('content-disposition')).toBe(`attachment; filename="job_${id}.ansi.txt"`);
    expect(ansi.text).toContain('\u001b[0;32m        "line 100000 of the big output",\u001b[0m\n');
  });
});
