import { describe, expect, it } from 'vitest';
import { hasPlaceholders, renderValue, renderVars } from '@shared/runbooks/template-vars';

const ctx = { incident: { number: 'INC0010042', alert_instance: 'web-01:9100', alert_host: 'web-01', cmdb_ci: '', priority: '2 - High' } };

describe('runbook extra vars filled from the incident', () => {
  it('a whole-value placeholder keeps the value; text around placeholders is interpolated', () => {
    expect(renderValue('{{ incident.number }}', ctx)).toEqual({ value: 'INC0010042', missing: [] });
    expect(renderValue('  {{incident.alert_host}} ', ctx)).toEqual({ value: 'web-01', missing: [] });
    expect(renderValue('ticket {{ incident.number }} on {{ incident.alert_host }}', ctx)).toEqual({
      value: 'ticket INC0010042 on web-01',
      missing: [],
    });
  });

  it('missing and empty values are reported; default() fills them', () => {
    expect(renderValue('{{ incident.cmdb_ci }}', ctx)).toEqual({ value: '', missing: ['incident.cmdb_ci'] });
    expect(renderValue('{{ incident.nope }}/{{ other.x }}', ctx)).toEqual({ value: '/', missing: ['incident.nope', 'other.x'] });
    expect(renderValue("{{ incident.cmdb_ci | default('web-02') }}", ctx)).toEqual({ value: 'web-02', missing: [] });
    expect(renderValue('{{ incident.number | default("x") }}', ctx)).toEqual({ value: 'INC0010042', missing: [] });
    expect(renderValue('{{ incident.number }}', {})).toEqual({ value: '', missing: ['incident.number'] });
  });

  it('non-strings pass through, lists are filled item by item', () => {
    expect(renderValue(3, ctx)).toEqual({ value: 3, missing: [] });
    expect(renderValue(true, ctx)).toEqual({ value: true, missing: [] });
    expect(renderValue(['syslog', '{{ incident.alert_host }}'], ctx)).toEqual({ value: ['syslog', 'web-01'], missing: [] });
  });

  it('renders a whole map and lists each missing name once', () => {
    const r = renderVars({ target: '{{ incident.alert_host }}', a: '{{ incident.x }}', b: '{{ incident.x }}-2', n: 1 }, ctx);
    expect(r).toEqual({ values: { target: 'web-01', a: '', b: '-2', n: 1 }, missing: ['incident.x'] });
    expect(hasPlaceholders('plain')).toBe(false);
    expect(hasPlaceholders('x {{ incident.number }}')).toBe(true);
    // Things that look like code are not evaluated.
    expect(renderValue('{{ incident.number.constructor }}', ctx)).toEqual({ value: '', missing: ['incident.number.constructor'] });
    expect(renderValue('{{ __proto__ }}', ctx).missing).toEqual(['__proto__']);
  });
});
