import { describe, expect, it } from 'vitest';
import { JobSilences, DEFAULT_SAFETY_NET_MINUTES } from '../../../electron/core/features/alerts/job-silence';
import type { JobSilenceDeps } from '../../../electron/core/features/alerts/job-silence';
import type { SilenceActionResult } from '@shared/alerts/model';
import { ContractFailure } from '@shared/kernel/result';

// The job-scoped silence manager against a fake Alertmanager side and a fake job lifecycle: the order of
// events (silence before launch, expiry after the end), the safety net, and what happens when parts fail.

const NOW = Date.parse('2026-03-01T12:00:00Z');
const matchers = [{ name: 'instance', value: 'web-1(:[0-9]+)?', isRegex: true, isEqual: true }];

function harness(opts: { failCreate?: boolean; failExpire?: boolean; failNote?: boolean; incident?: boolean } = {}) {
  const events: string[] = [];
  const created: { endsAt: string; comment: string; createdBy: string }[] = [];
  let n = 0;
  const deps: JobSilenceDeps = {
    now: () => NOW,
    alerts: {
      deps: { who: 'osuser' },
      connectionId: (r) => r ?? 'am',
      create: async (d): Promise<SilenceActionResult> => {
        if (opts.failCreate) throw new ContractFailure('validation', 'Alertmanager answered 400 (bad request): silence invalid');
        n++;
        events.push(`create s${n}`);
        created.push({ endsAt: d.endsAt, comment: d.comment, createdBy: d.createdBy });
        return {
          auditId: `a${n}`,
          silence: {
            id: `s${n}`,
            state: 'active',
            matchers: d.matchers,
            startsAt: d.startsAt ?? '',
            endsAt: d.endsAt,
            updatedAt: '',
            createdBy: d.createdBy,
            comment: d.comment,
            silencedAlerts: 0,
          },
        };
      },
      expire: async (a) => {
        if (opts.failExpire) throw new ContractFailure('unreachable', 'Alertmanager (test) cannot be reached: connection refused');
        events.push(`expire ${a.id}`);
        return { id: a.id, auditId: 'x', wasAlreadyExpired: false };
      },
    },
    workNote: async (i, text) => {
      if (opts.failNote) throw new Error('ServiceNow answered 403');
      events.push(`note ${i.sysId}: ${text.slice(0, 40)}`);
    },
    findIncident: async () => (opts.incident ? { connectionId: 'snow', sysId: 'f'.repeat(32), number: 'INC0000042' } : undefined),
  };
  return { js: new JobSilences(deps), events, created };
}

describe('job-scoped silences', () => {
  it('creates the silence before the launch and expires it when the job ends, with work notes on the incident', async () => {
    const { js, events, created } = harness({ incident: true });
    const run = await js.runWithSilence(
      { request: { matchers }, label: 'AWX job template "Disk cleanup"', createdBy: 'alice' },
      async () => {
        events.push('launch');
        return { id: 17 };
      },
      (l) => l.id,
      async () => {
        events.push('job ends');
        return 'successful';
      },
    );
    expect(run.silence.state).toBe('silencing');
    const ended = await run.ended;
    expect(events.map((e) => e.replace(/: .*/, ''))).toEqual([
      'create s1',
      `note ${'f'.repeat(32)}`,
      'launch',
      'job ends',
      'expire s1',
      `note ${'f'.repeat(32)}`,
    ]);
    expect(ended).toMatchObject({
      state: 'expired',
      outcome: 'successful',
      jobId: 17,
      silenceId: 's1',
      incident: { number: 'INC0000042' },
      problems: [],
    });
    expect(created[0]?.createdBy).toBe('alice');
    expect(created[0]?.endsAt).toBe(new Date(NOW + DEFAULT_SAFETY_NET_MINUTES * 60_000).toISOString());
    expect(js.jobOf('s1')).toEqual({ label: 'AWX job template "Disk cleanup"', jobId: 17 });
  });

  it('expires the silence when the job fails too', async () => {
    const { js, events } = harness();
    const run = await js.runWithSilence(
      { request: { matchers }, label: 'job' },
      async () => ({ id: 3 }),
      (l) => l.id,
      async () => 'failed',
    );
    expect(await run.ended).toMatchObject({ state: 'expired', outcome: 'failed' });
    expect(events).toEqual(['create s1', 'expire s1']);
  });

  it('uses the job timeout plus a margin as the safety net, or the requested maximum', async () => {
    const { js, created } = harness();
    await js.begin({ request: { matchers }, label: 'a', timeoutSeconds: 1800 });
    await js.begin({ request: { matchers, maxMinutes: 15 }, label: 'b', timeoutSeconds: 1800 });
    expect(created.map((c) => (Date.parse(c.endsAt) - NOW) / 60_000)).toEqual([40, 15]);
    expect(created[0]?.createdBy).toBe('osuser');
    expect(created[0]?.comment).toMatch(/while a runs; expired by the console when the job ends/);
  });

  it('does not launch when the silence cannot be created', async () => {
    const { js } = harness({ failCreate: true });
    let launched = false;
    await expect(
      js.runWithSilence(
        { request: { matchers }, label: 'job' },
        async () => ((launched = true), { id: 1 }),
        (l) => l.id,
        async () => 'successful',
      ),
    ).rejects.toThrow(/silence invalid/);
    expect(launched).toBe(false);
    expect(js.list()).toEqual([]);
  });

  it('expires the silence at once when the launch fails, and rethrows the launch error', async () => {
    const { js, events } = harness({ incident: true });
    await expect(
      js.runWithSilence(
        { request: { matchers }, label: 'job' },
        async () => Promise.reject(new Error('AWX answered 400: inventory needed')),
        () => 0,
        async () => 'x',
      ),
    ).rejects.toThrow(/inventory needed/);
    expect(js.list()[0]).toMatchObject({ state: 'expired', outcome: 'launch_failed' });
    expect(events[events.length - 2]).toBe('expire s1');
    expect(events[events.length - 1]).toMatch(/^note/);
  });

  it('keeps going when the expiry or a work note fails, and says so (the safety net still ends the silence)', async () => {
    const { js } = harness({ failExpire: true, failNote: true, incident: true });
    const run = await js.runWithSilence(
      { request: { matchers }, label: 'job' },
      async () => ({ id: 9 }),
      (l) => l.id,
      async () => 'error',
    );
    const ended = await run.ended;
    expect(ended.state).toBe('expire_failed');
    expect(ended.problems).toHaveLength(3);
    expect(ended.problems[1]).toMatch(
      /could not be expired \(it ends by itself at 2026-03-01T14:00:00.000Z\): Alertmanager \(test\) cannot be reached/,
    );
  });

  it('ends once however often the end is reported, and treats a lost job as ended', async () => {
    const { js, events } = harness();
    const t = await js.begin({ request: { matchers }, label: 'job' });
    js.launched(t.ticket, 5);
    const [a, b] = await Promise.all([js.end(t.ticket, 'successful'), js.end(t.ticket, 'failed')]);
    expect(a).toEqual(b);
    expect(events.filter((e) => e.startsWith('expire'))).toHaveLength(1);
    const { js: js2 } = harness();
    const run = await js2.runWithSilence(
      { request: { matchers }, label: 'job' },
      async () => ({ id: 1 }),
      (l) => l.id,
      async () => Promise.reject(new Error('socket gone')),
    );
    expect(await run.ended).toMatchObject({ state: 'expired', outcome: 'unknown' });
  });
});
