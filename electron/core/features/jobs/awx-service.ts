import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { LAUNCH_MARKER_VAR } from '@shared/jobs/launch-marker';
import type { LaunchInput } from '@shared/jobs/contract';
import type {
  CancelResult,
  ConnectionProblem,
  IncidentRef,
  JobDetail,
  JobStreamItem,
  JobSummary,
  LaunchForm,
  LaunchResult,
  ProductionInfo,
  TemplateSummary,
  WorkNoteOutcome,
} from '@shared/jobs/model';
import type { ConnectionSpec, SecretRef } from '@shared/connections/model';
import type { Runbook } from '@shared/runbooks/model';
import { formatElapsed, isTerminalStatus, launchTarget, productionTarget } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import type { AuditLog } from '../../kernel/audit/audit-log';
import { authorizationFor } from '../../kernel/connections/authorization';
import type { HttpClient } from '../../kernel/http/types';
import type { RunbookStore } from '../runbooks/runbook-store';
import { AwxClient, isProductionEnvironment } from '../../systems/awx/awx-client';
import { awxFailure } from '../../systems/awx/awx-errors';
import { AwxSocket } from '../../systems/awx/awx-socket';
import type { SocketOptions } from '../../systems/awx/awx-socket';
import { isRecord, rec, str } from '../../systems/awx/awx-values';
import { JobFollower } from './job-follower';
import { jobIdentity } from '../../systems/awx/job-identity';
import type { FollowTiming } from './job-follower';
import type { JobSilencePort } from '../alerts/job-silence';

// Everything the console does with AWX: templates and launch forms, launch/cancel/relaunch (each written to the
// audit log before it answers, never retried), the job list and its live status, and job followers shared by
// every view, CLI and work-note watcher that follows the same job.

/** What launching from an incident needs of the incident feature (ServiceNow): read it, add a work note. */
export interface IncidentPort {
  addWorkNote(ref: IncidentRef, text: string): Promise<{ auditId: string; remoteRef: string; message: string }>;
}

export interface AwxDeps {
  connections: {
    get(id: string): ConnectionSpec;
    byKind(kind: ConnectionSpec['kind']): ConnectionSpec[];
    client(id: string): Promise<HttpClient>;
    /** Reads a secret for this connection (bound to its origin). */
    resolveSecretFor(spec: ConnectionSpec, ref: SecretRef, field: string): Promise<string>;
  };
  audit: Pick<AuditLog, 'append'>;
  runbooks: RunbookStore;
  incidents: IncidentPort;
  /** The engineer launching: passed to the playbook as `toc_operator`. */
  operator: () => string;
}

export interface AwxServiceOptions {
  timing?: Partial<FollowTiming>;
  /** false: never open AWX's websocket (poll only). */
  websocket?: boolean;
  socket?: SocketOptions;
  /** How often the jobs.status watcher polls the job list (the socket makes it immediate when it works). */
  statusPollMs?: number;
  /** The alerts feature's job-scoped silences (launch option `silenceWhileRunning`). */
  silences?: JobSilencePort;
}

interface Launched {
  production: boolean;
  runbookTitle: string | null;
}

const LINGER_DONE_MS = 10 * 60_000;
const LINGER_RUNNING_MS = 2 * 60_000;
const LINGER_BIG_MS = 60_000;
const BIG_LOG_LINES = 50_000;
const MAX_FOLLOWERS = 50;

