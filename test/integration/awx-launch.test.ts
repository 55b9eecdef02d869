// Launching through the contract against the AWX simulator: the launch form from `…/launch/` and the survey,
// AWX's own refusals in every shape it uses (400 field maps, 401/403 details, 405 on cancel, the "too large"
// stdout answer), production launches refused in main without the typed target, and the incident loop —
// suggestions from the alert, the "launched" and "finished" work notes written to the ServiceNow simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwxSim, TEMPLATE_IDS } from '../sim/awx';
import type { AwxSim } from '../sim/awx';
import { get } from '../sim/awx/sim-client';
import { startServiceNowSim } from '../sim/servicenow';
import type { SnowSim } from '../sim/servicenow';
import { awxHarness, normalise } from '../helpers/awx-harness';
import type { AwxHarness } from '../helpers/awx-harness';
import { prepareAnswers, initialAnswers } from '@shared/runbooks/survey';

let sim: AwxSim;
let snow: SnowSim;
let h: AwxHarness;

const RESTART_RUNBOOK = `---
title: Restart a failed service
alerts: [ServiceDown]
cis: [web-01]
awx: {connection: awx, template: Restart service}
extraVars:
  target_host: "{{ incident.alert_host }}"
  service_name: nginx
  snow_incident: "{{ incident.number }}"
production: true
---

# Restart a failed service
`;

beforeAll(async () => {
  sim = await startAwxSim({ wsMode: 'lossy', seed: 9 });
  snow = await startServiceNowSim({ incidents: 30, seed: 12 });
  h = await awxHarness(sim, {
    snow,
    runbooks: {
      'restart-service.md': RESTART_RUNBOOK,
      'read-only.md': '# Read me\n\nNo automation here.\n',
    },
  });
});

afterAll(async () => {
  await h?.close();
  await snow?.stop();
  await sim?.stop();
});

const audit = async () => h.core.services.audit.list({ limit: 500 });

describe('launch form', () => {
  it('reads …/launch/ and the survey, normalised', async () => {
    const form = await h.ok('jobs.launchForm', { connectionId: 'awx', templateName: 'Restart service' });
    expect(form.template).toMatchObject({ id: TEMPLATE_IDS.restartService, surveyEnabled: true, production: false });
    expect(form.variablesNeeded).toEqual(['target_host', 'service_name']);
    const q = Object.fromEntries((form.survey?.questions ?? []).map((x) => [x.variable, x]));
    expect(q.target_host).toMatchObject({ type: 'text', required: true, min: 1, max: 64 });
    expect(q.service_name).toMatchObject({ type: 'multiplechoice', choices: ['nginx', 'postgresql', 'redis'], default: 'nginx' });
    expect(q.health_check_retries).toMatchObject({ type: 'integer', min: 1, max: 10, default: 3 });
    expect(q.admin_password).toMatchObject({ type: 'password', default: '$encrypted$' });
    const logs = await h.ok('jobs.launchForm', { connectionId: 'awx', templateId: TEMPLATE_IDS.collectLogs });
    expect(logs.survey?.questions.find((x) => x.variable === 'log_sources')).toMatchObject({
      type: 'multiselect',
      choices: ['syslog', 'app', 'audit'],
      default: ['syslog', 'app'],
    });
    const deploy = await h.ok('jobs.launchForm', { connectionId: 'awx', templateId: TEMPLATE_IDS.deployApp });
    expect(deploy).toMatchObject({ askVariables: true, askLimit: true, survey: null });
    expect(deploy.asks).toEqual(expect.arrayContaining(['ask_variables_on_launch', 'ask_limit_on_launch']));
    const prod = await h.ok('jobs.launchForm', { connectionId: 'awx', templateId: TEMPLATE_IDS.restartProduction });
    expect(prod.production.production).toBe(true);
  });

  it('client-side validation catches what AWX would refuse, before anything is sent', async () => {
    const form = await h.ok('jobs.launchForm', { connectionId: 'awx', templateName: 'Restart service' });
    const questions = form.survey?.questions ?? [];
    const bad = prepareAnswers(questions, { ...initialAnswers(questions), target_host: '', health_check_retries: '11' });
    expect(bad.errors).toEqual({ target_host: 'Required.', health_check_retries: 'At most 10.' });
    const good = prepareAnswers(questions, { ...initialAnswers(questions), target_host: 'web-01' });
    expect(good).toEqual({ values: { target_host: 'web-01', service_name: 'nginx', health_check_retries: 3 }, errors: {} });
  });
});

