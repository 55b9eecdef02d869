// Job templates (launch, survey), jobs (cancel, relaunch, delete), job events, stdout and the unified lists.
import { canLaunch, type AuthContext } from './auth';
import { nowMs } from './clock';
import { badRequest, forbidden, isRecord, json, methodNotAllowed, notFound, type Reply } from './http-kit';
import { decideLaunch, launchInfo, type JobRequest } from './launch';
import { eventModel, jobModel, templateModel } from './list-models';
import { filterRows, listResponse, orderRows, paginate, type ListModel } from './list-query';
import { idParam, under, type AuthedContext, type Route } from './router';
import { eventProcessingFinished, jobJson, templateJson } from './serialize';
import { eventJson, hostSummaryJson } from './serialize-events';
import type { SimState } from './state';
import { stdoutReply } from './stdout';
import { displaySurveySpec, ENCRYPTED } from './survey';
import { isActive, type JobTemplate, type SimJob, type SurveyQuestion, type SurveySpec } from './types';

const QUESTION_TYPES = new Set(['text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect']);

function templateOr404(ctx: AuthedContext): JobTemplate {
  const template = ctx.state.template(idParam(ctx));
  if (!template) throw notFound();
  return template;
}

function jobOr404(ctx: AuthedContext): SimJob {
  const job = ctx.state.job(idParam(ctx));
  if (!job) throw notFound();
  return job;
}

function truthy(value: string | null): boolean {
  return value !== null && /^(1|true|t|yes|y|on)$/i.test(value);
}

function mayControl(auth: AuthContext, job: SimJob): boolean {
  return auth.user.isSuperuser || job.launchedBy === auth.user.id || canLaunch(auth);
}

function created(ctx: AuthedContext, job: SimJob, extra: Record<string, unknown>, first: boolean): Reply {
  const body = first ? { ...extra, ...jobJson(job, ctx.ser, true) } : { ...jobJson(job, ctx.ser, true), ...extra };
  // DRF's reverse(request=...) makes the Location absolute.
  return json(201, body, { Location: `${ctx.origin}${ctx.state.path('jobs', job.id)}` });
}

function validateSurveySpec(body: Record<string, unknown>, previous: SurveySpec | null): SurveySpec {
  for (const key of ['name', 'description']) {
    if (!(key in body)) throw badRequest({ error: `'${key}' missing from survey spec.` });
  }
  if (!Array.isArray(body.spec)) throw badRequest({ error: "'spec' must be a list of items." });
  if (body.spec.length === 0) throw badRequest({ error: "'spec' doesn't contain any items." });
  const seen = new Set<string>();
  const spec = body.spec.map((item: unknown, index: number): SurveyQuestion => {
    if (!isRecord(item)) throw badRequest({ error: `Survey question ${index} is not a json object.` });
    const type = item.type;
    if (typeof type !== 'string') throw badRequest({ error: `'type' missing from survey question ${index}.` });
    if (!QUESTION_TYPES.has(type)) {
      throw badRequest({
        error: `'${type}' in survey question ${index} is not one of '${[...QUESTION_TYPES].join(', ')}' allowed question types.`,
      });
    }
    if (typeof item.variable !== 'string' || item.variable === '') {
      throw badRequest({ error: `'variable' missing from survey question ${index}.` });
    }
    if (seen.has(item.variable)) {
      throw badRequest({ error: `'variable' '${item.variable}' duplicated in survey question ${index}.` });
    }
    seen.add(item.variable);
    if (typeof item.required !== 'boolean') {
      throw badRequest({ error: `'required' missing from survey question ${index}.` });
    }
    const question = item as unknown as SurveyQuestion;
    if (question.type === 'password' && question.default === ENCRYPTED) {
      // `$encrypted$` keeps the saved default.
      const old = previous?.spec.find((q) => q.variable === question.variable && q.type === 'password');
      return { ...question, default: old?.default ?? '' };
    }
    return { ...question };
  });
  return { name: String(body.name), description: String(body.description), spec };
}

function eventList(ctx: AuthedContext, rows: ReturnType<SimState['eventsOf']>): Reply {
  const truncate = !truthy(ctx.query.get('no_truncate'));
  const body = listResponse(rows, eventModel, ctx.query, ctx.fullPath, ctx.state.limits, (e) => eventJson(e, ctx.ser, { truncate }), {
    allowLimit: true,
  });
  return json(200, body, { 'X-UI-Max-Events': String(ctx.state.limits.maxUiJobEvents) });
}