export class AwxService {
  private readonly clients = new Map<string, { key: string; http: HttpClient; client: AwxClient }>();
  private readonly sockets = new Map<string, { key: string; socket: AwxSocket }>();
  private readonly followers = new Map<string, { follower: JobFollower; linger: ReturnType<typeof setTimeout> | null }>();
  private readonly launched = new Map<string, Launched>();
  private readonly pendingNotes = new Set<Promise<unknown>>();
  private readonly outcomeStops = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly deps: AwxDeps,
    private readonly opts: AwxServiceOptions = {},
  ) {}

  // --- connections --------------------------------------------------------------------------------------

  /** The connection to use: the one named (must be AWX), or the first AWX connection. */
  connectionId(requested?: string | null): string {
    if (requested) {
      const spec = this.deps.connections.get(requested);
      if (spec.kind !== 'awx')
        throw new ContractFailure('bad_request', `The connection "${requested}" is a ${spec.kind} connection, not AWX.`);
      return spec.id;
    }
    const first = this.deps.connections.byKind('awx')[0];
    if (!first)
      throw new ContractFailure(
        'not_configured',
        'No AWX connection is configured. Add one in Settings → Connections or in the workspace file.',
      );
    return first.id;
  }

  async client(connectionId: string): Promise<AwxClient> {
    const spec = this.deps.connections.get(connectionId);
    const http = await this.deps.connections.client(connectionId);
    const key = JSON.stringify(spec);
    const cached = this.clients.get(connectionId);
    if (cached && cached.key === key && cached.http === http) return cached.client;
    const client = new AwxClient(spec, http);
    this.clients.set(connectionId, { key, http, client });
    return client;
  }

  private socket(connectionId: string): AwxSocket | null {
    if (this.opts.websocket === false) return null;
    const spec = this.deps.connections.get(connectionId);
    const key = JSON.stringify(spec);
    const cached = this.sockets.get(connectionId);
    if (cached && cached.key === key) return cached.socket;
    cached?.socket.close();
    const authorization = authorizationFor(spec, (ref, field) => this.deps.connections.resolveSecretFor(spec, ref, field));
    const socket = new AwxSocket(spec, {
      ...(this.opts.socket ?? {}),
      ...(authorization ? { authorization: () => authorization({ refresh: false }) } : {}),
    });
    this.sockets.set(connectionId, { key, socket });
    return socket;
  }

  private connectionIds(requested?: string): string[] {
    return requested ? [this.connectionId(requested)] : this.deps.connections.byKind('awx').map((c) => c.id);
  }

  private problemOf(id: string, e: unknown): ConnectionProblem {
    const spec = this.deps.connections.get(id);
    const f = e instanceof ContractFailure ? e : awxFailure(e, spec);
    return { connectionId: id, connectionName: spec.name, code: f.code, message: f.message };
  }

  // --- templates and forms ------------------------------------------------------------------------------

  async templates(connectionId?: string, search?: string): Promise<{ templates: TemplateSummary[]; problems: ConnectionProblem[] }> {
    const ids = this.connectionIds(connectionId);
    if (ids.length === 0) throw new ContractFailure('not_configured', 'No AWX connection is configured.');
    const results = await Promise.all(
      ids.map(async (id) => {
        try {
          return { templates: await (await this.client(id)).templates(search), problem: null };
        } catch (e) {
          return { templates: [] as TemplateSummary[], problem: this.problemOf(id, e) };
        }
      }),
    );
    return { templates: results.flatMap((r) => r.templates), problems: results.flatMap((r) => (r.problem ? [r.problem] : [])) };
  }

  private async resolveTemplate(
    input: { connectionId?: string | undefined; templateId?: number | undefined; templateName?: string | undefined },
    runbook: Runbook | null,
  ): Promise<{ client: AwxClient; template: TemplateSummary }> {
    const client = await this.client(this.connectionId(input.connectionId ?? runbook?.awx?.connection ?? undefined));
    if (input.templateId !== undefined) return { client, template: client.templateOf(await client.template(input.templateId)) };
    const name = input.templateName ?? runbook?.awx?.template;
    if (!name) {
      throw new ContractFailure(
        'bad_request',
        runbook
          ? `The runbook "${runbook.title}" names no AWX job template: it is a procedure to read, not to launch.`
          : 'Say which job template: templateId or templateName.',
      );
    }
    return { client, template: client.templateOf(await client.templateByName(name)) };
  }

  production(template: TemplateSummary, spec: ConnectionSpec, runbook: Runbook | null, remembered?: Launched): ProductionInfo {
    const reasons: string[] = [];
    if (runbook?.production) reasons.push(`the runbook "${runbook.title}" is marked production`);
    if (remembered?.production && !runbook)
      reasons.push(
        remembered.runbookTitle
          ? `it was launched from the production runbook "${remembered.runbookTitle}"`
          : 'it was launched as a production job',
      );
    if (template.labels.some((l) => /^prod(uction)?$/i.test(l))) reasons.push('the job template is labelled production');
    if (isProductionEnvironment(spec)) reasons.push(`the connection ${spec.name} is the production environment`);
    return { production: reasons.length > 0, reasons };
  }

  async launchForm(input: { connectionId?: string; templateId?: number; templateName?: string; runbookId?: string }): Promise<LaunchForm> {
    const runbook = input.runbookId ? await this.deps.runbooks.get(input.runbookId) : null;
    const { client, template } = await this.resolveTemplate(input, runbook);
    const info = await client.launchInfo(template.id);
    const survey = info.survey_enabled === true ? await client.surveySpec(template.id) : null;
    const defaults = rec(info.defaults);
    const asks = Object.entries(info)
      .filter(([k, v]) => /^ask_\w+_on_launch$/.test(k) && v === true)
      .map(([k]) => k);
    return {
      template,
      asks,
      askVariables: info.ask_variables_on_launch === true,
      askLimit: info.ask_limit_on_launch === true,
      variablesNeeded: Array.isArray(info.variables_needed_to_start)
        ? info.variables_needed_to_start.filter((x): x is string => typeof x === 'string')
        : [],
      passwordsNeeded: Array.isArray(info.passwords_needed_to_start)
        ? info.passwords_needed_to_start.filter((x): x is string => typeof x === 'string')
        : [],
      inventoryNeeded: info.inventory_needed_to_start === true,
      canStartWithoutInput: info.can_start_without_user_input === true,
      defaults: {
        extraVars: str(defaults.extra_vars),
        vars: templateVars(defaults.extra_vars),
        limit: str(defaults.limit),
        inventory: isRecord(defaults.inventory) && typeof defaults.inventory.name === 'string' ? defaults.inventory.name : null,
      },
      survey: survey ? { name: survey.name, description: survey.description, questions: survey.questions } : null,
      production: this.production(template, client.spec, runbook),
    };
  }

  // --- launch, cancel, relaunch -------------------------------------------------------------------------

  async launch(input: LaunchInput): Promise<LaunchResult> {
    const runbook = input.runbookId ? await this.deps.runbooks.get(input.runbookId) : null;
    const { client, template } = await this.resolveTemplate(input, runbook);
    const spec = client.spec;
    const what = `job template "${template.name}" (#${template.id}) on ${spec.name}`;
    const vars: Record<string, unknown> = { ...parseVarsText(input.extraVarsText), ...(input.extraVars ?? {}), ...(input.answers ?? {}) };
    const limit = input.limit?.trim() ?? '';
    const prod = this.production(template, spec, runbook);
    // Set by the console, after the form's variables: who launched, and the incident remediation playbooks read.
    const consoleVars = consoleVariables(this.deps.operator(), input.incident);
    let target = template.name;
    if (prod.production) {
      // The target is what the job acts on: the template's own limit and variables, with the launch's on top.
      const defaults = rec((await client.launchInfo(template.id)).defaults);
      target = launchTarget({ vars: templateVars(defaults.extra_vars), limit: str(defaults.limit) }, template.name, { limit, vars });
      await this.confirmOrRefuse('jobs.launch', what, spec, target, input.confirmTarget, prod);
    }

    // A template that takes variables at launch also gets a marker, so a launch whose answer is lost can be found.
    const marker = template.askVariables ? randomUUID() : undefined;
    const body: Record<string, unknown> = {
      extra_vars: { ...vars, ...consoleVars, ...(marker ? { [LAUNCH_MARKER_VAR]: marker } : {}) },
    };
    if (limit) body.limit = limit;
    // Silenced BEFORE the launch; when the silence cannot be created, nothing is launched.
    const held = input.silenceWhileRunning
      ? await this.holdSilence(
          input.silenceWhileRunning,
          runbook ? `runbook "${runbook.title}"` : `AWX job template "${template.name}"`,
          limit,
          input.incident,
        )
      : null;
    let answer: { job: Record<string, unknown>; ignoredFields: Record<string, unknown> } | undefined;
    let lostNote: string | undefined;
    const sentAt = Date.now();
    try {
      answer = await client.launch(template.id, body);
    } catch (e) {
      let f = e instanceof ContractFailure ? e : awxFailure(e, spec);
      // No answer is not a refusal: the job may be running. Look for it before saying anything else.
      if (f.code === 'timeout') {
        const looked = await lookForLaunch(client, template.id, marker, sentAt, f);
        if ('job' in looked) {
          answer = { job: looked.job, ignoredFields: {} };
          lostNote = looked.note;
        } else f = looked.failure;
      }
      if (!answer) {
        if (held) await this.opts.silences?.launchFailed(held, f).catch(() => undefined);
        await this.deps.audit
          .append({ action: 'jobs.launch', target: what, connectionId: spec.id, outcome: 'error', message: f.message })
          .catch(() => undefined);
        throw f;
      }
    }
    const job = client.jobSummaryOf(answer.job);
    if (held) this.releaseSilenceAtEnd(held, spec.id, job.id);
    const warnings = [...(lostNote ? [lostNote] : []), ...ignoredWarnings(answer.ignoredFields, Object.keys(consoleVars))];
    const context = [
      `by ${consoleVars.toc_operator}`,
      runbook ? `from runbook "${runbook.title}"` : '',
      input.incident ? `for ${input.incident.number}` : '',
      prod.production ? `production, confirmed "${target}"` : '',
      Object.keys(vars).length ? `variables: ${Object.keys(vars).join(', ')}` : '',
      limit ? `limit: ${limit}` : '',
      Object.keys(answer.ignoredFields).length ? `AWX ignored: ${Object.keys(answer.ignoredFields).join(', ')}` : '',
      lostNote ?? '',
    ].filter(Boolean);
    const auditId = await this.auditDone({
      action: 'jobs.launch',
      target: what,
      connectionId: spec.id,
      remoteRef: `job ${job.id}`,
      message: `AWX job #${job.id} launched${context.length ? ` (${context.join('; ')})` : ''}`,
      told: `AWX started job #${job.id}`,
    });
    this.remember(spec.id, job.id, { production: prod.production, runbookTitle: runbook?.title ?? null });
    const label = runbook ? `Runbook "${runbook.title}"` : `AWX job template "${template.name}"`;
    const workNote = input.incident ? await this.launchNotes(input.incident, spec.id, job, label, 'launched') : null;
    return { job, ignoredFields: answer.ignoredFields, warnings, auditId, workNote };
  }

  async relaunch(input: {
    connectionId: string;
    jobId: number;
    hosts?: 'all' | 'failed' | undefined;
    incident?: IncidentRef | undefined;
    confirmTarget?: string | undefined;
  }): Promise<LaunchResult> {
    const client = await this.client(this.connectionId(input.connectionId));
    const spec = client.spec;
    const old = client.jobDetailOf(await client.job(input.jobId));
    const remembered = this.launched.get(`${spec.id}:${input.jobId}`);
    const hosts = input.hosts ?? 'all';
    const what = `AWX job #${old.id} ("${old.name}") on ${spec.name}`;
    const reasons = [
      ...(remembered?.production
        ? [
            remembered.runbookTitle
              ? `it was launched from the production runbook "${remembered.runbookTitle}"`
              : 'it was launched as a production job',
          ]
        : []),
      ...(old.production ? ['the job template is labelled production or the connection is production'] : []),
    ];
    const oldVars = parseJsonObject(old.extraVars);
    const target = productionTarget({ limit: old.limit, vars: oldVars, templateName: old.name });
    if (reasons.length) await this.confirmOrRefuse('jobs.relaunch', what, spec, target, input.confirmTarget, { production: true, reasons });
    let raw;
    try {
      raw = await client.relaunch(old.id, hosts);
    } catch (e) {
      const f = e instanceof ContractFailure ? e : awxFailure(e, spec);
      await this.deps.audit
        .append({ action: 'jobs.relaunch', target: what, connectionId: spec.id, outcome: 'error', message: f.message })
        .catch(() => undefined);
      throw f;
    }
    const job = client.jobSummaryOf(raw);
    const auditId = await this.auditDone({
      action: 'jobs.relaunch',
      target: what,
      connectionId: spec.id,
      remoteRef: `job ${job.id}`,
      message: `relaunched as AWX job #${job.id} with the previous answers (hosts: ${hosts})${input.incident ? ` for ${input.incident.number}` : ''}`,
      told: `AWX started job #${job.id}`,
    });
    this.remember(spec.id, job.id, remembered ?? { production: reasons.length > 0, runbookTitle: null });
    const label = remembered?.runbookTitle ? `Runbook "${remembered.runbookTitle}"` : `AWX job template "${old.name}"`;
    const workNote = input.incident
      ? await this.launchNotes(input.incident, spec.id, job, label, `relaunched (from job #${old.id})`)
      : null;
    return { job, ignoredFields: {}, warnings: [], auditId, workNote };
  }

  async cancel(connectionId: string, jobId: number): Promise<CancelResult> {
    const client = await this.client(this.connectionId(connectionId));
    const spec = client.spec;
    const what = `AWX job #${jobId} on ${spec.name}`;
    let accepted: boolean;
    try {
      accepted = await client.cancel(jobId);
    } catch (e) {
      const f = e instanceof ContractFailure ? e : awxFailure(e, spec);
      await this.deps.audit
        .append({
          action: 'jobs.cancel',
          target: what,
          connectionId: spec.id,
          outcome: 'error',
          remoteRef: `job ${jobId}`,
          message: f.message,
        })
        .catch(() => undefined);
      throw f;
    }
    const job = client.jobSummaryOf(await client.job(jobId).catch(() => ({ id: jobId, status: accepted ? 'canceled' : 'unknown' })));
    const message = accepted
      ? `Cancel requested: AWX is stopping job #${jobId}.`
      : `AWX job #${jobId} had already finished (${job.status}); there was nothing to cancel.`;
    const auditId = await this.auditDone({
      action: 'jobs.cancel',
      target: what,
      connectionId: spec.id,
      remoteRef: `job ${jobId}`,
      message,
      told: message,
    });
    return { outcome: accepted ? 'requested' : 'already_finished', message, job, auditId };
  }

  private async confirmOrRefuse(
    action: string,
    what: string,
    spec: ConnectionSpec,
    target: string,
    typed: string | undefined,
    prod: ProductionInfo,
  ): Promise<void> {
    if (typed !== undefined && typed.trim() === target) return;
    const message =
      typed === undefined || typed.trim() === ''
        ? `This is a production launch (${prod.reasons.join('; ')}). Type the target's name, "${target}", to confirm. Nothing was sent to AWX.`
        : `The confirmation "${typed.trim()}" does not match the target "${target}". Nothing was sent to AWX.`;
    await this.deps.audit
      .append({ action, target: what, connectionId: spec.id, outcome: 'error', message: `refused: ${message}` })
      .catch(() => undefined);
    throw new ContractFailure('validation', message, {
      connectionId: spec.id,
      fields: [{ path: 'confirmTarget', message: `type "${target}" to confirm` }],
    });
  }

  /** The audit entry for a change AWX already made: written before the caller hears it is done. */
  private async auditDone(e: {
    action: string;
    target: string;
    connectionId: string;
    remoteRef: string;
    message: string;
    told: string;
  }): Promise<string> {
    try {
      return (
        await this.deps.audit.append({
          action: e.action,
          target: e.target,
          connectionId: e.connectionId,
          outcome: 'ok',
          remoteRef: e.remoteRef,
          message: e.message,
        })
      ).id;
    } catch (err) {
      throw new ContractFailure('internal', `${e.told}, but the audit log could not be written: ${(err as Error).message}`, {
        connectionId: e.connectionId,
      });
    }
  }

  private remember(connectionId: string, jobId: number, l: Launched): void {
    this.launched.set(`${connectionId}:${jobId}`, l);
    if (this.launched.size > 500) this.launched.delete(this.launched.keys().next().value ?? '');
  }

  // --- job-scoped silences (alerts feature) -----------------------------------------------------------

  private async holdSilence(
    request: NonNullable<LaunchInput['silenceWhileRunning']>,
    what: string,
    limit: string,
    incident: IncidentRef | undefined,
  ): Promise<string> {
    if (!this.opts.silences)
      throw new ContractFailure(
        'not_configured',
        'Silencing alerts while a job runs needs the alerts feature, which is not available in this console.',
      );
    const held = await this.opts.silences.begin({
      request,
      label: `${what}${limit ? ` on ${limit}` : ''}`,
      ...(incident ? { incident } : {}),
    });
    return held.ticket;
  }

  /** Expires the job's silence when the job ends, whatever the outcome (or when the console loses the job). */
  private releaseSilenceAtEnd(ticket: string, connectionId: string, jobId: number): void {
    const silences = this.opts.silences;
    if (!silences) return;
    silences.launched(ticket, jobId, connectionId);
    if (this.disposed) return;
    const follower = this.follower(connectionId, jobId);
    let stopEnd = (): void => undefined;
    let unsubscribe = (): void => undefined;
    const stop = (): void => {
      stopEnd();
      unsubscribe();
      this.release(follower);
      this.outcomeStops.delete(stop);
    };
    const finish = (status: string, detail?: string): void => {
      queueMicrotask(stop);
      const p = silences.end(ticket, status, detail).catch(() => undefined);
      this.pendingNotes.add(p);
      void p.finally(() => this.pendingNotes.delete(p));
    };
    this.outcomeStops.add(stop);
    unsubscribe = follower.subscribe(Number.MAX_SAFE_INTEGER, (item) => {
      if (item.kind === 'error' && item.fatal) finish('unknown', `the console lost track of AWX job #${jobId}: ${item.error.message}`);
    });
    stopEnd = follower.onEnd((end) => finish(end.status));
  }

  // --- work notes ---------------------------------------------------------------------------------------

  private async note(incident: IncidentRef, text: string): Promise<WorkNoteOutcome> {
    try {
      const r = await this.deps.incidents.addWorkNote(incident, text);
      return { ok: true, message: r.message, remoteRef: r.remoteRef };
    } catch (e) {
      const f = e instanceof ContractFailure ? e : new ContractFailure('internal', String(e));
      return { ok: false, message: `The work note on ${incident.number} could not be added: ${f.message}` };
    }
  }

  /** "…launched: AWX job #N" now; the outcome (status, failed hosts, elapsed) when the job ends. */
  private async launchNotes(
    incident: IncidentRef,
    connectionId: string,
    job: JobSummary,
    label: string,
    verb: string,
  ): Promise<WorkNoteOutcome> {
    const first = await this.note(incident, `${label} ${verb}: AWX job #${job.id} (${job.name}). ${job.link}`);
    this.watchOutcome(incident, connectionId, job, label);
    return first;
  }

  private watchOutcome(incident: IncidentRef, connectionId: string, job: JobSummary, label: string): void {
    if (this.disposed) return;
    const follower = this.follower(connectionId, job.id);
    let settled = false;
    let unsubscribe = (): void => undefined;
    let stopEnd = (): void => undefined;
    const stop = (): void => {
      stopEnd();
      unsubscribe();
      this.release(follower);
      this.outcomeStops.delete(stop);
    };
    const finish = (detail: JobDetail | null, lost: string | null): void => {
      if (settled) return;
      settled = true;
      queueMicrotask(stop);
      const text = detail
        ? outcomeNote(label, detail, follower.statsNow())
        : `${label}: the console lost track of AWX job #${job.id} (${lost ?? 'unknown error'}). See ${job.link}`;
      const p = this.note(incident, text).then(async (r) => {
        if (!r.ok) {
          await this.deps.audit
            .append({
              action: 'incidents.work_note',
              target: `incident ${incident.number}`,
              connectionId: incident.connectionId ?? connectionId,
              outcome: 'error',
              remoteRef: `job ${job.id}`,
              message: r.message,
            })
            .catch(() => undefined);
        }
      });
      this.pendingNotes.add(p);
      void p.finally(() => this.pendingNotes.delete(p));
    };
    this.outcomeStops.add(stop);
    // A subscriber past every counter holds the follower without receiving lines.
    unsubscribe = follower.subscribe(Number.MAX_SAFE_INTEGER, (item) => {
      if (item.kind === 'error') finish(null, item.error.message);
    });
    stopEnd = follower.onEnd(() => finish(follower.jobNow(), null));
  }

  // --- jobs ---------------------------------------------------------------------------------------------

  async listJobs(opts: {
    connectionId?: string;
    limit?: number;
    activeOnly?: boolean;
  }): Promise<{ jobs: JobSummary[]; problems: ConnectionProblem[]; fetchedAt: string }> {
    const ids = this.connectionIds(opts.connectionId);
    const limit = opts.limit ?? 50;
    const results = await Promise.all(
      ids.map(async (id) => {
        try {
          const client = await this.client(id);
          return {
            jobs: (await client.jobs({ limit, activeOnly: opts.activeOnly ?? false })).map((j) => client.jobSummaryOf(j)),
            problem: null,
          };
        } catch (e) {
          return { jobs: [] as JobSummary[], problem: this.problemOf(id, e) };
        }
      }),
    );
    const jobs = results
      .flatMap((r) => r.jobs)
      .sort(
        (a, b) =>
          Number(isTerminalStatus(a.status)) - Number(isTerminalStatus(b.status)) ||
          (b.created ?? '').localeCompare(a.created ?? '') ||
          b.id - a.id,
      )
      .slice(0, limit);
    return { jobs, problems: results.flatMap((r) => (r.problem ? [r.problem] : [])), fetchedAt: new Date().toISOString() };
  }

  async getJob(connectionId: string, jobId: number): Promise<JobDetail> {
    const client = await this.client(this.connectionId(connectionId));
    const detail = client.jobDetailOf(await client.job(jobId));
    const remembered = this.launched.get(`${client.spec.id}:${jobId}`);
    return remembered?.production ? { ...detail, production: true } : detail;
  }

  /**
   * The whole output as text, through AWX's `txt_download`/`ansi_download` (one request, no size limit: the
   * other formats answer a "too large to display" sentence above 1 MiB).
   */
  async stdoutDownload(connectionId: string, jobId: number, ansi: boolean): Promise<{ filename: string; text: string; lines: number }> {
    const client = await this.client(this.connectionId(connectionId));
    const text = (await client.download(jobId, ansi)).replaceAll('\r\n', '\n');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    return { filename: `job_${jobId}${ansi ? '.ansi' : ''}.txt`, text, lines };
  }

  /**
   * A finished job's whole log in one download (`txt_download`/`ansi_download`), when that is provably the same
   * text the events give: the job is the one asked for, finished, every event processed, its events numbered
   * 1..N without a gap (their count equals the last counter) and the download has exactly the last event's
   * `end_line` lines. Otherwise null, and the caller follows the events (which also names any gap).
   */
  async finishedLog(connectionId: string, jobId: number, ansi: boolean): Promise<{ job: JobDetail; text: string; lines: number } | null> {
    const client = await this.client(this.connectionId(connectionId));
    const raw = await client.job(jobId);
    const who = jobIdentity(raw, jobId, client.spec.name);
    if (!who.ok) throw new ContractFailure('bad_response', who.message, { remoteMessage: who.quoted });
    const job = client.jobDetailOf(raw);
    if (!isTerminalStatus(job.status) || !job.eventProcessingFinished) return null;
    const { count, last } = await client.lastEvent(jobId);
    if (last === null || count !== last.counter) return last === null && count === 0 ? { job, text: '', lines: 0 } : null;
    const text = (await client.download(jobId, ansi)).replaceAll('\r\n', '\n');
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    if (lines !== last.endLine || (text !== '' && !text.endsWith('\n'))) return null;
    return { job, text, lines };
  }

  // --- following ----------------------------------------------------------------------------------------

  follow(connectionId: string, jobId: number, fromCounter: number, emit: (item: JobStreamItem) => void): () => void {
    const id = this.connectionId(connectionId);
    const follower = this.follower(id, jobId);
    const unsubscribe = follower.subscribe(fromCounter, emit);
    return () => {
      unsubscribe();
      this.release(follower);
    };
  }

  private follower(connectionId: string, jobId: number): JobFollower {
    const key = `${connectionId}:${jobId}`;
    const cur = this.followers.get(key);
    if (cur && !cur.follower.failed) {
      if (cur.linger) clearTimeout(cur.linger);
      cur.linger = null;
      return cur.follower;
    }
    cur?.follower.stop();
    const follower = new JobFollower(connectionId, jobId, () => this.client(connectionId), this.socket(connectionId), this.opts.timing);
    this.followers.set(key, { follower, linger: null });
    this.evict();
    follower.start();
    return follower;
  }

  private release(follower: JobFollower): void {
    if (follower.subscriberCount > 0) return;
    const key = `${follower.connectionId}:${follower.jobId}`;
    const cur = this.followers.get(key);
    if (!cur || cur.follower !== follower) return;
    if (cur.linger) clearTimeout(cur.linger);
    // A big finished log (the 200,000-line job holds ~10 MB) is not kept long for a view that may not come back.
    const ms = follower.failed
      ? 0
      : follower.isDone
        ? follower.lineCount > BIG_LOG_LINES
          ? LINGER_BIG_MS
          : LINGER_DONE_MS
        : LINGER_RUNNING_MS;
    // Kept a while: a view that comes back (or a dropped link that resubscribes) resumes without re-reading.
    cur.linger = setTimeout(() => {
      if (follower.subscriberCount > 0) return;
      follower.stop();
      if (this.followers.get(key)?.follower === follower) this.followers.delete(key);
    }, ms);
    cur.linger.unref?.();
  }

  private evict(): void {
    if (this.followers.size <= MAX_FOLLOWERS) return;
    for (const [key, f] of this.followers) {
      if (this.followers.size <= MAX_FOLLOWERS) break;
      if (f.follower.subscriberCount === 0) {
        if (f.linger) clearTimeout(f.linger);
        f.follower.stop();
        this.followers.delete(key);
      }
    }
  }

  /** Status changes of jobs on one AWX connection or all: immediate over the socket, else by polling. */
  watchStatus(connectionId: string | undefined, emit: (job: JobSummary) => void): () => void {
    const stops = this.connectionIds(connectionId).map((id) => this.watchConnection(id, emit));
    return () => stops.forEach((s) => s());
  }

  private watchConnection(connectionId: string, emit: (job: JobSummary) => void): () => void {
    let stopped = false;
    const known = new Map<number, string>();
    let first = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const pollMs = this.opts.statusPollMs ?? 5000;
    const seen = (j: JobSummary): void => {
      const sig = `${j.status}|${j.finished ?? ''}`;
      if (known.get(j.id) === sig) return;
      known.set(j.id, sig);
      if (!first) emit(j);
    };
    const poll = async (): Promise<void> => {
      if (stopped) return;
      try {
        const client = await this.client(connectionId);
        const rows = await client.jobs({ limit: 50 });
        for (const r of rows) seen(client.jobSummaryOf(r));
        first = false;
      } catch {
        // The list view shows its own errors; this watcher only patches it.
      }
      if (!stopped) timer = setTimeout(() => void poll(), socket?.state === 'open' ? pollMs * 3 : pollMs);
    };
    const socket = this.socket(connectionId);
    const pending = new Set<number>();
    const stopSocket = socket?.onStatus((m) => {
      if (pending.has(m.jobId)) return;
      pending.add(m.jobId);
      setTimeout(() => {
        pending.delete(m.jobId);
        if (stopped) return;
        void this.client(connectionId)
          .then(async (c) => seen(c.jobSummaryOf(await c.job(m.jobId))))
          .catch(() => undefined);
      }, 150);
    });
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopSocket?.();
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // Outcome notes already on their way are allowed to land (the CLI exits right after a job ends).
    const deadline = new Promise((r) => setTimeout(r, 15_000).unref?.());
    await Promise.race([Promise.allSettled([...this.pendingNotes]), deadline]);
    for (const stop of [...this.outcomeStops]) stop();
    for (const { follower, linger } of this.followers.values()) {
      if (linger) clearTimeout(linger);
      follower.stop();
    }
    this.followers.clear();
    for (const { socket } of this.sockets.values()) socket.close();
    this.sockets.clear();
  }
}

