// REST behaviour that needs no ansible run: auth, discovery, lists, launch payloads and validation, and the
// job lifecycle of the template whose environment is broken (it ends in `error` without running ansible).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwxSim, TEMPLATE_IDS, type AwxSim } from './index';
import { call, get, list, obj, post } from './sim-client';

const UNAUTHENTICATED = {
  detail: 'Authentication credentials were not provided. To establish a login session, visit /api/login/.',
};
const DENIED = { detail: 'You do not have permission to perform this action.' };

let sim: AwxSim;

beforeAll(async () => {
  sim = await startAwxSim({ seed: 7 });
});

afterAll(async () => {
  await sim.stop();
});

describe('authentication', () => {
  it('answers ping without credentials and hides the version header from anonymous callers', async () => {
    const res = await get(sim, '/api/v2/ping/', null);
    expect(res.status).toBe(200);
    expect(obj(res.json).version).toBe('24.6.1');
    expect(res.headers.get('x-api-product-name')).toBe('AWX');
    expect(res.headers.get('x-api-product-version')).toBeNull();
    expect(res.headers.get('x-api-time')).toMatch(/^\d+\.\d{3}s$/);
  });

  it('gives the same 401 for no, a wrong bearer and a wrong basic credential', async () => {
    for (const credential of [null, { bearer: 'not-a-token' }, { basic: ['admin', 'wrong'] as [string, string] }]) {
      const res = await get(sim, '/api/v2/me/', credential);
      expect(res.status).toBe(401);
      expect(res.json).toEqual(UNAUTHENTICATED);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm=api authorization_url=/api/o/authorize/');
    }
  });

  it('accepts bearer and basic credentials; /me/ is a list of one', async () => {
    for (const credential of [{ bearer: sim.token }, { basic: ['admin', 'password'] as [string, string] }]) {
      const res = await get(sim, '/api/v2/me/', credential);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-api-product-version')).toBe('24.6.1');
      const body = obj(res.json);
      expect(body.count).toBe(1);
      expect(body.next).toBeNull();
      const me = list(res.json)[0];
      expect(me).toMatchObject({
        id: 1,
        type: 'user',
        url: '/api/v2/users/1/',
        username: 'admin',
        is_superuser: true,
        password: '$encrypted$',
      });
    }
  });

  it('refuses writes with a read-scoped token and launches by a user without execute role', async () => {
    const readOnly = sim.issueToken('admin', 'read');
    expect((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/`, { bearer: readOnly })).status).toBe(200);
    const byReadToken = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, {}, { bearer: readOnly });
    expect(byReadToken.status).toBe(403);
    expect(byReadToken.json).toEqual(DENIED);

    const viewer = sim.issueToken('viewer');
    const template = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/`, { bearer: viewer })).json);
    expect(obj(obj(template.summary_fields).user_capabilities).start).toBe(false);
    const byViewer = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, {}, { bearer: viewer });
    expect(byViewer.status).toBe(403);
    expect(byViewer.json).toEqual(DENIED);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('supports the browser session login with CSRF on unsafe methods', async () => {
    const form = await call(sim, 'GET', '/api/login/', { credential: null });
    const csrf = /csrftoken=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
    expect(csrf).toBeTruthy();
    const login = await call(sim, 'POST', '/api/login/', {
      credential: null,
      rawBody: `username=admin&password=password&next=%2Fapi%2Fv2%2F`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `csrftoken=${csrf}`, 'X-CSRFToken': csrf ?? '' },
    });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/api/v2/');
    expect(login.headers.get('x-api-session-cookie-name')).toBe('awx_sessionid');
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('awx_sessionid='))?.split(';')[0];
    const newCsrf = cookies.find((c) => c.startsWith('csrftoken='))?.split(';')[0];
    expect(session).toBeTruthy();
    const cookie = `${session}; ${newCsrf}`;
    const me = await get(sim, '/api/v2/me/', { cookie });
    expect(list(me.json)[0]?.username).toBe('admin');
    const noCsrf = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, {}, { cookie });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json).toEqual({ detail: 'CSRF Failed: CSRF token missing.' });
  });

  it('issues personal access tokens shown once', async () => {
    const created = await post(sim, '/api/v2/users/1/personal_tokens/', { description: 'console', scope: 'read' });
    expect(created.status).toBe(201);
    const token = obj(created.json);
    expect(token).toMatchObject({ type: 'o_auth2_access_token', scope: 'read', user: 1, refresh_token: null, application: null });
    expect(typeof token.token).toBe('string');
    const again = obj((await get(sim, `/api/v2/tokens/${String(token.id)}/`)).json);
    expect(again.token).toBe('************');
    expect((await get(sim, '/api/v2/me/', { bearer: String(token.token) })).status).toBe(200);
  });
});

