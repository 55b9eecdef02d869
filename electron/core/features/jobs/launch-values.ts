import { parse as parseYaml } from 'yaml';
import type { IncidentRef } from '@shared/jobs/model';
import { ContractFailure } from '@shared/kernel/result';
import { isRecord } from '../../systems/awx/awx-values';

// The values a launch sends and reports: the console's own variables, the typed extra variables, a template's
// defaults, and the warnings for what AWX ignored. Pure.

/** The variables the console adds to every launch: `toc_operator`, and `incident_number` when launched for one. */
export function consoleVariables(operator: string, incident: IncidentRef | undefined): { toc_operator: string; incident_number?: string } {
  return { toc_operator: operator, ...(incident?.number ? { incident_number: incident.number } : {}) };
}

export function ignoredWarnings(ignored: Record<string, unknown>, consoleKeys: string[]): string[] {
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

export function parseVarsText(text: string | undefined): Record<string, unknown> {
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
export function templateVars(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const v: unknown = parseYaml(text);
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
}

export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
}
