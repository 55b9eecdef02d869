import { describe, expect, it } from 'vitest';
import type { SurveyQuestion } from '@shared/jobs/model';
import { ENCRYPTED, initialAnswer, initialAnswers, prepareAnswer, prepareAnswers, rawFromValue } from '@shared/runbooks/survey';

const q = (over: Partial<SurveyQuestion>): SurveyQuestion => ({
  variable: 'v',
  question: 'V',
  description: '',
  required: false,
  type: 'text',
  min: null,
  max: null,
  default: null,
  choices: [],
  ...over,
});

describe('survey answers are checked like AWX checks them', () => {
  it('text and textarea: required, min/max length in characters (not UTF-16 units)', () => {
    const t = q({ required: true, min: 2, max: 4 });
    expect(prepareAnswer(t, '')).toEqual({ error: 'Required.' });
    expect(prepareAnswer(t, 'a')).toEqual({ error: 'At least 2 characters (1 now).' });
    expect(prepareAnswer(t, 'abcde')).toEqual({ error: 'At most 4 characters (5 now).' });
    expect(prepareAnswer(t, '😀😀😀')).toEqual({ value: '😀😀😀' });
    expect(prepareAnswer(q({ type: 'textarea' }), '')).toEqual({});
    expect(prepareAnswer(q({ type: 'textarea', max: 5 }), 'line\nline')).toEqual({ error: 'At most 5 characters (9 now).' });
  });

  it('integer: a JSON number, whole, within bounds', () => {
    const i = q({ type: 'integer', min: 1, max: 10, required: true });
    expect(prepareAnswer(i, ' 7 ')).toEqual({ value: 7 });
    expect(prepareAnswer(i, '7.5')).toEqual({ error: 'A whole number, please.' });
    expect(prepareAnswer(i, 'abc')).toEqual({ error: 'A whole number, please.' });
    expect(prepareAnswer(i, '0')).toEqual({ error: 'At least 1.' });
    expect(prepareAnswer(i, '11')).toEqual({ error: 'At most 10.' });
    expect(prepareAnswer(i, '')).toEqual({ error: 'Required.' });
    expect(prepareAnswer(q({ type: 'integer' }), '  ')).toEqual({});
    expect(prepareAnswer(i, '99999999999999999999')).toEqual({ error: 'That number is too large.' });
  });

  it('float: any number within bounds', () => {
    const f = q({ type: 'float', min: 0.5, max: 168 });
    expect(prepareAnswer(f, '2.5')).toEqual({ value: 2.5 });
    expect(prepareAnswer(f, '24')).toEqual({ value: 24 });
    expect(prepareAnswer(f, '.75')).toEqual({ value: 0.75 });
    expect(prepareAnswer(f, '0.25')).toEqual({ error: 'At least 0.5.' });
    expect(prepareAnswer(f, '1e3')).toEqual({ error: 'At most 168.' });
    expect(prepareAnswer(f, '1,5')).toEqual({ error: 'A number, please (e.g. 2.5).' });
  });

  it('multiplechoice and multiselect: only the choices', () => {
    const mc = q({ type: 'multiplechoice', choices: ['nginx', 'redis'], required: true });
    expect(prepareAnswer(mc, 'redis')).toEqual({ value: 'redis' });
    expect(prepareAnswer(mc, 'apache')).toEqual({ error: 'Choose one of: nginx, redis.' });
    expect(prepareAnswer(mc, '')).toEqual({ error: 'Required.' });
    const ms = q({ type: 'multiselect', choices: ['syslog', 'app', 'audit'], required: true });
    expect(prepareAnswer(ms, ['app', 'syslog'])).toEqual({ value: ['app', 'syslog'] });
    expect(prepareAnswer(ms, [])).toEqual({ error: 'Choose at least one.' });
    expect(prepareAnswer(ms, ['app', 'kernel'])).toEqual({ error: 'Not a choice: kernel.' });
    expect(prepareAnswer(q({ type: 'multiselect', choices: ['a'] }), [])).toEqual({});
  });

  it('password: a saved default is kept with $encrypted$ when the field is left empty', () => {
    const saved = q({ type: 'password', default: ENCRYPTED, required: true });
    expect(prepareAnswer(saved, '')).toEqual({ value: ENCRYPTED });
    expect(prepareAnswer({ ...saved, required: false }, '')).toEqual({});
    expect(prepareAnswer(q({ type: 'password', required: true }), '')).toEqual({ error: 'Required.' });
    expect(prepareAnswer(q({ type: 'password', max: 3 }), 'secret')).toEqual({ error: 'At most 3 characters (6 now).' });
  });

  it('initial answers come from the defaults, and the whole survey prepares in one go', () => {
    const questions = [
      q({ variable: 'target_host', required: true, min: 1, max: 64 }),
      q({ variable: 'service_name', type: 'multiplechoice', choices: ['nginx', 'redis'], default: 'nginx', required: true }),
      q({ variable: 'retries', type: 'integer', default: 3 }),
      q({ variable: 'pw', type: 'password', default: ENCRYPTED }),
      q({ variable: 'sources', type: 'multiselect', choices: ['a', 'b'], default: ['a', 'x'], required: true }),
    ];
    expect(initialAnswers(questions)).toEqual({ target_host: '', service_name: 'nginx', retries: '3', pw: '', sources: ['a'] });
    expect(initialAnswer(q({ type: 'float', default: 0.5 }))).toBe('0.5');
    const r = prepareAnswers(questions, { ...initialAnswers(questions), target_host: 'web-01' });
    expect(r).toEqual({ values: { target_host: 'web-01', service_name: 'nginx', retries: 3, sources: ['a'] }, errors: {} });
    expect(prepareAnswers(questions, {}).errors).toEqual({
      target_host: 'Required.',
      service_name: 'Required.',
      sources: 'Choose at least one.',
    });
  });

  it('values from the command line or a runbook become form values of the right shape', () => {
    expect(rawFromValue(q({ type: 'multiselect' }), 'a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(rawFromValue(q({ type: 'multiselect' }), ['x', 2])).toEqual(['x', '2']);
    expect(rawFromValue(q({ type: 'integer' }), 5)).toBe('5');
    expect(rawFromValue(q({}), undefined)).toBe('');
  });
});