describe('AWX refusals, quoted', () => {
  it('400: survey field errors from AWX itself, nothing launched', async () => {
    const jobs = sim.jobs().length;
    const e = await h.err('jobs.launch', {
      connectionId: 'awx',
      templateId: TEMPLATE_IDS.restartService,
      answers: { service_name: 'nginx', health_check_retries: 'many' },
    });
    expect(e.code).toBe('validation');
    expect(e.message).toContain("'target_host' value missing");
    expect(e.detail?.fields).toEqual([
      {
        path: 'variables_needed_to_start',
        message: expect.stringContaining("Value many for 'health_check_retries' expected to be an integer."),
      },
    ]);
    expect(sim.jobs().length).toBe(jobs);
    const entry = (await audit()).find((a) => a.action === 'jobs.launch' && a.outcome === 'error');
    expect(entry?.message).toContain("'target_host' value missing");
  });

  it('401: invalid credentials, in AWX words', async () => {
    const bad = await awxHarness(sim, { token: 'not-a-valid-token' });
    try {
      const e = await bad.err('jobs.get', { connectionId: 'awx', jobId: 1 });
      expect(e.code).toBe('unauthorized');
      expect(e.detail?.remoteMessage).toBe(
        'Authentication credentials were not provided. To establish a login session, visit /api/login/.',
      );
      expect(e.message).toMatch(/not valid/);
      const t = await bad.ok('jobs.templates', {});
      expect(t.templates).toEqual([]);
      expect(t.problems[0]).toMatchObject({ connectionId: 'awx', code: 'unauthorized' });
    } finally {
      await bad.close();
    }
  });

  it('403: a read-scoped token cannot launch', async () => {
    const ro = await awxHarness(sim, { token: sim.issueToken('admin', 'read') });
    try {
      const e = await ro.err('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.diskCleanup });
      expect(e.code).toBe('forbidden');
      expect(e.detail?.remoteMessage).toBe('You do not have permission to perform this action.');
      expect(e.message).toMatch(/refused the launch \(HTTP 403\)/);
    } finally {
      await ro.close();
    }
  });

  it('405 on cancel is "already finished", said plainly; 400 relaunch on failed hosts is quoted', async () => {
    const finished = sim.jobs().find((j) => j.status === 'successful' || j.status === 'failed' || j.status === 'error');
    const jobId = finished?.id ?? (await h.ok('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.brokenEnvironment })).job.id;
    await sim.waitForJob(jobId, (j) => j.status === 'error' || j.status === 'successful' || j.status === 'failed');
    const r = await h.ok('jobs.cancel', { connectionId: 'awx', jobId });
    expect(r.outcome).toBe('already_finished');
    expect(r.message).toMatch(/had already finished/);
    expect((await audit()).find((a) => a.id === r.auditId)).toMatchObject({
      action: 'jobs.cancel',
      outcome: 'ok',
      remoteRef: `job ${jobId}`,
    });
    const e = await h.err('jobs.relaunch', { connectionId: 'awx', jobId, hosts: 'failed' });
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/hosts: (Cannot relaunch because previous job had 0 failed hosts\.|Wait until job finishes)/);
  });

  it('ignored_fields: a limit the template does not prompt for is reported', async () => {
    const r = await h.ok('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.brokenEnvironment, limit: 'web1' });
    // AWX also drops the console's own variables: this template does not prompt for variables either.
    expect(r.ignoredFields).toEqual({ limit: 'web1', extra_vars: { toc_operator: h.core.services.operator().name } });
    expect([...r.warnings].sort()).toEqual([
      'AWX did not pass toc_operator to the playbook: the job template does not prompt for variables on launch (turn on "Prompt on launch" for Variables so remediation playbooks can read them).',
      "AWX ignored limit: the job template does not prompt for it on launch, so the template's own value was used.",
    ]);
  });
});

describe('production launches', () => {
  it('are refused in main without the typed target, and with a wrong one; nothing reaches AWX', async () => {
    const jobs = sim.jobs().length;
    const e1 = await h.err('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.restartProduction });
    expect(e1.code).toBe('validation');
    expect(e1.message).toContain('Type the target\'s name, "web.prod.example.com"');
    expect(e1.message).not.toContain('web.prod.example.com" does not match');
    const e2 = await h.err('jobs.launch', {
      connectionId: 'awx',
      runbookId: 'restart-service',
      answers: { target_host: 'web-01', service_name: 'nginx' },
      confirmTarget: 'web-02',
    });
    expect(e2.message).toBe('The confirmation "web-02" does not match the target "web-01". Nothing was sent to AWX.');
    expect(e2.detail?.fields).toEqual([{ path: 'confirmTarget', message: 'type "web-01" to confirm' }]);
    expect(sim.jobs().length).toBe(jobs);
    const refused = (await audit()).filter((a) => a.action === 'jobs.launch' && a.outcome === 'error' && a.message?.startsWith('refused'));
    expect(refused.length).toBeGreaterThanOrEqual(2);
  });
});

describe('from an incident', () => {
  it('suggests the runbook by alert, pre-fills it, and writes both work notes', async () => {
    const inc = snow.addIncident({
      short_description: 'nginx down on web-01',
      u_alert_name: 'ServiceDown',
      u_alert_instance: 'web-01:9100',
      impact: '1',
      urgency: '1',
    });
    const sysId = inc.sys_id ?? '';
    const s = await h.ok('runbooks.suggest', { connectionId: 'snow', sysId });
    expect(s.incident).toMatchObject({ number: inc.number, alert_name: 'ServiceDown', alert_host: 'web-01' });
    const top = s.suggestions[0];
    expect(top?.runbook.id).toBe('restart-service');
    expect(top?.reasons).toEqual(['alert ServiceDown', 'CI web-01']);
    expect(top?.extraVars).toEqual({ target_host: 'web-01', service_name: 'nginx', snow_incident: inc.number });

    const launched = await h.ok('jobs.launch', {
      connectionId: 'awx',
      runbookId: 'restart-service',
      answers: { target_host: 'web-01', service_name: 'nginx', health_check_retries: 3 },
      extraVars: { snow_incident: inc.number ?? '' },
      incident: { connectionId: 'snow', sysId, number: inc.number ?? '' },
      confirmTarget: 'web-01',
    });
    expect(launched.workNote).toMatchObject({ ok: true });
    expect(launched.warnings.join(' ')).toMatch(/AWX ignored extra_vars \(snow_incident\)/);
    // The console's own variables are named apart: the template has a survey and does not prompt for variables.
    expect(launched.warnings.join(' ')).toMatch(/AWX did not pass toc_operator and incident_number to the playbook/);
    const notes = (): string[] =>
      snow
        .table('sys_journal_field')
        .all()
        .filter((j) => j.element_id === sysId && j.element === 'work_notes')
        .map((j) => j.value ?? '');
    const operator = h.core.services.operator().name;
    expect(notes()).toEqual([
      `Runbook "Restart a failed service" launched: AWX job #${launched.job.id} (Restart service). ${launched.job.link}\n\n— ${operator} via TOC Console`,
    ]);

    const followed = await h.follow(launched.job.id);
    expect(followed.end?.status).toBe('successful');
    const deadline = Date.now() + 30_000;
    while (notes().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const final = notes().find((n) => n.includes('finished'));
    expect(final).toMatch(
      new RegExp(
        `^Runbook "Restart a failed service": AWX job #${launched.job.id} \\(Restart service\\) finished successful\\. Failed hosts: none\\. Elapsed: \\d+\\.\\d s\\. http`,
      ),
    );

    // The audit entry of the finishing note is appended once ServiceNow has answered: wait for it, not only
    // for the note.
    await expect
      .poll(
        async () =>
          (await audit()).filter((a) => a.action === 'incidents.work_note' && a.outcome === 'ok' && a.target === `incident ${inc.number}`)
            .length,
        {
          timeout: 15_000,
          interval: 100,
        },
      )
      .toBe(2);
    const entries = await audit();
    expect(entries.find((a) => a.id === launched.auditId)).toMatchObject({
      action: 'jobs.launch',
      outcome: 'ok',
      remoteRef: `job ${launched.job.id}`,
    });
    expect(entries.find((a) => a.id === launched.auditId)?.message).toContain(`for ${inc.number}`);
    expect(
      entries.filter((a) => a.action === 'incidents.work_note' && a.outcome === 'ok' && a.target === `incident ${inc.number}`),
    ).toHaveLength(2);
  });

  it('a runbook without a template is still readable, and cannot be launched', async () => {
    const r = await h.ok('runbooks.get', { id: 'read-only' });
    expect(r).toMatchObject({ title: 'Read me', awx: null });
    expect(r.body[1]).toEqual({ t: 'el', tag: 'p', children: [{ t: 'text', v: 'No automation here.' }] });
    const e = await h.err('jobs.launch', { runbookId: 'read-only' });
    expect(e.message).toMatch(/procedure to read, not to launch/);
  });
});

describe('cancel, relaunch and the live job list', () => {
  it('cancels a running job (202, then canceled), and jobs.status announces the changes', async () => {
    const seen: { id: number; status: string }[] = [];
    const sub = h.core.dispatcher.subscribe('jobs.status', {}, (p) => {
      const j = p as { id: number; status: string };
      seen.push({ id: j.id, status: j.status });
    });
    expect(sub.ok).toBe(true);
    try {
      const launched = await h.ok('jobs.launch', {
        connectionId: 'awx',
        templateId: TEMPLATE_IDS.slowRollout,
        extraVars: { steps: 30, step_seconds: 0.5 },
      });
      await sim.waitForJob(launched.job.id, (j) => j.status === 'running');
      const r = await h.ok('jobs.cancel', { connectionId: 'awx', jobId: launched.job.id });
      expect(r.outcome).toBe('requested');
      expect(r.message).toBe(`Cancel requested: AWX is stopping job #${launched.job.id}.`);
      const followed = await h.follow(launched.job.id);
      expect(followed.end?.status).toBe('canceled');
      const list = await h.ok('jobs.list', {});
      expect(list.jobs.find((j) => j.id === launched.job.id)).toMatchObject({ status: 'canceled', failed: true, connectionId: 'awx' });
      const deadline = Date.now() + 10_000;
      while (!seen.some((x) => x.id === launched.job.id && x.status === 'canceled') && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 100));
      expect(seen.filter((x) => x.id === launched.job.id).map((x) => x.status)).toContain('canceled');
    } finally {
      if (sub.ok) sub.data.stop();
    }
  });

  it('relaunches with the previous answers; a production job needs the target again', async () => {
    const prior = sim.jobs().find((j) => j.templateId === TEMPLATE_IDS.restartService && j.status === 'successful');
    expect(prior).toBeDefined();
    const jobId = prior?.id ?? 0;
    const refused = await h.err('jobs.relaunch', { connectionId: 'awx', jobId });
    expect(refused.message).toContain('Type the target\'s name, "web-01"');
    const r = await h.ok('jobs.relaunch', { connectionId: 'awx', jobId, confirmTarget: 'web-01' });
    expect(r.job.id).not.toBe(jobId);
    expect(r.job.launchType).toBe('relaunch');
    expect(sim.job(r.job.id)?.extraVars).toMatchObject({ target_host: 'web-01', service_name: 'nginx', health_check_retries: 3 });
    expect((await audit()).find((a) => a.id === r.auditId)).toMatchObject({
      action: 'jobs.relaunch',
      outcome: 'ok',
      remoteRef: `job ${r.job.id}`,
    });
    await h.follow(r.job.id);
  });
});

describe('stdout', () => {
  it('too large for AWX to display: the text comes whole from one txt_download request', async () => {
    const small = await startAwxSim({ wsMode: 'off', seed: 3, limits: { stdoutMaxBytesDisplay: 200 } });
    const hh = await awxHarness(small);
    try {
      const ran = await hh.ok('jobs.launch', { connectionId: 'awx', templateId: TEMPLATE_IDS.failOnOneHost });
      const followed = await hh.follow(ran.job.id);
      expect(followed.end?.status).toBe('failed');
      const txt = await get(small, `/api/v2/jobs/${ran.job.id}/stdout/?format=txt`);
      expect(txt.text).toMatch(/^Standard Output too large to display \(\d+ bytes\), only download supported for sizes over 200 bytes\.$/);
      const before = small.requests.length;
      const dl = await hh.ok('jobs.stdoutDownload', { connectionId: 'awx', jobId: ran.job.id });
      expect(small.requests.slice(before).map((r) => `${r.path}${r.query}`)).toEqual([
        `/api/v2/jobs/${ran.job.id}/stdout/?format=txt_download`,
      ]);
      const reference = await get(small, `/api/v2/jobs/${ran.job.id}/stdout/?format=txt_download`);
      expect(dl.text).toBe(normalise(reference.text));
      expect(followed.text).toBe(dl.text);
      expect(followed.items.find((i) => i.kind === 'stats')).toMatchObject({
        hosts: [
          { host: 'web1', failures: 0 },
          { host: 'web2', failures: 1 },
        ],
      });
    } finally {
      await hh.close();
      await small.stop();
    }
  });
});
