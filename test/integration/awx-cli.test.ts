// `toc job follow` and `toc runbook launch` against the AWX simulator: the printed log is AWX's, exit codes say
// successful (0), failed (1), cannot follow / nothing launched (2) or a log AWX left incomplete (3), and a production runbook is launched only
// after the target's name is typed on stdin (or --yes).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../electron/cli/toc';
import { launchRunbook } from '../../electron/cli/commands/runbook-launch';
import { openRuntime } from '../../electron/cli/runtime';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { allEvents, get, post, stdoutFromEvents } from '../sim/awx/sim-client';
import { stripAnsi } from '../sim/awx/ansi';
import { normalise } from '../helpers/awx-harness';

const root = path.resolve(import.meta.dirname, '../..');
let sim: AwxSim;
let dir: string;
let config: string;
const saved = { data: process.env.TOC_DATA_DIR, token: process.env.TOC_TEST_AWX_TOKEN };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function launched(templateId: number): Promise<number> {
  const r = await post(sim, `/api/v2/job_templates/${templateId}/launch/`, {});
  expect(r.status).toBe(201);
  return (r.json as { job: number }).job;
}

beforeAll(async () => {
  sim = await startAwxSim({ wsMode: 'lossy', seed: 21 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-cli-awx-'));
  mkdirSync(path.join(dir, 'runbooks'));
  writeFileSync(
    path.join(dir, 'runbooks', 'restart-service.md'),
    '---\ntitle: Restart a failed service\nalerts: [ServiceDown]\nawx: {template: Restart service}\nextraVars:\n  target_host: "{{ incident.alert_host }}"\n  service_name: nginx\nproduction: true\n---\n# Restart\n',
  );
  writeFileSync(path.join(dir, 'runbooks', 'escalation.md'), '# Escalate a P1\n\nCall the manager.\n');
  process.env.TOC_DATA_DIR = path.join(dir, 'data');
  process.env.TOC_TEST_AWX_TOKEN = sim.token;
  config = path.join(dir, 'toc.yaml');
  writeFileSync(
    config,
    `name: CLI test\nconnections:\n  - id: awx\n    kind: awx\n    name: AWX sim\n    url: ${sim.url}\n    auth: {type: bearer, token: {secret: {env: TOC_TEST_AWX_TOKEN}}}\nrunbooks:\n  folders: [runbooks]\n`,
  );
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.env.TOC_DATA_DIR = saved.data;
  process.env.TOC_TEST_AWX_TOKEN = saved.token;
});

describe('toc job follow', () => {
  it('prints the log as AWX has it and exits 0 for a successful job', async () => {
    const id = await launched(TEMPLATE_IDS.diskCleanup);
    const r = await run(['job', 'follow', String(id), '--config', config]);
    expect(r.code).toBe(0);
    const txt = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`);
    expect(r.out).toBe(normalise(txt.text));
    expect(r.out).not.toContain('\u001b[');
    expect(r.err).toContain('Job finished: successful.');
  });

  it('keeps the colours with --ansi', async () => {
    const id = sim.jobs().find((j) => j.status === 'successful')?.id ?? 0;
    const r = await run(['job', 'follow', String(id), '--config', config, '--ansi']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\u001b[');
    const ansi = await get(sim, `/api/v2/jobs/${id}/stdout/?format=ansi`);
    expect(r.out).toBe(normalise(ansi.text));
  });

  it('exits 1 for a failed job', async () => {
    const id = await launched(TEMPLATE_IDS.failOnOneHost);
    const r = await run(['job', 'follow', String(id), '--config', config]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('fatal: [web2]');
    expect(r.err).toContain('Job finished: failed.');
  });

  it('--timeout stops following a job that outlasts it (exit 4), names how to follow again, and leaves the job running', async () => {
    const r0 = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.slowRollout}/launch/`, {
      extra_vars: { steps: 40, step_seconds: 0.5 },
    });
    expect(r0.status).toBe(201);
    const id = (r0.json as { job: number }).job;
    const started = Date.now();
    const r = await run(['job', 'follow', String(id), '--config', config, '--timeout', '2']);
    const took = Date.now() - started;
    expect(r.code).toBe(4);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(15_000);
    expect(r.err).toMatch(
      new RegExp(
        `stopped following after 2 s \\(--timeout\\); AWX job #${id} is (still running|still pending|not finished) and goes on\\. Follow it again with: toc job follow ${id}`,
      ),
    );
    expect(r.err).not.toContain('Job finished');
    // Following stopped; the job did not: nothing was cancelled.
    expect(['pending', 'waiting', 'running']).toContain(sim.job(id)?.status);
    expect(sim.requests.filter((q) => q.method === 'POST' && q.path.includes(`/jobs/${id}/cancel`))).toHaveLength(0);
    await post(sim, `/api/v2/jobs/${id}/cancel/`, {});
  });

  it('--timeout longer than the job changes nothing: the whole log and the job’s own exit code', async () => {
    const id = await launched(TEMPLATE_IDS.diskCleanup);
    const r = await run(['job', 'follow', String(id), '--config', config, '--timeout', '600']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Job finished: successful.');
    expect(r.err).not.toContain('stopped following');
  });

  it('refuses a --timeout that is not a number of seconds, and one on a launch that does not follow', async () => {
    // "-5" reads as an option to the flag parser: still a usage error.
    expect((await run(['job', 'follow', '1', '--config', config, '--timeout', '-5'])).code).toBe(2);
    for (const bad of ['0', 'soon', '700000']) {
      const r = await run(['job', 'follow', '1', '--config', config, '--timeout', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--timeout must be a number of seconds from 1 to 604800');
    }
    const r = await run(['runbook', 'launch', 'escalation', '--config', config, '--timeout', '30', '--yes']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--timeout limits --follow');
  });

  it('exits 2 when it cannot follow: no such job, no such connection, bad usage', async () => {
    const missing = await run(['job', 'follow', '99999', '--config', config]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/HTTP 404/);
    const conn = await run(['job', 'follow', '1', '--config', config, '--connection', 'nope']);
    expect(conn.code).toBe(2);
    expect(conn.err).toContain('There is no connection "nope"');
    expect((await run(['job', 'follow', 'abc', '--config', config])).code).toBe(2);
  });

  it('prints a finished job through one download request, the same bytes as following its events', async () => {
    const id = await launched(TEMPLATE_IDS.failOnOneHost);
    await sim.waitForJob(id, (j) => j.emittedEvents !== null && j.events.length === j.emittedEvents, 60_000);
    const followed = await run(['job', 'follow', String(id), '--config', config]);
    const before = sim.requests.length;
    const r = await run(['job', 'follow', String(id), '--config', config]);
    expect(r.code).toBe(1);
    const txt = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`);
    expect(r.out).toBe(normalise(txt.text));
    expect(r.err).toContain('Job finished: failed.');
    const asked = sim.requests.slice(before, before + 3).map((q) => `${q.path}${q.query}`);
    expect(asked).toEqual([
      `/api/v2/jobs/${id}/`,
      `/api/v2/jobs/${id}/job_events/?order_by=-counter&page_size=1`,
      `/api/v2/jobs/${id}/stdout/?format=txt_download`,
    ]);
    // The same bytes as the job's events give (what following them prints).
    expect(r.out).toBe(stripAnsi(stdoutFromEvents(await allEvents(sim, id))));
    expect(followed.out).toBe(r.out);
    const ansi = await run(['job', 'follow', String(id), '--config', config, '--ansi']);
    const ansiRef = await get(sim, `/api/v2/jobs/${id}/stdout/?format=ansi`);
    expect(ansi.out).toBe(normalise(ansiRef.text));
    expect(ansi.out).toContain('\u001b[');
  });

  it('exits 3 and names the missing counters when AWX never saved some events', async () => {
    sim.setLostCounters([3, 4, 9]);
    try {
      const id = await launched(TEMPLATE_IDS.diskCleanup);
      const r = await run(['job', 'follow', String(id), '--config', config]);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/AWX finished processing events but never saved events 3–4, 9; the log misses their lines\./);
      expect(r.err).toContain('missing counters: 3-4,9\n');
      // Where they are missing, as it streams.
      expect(r.err).toMatch(/AWX never saved events 3–4 \(\d+ lines\); they are missing here\./);
      // stdout is still AWX's own text, which lacks them too.
      const txt = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`);
      expect(r.out).toBe(normalise(txt.text));
      // Once finished, the download would hide the gap: the events are followed again and it is named again.
      const again = await run(['job', 'follow', String(id), '--config', config]);
      expect(again.code).toBe(3);
      expect(again.err).toContain('missing counters: 3-4,9\n');
    } finally {
      sim.setLostCounters([]);
    }
  });

  it('exits 2 when the answer is not the job: a gateway answering {"status":"UP"}', async () => {
    const gateway = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"UP"}');
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const port = (gateway.address() as AddressInfo).port;
    const gwConfig = path.join(dir, 'gateway.yaml');
    writeFileSync(
      gwConfig,
      `name: Gateway\nconnections:\n  - id: awx\n    kind: awx\n    name: AWX behind a gateway\n    url: http://127.0.0.1:${port}\n    auth: {type: bearer, token: {secret: {env: TOC_TEST_AWX_TOKEN}}}\n`,
    );
    try {
      const r = await run(['job', 'follow', '5', '--config', gwConfig]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        'AWX behind a gateway answered for job 5 with {"status":"UP"}, which is not that AWX job (it has no job id).',
      );
      expect(r.err).not.toMatch(/AWX job #/);
      expect(r.out).toBe('');
    } finally {
      gateway.closeAllConnections();
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});

describe('toc runbook launch', () => {
  it('asks for the production confirmation: the wrong name or no stdin launches nothing', async () => {
    const core = await openRuntime({ config, transport: 'direct', keychain: false });
    const jobs = sim.jobs().length;
    let err = '';
    const io = (input: string) => ({
      out: { write: () => true },
      err: { write: (s: string) => (err += s) },
      input: Readable.from(input ? [input] : []),
    });
    try {
      const opts = { name: 'restart-service', vars: { target_host: 'web-01' }, follow: false, yes: false, ansi: false };
      expect(await launchRunbook(core, opts, io('web-02\n'))).toBe(2);
      expect(err).toContain("Type the target's name (web-01) to confirm");
      expect(err).toContain('"web-02" is not "web-01"; nothing was launched.');
      expect(await launchRunbook(core, opts, io(''))).toBe(2);
      expect(err).toContain('no confirmation on stdin');
      expect(sim.jobs().length).toBe(jobs);
    } finally {
      await core.dispose();
    }
  });

  it('checks the survey before sending, and says which variables an incident would have filled', async () => {
    const bad = await run([
      'runbook',
      'launch',
      'restart-service',
      '--config',
      config,
      '--var',
      'target_host=web-01',
      '--var',
      'health_check_retries=99',
      '--yes',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('health_check_retries: At most 10.');
    const unfilled = await run(['runbook', 'launch', 'Restart a failed service', '--config', config, '--yes']);
    expect(unfilled.code).toBe(2);
    expect(unfilled.err).toContain('target_host (from incident.alert_host)');
    const procedure = await run(['runbook', 'launch', 'escalation', '--config', config]);
    expect(procedure.code).toBe(2);
    expect(procedure.err).toContain('procedure without an AWX job template');
  });

  it('launches with the typed confirmation and follows to the end (exit 0)', async () => {
    const core = await openRuntime({ config, transport: 'direct', keychain: false });
    let out = '';
    let err = '';
    try {
      const code = await launchRunbook(
        core,
        { name: 'restart-service', vars: { target_host: 'web-01' }, follow: true, yes: false, ansi: false },
        { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) }, input: Readable.from(['web-01\n']) },
      );
      expect(code).toBe(0);
    } finally {
      await core.dispose();
    }
    const id = Number(/Launched AWX job #(\d+)/.exec(err)?.[1]);
    const txt = await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`);
    expect(out).toBe(normalise(txt.text));
    expect(out).toContain('Restarting nginx on web-01');
    const audit = readFileSync(path.join(dir, 'data', 'audit', 'audit.jsonl'), 'utf8');
    expect(audit).toContain(`"remoteRef":"job ${id}"`);
    expect(audit).toContain('production, confirmed \\"web-01\\"');
  });

  it('a separate process with no stdin refuses a production launch (exit 2)', async () => {
    const jobs = sim.jobs().length;
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('./electron/cli/toc.ts').then(async (m) => process.exit(await m.main(process.argv.slice(1))))`,
          'runbook',
          'launch',
          'restart-service',
          '--config',
          config,
          '--var',
          'target_host=web-01',
        ],
        { cwd: root, env: process.env, stdio: ['ignore', 'ignore', 'ignore'] },
      );
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(2);
    expect(sim.jobs().length).toBe(jobs);
  });
});
