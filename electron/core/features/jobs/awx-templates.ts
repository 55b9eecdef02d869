import type { ConnectionProblem, LaunchForm, ProductionInfo, TemplateSummary } from '@shared/jobs/model';
import type { ConnectionSpec } from '@shared/connections/model';
import type { Runbook } from '@shared/runbooks/model';
import { ContractFailure } from '@shared/kernel/result';
import type { RunbookStore } from '../runbooks/runbook-store';
import type { AwxClient } from '../../systems/awx/awx-client';
import { isProductionEnvironment } from '../../systems/awx/awx-client';
import { isRecord, rec, str } from '../../systems/awx/awx-values';
import type { AwxPool } from './awx-pool';
import type { Launched } from './launch-memory';
import { templateVars } from './launch-values';

// Job templates and their launch forms: found by id, by name or through a runbook, with whether a launch counts
// as production and why (the runbook, the template's label, the connection's environment).

export class AwxTemplates {
  constructor(
    private readonly pool: AwxPool,
    private readonly runbooks: RunbookStore,
  ) {}

  async templates(connectionId?: string, search?: string): Promise<{ templates: TemplateSummary[]; problems: ConnectionProblem[] }> {
    const ids = this.pool.connectionIds(connectionId);
    if (ids.length === 0) throw new ContractFailure('not_configured', 'No AWX connection is configured.');
    const results = await Promise.all(
      ids.map(async (id) => {
        try {
          return { templates: await (await this.pool.client(id)).templates(search), problem: null };
        } catch (e) {
          return { templates: [] as TemplateSummary[], problem: this.pool.problemOf(id, e) };
        }
      }),
    );
    return { templates: results.flatMap((r) => r.templates), problems: results.flatMap((r) => (r.problem ? [r.problem] : [])) };
  }

  async resolveTemplate(
    input: { connectionId?: string | undefined; templateId?: number | undefined; templateName?: string | undefined },
    runbook: Runbook | null,
  ): Promise<{ client: AwxClient; template: TemplateSummary }> {
    const client = await this.pool.client(this.pool.connectionId(input.connectionId ?? runbook?.awx?.connection ?? undefined));
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
    const runbook = input.runbookId ? await this.runbooks.get(input.runbookId) : null;
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
}