/** Unified lists hold several types; only jobs and job templates (plus the project) exist here. */
function unifiedList<T>(ctx: AuthedContext, rows: { type: string; row: T }[], model: ListModel<T>, render: (row: T) => unknown): Reply {
  const types = ctx.query.get('type');
  const allowed = types ? new Set(types.split(',')) : null;
  const typed = rows.filter((r) => !allowed || allowed.has(r.type)).map((r) => r.row);
  const filtered = orderRows(filterRows(typed, model, ctx.query), model, ctx.query);
  return json(200, paginate(filtered, ctx.query, ctx.fullPath, ctx.state.limits, render).body);
}

export function jobRoutes(state: SimState): Route[] {
  const base = state.base;
  const jobsList = (ctx: AuthedContext, rows: SimJob[]): Reply =>
    json(
      200,
      listResponse(rows, jobModel(ctx.state), ctx.query, ctx.fullPath, ctx.state.limits, (j) => jobJson(j, ctx.ser, false)),
    );

  return [
    {
      pattern: under(base, 'job_templates/'),
      handlers: {
        GET: (c) =>
          json(
            200,
            listResponse(c.state.templates, templateModel(c.state), c.query, c.fullPath, c.state.limits, (t) => templateJson(t, c.ser)),
          ),
      },
    },
    { pattern: under(base, 'job_templates/(\\d+)/'), handlers: { GET: (c) => json(200, templateJson(templateOr404(c), c.ser)) } },
    {
      pattern: under(base, 'job_templates/(\\d+)/launch/'),
      handlers: {
        GET: (c) => json(200, launchInfo(c.state, templateOr404(c))),
        POST: async (c) => {
          const template = templateOr404(c);
          if (!canLaunch(c.auth)) throw forbidden();
          const decision = decideLaunch(c.state, template, await c.body());
          const job = c.jobs.create(template, decision.request, 'manual', c.auth.user.id, null);
          return created(c, job, { job: job.id, ignored_fields: decision.ignoredFields }, true);
        },
      },
    },
    {
      pattern: under(base, 'job_templates/(\\d+)/survey_spec/'),
      handlers: {
        GET: (c) => json(200, displaySurveySpec(templateOr404(c))),
        POST: async (c) => {
          const template = templateOr404(c);
          if (!c.auth.user.isSuperuser) throw forbidden();
          template.surveySpec = validateSurveySpec(await c.body(), template.surveySpec);
          template.modified = nowMs();
          return { status: 200, text: '' };
        },
        DELETE: (c) => {
          const template = templateOr404(c);
          if (!c.auth.user.isSuperuser) throw forbidden();
          template.surveySpec = null;
          template.modified = nowMs();
          return { status: 200, text: '' };
        },
      },
    },
    {
      pattern: under(base, 'job_templates/(\\d+)/jobs/'),
      handlers: { GET: (c) => jobsList(c, c.state.jobsOfTemplate(templateOr404(c).id)) },
    },
    { pattern: under(base, 'jobs/'), handlers: { GET: (c) => jobsList(c, [...c.state.jobs.values()]) } },
    {
      pattern: under(base, 'jobs/(\\d+)/'),
      handlers: {
        GET: (c) => json(200, jobJson(jobOr404(c), c.ser, true)),
        DELETE: (c) => {
          const job = jobOr404(c);
          if (!c.auth.user.isSuperuser) throw forbidden();
          if (isActive(job.status)) throw forbidden('Cannot delete running job resource.');
          if (!eventProcessingFinished(job) && job.finished !== null && nowMs() - job.finished < 60_000) {
            throw badRequest({ error: 'Job has not finished processing events.' });
          }
          c.state.jobs.delete(job.id);
          return { status: 204, text: '' };
        },
      },
    },
    {
      pattern: under(base, 'jobs/(\\d+)/cancel/'),
      handlers: {
        GET: (c) => {
          const job = jobOr404(c);
          if (!mayControl(c.auth, job)) throw forbidden();
          return json(200, { can_cancel: isActive(job.status) });
        },
        POST: (c) => {
          const job = jobOr404(c);
          if (!mayControl(c.auth, job)) throw forbidden();
          if (!c.jobs.cancel(job)) throw methodNotAllowed('POST');
          return { status: 202, text: '' };
        },
      },
    },
    {
      pattern: under(base, 'jobs/(\\d+)/relaunch/'),
      handlers: {
        GET: (c) => {
          const job = jobOr404(c);
          if (!canLaunch(c.auth)) throw forbidden();
          const summaries = job.hostSummaries ?? [];
          return json(200, {
            passwords_needed_to_start: [],
            retry_counts: isActive(job.status)
              ? 'Relaunch by host status not available until job finishes running.'
              : { all: summaries.length, failed: summaries.filter((s) => s.failures > 0 || s.dark > 0).length },
          });
        },
        POST: async (c) => {
          const job = jobOr404(c);
          const template = c.state.template(job.templateId);
          if (!template) throw badRequest({ errors: ['Job Template Inventory is missing or undefined.'] });
          if (!canLaunch(c.auth)) throw forbidden();
          const body = await c.body();
          const hosts = body.hosts ?? 'all';
          if (hosts !== 'all' && hosts !== 'failed') throw badRequest({ hosts: [`"${String(hosts)}" is not a valid choice.`] });
          let limit = job.limit;
          if (hosts === 'failed') {
            if (isActive(job.status)) throw badRequest({ hosts: ['Wait until job finishes before retrying on failed hosts.'] });
            const failed = (job.hostSummaries ?? []).filter((s) => s.failures > 0 || s.dark > 0).map((s) => s.host);
            if (failed.length === 0) throw badRequest({ hosts: ['Cannot relaunch because previous job had 0 failed hosts.'] });
            limit = failed.join(',');
          }
          const request: JobRequest = {
            inventory: job.inventory,
            limit,
            scmBranch: job.scmBranch,
            jobTags: job.jobTags,
            skipTags: job.skipTags,
            jobType: job.jobType,
            verbosity: job.verbosity,
            diffMode: job.diffMode,
            forks: job.forks,
            timeout: job.timeout,
            extraVars: { ...job.extraVars },
            surveyPasswords: [...job.surveyPasswords],
          };
          const next = c.jobs.create(template, request, 'relaunch', c.auth.user.id, job.id);
          return created(c, next, { job: next.id }, false);
        },
      },
    },
    { pattern: under(base, 'jobs/(\\d+)/job_events/'), handlers: { GET: (c) => eventList(c, c.state.eventsOf(jobOr404(c).id)) } },
    { pattern: under(base, 'jobs/(\\d+)/stdout/'), handlers: { GET: (c) => stdoutReply(c.state, jobOr404(c), c.query) } },
    {
      pattern: under(base, 'jobs/(\\d+)/job_host_summaries/'),
      handlers: {
        GET: (c) => {
          const job = jobOr404(c);
          const rows = (job.hostSummaries ?? []).map((s, i) => hostSummaryJson(job, s, i, c.ser));
          return json(200, paginate(rows, c.query, c.fullPath, c.state.limits, (r) => r).body);
        },
      },
    },
    {
      pattern: under(base, 'job_events/(\\d+)/'),
      handlers: {
        GET: (c) => {
          const id = idParam(c);
          for (const job of c.state.jobs.values()) {
            const event = job.events.find((e) => e.id === id);
            if (event) return json(200, eventJson(event, c.ser, { truncate: false }));
          }
          throw notFound();
        },
      },
    },
    {
      pattern: under(base, 'job_events/(\\d+)/children/'),
      handlers: {
        GET: (c) => {
          const id = idParam(c);
          for (const job of c.state.jobs.values()) {
            const event = job.events.find((e) => e.id === id);
            if (event)
              return eventList(
                c,
                c.state.eventsOf(job.id).filter((e) => e.parentUuid === event.uuid),
              );
          }
          throw notFound();
        },
      },
    },
    {
      pattern: under(base, 'unified_jobs/'),
      handlers: {
        GET: (c) =>
          unifiedList(
            c,
            [...c.state.jobs.values()].map((row) => ({ type: 'job', row })),
            jobModel(c.state),
            (j) => jobJson(j, c.ser, false),
          ),
      },
    },
    {
      pattern: under(base, 'unified_job_templates/'),
      handlers: {
        GET: (c) =>
          unifiedList(
            c,
            c.state.templates.map((row) => ({ type: 'job_template', row })),
            templateModel(c.state),
            (t) => templateJson(t, c.ser),
          ),
      },
    },
  ];
}
