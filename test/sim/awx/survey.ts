// Survey rules of AWX's SurveyJobTemplateMixin: per-question validation with AWX's own messages (Python
// formatting included), acceptance of launch-time variables, and how defaults are merged into a job.
import { parse as parseYaml } from 'yaml';
import { badRequest, isRecord } from './http-kit';
import { pyStr } from './pyformat';
import type { JobTemplate, SurveyQuestion } from './types';

export const ENCRYPTED = '$encrypted$';

function bound(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function choiceList(choices: string | string[]): string[] {
  return typeof choices === 'string' ? choices.split(/\r?\n/).filter((c) => c.trim() !== '') : [...choices];
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** One question against the answers in `data` (AWX `_survey_element_validation`). */
export function validateQuestion(q: SurveyQuestion, data: Record<string, unknown>, validateRequired = true): string[] {
  const errors: string[] = [];
  const name = q.variable;
  const present = Object.prototype.hasOwnProperty.call(data, name);
  const value = data[name];

  if (q.type === 'password' && value === ENCRYPTED) {
    // `$encrypted$` asks for the saved default; only a missing default is an error.
    if ((q.default === null || q.default === undefined) && q.required && validateRequired) {
      errors.push(`'${name}' value missing`);
    }
    return errors;
  }

  if (!present && q.required) {
    if (validateRequired) errors.push(`'${name}' value missing`);
    return errors;
  }
  if (!present) return errors;

  switch (q.type) {
    case 'text':
    case 'textarea':
    case 'password': {
      if (typeof value !== 'string') {
        errors.push(`Value ${pyStr(value)} for '${name}' expected to be a string.`);
        return errors;
      }
      const length = Array.from(value).length;
      const min = bound(q.min);
      const max = bound(q.max);
      if (min !== null && length < Math.trunc(min)) {
        errors.push(`'${name}' value ${value} is too small (length is ${length} must be at least ${pyStr(q.min)}).`);
      }
      if (max !== null && length > Math.trunc(max)) {
        errors.push(`'${name}' value ${value} is too large (must be no more than ${pyStr(q.max)}).`);
      }
      break;
    }
    case 'integer': {
      if (!isInt(value)) {
        errors.push(`Value ${pyStr(value)} for '${name}' expected to be an integer.`);
        return errors;
      }
      const min = bound(q.min);
      const max = bound(q.max);
      if (min !== null && value < Math.trunc(min)) {
        errors.push(`'${name}' value ${value} is too small (must be at least ${pyStr(q.min)}).`);
      }
      if (max !== null && value > Math.trunc(max)) {
        errors.push(`'${name}' value ${value} is too large (must be no more than ${pyStr(q.max)}).`);
      }
      break;
    }
    case 'float': {
      if (typeof value !== 'number') {
        errors.push(`Value ${pyStr(value)} for '${name}' expected to be a numeric type.`);
        return errors;
      }
      const min = bound(q.min);
      const max = bound(q.max);
      if (min !== null && value < min) {
        errors.push(`'${name}' value ${pyStr(value)} is too small (must be at least ${pyStr(q.min)}).`);
      }
      if (max !== null && value > max) {
        errors.push(`'${name}' value ${pyStr(value)} is too large (must be no more than ${pyStr(q.max)}).`);
      }
      break;
    }
    case 'multiselect': {
      if (!Array.isArray(value)) {
        errors.push(`'${name}' value is expected to be a list.`);
        break;
      }
      const choices = choiceList(q.choices);
      for (const item of value) {
        if (typeof item !== 'string' || !choices.includes(item)) {
          errors.push(`Value ${pyStr(item)} for '${name}' expected to be one of ${pyStr(choices)}.`);
        }
      }
      break;
    }
    case 'multiplechoice': {
      const choices = choiceList(q.choices);
      if (typeof value !== 'string' || !choices.includes(value)) {
        errors.push(`Value ${pyStr(value)} for '${name}' expected to be one of ${pyStr(choices)}.`);
      }
      break;
    }
  }
  return errors;
}

export function surveyActive(t: JobTemplate): boolean {
  return t.surveyEnabled && t.surveySpec !== null && Array.isArray(t.surveySpec.spec);
}

/** Required survey variables, even when they have defaults (launch GET `variables_needed_to_start`). */
export function variablesNeededToStart(t: JobTemplate): string[] {
  if (!surveyActive(t) || !t.surveySpec) return [];
  return t.surveySpec.spec.filter((q) => q.required).map((q) => q.variable);
}

/** Template extra_vars text as a dict; AWX treats unparsable text as no variables. */
export function templateVars(t: JobTemplate): Record<string, unknown> {
  try {
    const parsed: unknown = parseYaml(t.extraVars);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function pyTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** Launch-time `extra_vars`: a JSON object, or JSON/YAML text of one. */
export function parseRuntimeVars(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (jsonError) {
      try {
        value = parseYaml(raw);
      } catch (yamlError) {
        const j = jsonError instanceof Error ? jsonError.message : String(jsonError);
        const y = yamlError instanceof Error ? yamlError.message : String(yamlError);
        throw badRequest({ extra_vars: [`Cannot parse as JSON (error: ${j}) or YAML (error: ${y}).`] });
      }
    }
    if (value === null || value === undefined) return {};
  }
  if (!isRecord(value)) {
    throw badRequest({ extra_vars: [`Input type \`${pyTypeName(value)}\` is not a dictionary`] });
  }
  return value;
}

export interface VariableVerdict {
  accepted: Record<string, unknown>;
  rejected: Record<string, unknown>;
  surveyErrors: string[];
}

/** AWX `_accept_or_ignore_variables` for a manual launch: unprompted variables are ignored, not refused. */
export function acceptOrIgnoreVariables(t: JobTemplate, data: Record<string, unknown>): VariableVerdict {
  const remaining: Record<string, unknown> = { ...data };
  const accepted: Record<string, unknown> = {};
  const rejected: Record<string, unknown> = {};
  const surveyErrors: string[] = [];
  if (surveyActive(t) && t.surveySpec) {
    for (const q of t.surveySpec.spec) {
      const errors = validateQuestion(q, data);
      const has = Object.prototype.hasOwnProperty.call(remaining, q.variable);
      if (errors.length > 0) {
        surveyErrors.push(...errors);
        if (has) rejected[q.variable] = remaining[q.variable];
      } else if (has) {
        accepted[q.variable] = remaining[q.variable];
      }
      if (has) delete remaining[q.variable];
    }
  }
  if (t.ask.ask_variables_on_launch) {
    Object.assign(accepted, remaining);
    return { accepted, rejected, surveyErrors };
  }
  const fromTemplate = templateVars(t);
  for (const [key, value] of Object.entries(remaining)) {
    // A value equal to the template's own is neither accepted nor ignored.
    if (key in fromTemplate && JSON.stringify(fromTemplate[key]) === JSON.stringify(value)) continue;
    rejected[key] = value;
  }
  return { accepted, rejected, surveyErrors };
}

export interface MergedVars {
  vars: Record<string, unknown>;
  passwordVariables: string[];
}

/** Precedence: template extra_vars < valid survey defaults < launch-time variables. */
export function mergeJobVars(t: JobTemplate, runtime: Record<string, unknown>): MergedVars {
  const vars = templateVars(t);
  const launchVars = { ...runtime };
  const passwordVariables: string[] = [];
  if (surveyActive(t) && t.surveySpec) {
    for (const q of t.surveySpec.spec) {
      if (q.type === 'password') {
        passwordVariables.push(q.variable);
        if (launchVars[q.variable] === ENCRYPTED) delete launchVars[q.variable];
      }
      if (q.default !== null && q.default !== undefined) {
        if (validateQuestion(q, { [q.variable]: q.default }).length === 0) vars[q.variable] = q.default;
      }
    }
  }
  Object.assign(vars, launchVars);
  return { vars, passwordVariables: passwordVariables.filter((name) => name in vars) };
}

/** Survey spec as GET shows it: saved password defaults masked. */
export function displaySurveySpec(t: JobTemplate): Record<string, unknown> {
  if (!t.surveySpec) return {};
  const spec = structuredClone(t.surveySpec);
  for (const q of spec.spec) if (q.type === 'password' && q.default) q.default = ENCRYPTED;
  return spec as unknown as Record<string, unknown>;
}
