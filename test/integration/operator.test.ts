// The engineer is named in every write: ServiceNow (signed work notes, "assign to me" = the operator's own
// sys_user), AWX (toc_operator and incident_number in the job's variables, in the simulator whose jobs run real
// ansible-playbook), the real Alertmanager (a silence's createdBy) and the local audit log — never only the API
// account the connection authenticates with.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import type { Core } from '../../electron/core/core';
import { startServiceNowSim } from '../sim/servicenow';
import type { Row, SnowSim } from '../sim/servicenow';
import { startAwxSim } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { startAlertmanager } from '../helpers/alertmanager';
import type { AlertmanagerHandle } from '../helpers/alertmanager';
import { fakeSecrets } from '../helpers/fake-secrets';
import { coreCalls } from '../helpers/core-calls';
import type { CoreCalls } from '../helpers/core-calls';

let snow: SnowSim;
let awx: AwxSim;
let am: AlertmanagerHandle;
let dir: string;
let core: Core;
let h: CoreCalls;
let person: Row;
const env: Record<string, string | undefined> = {};

const RUNBOOK = `---
title: Slow rollout
alerts: [RolloutStuck]
awx: {connection: awx, template: Slow rollout}
---

# Slow rollout
`;

function workspace(extra: string[] = []): string {
  return [
    'name: Operator tests',
    ...extra,
    'connections:',
    '  - id: snow',
    '    kind: servicenow',
    '    name: ServiceNow sim',
    `    url: ${snow.url}`,
    `    auth: {type: basic, username: ${snow.credentials.username}, password: {secret: {keychain: "snow:password"}}}`,
    '  - id: awx',
    '    kind: awx',
    '    name: AWX sim',
    `    url: ${awx.url}`,
    `    apiBasePath: ${awx.apiBase}`,
    '    auth: {type: bearer, token: {secret: {keychain: "awx:token"}}}',
    '  - id: am',
    '    kind: alertmanager',
    '    name: Alertmanager',
    `    url: ${am.url}`,
    '    auth: {type: none}',
    'runbooks:',
    `  folders: [${JSON.stringify(path.join(dir, 'runbooks'))}]`,
    '',
  ].join('\n');
}

async function makeCore(file: string, e: Record<string, string | undefined>): Promise<Core> {
  return createCore({
    version: '0.0.0-test',
    transport: 'direct',
    workspaceFile: file,
    dataDir: path.join(dir, `data-${path.basename(file)}`),
    secrets: fakeSecrets({ 'snow:password': snow.credentials.password, 'awx:token': awx.token }),
    validateOutput: true,
    env: e,
  });
}

const journal = (sysId: string): string[] =>
  snow
    .table('sys_journal_field')
    .all()
    .filter((j) => j.element_id === sysId && j.element === 'work_notes')
    .map((j) => j.value ?? '');

function openIncident(fields: Record<string, string> = {}): Row {
  return snow.addIncident({ short_description: 'Operator test', impact: '2', urgency: '2', ...fields });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'toc-operator-'));
  mkdirSync(path.join(dir, 'runbooks'));
  writeFileSync(path.join(dir, 'runbooks', 'slow-rollout.md'), RUNBOOK);
  [snow, awx, am] = await Promise.all([
    startServiceNowSim({ incidents: 20, seed: 8 }),
    startAwxSim({ seed: 8, timing: { pendingMs: 20, waitingMs: 20 } }),
    startAlertmanager(),
  ]);
  // A real person of the instance, not the API account (admin here): the operator names them by e-mail.
  person =
    snow
      .table('sys_user')
      .all()
      .find(
        (u) => u.user_name !== 'admin' && u.user_name !== snow.credentials.username && (u.email ?? '') !== '' && u.active !== 'false',
      ) ??
    (() => {
      throw new Error('no person in the simulator');
    })();
  env.TOC_OPERATOR = person.email;
  const file = path.join(dir, 'toc.yaml');
  writeFileSync(file, workspace());
  core = await makeCore(file, env);
  h = coreCalls(core);
}, 60_000);

