import { randomUUID } from 'node:crypto';
import { LAUNCH_MARKER_VAR } from '@shared/jobs/launch-marker';
import type { LaunchInput } from '@shared/jobs/contract';
import type { CancelResult, IncidentRef, LaunchResult, ProductionInfo } from '@shared/jobs/model';
import type { ConnectionSpec } from '@shared/connections/model';
import { launchTarget, productionTarget } from '@shared/jobs/jobs';
import { ContractFailure } from '@shared/kernel/result';
import type { AuditLog } from '../../kernel/audit/audit-log';
import type { RunbookStore } from '../runbooks/runbook-store';
import { awxFailure } from '../../systems/awx/awx-errors';
import { rec, str } from '../../systems/awx/awx-values';
import type { JobSilencePort } from '../alerts/job-silence';
import type { AwxPool } from './awx-pool';
import type { AwxTemplates } from './awx-templates';
import type { JobOutcomes } from './job-outcomes';
import type { LaunchMemory } from './launch-memory';
import { consoleVariables, ignoredWarnings, parseJsonObject, parseVarsText, templateVars } from './launch-values';
import { lookForLaunch } from './launch-recovery';

// Launch, relaunch and cancel: actions, so each is written to the audit log before it answers and never
// retried. A production launch is refused (and the refusal audited) unless the target's name was typed; a launch
// whose answer was lost is looked for before anything is said; alerts are silenced before the launch, and the
// incident gets its work notes.

export interface LaunchDeps {
  audit: Pick<AuditLog, 'append'>;
  runbooks: RunbookStore;
  /** The engineer launching: passed to the playbook as `toc_operator`. */
  operator: () => string;
}

export class AwxLaunch {
  constructor(
    private readonly deps: LaunchDeps,
    private readonly pool: AwxPool,
    private readonly templates: AwxTemplates,
    private readonly outcomes: JobOutcomes,
    private readonly memory: LaunchMemory,
    private readonly silences: JobSilencePort | undefined,
  ) {}

  async launch(input: LaunchInput): Promise<LaunchResult> {
    const runbook = input.runbookId ? await this.deps.runbooks.get(input.runbookId) : null;
    const { client, template } = await this.templates.resolveTemplate(input, runbook);
    const spec = client.spec;
    const what = `job template "${template.name}" (#${template.id}) on ${spec.name}`;
    const vars: Record<string, unknown> = { ...parseVarsText(input.extraVarsText), ...(input.extraVars ?? {}), ...(input.answers ?? {}) };
    const limit = input.limit?.trim() ?? '';
    const prod = this.templates.production(template, spec, runbook);
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
      ? await this.outcomes.holdSilence(
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
        if (held) await this.silences?.launchFailed(held, f).catch(() => undefined);
        await this.deps.audit
          .append({ action: 'jobs.launch', target: what, connectionId: spec.id, outcome: 'error', message: f.message })
          .catch(() => undefined);
        throw f;
      }
    }
    const job = client.jobSummaryOf(answer.job);
    if (held) this.outcomes.releaseSilenceAtEnd(held, spec.id, job.id);
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
    this.memory.remember(spec.id, job.id, { production: prod.production, runbookTitle: runbook?.title ?? null });
    const label = runbook ? `Runbook "${runbook.title}"` : `AWX job template "${template.name}"`;
    const workNote = input.incident ? await this.outcomes.launchNotes(input.incident, spec.id, job, label, 'launched') : null;
    return { job, ignoredFields: answer.ignoredFields, warnings, auditId, workNote };
  }

  async relaunch(input: {
    connectionId: string;
    jobId: number;
    hosts?: 'all' | 'failed' | undefined;
    incident?: IncidentRef | undefined;
    confirmTarget?: string | undefined;
  }): Promise<LaunchResult> {
    const client = await this.pool.client(this.pool.connectionId(input.connectionId));
    const spec = client.spec;
    const old = client.jobDetailOf(await client.job(input.jobId));
    const remembered = this.memory.get(spec.id, input.jobId);
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
    this.memory.remember(spec.id, job.id, remembered ?? { production: reasons.length > 0, runbookTitle: null });
    const label = remembered?.runbookTitle ? `Runbook "${remembered.runbookTitle}"` : `AWX job template "${old.name}"`;
    const workNote = input.incident
      ? await this.outcomes.launchNotes(input.incident, spec.id, job, label, `relaunched (from job #${old.id})`)
      : null;
    return { job, ignoredFields: {}, warnings: [], auditId, workNote };
  }

  async cancel(connectionId: string, jobId: number): Promise<CancelResult> {
    const client = await this.pool.client(this.pool.connectionId(connectionId));
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
}