function outcomeNote(label: string, job: JobDetail, stats: { host: string; failures: number; dark: number }[] | null): string {
  const failedHosts = stats ? stats.filter((s) => s.failures > 0 || s.dark > 0).map((s) => s.host) : null;
  const hosts =
    failedHosts === null
      ? job.hostStatusCounts
        ? `${(job.hostStatusCounts.failures ?? 0) + (job.hostStatusCounts.dark ?? 0)} failed`
        : 'not reported'
      : failedHosts.length
        ? failedHosts.join(', ')
        : 'none';
  const parts = [
    `${label}: AWX job #${job.id} (${job.name}) finished ${job.status}.`,
    `Failed hosts: ${hosts}.`,
    `Elapsed: ${formatElapsed(job.elapsed)}.`,
  ];
  if (job.jobExplanation) parts.push(`AWX: ${job.jobExplanation}`);
  parts.push(job.link);
  return parts.join(' ');
}

/** The variables the console adds to every launch: `toc_operator`, and `incident_number` when launched for one. */
export function consoleVariables(operator: string, incident: IncidentRef | undefined): { toc_operator: string; incident_number?: string } {
  return { toc_operator: operator, ...(incident?.number ? { incident_number: incident.number } : {}) };
}

function ignoredWarnings(ignored: Record<string, unknown>, consoleKeys: string[]): string[] {
  return Object.entries(ignored).flatMap(([field, value]) => {
    if (field === 'extra_vars' && isRecord(value)) {
      const keys = Object.keys(value);
      const own = keys.filter((k) => consoleKeys.includes(k));
      const typed = keys.filter((k) => !consoleKeys.includes(k));
      return [
        ...(typed.length
          ? [
              `AWX ignored extra_vars (${typed.join(', ')}): the job template does not prompt for it on launch, so the template's own value was used.`,
            ]
          : []),
        ...(own.length
          ? [
              `AWX did not pass ${own.join(' and ')} to the playbook: the job template does not prompt for variables on launch (turn on "Prompt on launch" for Variables so remediation playbooks can read them).`,
            ]
          : []),
      ];
    }
    return [`AWX ignored ${field}: the job template does not prompt for it on launch, so the template's own value was used.`];
  });
}

