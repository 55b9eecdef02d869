// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { ContractFailure } from '@shared/kernel/result';
import { computeInsights } from '@shared/insights';
import type { InsightIncident, InsightsReport } from '@shared/insights';
import InsightsView from '../../../renderer/src/features/insights/InsightsView';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';
import { formatDateTime, setZoneMode } from '../../../renderer/src/app/format/time';

afterEach(cleanup);

const t = (s: string): number => Date.parse(`${s}Z`);
const inc = (n: number, opened: string, resolved: string | null): InsightIncident => ({
  sysId: `sys${n}`,
  number: `INC00000${n}`,
  shortDescription: `Disk almost full on web-0${n}`,
  priority: '2',
  group: 'g1',
  groupName: 'Linux',
  service: 's1',
  serviceName: 'Checkout',
  ci: 'c1',
  ciName: 'web-01',
  alertName: 'DiskAlmostFull',
  openedAt: t(opened),
  resolvedAt: resolved === null ? null : t(resolved),
  endedAt: resolved === null ? null : t(resolved),
  assignedAt: null,
});

function report(incidents: InsightIncident[], from: string, to: string): InsightsReport {
  return computeInsights(
    { incidents, jobs: [], changes: [], runbooks: [], slos: [] },
    { from: t(`${from}T00:00:00`), to: t(`${to}T00:00:00`), snowConnectionId: 'snow', generatedAt: t(`${to}T00:00:00`) },
  );
}

const scopes = () => ({ groups: [{ value: 'g1', label: 'Linux' }], services: [{ value: 's1', label: 'Checkout' }] });

