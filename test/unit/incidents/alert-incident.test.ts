import { describe, expect, it } from 'vitest';
import { PRIORITY_MATRIX } from '../../sim/servicenow';
import { alertInstanceOf, impactUrgencyFor, incidentFields, priorityForSeverity, sameAlertGroups } from '@shared/incidents/alert-incident';

describe('severity → priority → impact/urgency', () => {
  it('every priority comes back out of the out-of-the-box matrix', () => {
    for (const p of ['1', '2', '3', '4', '5']) {
      const { impact, urgency } = impactUrgencyFor(p);
      expect(PRIORITY_MATRIX[impact]?.[urgency]).toBe(p);
    }
  });
  it('defaults critical 1, warning 3, info 5, anything else 3; the workspace map wins, case-insensitively', () => {
    expect(['critical', 'warning', 'info', 'bogus', '', undefined].map((s) => priorityForSeverity(s))).toEqual([
      '1',
      '3',
      '5',
      '3',
      '3',
      '3',
    ]);
    expect(priorityForSeverity('Warning', { WARNING: '2' })).toBe('2');
    expect(priorityForSeverity('critical', { warning: '2' })).toBe('1');
  });
});

describe('alertInstanceOf', () => {
  it('instance, else slo, else service', () => {
    expect(alertInstanceOf({ instance: 'web-1:9100', slo: 's', service: 'x' })).toBe('web-1:9100');
    expect(alertInstanceOf({ slo: 'notifications-delivery', service: 'notifications' })).toBe('notifications-delivery');
    expect(alertInstanceOf({ service: 'payments' })).toBe('payments');
    expect(alertInstanceOf({})).toBe('');
  });
});

describe('incidentFields', () => {
  it('keeps the short description within 160 characters and one line', () => {
    const f = incidentFields(
      { name: 'A', instance: 'i', summary: `line one\nline two ${'x'.repeat(300)}`, source: 'prometheus' },
      { operator: 'j.doe' },
    );
    expect(f.short_description?.length).toBe(160);
    expect(f.short_description).not.toContain('\n');
    expect(f.description).toContain('by j.doe via TOC Console');
  });
  it('links only http(s) runbooks and dashboards', () => {
    const f = incidentFields(
      { name: 'A', instance: '', runbookUrl: 'file:///etc/passwd', dashboardUrl: 'https://g/d', source: 'alertmanager' },
      { operator: 'o' },
    );
    expect(f.description).not.toContain('file:');
    expect(f.description).toContain('Dashboard: https://g/d');
  });
});

describe('sameAlertGroups', () => {
  const row = (sys_id: string, opened_at: string, u_alert_name: string, u_alert_instance: string) => ({
    sys_id,
    opened_at,
    u_alert_name,
    u_alert_instance,
  });
  it('groups two or more open incidents with the same alert and instance, oldest first; ignores alert-less rows', () => {
    const rows = [
      row('c', '2026-01-03 00:00:00', 'Burn', 'payments'),
      row('a', '2026-01-01 00:00:00', 'Burn', 'payments'),
      row('b', '2026-01-02 00:00:00', 'Burn', 'checkout'),
      row('d', '2026-01-01 00:00:00', '', ''),
      row('e', '2026-01-01 00:00:00', '', ''),
      row('f', '2026-01-05 00:00:00', 'Burn', 'payments'),
    ];
    const groups = sameAlertGroups(rows);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.rows.map((r) => r.sys_id)).toEqual(['a', 'c', 'f']);
    expect(groups[0]).toMatchObject({ alertName: 'Burn', instance: 'payments' });
  });
});
