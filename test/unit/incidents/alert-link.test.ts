import { describe, expect, it } from 'vitest';
import type { PromAlertView } from '@shared/slo/contract';
import { findFiringAlert, linkIncidentAlert, sloOfAlert } from '../../../renderer/src/features/incidents/alert-link';
import type { SloRef } from '../../../renderer/src/features/incidents/alert-link';

function alert(labels: Record<string, string>, over: Partial<PromAlertView> = {}): PromAlertView {
  return {
    connectionId: 'prom',
    alertname: labels['alertname'] ?? 'alert',
    state: 'firing',
    labels,
    annotations: {},
    activeAt: '2026-03-01T10:00:00Z',
    value: 1,
    ...over,
  };
}

const SLOS: SloRef[] = [
  { id: 'openslo/checkout-availability', name: 'checkout-availability', service: 'checkout' },
  { id: 'sloth/payments-latency', name: 'payments-latency', service: 'payments' },
  { id: 'openslo/payments-errors', name: 'payments-errors', service: 'payments', connectionId: 'other' },
];

describe('findFiringAlert', () => {
  const disk1 = alert({ alertname: 'DiskAlmostFull', instance: 'db-01:9100' }, { activeAt: '2026-03-01T10:05:00Z' });
  const disk2 = alert({ alertname: 'DiskAlmostFull', instance: 'db-02:9100' }, { activeAt: '2026-03-01T09:00:00Z' });
  const pending = alert({ alertname: 'DiskAlmostFull', instance: 'db-03:9100' }, { state: 'pending' });

  it('matches the alertname and the instance label when the incident names one', () => {
    expect(findFiringAlert([disk2, disk1], 'DiskAlmostFull', 'db-01:9100')).toBe(disk1);
    expect(findFiringAlert([disk2, disk1], ' DiskAlmostFull ', ' db-01:9100 ')).toBe(disk1);
    expect(findFiringAlert([disk1, disk2], 'DiskAlmostFull', 'db-09:9100')).toBeUndefined();
  });

  it('without an instance takes the longest firing one of that name', () => {
    expect(findFiringAlert([disk1, disk2], 'DiskAlmostFull', '')).toBe(disk2);
    expect(findFiringAlert([disk1, disk2], 'DiskAlmostFull')).toBe(disk2);
  });

  it('ignores pending alerts, other names and an empty name', () => {
    expect(findFiringAlert([pending], 'DiskAlmostFull', 'db-03:9100')).toBeUndefined();
    expect(findFiringAlert([disk1], 'HighLatency', '')).toBeUndefined();
    expect(findFiringAlert([disk1], '', '')).toBeUndefined();
    expect(findFiringAlert([], 'DiskAlmostFull', '')).toBeUndefined();
  });
});

describe('sloOfAlert', () => {
  it('matches an slo / sloth_slo / slo_name label on the SLO name or id', () => {
    expect(sloOfAlert(alert({ alertname: 'X', slo: 'checkout-availability' }), SLOS)?.id).toBe('openslo/checkout-availability');
    expect(sloOfAlert(alert({ alertname: 'X', sloth_slo: 'payments-latency' }), SLOS)?.id).toBe('sloth/payments-latency');
    expect(sloOfAlert(alert({ alertname: 'X', slo_name: 'openslo/payments-errors' }), SLOS)?.id).toBe('openslo/payments-errors');
  });

  it('prefers the SLO label over the service label', () => {
    expect(sloOfAlert(alert({ alertname: 'X', slo: 'checkout-availability', service: 'payments' }), SLOS)?.id).toBe(
      'openslo/checkout-availability',
    );
  });

  it('falls back to the service label, preferring SLOs of the alert’s own Prometheus', () => {
    expect(sloOfAlert(alert({ alertname: 'X', service: 'checkout' }), SLOS)?.id).toBe('openslo/checkout-availability');
    expect(sloOfAlert(alert({ alertname: 'X', service: 'payments' }, { connectionId: 'other' }), [...SLOS].reverse())?.id).toBe(
      'openslo/payments-errors',
    );
    expect(sloOfAlert(alert({ alertname: 'X', slo: 'unknown', service: 'checkout' }), SLOS)?.id).toBe('openslo/checkout-availability');
  });

  it('keeps the SLO the server tied the alert to', () => {
    expect(sloOfAlert(alert({ alertname: 'X' }, { sloId: 'sloth/payments-latency' }), SLOS)?.id).toBe('sloth/payments-latency');
  });

  it('finds none without a matching label', () => {
    expect(sloOfAlert(alert({ alertname: 'X', service: 'search' }), SLOS)).toBeUndefined();
    expect(sloOfAlert(alert({ alertname: 'X' }), SLOS)).toBeUndefined();
    expect(sloOfAlert(alert({ alertname: 'X', slo: 'checkout-availability' }), [])).toBeUndefined();
  });
});

describe('linkIncidentAlert', () => {
  it('gives the firing alert and its SLO, or nothing when it is not firing', () => {
    const a = alert({ alertname: 'CheckoutErrorBudgetBurn', instance: 'web-1', service: 'checkout' });
    expect(linkIncidentAlert([a], SLOS, 'CheckoutErrorBudgetBurn', 'web-1')).toEqual({ alert: a, slo: SLOS[0] });
    expect(linkIncidentAlert([alert({ alertname: 'Other' })], SLOS, 'CheckoutErrorBudgetBurn', '')).toBeUndefined();
    expect(linkIncidentAlert([alert({ alertname: 'NoSlo' })], SLOS, 'NoSlo', '')).toEqual({
      alert: expect.objectContaining({ alertname: 'NoSlo' }),
      slo: undefined,
    });
  });
});