describe('discovery', () => {
  it('serves /api/ and /api/v2/config/ with AWX shapes', async () => {
    const root = obj((await get(sim, '/api/', null)).json);
    expect(root).toMatchObject({ description: 'AWX REST API', current_version: '/api/v2/', available_versions: { v2: '/api/v2/' } });
    const config = obj((await get(sim, '/api/v2/config/')).json);
    expect(config.license_info).toEqual({ license_type: 'open', valid_key: true, subscription_name: 'OPEN', product_name: 'AWX' });
    expect(config.version).toBe('24.6.1');
    expect(config.eula).toBe('');
  });

  it('keeps a request log', async () => {
    await get(sim, '/api/v2/ping/?probe=1', null);
    await get(sim, '/api/v2/me/');
    const [ping, me] = sim.requests.slice(-2);
    expect(ping).toMatchObject({ method: 'GET', path: '/api/v2/ping/', query: '?probe=1', status: 200, user: null, auth: null });
    expect(me).toMatchObject({ method: 'GET', path: '/api/v2/me/', status: 200, user: 'admin', auth: 'bearer' });
  });

  it('redirects a path without its trailing slash and answers unknown paths with 404', async () => {
    const redirect = await get(sim, '/api/v2/job_templates?page=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/api/v2/job_templates/?page=1');
    const missing = await get(sim, '/api/v2/nothing-here/');
    expect(missing.status).toBe(404);
    const noJob = await get(sim, '/api/v2/jobs/4242/');
    expect(noJob.status).toBe(404);
    expect(noJob.json).toEqual({ detail: 'Not found.' });
  });

  it('honours the controller base path', async () => {
    const controller = await startAwxSim({ apiBasePath: '/api/controller/v2/' });
    try {
      const templates = await get(controller, '/api/controller/v2/job_templates/?page_size=1');
      expect(templates.status).toBe(200);
      expect(obj(templates.json).next).toBe('/api/controller/v2/job_templates/?page=2&page_size=1');
      expect(list(templates.json)[0]?.url).toMatch(/^\/api\/controller\/v2\/job_templates\/\d+\/$/);
      expect((await get(controller, '/api/v2/job_templates/')).status).toBe(404);
      expect(obj((await get(controller, '/api/', null)).json).current_version).toBe('/api/controller/v2/');
    } finally {
      await controller.stop();
    }
  });
});

