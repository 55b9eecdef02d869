// Launch → follow → the finished log equals AWX's own `stdout?format=txt`, byte for byte after `\r\n`
// normalisation, whatever the websocket does: faithful, lossy (skips events without output, out of counter
// order), dropped mid-job, and absent. Real ansible-playbook runs (Disk cleanup, ~2 s each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim, WsMode } from '../sim/awx';
import { get } from '../sim/awx/sim-client';
import { awxHarness, normalise } from '../helpers/awx-harness';
import type { AwxHarness, FollowResult } from '../helpers/awx-harness';

let sim: AwxSim;
let h: AwxHarness;

beforeAll(async () => {
  sim = await startAwxSim({ wsMode: 'faithful', seed: 5, wsDropAfter: 4 });
  h = await awxHarness(sim);
});

afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

async function stdoutTxt(jobId: number): Promise<string> {
  const r = await get(sim, `/api/v2/jobs/${jobId}/stdout/?format=txt`);
  expect(r.status).toBe(200);
  return normalise(r.text);
}

async function launchAndFollow(mode: WsMode, slow = false): Promise<{ jobId: number; followed: FollowResult; eventRequests: string[] }> {
  sim.setWsMode(mode);
  const before = sim.requests.length;
  const launched = await h.ok(
    'jobs.launch',
    slow
      ? { connectionId: 'awx', templateId: TEMPLATE_IDS.slowRollout, extraVars: { steps: 8, step_seconds: 0.4 } }
      : { connectionId: 'awx', templateId: TEMPLATE_IDS.diskCleanup },
  );
  const followed = await h.follow(launched.job.id);
  const eventRequests = sim.requests
    .slice(before)
    .filter((r) => r.path.endsWith(`/jobs/${launched.job.id}/job_events/`))
    .map((r) => r.query);
  return { jobId: launched.job.id, followed, eventRequests };
}

function expectOrderedOnce(f: FollowResult): void {
  const counters = f.items.flatMap((i) => (i.kind === 'lines' ? [i.counter] : []));
  expect(counters).toEqual([...counters].sort((a, b) => a - b));
  expect(new Set(counters).size).toBe(counters.length);
  const lineNumbers = f.items.flatMap((i) => (i.kind === 'lines' ? i.lines.map((_l, k) => i.line + k) : []));
  expect(lineNumbers).toEqual(lineNumbers.map((_n, k) => k));
}

describe('the followed log equals AWX stdout', () => {
  it('with a faithful websocket', async () => {
    const { jobId, followed } = await launchAndFollow('faithful');
    expect(followed.error).toBeNull();
    expect(followed.end).toMatchObject({ status: 'successful', complete: true });
    expect(followed.text).toBe(await stdoutTxt(jobId));
    expect(followed.text).toContain('PLAY RECAP');
    expectOrderedOnce(followed);
    expect(followed.items.some((i) => i.kind === 'notice' && i.message.startsWith('Live'))).toBe(true);
    expect(followed.items.find((i) => i.kind === 'stats')).toMatchObject({ hosts: [{ host: 'localhost', failures: 0 }] });
    // Nothing kept arriving after the end.
    expect(followed.items[followed.items.length - 1]?.kind).toBe('end');
  });

  it('with a lossy, out-of-order websocket: the holes are filled from REST, swept from the contiguous counter', async () => {
    const { jobId, followed, eventRequests } = await launchAndFollow('lossy');
    expect(followed.end).toMatchObject({ status: 'successful', complete: true });
    expect(followed.text).toBe(await stdoutTxt(jobId));
    expectOrderedOnce(followed);
    // The socket skips events without output (runner_on_start): REST is read in pages of 200 from the contiguous
    // counter, never hole by hole.
    expect(eventRequests.some((q) => /counter__gt=[1-9]/.test(q))).toBe(true);
    expect(eventRequests.every((q) => q.includes('page_size=200') && !q.includes('counter__gte') && !q.includes('counter__lte'))).toBe(
      true,
    );
  });

  it('with the websocket dropped mid-job (reconnects, resubscribes, catches up)', async () => {
    // A slower job (8 steps of 0.4 s), so the socket is cut several times while it runs.
    const { jobId, followed } = await launchAndFollow('drop', true);
    expect(followed.end).toMatchObject({ status: 'successful', complete: true });
    expect(followed.text).toBe(await stdoutTxt(jobId));
    expect(followed.text).toContain('PLAY RECAP');
    expectOrderedOnce(followed);
    // The socket is cut only after it delivered events: a second cut proves the reconnect resubscribed.
    const drops = followed.items.filter((i) => i.kind === 'notice' && /dropped/.test(i.message)).length;
    expect(drops).toBeGreaterThanOrEqual(2);
  });

  it('with no websocket at all (polling)', async () => {
    const { jobId, followed } = await launchAndFollow('off');
    expect(followed.end).toMatchObject({ status: 'successful', complete: true });
    expect(followed.text).toBe(await stdoutTxt(jobId));
    expectOrderedOnce(followed);
    expect(followed.items.some((i) => i.kind === 'notice' && /polling/.test(i.message))).toBe(true);
  });

  it('resumes from a counter: a second subscriber from counter N gets exactly the rest', async () => {
    const jobId = sim.jobs().find((j) => j.status === 'successful')?.id ?? 0;
    const all = await h.follow(jobId);
    const counters = all.items.flatMap((i) => (i.kind === 'lines' ? [i.counter] : []));
    const from = counters[Math.floor(counters.length / 2)] ?? 1;
    const rest = await h.follow(jobId, { fromCounter: from });
    const expected = all.items.filter((i) => i.kind === 'lines' && i.counter >= from).flatMap((i) => (i.kind === 'lines' ? i.lines : []));
    expect(rest.lines).toEqual(expected);
  });

  it('works the same behind the Automation Controller prefix (/api/controller/v2/)', async () => {
    const controller = await startAwxSim({ wsMode: 'faithful', seed: 6, apiBasePath: '/api/controller/v2/' });
    const hc = await awxHarness(controller);
    try {
      const t = await hc.ok('jobs.templates', { search: 'broken' });
      expect(t.templates.map((x) => x.name)).toEqual(['Broken environment (error)']);
      expect(t.templates[0]?.link).toBe(`${controller.url}/execution/templates/job-template/${TEMPLATE_IDS.brokenEnvironment}/details`);
      const launched = await hc.ok('jobs.launch', { connectionId: 'awx', templateName: 'Broken environment (error)' });
      const followed = await hc.follow(launched.job.id);
      expect(followed.end).toMatchObject({ status: 'error', complete: true });
      expect(controller.requests.some((r) => r.path.startsWith('/api/controller/v2/jobs/'))).toBe(true);
      expect(controller.requests.some((r) => r.path.startsWith('/api/v2/'))).toBe(false);
    } finally {
      await hc.close();
      await controller.stop();
    }
  });

  it('a job that errored before any event: job_explanation and result_traceback, an empty complete log', async () => {
    sim.setWsMode('faithful');
    const launched = await h.ok('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.brokenEnvironment });
    const followed = await h.follow(launched.job.id);
    expect(followed.end).toMatchObject({ status: 'error', complete: true, lineCount: 0 });
    const job = [...followed.items].reverse().find((i) => i.kind === 'job');
    expect(job?.kind === 'job' && job.job.resultTraceback).toMatch(/Traceback/);
    expect(job?.kind === 'job' && job.job.jobExplanation.length).toBeGreaterThan(0);
  });
});
