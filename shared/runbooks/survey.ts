import type { SurveyAnswer, SurveyQuestion } from '../jobs/model';

// Client-side survey validation: the same rules AWX applies on launch (SurveyJobTemplateMixin), checked before
// anything is sent so a typo costs no round trip. AWX stays the authority: its own 400 answer is shown too.
// The form holds what was typed (text, or a list for multiselect); `prepareAnswers` turns it into the values
// AWX expects inside extra_vars (integers as JSON numbers, multiselect as a list).

/** AWX's marker for "keep the saved password default". */
export const ENCRYPTED = '$encrypted$';

export type RawAnswer = string | string[];
export type RawAnswers = Record<string, RawAnswer | undefined>;

export interface PreparedAnswers {
  /** Variables to send inside extra_vars (unanswered optional questions are left out: AWX merges their defaults). */
  values: Record<string, SurveyAnswer>;
  /** One message per variable that is not acceptable. */
  errors: Record<string, string>;
}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const lengthOf = (s: string): number => Array.from(s).length;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the form shows before the user types: the question's default, as text. */
export function initialAnswer(q: SurveyQuestion): RawAnswer {
  if (q.type === 'multiselect') return Array.isArray(q.default) ? q.default.filter((d) => q.choices.includes(d)) : [];
  if (q.type === 'password') return '';
  if (q.default === null || Array.isArray(q.default)) return '';
  return String(q.default);
}

export function initialAnswers(questions: readonly SurveyQuestion[]): Record<string, RawAnswer> {
  return Object.fromEntries(questions.map((q) => [q.variable, initialAnswer(q)]));
}

/** A password question whose saved default AWX keeps when "$encrypted$" is sent. */
export const hasSavedPassword = (q: SurveyQuestion): boolean => q.type === 'password' && q.default === ENCRYPTED;

/** Checks one question; returns the value to send (undefined: leave it out) or an error message. */
export function prepareAnswer(q: SurveyQuestion, raw: RawAnswer | undefined): { value?: SurveyAnswer; error?: string } {
  if (q.type === 'multiselect') {
    const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
    if (list.length === 0) return q.required ? { error: 'Choose at least one.' } : {};
    const bad = list.filter((v) => !q.choices.includes(v));
    if (bad.length) return { error: `Not a choice: ${bad.join(', ')}.` };
    return { value: list };
  }
  const text = Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '');
  if (q.type === 'password' && text === '') {
    if (hasSavedPassword(q)) return q.required ? { value: ENCRYPTED } : {};
    return q.required ? { error: 'Required.' } : {};
  }
  const blank = q.type === 'integer' || q.type === 'float' || q.type === 'multiplechoice' ? text.trim() === '' : text === '';
  if (blank) return q.required ? { error: 'Required.' } : {};
  switch (q.type) {
    case 'text':
    case 'textarea':
    case 'password': {
      const n = lengthOf(text);
      if (q.min !== null && n < Math.trunc(q.min)) return { error: `At least ${plural(Math.trunc(q.min), 'character')} (${n} now).` };
      if (q.max !== null && n > Math.trunc(q.max)) return { error: `At most ${plural(Math.trunc(q.max), 'character')} (${n} now).` };
      return { value: text };
    }
    case 'integer': {
      const t = text.trim();
      if (!INTEGER.test(t)) return { error: 'A whole number, please.' };
      const v = Number(t);
      if (!Number.isSafeInteger(v)) return { error: 'That number is too large.' };
      return bounded(q, v, Math.trunc);
    }
    case 'float': {
      const t = text.trim();
      if (!FLOAT.test(t)) return { error: 'A number, please (e.g. 2.5).' };
      const v = Number(t);
      if (!Number.isFinite(v)) return { error: 'That number is too large.' };
      return bounded(q, v, (x) => x);
    }
    case 'multiplechoice': {
      const t = text.trim();
      if (!q.choices.includes(t)) return { error: `Choose one of: ${q.choices.join(', ')}.` };
      return { value: t };
    }
  }
}

function bounded(q: SurveyQuestion, v: number, bound: (x: number) => number): { value?: SurveyAnswer; error?: string } {
  if (q.min !== null && v < bound(q.min)) return { error: `At least ${bound(q.min)}.` };
  if (q.max !== null && v > bound(q.max)) return { error: `At most ${bound(q.max)}.` };
  return { value: v };
}

export function prepareAnswers(questions: readonly SurveyQuestion[], raw: RawAnswers): PreparedAnswers {
  const values: Record<string, SurveyAnswer> = {};
  const errors: Record<string, string> = {};
  for (const q of questions) {
    const r = prepareAnswer(q, raw[q.variable]);
    if (r.error !== undefined) errors[q.variable] = r.error;
    else if (r.value !== undefined) values[q.variable] = r.value;
  }
  return { values, errors };
}

/** Text values (e.g. from `--var k=v` or runbook extra vars) as the survey's types, for prepareAnswers. */
export function rawFromValue(q: SurveyQuestion, value: unknown): RawAnswer {
  if (q.type === 'multiselect') {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === 'string')
      return value
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    return value === undefined || value === null ? [] : [String(value)];
  }
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}