function parseVarsText(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '' || text.trim() === '---') return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? 'parse error';
    throw new ContractFailure('validation', `The extra variables are not valid YAML or JSON: ${message}`, {
      fields: [{ path: 'extraVarsText', message }],
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) {
    throw new ContractFailure('validation', 'The extra variables must be a mapping (key: value lines, or a JSON object).', {
      fields: [{ path: 'extraVarsText', message: 'not a mapping' }],
    });
  }
  return parsed;
}

/** A template's extra_vars text (YAML or JSON) as a mapping; AWX treats anything else as no variables. */
function templateVars(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const v: unknown = parseYaml(text);
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
}

/**
 * After a launch timed out: looks for the job it may have started by the launch marker in its extra vars
 * (newest jobs of the template since the launch was sent, a minute's clock skew allowed). Returns the job, or
 * the failure to report: not found (most likely not started: retry) or unknown (look first).
 */
async function lookForLaunch(
  client: AwxClient,
  templateId: number,
  marker: string | undefined,
  sentAt: number,
  failure: ContractFailure,
): Promise<{ job: Record<string, unknown>; note: string } | { failure: ContractFailure }> {
  const unknown = (why: string): { failure: ContractFailure } => ({
    failure: new ContractFailure(
      'timeout',
      `${failure.message} The outcome is unknown: the job may have started, and ${why}. Look at the template's jobs in AWX before launching again.`,
      { ...failure.detail, retryable: false },
    ),
  });
  if (!marker) return unknown('this template takes no variables at launch, so the console cannot tell its job from others');
  let page: Record<string, unknown>;
  try {
    page = await client.get(client.path('job_templates', templateId, 'jobs'), { order_by: '-id', page_size: 20 });
  } catch (e) {
    return unknown(`looking for it failed too (${e instanceof ContractFailure ? e.message : String(e)})`);
  }
  const rows = (Array.isArray(page.results) ? page.results : []).filter(isRecord);
  for (const row of rows) {
    const created = Date.parse(str(row.created));
    if (!Number.isNaN(created) && created < sentAt - 60_000) break;
    try {
      const full = typeof row.extra_vars === 'string' ? row : await client.job(Number(row.id));
      const vars = parseYaml(str(full.extra_vars) || '{}') as unknown;
      if (isRecord(vars) && vars[LAUNCH_MARKER_VAR] === marker) {
        const at = new Date().toISOString().slice(11, 19);
        return {
          job: full,
          note: `${failure.message.replace(/\.$/, '')} to the launch; job #${String(full.id)} was then found by its launch marker (${LAUNCH_MARKER_VAR}) at ${at} UTC.`,
        };
      }
    } catch (e) {
      return unknown(`looking for it failed too (${e instanceof ContractFailure ? e.message : String(e)})`);
    }
  }
  const at = new Date().toISOString().slice(11, 19);
  return {
    failure: new ContractFailure(
      'timeout',
      `${failure.message} The outcome was unknown — the job may have started — so the console looked for it by its launch marker (${LAUNCH_MARKER_VAR}) at ${at} UTC: no such job, so it most likely did not start. Launch again (if AWX is only slow, look at its jobs first).`,
      { ...failure.detail, retryable: true },
    ),
  };
}
