// A write whose answer never came (it timed out, or its connection was cut) is not a refusal: ServiceNow may well have saved it. The console says the
// outcome is unknown, checks (the journal for a work note, the record for a field change), and reports what
// the check found — confirmed, or not found and safe to retry — never "did not accept" for a timeout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_MARKER_VAR } from '@shared/jobs/launch-marker';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { startHostileServer } from '../sim/hostile/server';
import type { HostileServer } from '../sim/hostile/server';
import { fakeSecrets } from '../helpers/fake-secrets';
import { coreCalls } from '../helpers/core-calls';
import type { CoreCalls } from '../helpers/core-calls';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { snowHarness } from '../helpers/incidents';
import type { SnowHarness } from '../helpers/incidents';

let sim: SnowSim;
let h: SnowHarness;
const used = new Set<string>();

function pick(): Row {
  const r = sim
    .table('incident')
    .all()
    .find((x) => x.active === 'true' && !['3', '6', '7', '8'].includes(x.state ?? '') && !used.has(x.sys_id ?? ''));
  if (!r?.sys_id) throw new Error('no incident left');
  used.add(r.sys_id);
  return r;
}
const notesOn = (sysId: string, text: string): Row[] =>
  sim
    .table('sys_journal_field')
    .all()
    // The console signs each note ("— operator via TOC Console"), so the typed text is how it starts.
    .filter((j) => j.element_id === sysId && j.element === 'work_notes' && (j.value ?? '').startsWith(text));

beforeAll(async () => {
  sim = await startServiceNowSim({ incidents: 30, seed: 7 });
  h = await snowHarness(sim, { timeoutMs: 1000 });
  await h.ok('incidents.list', {});
});
afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

