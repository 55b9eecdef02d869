import { describe, expect, it } from 'vitest';
import { OperatorName, operatorSignature, resolveOperator, signNote } from '@shared/app/operator';

describe('signNote', () => {
  it('ends the note with the signature on its own line', () => {
    expect(signNote('Restarted nginx.', 'j.doe')).toBe('Restarted nginx.\n\n— j.doe via TOC Console');
  });
  it('signs once: a note already signed (trailing blanks and all) is left as it is', () => {
    const once = signNote('x', 'j.doe');
    expect(signNote(once, 'j.doe')).toBe(once);
    expect(signNote(`${once}\n \n`, 'j.doe')).toBe(once);
  });
  it('a note signed by someone else gets this operator too (the last line is who sent it)', () => {
    expect(signNote(signNote('x', 'a.b'), 'c.d')).toBe('x\n\n— a.b via TOC Console\n\n— c.d via TOC Console');
  });
  it('text that only mentions the signature in the middle is still signed', () => {
    const text = `${operatorSignature('j.doe')} said so\nthen more`;
    expect(signNote(text, 'j.doe').endsWith('\n\n— j.doe via TOC Console')).toBe(true);
  });
});

describe('OperatorName', () => {
  it.each([
    ['', false],
    ['   ', false],
    ['a'.repeat(65), false],
    ['two\nlines', false],
    ['tab\there', false],
    ['sep\u2028arator', false],
    ['j.doe', true],
    ['  j.doe@example.com  ', true],
    ['Zoë Ødegård', true],
  ])('%j valid: %s', (input, ok) => {
    expect(OperatorName.safeParse(input).success).toBe(ok);
  });
});

describe('resolveOperator', () => {
  it('workspace, then settings, then environment, then the OS user', () => {
    expect(resolveOperator({ workspace: 'wall', settings: 's', environment: 'e', os: 'o' })).toEqual({ name: 'wall', source: 'workspace' });
    expect(resolveOperator({ settings: 's', environment: 'e', os: 'o' })).toEqual({ name: 's', source: 'settings' });
    expect(resolveOperator({ environment: ' e ', os: 'o' })).toEqual({ name: 'e', source: 'environment' });
    expect(resolveOperator({ os: 'o' })).toEqual({ name: 'o', source: 'os' });
  });
  it('skips a candidate that is not a valid name instead of writing it anywhere', () => {
    expect(resolveOperator({ settings: 'bad\nname', environment: '', os: 'o' })).toEqual({ name: 'o', source: 'os' });
    expect(resolveOperator({ os: '' })).toEqual({ name: 'unknown', source: 'os' });
  });
});