describe('insights view', () => {
  it('shows the figures with how they were computed; a click lists the records behind one, linked to the incident', async () => {
    const bridge = createFakeBridge({
      'insights.scopes': scopes,
      'insights.report': (a) =>
        report([inc(1, '2026-10-02T10:00:00', '2026-10-02T11:30:00'), inc(2, '2026-10-03T10:00:00', null)], a.from, a.to),
    });
    renderWithApi(<InsightsView route={{ view: 'insights', path: [] }} />, bridge);
    fireEvent.change(screen.getByTestId('insights-preset'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByTestId('insights-from'), { target: { value: '2026-10-01' } });
    fireEvent.change(screen.getByTestId('insights-to'), { target: { value: '2026-11-01' } });
    await waitFor(() => expect(screen.getByTestId('insights-report').getAttribute('data-from')).toBe('2026-10-01'));
    const tile = screen.getByTestId('insights-tile-incidents.opened');
    expect(tile.textContent).toContain('2');
    expect(tile.textContent).toContain('opened_at is in [2026-10-01 00:00, 2026-11-01 00:00) UTC');
    expect(screen.getByTestId('insights-tile-incidents.mttrMinutes').textContent).toContain('90 min');
    expect(bridge.callsOf('insights.report').at(-1)).toEqual({ from: '2026-10-01', to: '2026-11-01', changeWindowHours: 24 });

    fireEvent.click(tile.querySelector('button')!);
    const panel = await screen.findByTestId('insights-records');
    const rows = screen.getAllByTestId('insights-record');
    expect(rows.map((r) => r.getAttribute('data-ref'))).toEqual(['INC000001', 'INC000002']);
    expect(rows[0]!.querySelector('a')!.getAttribute('href')).toBe('#/incidents/sys1');
    expect(screen.getByTestId('insights-records-how').textContent).toContain('opened_at');
    fireEvent.keyDown(panel, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('insights-records')).toBeNull());

    fireEvent.change(screen.getByTestId('insights-group'), { target: { value: 'g1' } });
    await waitFor(() => expect(bridge.callsOf('insights.report').at(-1)).toMatchObject({ group: 'g1' }));
  });

  it('its times are in the console’s one format and zone: the read time and every record’s time', async () => {
    const bridge = createFakeBridge({
      'insights.scopes': scopes,
      // Times with milliseconds, as a live report's read time always has them.
      'insights.report': (a) => ({
        ...report([inc(1, '2026-10-02T10:00:00.250', '2026-10-02T11:30:00')], a.from, a.to),
        generatedAt: '2026-11-01T00:00:00.932Z',
      }),
    });
    for (const zone of ['utc', 'local'] as const) {
      setZoneMode(zone);
      renderWithApi(<InsightsView route={{ view: 'insights', path: [] }} />, bridge);
      fireEvent.change(screen.getByTestId('insights-preset'), { target: { value: 'custom' } });
      fireEvent.change(screen.getByTestId('insights-from'), { target: { value: '2026-10-01' } });
      fireEvent.change(screen.getByTestId('insights-to'), { target: { value: '2026-11-01' } });
      await waitFor(() => expect(screen.getByTestId('insights-report').getAttribute('data-from')).toBe('2026-10-01'));
      // "read at 2026-11-01 00:00:00 UTC", never the ISO string with milliseconds ("00:00:00.000 UTC").
      const read = screen.getByTestId('insights-report').querySelector('p')!.textContent ?? '';
      expect(read.endsWith(`read at ${formatDateTime(t('2026-11-01T00:00:00.932'))}`)).toBe(true);
      expect(read).not.toMatch(/\.\d{3}/);
      fireEvent.click(screen.getByTestId('insights-tile-incidents.opened').querySelector('button')!);
      await screen.findByTestId('insights-records');
      const row = screen.getAllByTestId('insights-record')[0]!.textContent ?? '';
      expect(row).toContain(`${formatDateTime(t('2026-10-02T10:00:00.250'))} · `);
      expect(row).not.toMatch(/\.\d{3}/);
      cleanup();
    }
    setZoneMode('local');
  });

  it('the priority and group tables: one row each, every number opens the records behind it', async () => {
    const bridge = createFakeBridge({
      'insights.scopes': scopes,
      'insights.report': (a) =>
        report([inc(1, '2026-10-02T10:00:00', '2026-10-02T11:30:00'), inc(2, '2026-10-03T10:00:00', null)], a.from, a.to),
    });
    renderWithApi(<InsightsView route={{ view: 'insights', path: [] }} />, bridge);
    fireEvent.change(screen.getByTestId('insights-preset'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByTestId('insights-from'), { target: { value: '2026-10-01' } });
    fireEvent.change(screen.getByTestId('insights-to'), { target: { value: '2026-11-01' } });
    await waitFor(() => expect(screen.getByTestId('insights-report').getAttribute('data-from')).toBe('2026-10-01'));
    const text = (el: Element): string[] => [...el.querySelectorAll('th, td')].map((c) => c.textContent ?? '');
    const prio = screen.getByTestId('insights-priority-table');
    expect(text(prio.querySelector('thead')!)).toEqual([
      'Priority',
      'Opened',
      'Resolved',
      'MTTR median',
      'MTTR p90',
      'Assign median',
      'Assign p90',
    ]);
    expect(text(prio.querySelector('tr[data-priority="2"]')!)).toEqual(['P2', '2', '1', '90 min', '90 min', '—', '—']);
    expect([...prio.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-priority'))).toEqual(['1', '2', '3', '4', '5']);
    const groups = screen.getByTestId('insights-group-table');
    expect(text(groups)).toEqual([
      ...['Group', 'Opened', 'Resolved', 'MTTR median', 'MTTR p90', 'Assign median'],
      ...['Linux', '2', '1', '90 min', '90 min', '—'],
    ]);
    expect([...groups.querySelectorAll('[data-testid=insights-figure]')].map((b) => b.getAttribute('data-figure'))).toEqual([
      'incidents.byGroup.g1.opened',
      'incidents.byGroup.g1.resolved',
      'incidents.byGroup.g1.mttrMinutes',
      'incidents.byGroup.g1.mttrMinutes',
      'incidents.byGroup.g1.timeToAssignMinutes',
    ]);
    fireEvent.click(groups.querySelector('[data-figure="incidents.byGroup.g1.resolved"]')!);
    expect((await screen.findByTestId('insights-records')).textContent).toContain('INC000001');
  });

  it('exports the report as CSV', async () => {
    const bridge = createFakeBridge({
      'insights.scopes': scopes,
      'insights.report': (a) => report([inc(1, '2026-10-02T10:00:00', null)], a.from, a.to),
    });
    const blobs: Blob[] = [];
    const create = vi.fn((b: Blob) => (blobs.push(b), 'blob:x'));
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderWithApi(<InsightsView route={{ view: 'insights', path: [] }} />, bridge);
    await screen.findByTestId('insights-report');
    fireEvent.click(screen.getByTestId('insights-csv'));
    expect(click).toHaveBeenCalled();
    const text = await blobs[0]!.text();
    expect(text.split('\r\n')[0]).toBe('from,to,section,name,measure,value,how,records');
    click.mockRestore();
  });

  it('says why a period cannot be asked for, and asks nothing', async () => {
    const bridge = createFakeBridge({ 'insights.scopes': scopes, 'insights.report': (a) => report([], a.from, a.to) });
    renderWithApi(<InsightsView route={{ view: 'insights', path: [] }} />, bridge);
    fireEvent.change(screen.getByTestId('insights-from'), { target: { value: '2026-10-05' } });
    fireEvent.change(screen.getByTestId('insights-to'), { target: { value: '2026-10-05' } });
    expect((await screen.findByTestId('insights-period-problem')).textContent).toContain('The end must be after the start');
    expect(bridge.callsOf('insights.report').every((c) => (c as { to: string }).to !== '2026-10-05')).toBe(true);
  });

  it('loading, then the error in the system’s words, then the empty state', async () => {
    let fail = true;
    const bridge = createFakeBridge({
      'insights.scopes': () => {
        throw new ContractFailure('not_configured', 'No ServiceNow connection is configured.');
      },
      'insights.report': (a) => {
        if (fail) throw new ContractFailure('unreachable', 'ServiceNow sim could not be reached.', { remoteMessage: 'ECONNREFUSED' });
        return report([], a.from, a.to);
      },
    });
    renderWithApi(<InsightsView route={{ view: 'insights', path: [] }} />, bridge);
    expect(screen.getByTestId('state-loading')).toBeTruthy();
    const err = await screen.findByTestId('state-error');
    expect(err.textContent).toContain('ServiceNow sim could not be reached.');
    expect(screen.getByText(/Group and service lists are not available/)).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByTestId('state-error-retry'));
    expect((await screen.findByTestId('insights-empty')).textContent).toContain('Nothing happened in this period');
  });
});