describe('lists', () => {
  it('paginates with relative next/previous links and AWX page errors', async () => {
    const first = obj((await get(sim, '/api/v2/job_templates/?page_size=4')).json);
    expect(first.count).toBe(10);
    expect(first.previous).toBeNull();
    expect(first.next).toBe('/api/v2/job_templates/?page=2&page_size=4');
    const second = obj((await get(sim, String(first.next))).json);
    expect(second.previous).toBe('/api/v2/job_templates/?page=1&page_size=4');
    expect(second.next).toBe('/api/v2/job_templates/?page=3&page_size=4');
    const third = await get(sim, '/api/v2/job_templates/?page_size=4&page=3');
    expect(list(third.json)).toHaveLength(2);
    expect(obj(third.json).next).toBeNull();

    const invalid = await get(sim, '/api/v2/job_templates/?page=9');
    expect(invalid.status).toBe(404);
    expect(invalid.json).toEqual({ detail: 'Invalid page.' });

    const noCount = obj((await get(sim, '/api/v2/job_templates/?count_disabled=1&page_size=2')).json);
    expect(Object.keys(noCount)).toEqual(['results']);
    expect((noCount.results as unknown[]).length).toBe(2);
  });

  it('caps page_size silently and rewrites the links to the cap', async () => {
    const small = await startAwxSim({ limits: { maxPageSize: 3 } });
    try {
      const res = obj((await get(small, '/api/v2/job_templates/?page_size=50&order_by=id')).json);
      expect(list(res)).toHaveLength(3);
      expect(res.next).toBe('/api/v2/job_templates/?order_by=id&page=2&page_size=3');
    } finally {
      await small.stop();
    }
  });

  it('filters with lookups, not__/or__ prefixes, search and ordering', async () => {
    const names = async (query: string): Promise<string[]> =>
      list((await get(sim, `/api/v2/job_templates/?${query}`)).json).map((t) => String(t.name));

    expect(await names('name__icontains=RESTART&order_by=name')).toEqual(['Restart service', 'Restart web tier (production)']);
    expect(await names('id__gt=12&order_by=-id')).toEqual([
      'Fleet report (many hosts × tasks)',
      'Broken environment (error)',
      'Slow rollout',
      'Restart web tier (production)',
    ]);
    expect(await names('id__in=7,9&order_by=id')).toEqual(['Disk cleanup', 'Collect logs']);
    expect(await names('survey_enabled=true')).toEqual(['Collect logs', 'Restart service']);
    expect(await names('not__inventory=1&order_by=id')).toEqual([
      'Fail on one host',
      'Deploy app (prompt on launch)',
      'Restart web tier (production)',
      'Fleet report (many hosts × tasks)',
    ]);
    expect(await names('or__id=7&or__id=8&order_by=-name')).toEqual(['Restart service', 'Disk cleanup']);
    expect(await names('search=health')).toEqual(['Restart service']);
    expect(await names('search=restart&search=logs')).toEqual(['Collect logs', 'Restart service', 'Restart web tier (production)']);
    expect(await names('inventory__name=Web%20tier&ask_limit_on_launch=true')).toEqual(['Deploy app (prompt on launch)']);
    expect(await names('status=never%20updated&name__startswith=Disk')).toEqual(['Disk cleanup']);

    const unknown = await get(sim, '/api/v2/job_templates/?colour=blue');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ detail: "JobTemplate has no field named 'colour'" });
    const badOrder = await get(sim, '/api/v2/job_templates/?order_by=colour');
    expect(badOrder.status).toBe(400);
    expect(String(obj(badOrder.json).detail)).toMatch(/^Cannot resolve keyword 'colour' into field\./);
  });
});