afterAll(async () => {
  await core?.dispose();
  await Promise.all([snow?.stop(), awx?.stop(), am?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ServiceNow receives the operator', () => {
  it('work notes end with the operator, once, even when the text already carries the signature', async () => {
    const inc = openIncident();
    await h.ok('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text: 'Checked the pool.' });
    const signed = `Checked the pool.\n\n— ${person.email} via TOC Console`;
    await h.ok('incidents.addWorkNote', { sysId: inc.sys_id ?? '', text: `${signed}\n  ` });
    expect(journal(inc.sys_id ?? '')).toEqual([signed, signed]);
  });

  it('"assign to me" assigns the operator\'s own sys_user, not the API account', async () => {
    const inc = openIncident({ assigned_to: '' });
    const seen = await h.ok('incidents.get', { sysId: inc.sys_id ?? '' });
    const r = await h.ok('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: seen.sys_mod_count });
    expect(snow.table('incident').get(inc.sys_id ?? '')?.assigned_to).toBe(person.sys_id);
    expect(r.row.assigned_to.label).toBe(person.name);
    const entry = (await core.services.audit.list({ limit: 50 })).find((e) => e.id === r.auditId);
    expect(entry).toMatchObject({ who: person.email, action: 'incidents.assign', outcome: 'ok' });
  });

  it('the queue\'s "me" (the "Assigned to me" filter) is the operator\'s sys_user, and follows a change of operator', async () => {
    const snap = await h.ok('incidents.list', {});
    expect(snap.me?.sys_id).toBe(person.sys_id);
    env.TOC_OPERATOR = 'nobody.here@example.com';
    const none = await h.ok('incidents.sync', {});
    expect(none.me).toBeNull();
    env.TOC_OPERATOR = person.email;
    expect((await h.ok('incidents.sync', {})).me?.sys_id).toBe(person.sys_id);
  });

  it('by user_name too; an operator ServiceNow does not know is refused by name, and nothing is written', async () => {
    env.TOC_OPERATOR = person.user_name;
    const inc = openIncident({ assigned_to: '' });
    const seen = await h.ok('incidents.get', { sysId: inc.sys_id ?? '' });
    await h.ok('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: seen.sys_mod_count });
    expect(snow.table('incident').get(inc.sys_id ?? '')?.assigned_to).toBe(person.sys_id);

    env.TOC_OPERATOR = 'nobody.here@example.com';
    const other = openIncident({ assigned_to: '' });
    const before = snow.requests.filter((r) => r.method === 'PATCH').length;
    const e = await h.err('incidents.assignToMe', { sysId: other.sys_id ?? '', seenModCount: Number(other.sys_mod_count) });
    expect(e.code).toBe('not_configured');
    expect(e.message).toContain('No active ServiceNow user on ServiceNow sim has the user name or e-mail "nobody.here@example.com"');
    expect(snow.requests.filter((r) => r.method === 'PATCH').length).toBe(before);
    expect(snow.table('incident').get(other.sys_id ?? '')?.assigned_to).toBe('');
    env.TOC_OPERATOR = person.email;
  });

  it('two users sharing the e-mail: refused rather than guessed', async () => {
    const shared = 'oncall@example.com';
    for (const n of ['a', 'b'])
      snow.table('sys_user').put({
        ...(snow.table('sys_user').get(person.sys_id ?? '') as Row),
        sys_id: `${n.repeat(32)}`,
        user_name: `oncall.${n}`,
        email: shared,
      });
    env.TOC_OPERATOR = shared;
    const inc = openIncident({ assigned_to: '' });
    const e = await h.err('incidents.assignToMe', { sysId: inc.sys_id ?? '', seenModCount: Number(inc.sys_mod_count) });
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/"oncall@example.com" matches several ServiceNow users \(oncall\.a, oncall\.b\)/);
    expect(snow.table('incident').get(inc.sys_id ?? '')?.assigned_to).toBe('');
    env.TOC_OPERATOR = person.email;
  });
});

describe('AWX receives the operator and the incident', () => {
  it('toc_operator and incident_number reach the playbook; the work notes are signed', async () => {
    const inc = openIncident({ u_alert_name: 'RolloutStuck', u_alert_instance: 'web-01:9100' });
    const launched = await h.ok('jobs.launch', {
      connectionId: 'awx',
      runbookId: 'slow-rollout',
      extraVarsText: 'steps: 1\nstep_seconds: 0\ntoc_operator: someone-else',
      incident: { connectionId: 'snow', sysId: inc.sys_id ?? '', number: inc.number ?? '' },
    });
    const job = awx.job(launched.job.id);
    // The console's own variables win over a typed one: the person is who the console says, not the form.
    expect(job?.extraVars).toMatchObject({ toc_operator: person.email, incident_number: inc.number, steps: 1 });
    expect(launched.warnings).toEqual([]);
    expect(journal(inc.sys_id ?? '')[0]).toMatch(
      new RegExp(
        `^Runbook "Slow rollout" launched: AWX job #${launched.job.id} .*\\n\\n— ${(person.email ?? '').replace(/\./g, '\\.')} via TOC Console$`,
        's',
      ),
    );
    const entry = (await core.services.audit.list({ limit: 50 })).find((e) => e.id === launched.auditId);
    expect(entry).toMatchObject({ who: person.email, action: 'jobs.launch' });
    // "Open in AWX" leads to the simulator's jobs page with this job on it (the job id travels in the hash).
    const page = await fetch(launched.job.link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<tr id="job-${launched.job.id}">`);
    expect(entry?.message).toContain(`by ${person.email}`);
  });
});

describe('Alertmanager receives the operator', () => {
  it('a silence without a typed creator is created by the operator; a typed one is kept', async () => {
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const matchers = [{ name: 'alertname', value: 'OperatorTest', isRegex: false, isEqual: true }];
    const a = await h.ok('alerts.createSilence', { connectionId: 'am', matchers, endsAt, comment: 'maintenance' });
    const b = await h.ok('alerts.createSilence', {
      connectionId: 'am',
      matchers,
      endsAt,
      comment: 'for the DBA',
      createdBy: 'dba.on.call',
    });
    const fromAm = await am.get<{ id: string; createdBy: string }[]>('/api/v2/silences');
    expect(fromAm.find((s) => s.id === a.silence.id)?.createdBy).toBe(person.email);
    expect(fromAm.find((s) => s.id === b.silence.id)?.createdBy).toBe('dba.on.call');
    const entry = (await core.services.audit.list({ limit: 50 })).find((e) => e.id === a.auditId);
    expect(entry?.who).toBe(person.email);
  });
});

describe('where the name comes from', () => {
  it('the workspace file wins (a wall), then Settings, then TOC_OPERATOR, then the OS user', async () => {
    expect(core.services.operator()).toEqual({ name: person.email, source: 'environment' });
    await h.ok('settings.update', { operator: 'desk.user' });
    expect((await h.ok('app.info', {})).operator).toEqual({ name: 'desk.user', source: 'settings' });
    const bad = await h.err('settings.update', { operator: 'two\nlines' });
    expect(bad.code).toBe('bad_request');
    expect(core.services.operator().name).toBe('desk.user');
    await h.ok('settings.update', { operator: null });
    expect(core.services.operator()).toEqual({ name: person.email, source: 'environment' });

    const wallFile = path.join(dir, 'wall.yaml');
    writeFileSync(wallFile, workspace(['operator: noc-wall-3']));
    const wall = await makeCore(wallFile, { TOC_OPERATOR: 'ignored' });
    try {
      await coreCalls(wall).ok('settings.update', { operator: 'also.ignored' });
      expect(wall.services.operator()).toEqual({ name: 'noc-wall-3', source: 'workspace' });
    } finally {
      await wall.dispose();
    }
    const plain = await makeCore(path.join(dir, 'toc.yaml'), {});
    try {
      expect(plain.services.operator()).toEqual({ name: os.userInfo().username, source: 'os' });
    } finally {
      await plain.dispose();
    }
  });
});