describe('a write that timed out', () => {
  it('a work note saved without an answer is found in the journal and reported saved, once', async () => {
    const inc = pick();
    const text = `checking the disk ${Date.now()}`;
    sim.setFault({ mode: 'late-answer', delayMs: 3000, count: 1, match: `/api/now/table/incident/${inc.sys_id}` });
    const r = await h.ok('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text });
    expect(r.message).toMatch(/did not answer within 1 s/);
    expect(r.message).toMatch(/found in the journal|confirmed/i);
    expect(notesOn(inc.sys_id ?? '', text)).toHaveLength(1);
    expect(r.remoteRef).toBe(notesOn(inc.sys_id ?? '', text)[0]?.sys_id);
    const audit = (await h.ok('activity.list', { limit: 5 })).filter((a) => a.action === 'incidents.work_note');
    expect(audit[0]).toMatchObject({ outcome: 'ok', remoteRef: r.remoteRef });
  });

  it('a work note that did not land says so after checking, offers a retry, and never says refused', async () => {
    const inc = pick();
    const text = `not there ${Date.now()}`;
    // ServiceNow hangs before the write; the connection is dropped when the client gives up.
    sim.setFault({ mode: 'slow', delayMs: 60_000, count: 1, match: `/api/now/table/incident/${inc.sys_id}` });
    const e = await h.err('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text });
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/did not answer within 1 s/);
    expect(e.message).toMatch(/may have been saved|outcome is unknown/i);
    expect(e.message).toMatch(/not in the journal|not found/i);
    expect(e.message).not.toMatch(/refused|did not accept/i);
    expect(e.detail?.retryable).toBe(true);
    sim.setFault('none');
  });

  it('a work note whose connection was cut after ServiceNow saved it is checked and reported saved, once', async () => {
    const inc = pick();
    const text = `cut after saving ${Date.now()}`;
    sim.setFault({ mode: 'applied-reset', count: 1, match: `/api/now/table/incident/${inc.sys_id}`, method: 'PATCH' });
    const r = await h.ok('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text });
    expect(r.message).toMatch(/connection to .* was cut \((ECONNRESET|UND_ERR_SOCKET|UND_ERR_CLOSED|EPIPE)\)/);
    expect(r.message).toMatch(/found in the journal|confirmed/i);
    expect(notesOn(inc.sys_id ?? '', text)).toHaveLength(1);
    sim.setFault('none');
  });

  it('a work note cut before ServiceNow saved it: outcome unknown, checked, not found, retryable, never "refused"', async () => {
    const inc = pick();
    const text = `cut before saving ${Date.now()}`;
    sim.setFault({ mode: 'reset', count: 1, match: `/api/now/table/incident/${inc.sys_id}`, method: 'PATCH' });
    const e = await h.err('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text });
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/was cut/);
    expect(e.message).toMatch(/may have been saved|outcome is unknown/i);
    expect(e.message).toMatch(/not in the journal|not found/i);
    expect(e.message).not.toMatch(/refused|did not accept/i);
    expect(e.detail?.retryable).toBe(true);
    expect(notesOn(inc.sys_id ?? '', text)).toHaveLength(0);
    sim.setFault('none');
  });

  it('a cut read is "unreachable" and tried again, not an unknown outcome', async () => {
    sim.setFault({ mode: 'reset', count: 1, match: '/api/now/table/incident', method: 'GET' });
    const r = await h.ok('incidents.list', {});
    expect(r.rows.length).toBeGreaterThan(0);
    sim.setFault('none');
  });

  it('a field change saved without an answer is confirmed by re-reading the record', async () => {
    const inc = pick();
    sim.setFault({ mode: 'late-answer', delayMs: 3000, count: 1, match: `/api/now/table/incident/${inc.sys_id}`, method: 'PATCH' });
    const r = await h.ok('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: Number(inc.sys_mod_count ?? 0) });
    expect(r.message).toMatch(/did not answer within 1 s/);
    expect(sim.table('incident').get(inc.sys_id ?? '')?.assigned_to).toBeTruthy();
  });
});

describe('an AWX launch whose answer was lost', () => {
  let awx: AwxSim;
  let proxy: HostileServer;
  let core: Core;
  let calls: CoreCalls;
  let dir: string;

  beforeAll(async () => {
    awx = await startAwxSim({ seed: 3 });
    proxy = await startHostileServer({ mode: { kind: 'proxy', to: awx.url } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'toc-launch-lost-'));
    const file = path.join(dir, 'toc.yaml');
    writeFileSync(
      file,
      `name: Lost launch
connections:
  - {id: awx, kind: awx, name: AWX sim, url: "${proxy.url}", apiBasePath: ${awx.apiBase}, timeoutMs: 1500,
     auth: {type: bearer, token: {secret: {keychain: "awx:token"}}}}
`,
    );
    core = await createCore({
      version: 'test',
      transport: 'direct',
      workspaceFile: file,
      dataDir: path.join(dir, 'data'),
      secrets: fakeSecrets({ 'awx:token': awx.token }),
      validateOutput: true,
    });
    calls = coreCalls(core);
  });
  afterAll(async () => {
    await core?.dispose();
    await proxy?.close();
    await awx?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the job it started by the launch marker in its extra vars, and reports it launched', async () => {
    proxy.route(`${awx.apiBase}job_templates/${TEMPLATE_IDS.slowRollout}/launch/`, { kind: 'proxy', to: awx.url, dropAnswer: true });
    try {
      const before = new Set((await calls.ok('jobs.list', { connectionId: 'awx', limit: 50 })).jobs.map((j) => j.id));
      const r = await calls.ok('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.slowRollout, extraVars: { steps: 1 } });
      const started = (await calls.ok('jobs.list', { connectionId: 'awx', limit: 50 })).jobs.filter((j) => !before.has(j.id));
      expect(started.map((j) => j.id)).toEqual([r.job.id]);
      expect(r.warnings.join(' ')).toMatch(/did not answer within 1\.5 s/);
      expect(r.warnings.join(' ')).toMatch(new RegExp(LAUNCH_MARKER_VAR));
    } finally {
      proxy.clearRoutes();
    }
  });

  it('a launch whose connection was cut after AWX started the job: found by its marker, reported launched, one job', async () => {
    proxy.route(`${awx.apiBase}job_templates/${TEMPLATE_IDS.slowRollout}/launch/`, { kind: 'proxy', to: awx.url, dropAnswer: 'reset' });
    try {
      const before = new Set((await calls.ok('jobs.list', { connectionId: 'awx', limit: 50 })).jobs.map((j) => j.id));
      const r = await calls.ok('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.slowRollout, extraVars: { steps: 1 } });
      const started = (await calls.ok('jobs.list', { connectionId: 'awx', limit: 50 })).jobs.filter((j) => !before.has(j.id));
      expect(started.map((j) => j.id)).toEqual([r.job.id]);
      expect(r.warnings.join(' ')).toMatch(/was cut/);
      expect(r.warnings.join(' ')).toMatch(new RegExp(LAUNCH_MARKER_VAR));
    } finally {
      proxy.clearRoutes();
    }
  });

  it('a launch that never reached AWX is reported not started after looking, and never as refused', async () => {
    proxy.route(`${awx.apiBase}job_templates/${TEMPLATE_IDS.slowRollout}/launch/`, { kind: 'hang-headers' });
    try {
      const e = await calls.err('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.slowRollout, extraVars: { steps: 1 } });
      expect(e.code).toBe('timeout');
      expect(e.message).toMatch(/may have started|outcome was unknown/i);
      expect(e.message).toMatch(/no such job|not found/i);
      expect(e.message).not.toMatch(/refused|did not accept/i);
      expect(e.detail?.retryable).toBe(true);
    } finally {
      proxy.clearRoutes();
    }
  });
});