describe('job templates and launch', () => {
  it('serialises a template with AWX fields', async () => {
    const t = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/`)).json);
    expect(t).toMatchObject({
      id: TEMPLATE_IDS.restartService,
      type: 'job_template',
      url: `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/`,
      name: 'Restart service',
      playbook: 'restart_service.yml',
      inventory: 1,
      project: 6,
      survey_enabled: true,
      status: 'never updated',
      last_job_run: null,
      extra_vars: '---',
      ask_variables_on_launch: false,
    });
    expect(obj(t.related).launch).toBe(`/api/v2/job_templates/${TEMPLATE_IDS.restartService}/launch/`);
    const summary = obj(t.summary_fields);
    expect(summary.survey).toEqual({ title: '', description: '' });
    expect(summary.recent_jobs).toEqual([]);
    expect(obj(summary.user_capabilities).start).toBe(true);
    expect(obj(summary.inventory).total_hosts).toBe(1);
  });

  it('describes launch needs', async () => {
    const plain = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`)).json);
    expect(plain.can_start_without_user_input).toBe(true);
    expect(plain.variables_needed_to_start).toEqual([]);
    expect(plain.survey_enabled).toBe(false);
    expect(obj(plain.defaults).inventory).toEqual({ name: 'Demo Inventory', id: 1 });

    const survey = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/launch/`)).json);
    expect(survey.can_start_without_user_input).toBe(false);
    expect(survey.survey_enabled).toBe(true);
    expect(survey.variables_needed_to_start).toEqual(['target_host', 'service_name']);
    expect(survey.passwords_needed_to_start).toEqual([]);

    const prompts = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.deployApp}/launch/`)).json);
    expect(prompts).toMatchObject({ ask_variables_on_launch: true, ask_limit_on_launch: true, ask_inventory_on_launch: false });
    expect(prompts.can_start_without_user_input).toBe(false);
  });

  it('shows survey specs with password defaults masked', async () => {
    expect((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/survey_spec/`)).json).toEqual({});
    const spec = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/survey_spec/`)).json);
    const questions = spec.spec as Record<string, unknown>[];
    expect(questions.map((q) => q.type)).toEqual(['text', 'multiplechoice', 'integer', 'password']);
    expect(questions.find((q) => q.variable === 'admin_password')?.default).toBe('$encrypted$');
    const logs = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.collectLogs}/survey_spec/`)).json);
    expect((logs.spec as Record<string, unknown>[]).map((q) => q.type)).toEqual(['multiselect', 'float', 'textarea']);
  });

  it('blocks a launch with missing required survey answers, even those with defaults', async () => {
    const res = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/launch/`, {});
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ variables_needed_to_start: ["'target_host' value missing", "'service_name' value missing"] });
  });

  it('reports survey type, range and choice errors in AWX words', async () => {
    const res = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/launch/`, {
      extra_vars: { target_host: 'x'.repeat(65), service_name: 'apache', health_check_retries: 'three', admin_password: 7 },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      variables_needed_to_start: [
        `'target_host' value ${'x'.repeat(65)} is too large (must be no more than 64).`,
        "Value apache for 'service_name' expected to be one of ['nginx', 'postgresql', 'redis'].",
        "Value three for 'health_check_retries' expected to be an integer.",
        "Value 7 for 'admin_password' expected to be a string.",
      ],
    });
    const range = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.restartService}/launch/`, {
      extra_vars: { target_host: '', service_name: 'redis', health_check_retries: 11 },
    });
    expect(range.json).toEqual({
      variables_needed_to_start: [
        "'target_host' value  is too small (length is 0 must be at least 1).",
        "'health_check_retries' value 11 is too large (must be no more than 10).",
      ],
    });
    const multi = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.collectLogs}/launch/`, {
      extra_vars: { log_sources: 'syslog', since_hours: 0.1 },
    });
    expect(multi.json).toEqual({
      variables_needed_to_start: [
        "'log_sources' value is expected to be a list.",
        "'since_hours' value 0.1 is too small (must be at least 0.5).",
      ],
    });
    const choices = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.collectLogs}/launch/`, {
      extra_vars: { log_sources: ['syslog', 'kernel'] },
    });
    expect(choices.json).toEqual({
      variables_needed_to_start: ["Value kernel for 'log_sources' expected to be one of ['syslog', 'app', 'audit']."],
    });
    const badVars = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, { extra_vars: '[1, 2]' });
    expect(badVars.status).toBe(400);
    expect(badVars.json).toEqual({ extra_vars: ['Input type `list` is not a dictionary'] });
    expect(sim.jobs()).toHaveLength(0);
  });

  it('refuses non-JSON bodies the way AWX does', async () => {
    const res = await call(sim, 'POST', `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, {
      rawBody: 'limit=web1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(String(obj(res.json).detail)).toMatch(/^You did not use correct Content-Type/);
    const notObject = await call(sim, 'POST', `/api/v2/job_templates/${TEMPLATE_IDS.diskCleanup}/launch/`, { body: [1] });
    expect(notObject.json).toEqual({ detail: 'JSON parse error - not a JSON object' });
  });
});

describe('a job that ends in error', () => {
  it('launches with ignored fields, ends in error with a traceback, and cannot be canceled afterwards', async () => {
    const launch = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.brokenEnvironment}/launch/`, {
      limit: 'web1',
      extra_vars: { foo: 1 },
      inventory: 1,
    });
    expect(launch.status).toBe(201);
    const body = obj(launch.json);
    expect(Object.keys(body).slice(0, 3)).toEqual(['job', 'ignored_fields', 'id']);
    expect(body.ignored_fields).toEqual({ limit: 'web1', extra_vars: { foo: 1 } });
    expect(body).toMatchObject({ type: 'job', status: 'pending', failed: false, launch_type: 'manual', started: null, elapsed: 0 });
    expect(body.job).toBe(body.id);
    expect(launch.headers.get('location')).toBe(`${sim.url}/api/v2/jobs/${String(body.id)}/`);
    const id = Number(body.id);

    const newest = obj((await get(sim, '/api/v2/jobs/?order_by=-id&page_size=1')).json);
    expect(list(newest)[0]?.id).toBe(id);

    await sim.waitForJob(id, (j) => j.status === 'error');
    const job = obj((await get(sim, `/api/v2/jobs/${id}/`)).json);
    expect(job).toMatchObject({
      status: 'error',
      failed: true,
      job_explanation: 'Job terminated due to error',
      event_processing_finished: true,
    });
    expect(String(job.result_traceback)).toMatch(/^Traceback \(most recent call last\):/);
    expect(typeof job.started).toBe('string');
    expect(typeof job.finished).toBe('string');
    expect(job.launched_by).toEqual({ id: 1, name: 'admin', type: 'user', url: '/api/v2/users/1/' });
    expect(obj((await get(sim, `/api/v2/jobs/${id}/job_events/`)).json).count).toBe(0);
    expect((await get(sim, `/api/v2/jobs/${id}/stdout/?format=txt`)).text).toBe('');

    expect((await get(sim, `/api/v2/jobs/${id}/cancel/`)).json).toEqual({ can_cancel: false });
    const cancel = await post(sim, `/api/v2/jobs/${id}/cancel/`);
    expect(cancel.status).toBe(405);
    expect(cancel.json).toEqual({ detail: 'Method "POST" not allowed.' });

    const template = obj((await get(sim, `/api/v2/job_templates/${TEMPLATE_IDS.brokenEnvironment}/`)).json);
    expect(template.status).toBe('error');
    expect(template.last_job_failed).toBe(true);
    expect((obj(template.summary_fields).recent_jobs as unknown[]).length).toBe(1);
  });

  it('cancels a pending job at once and relaunches a finished one', async () => {
    const launch = await post(sim, `/api/v2/job_templates/${TEMPLATE_IDS.brokenEnvironment}/launch/`, {});
    const id = Number(obj(launch.json).id);
    expect((await get(sim, `/api/v2/jobs/${id}/cancel/`)).json).toEqual({ can_cancel: true });
    const cancel = await post(sim, `/api/v2/jobs/${id}/cancel/`);
    expect(cancel.status).toBe(202);
    expect(cancel.text).toBe('');
    const job = obj((await get(sim, `/api/v2/jobs/${id}/`)).json);
    expect(job).toMatchObject({ status: 'canceled', failed: true, started: null });
    expect(typeof job.canceled_on).toBe('string');
    expect((await post(sim, `/api/v2/jobs/${id}/cancel/`)).status).toBe(405);

    const info = obj((await get(sim, `/api/v2/jobs/${id}/relaunch/`)).json);
    expect(info).toEqual({ passwords_needed_to_start: [], retry_counts: { all: 0, failed: 0 } });
    const failedOnly = await post(sim, `/api/v2/jobs/${id}/relaunch/`, { hosts: 'failed' });
    expect(failedOnly.status).toBe(400);
    expect(failedOnly.json).toEqual({ hosts: ['Cannot relaunch because previous job had 0 failed hosts.'] });
    const relaunch = await post(sim, `/api/v2/jobs/${id}/relaunch/`, { hosts: 'all' });
    expect(relaunch.status).toBe(201);
    const again = obj(relaunch.json);
    expect(again.job).toBe(again.id);
    expect(again).toMatchObject({ launch_type: 'relaunch', status: 'pending', job_template: TEMPLATE_IDS.brokenEnvironment });
    await sim.waitForJob(Number(again.id), (j) => j.status === 'error');
  });
});
