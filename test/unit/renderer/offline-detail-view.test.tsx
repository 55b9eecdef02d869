// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { IncidentDetailPane } from '../../../renderer/src/features/incidents/IncidentDetail';
import { setZoneMode } from '../../../renderer/src/app/format/time';
import type { IncidentDetail } from '@shared/incidents/model';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// What a person sees when ServiceNow does not answer and the incident comes from the offline copy: the
// description and work notes, how old they are, why, and no button that leads to the unreachable system.

afterEach(() => {
  vi.useRealTimers();
  cleanup();
  setZoneMode('local');
});

const L = (label: string) => ({ value: label.toLowerCase(), label });
const SYS = 'a'.repeat(32);

function offlineDetail(syncedAt: string, missing?: string): IncidentDetail {
  return {
    sys_id: SYS,
    number: 'INC0010375',
    short_description: 'Checkout 5xx above SLO',
    priority: { value: '1', label: '1 - Critical' },
    state: L('In Progress'),
    hold_reason: L(''),
    assignment_group: L('SRE'),
    assigned_to: L('Ada'),
    cmdb_ci: L('checkout'),
    opened_at: '2026-01-01 09:00:00',
    sys_updated_on: '2026-01-01 09:30:00',
    sla_due: '',
    sys_mod_count: 4,
    u_alert_name: '',
    u_alert_instance: '',
    description: 'Customers see 503 on /pay since 09:00.',
    caller_id: L('Ada'),
    opened_by: L('Ada'),
    impact: L('1'),
    urgency: L('1'),
    category: L('Software'),
    subcategory: L(''),
    contact_type: L('Monitoring'),
    business_service: L('Checkout'),
    close_code: L(''),
    close_notes: '',
    resolved_at: '',
    resolved_by: L(''),
    sys_created_on: '2026-01-01 09:00:00',
    sys_updated_by: 'ada',
    made_sla: true,
    reassignment_count: 0,
    reopen_count: 0,
    journal: [
      {
        sys_id: 'j1',
        element: 'work_notes',
        value: 'Rolled back deploy 4711.',
        sys_created_on: '2026-01-01 13:20:00',
        sys_created_by: 'ada',
        author: 'Ada',
      },
    ],
    journalError: null,
    link: missing ? '' : 'https://snow.example.com/incident.do',
    alert: null,
    offline: { syncedAt, reason: 'ServiceNow (prod) did not answer within 2.5 s.', ...(missing ? { missing } : {}) },
  };
}

const props = {
  connectionId: 'snow',
  sysId: SYS,
  queueRow: undefined,
  me: null,
  now: Date.now(),
  assignRequest: 0,
  onClose: () => undefined,
};

describe('incident detail from the offline copy', () => {
  it('shows the journal with the copy age, the reason once, 24-hour times in the chosen zone', async () => {
    setZoneMode('utc');
    const syncedAt = new Date(Date.now() - 12 * 60_000).toISOString();
    const bridge = createFakeBridge({ 'incidents.get': () => offlineDetail(syncedAt) });
    renderWithApi(<IncidentDetailPane {...props} />, bridge);
    const note = await screen.findByTestId('detail-offline');
    expect(note.textContent).toMatch(/Offline copy, read 12 min ago/);
    expect(note.textContent).toMatch(/UTC\) — ServiceNow \(prod\) did not answer within 2\.5 s\./);
    expect(note.textContent?.match(/ServiceNow/g)).toHaveLength(1);
    expect(screen.getByTestId('detail-description').textContent).toBe('Customers see 503 on /pay since 09:00.');
    expect(screen.getByTestId('journal').textContent).toMatch(/Rolled back deploy 4711\..*/);
    expect(screen.getByTestId('journal').textContent).toMatch(/2026-01-01 13:20 UTC/);
    expect(screen.getByTestId('journal').textContent).not.toMatch(/PM|AM/);
  });

  it('a copy built from the queue says what it lacks and offers no ServiceNow link it does not have', async () => {
    const bridge = createFakeBridge({
      'incidents.get': () =>
        offlineDetail(new Date().toISOString(), 'The description and work notes were never read while ServiceNow answered.'),
    });
    renderWithApi(<IncidentDetailPane {...props} />, bridge);
    const note = await screen.findByTestId('detail-offline');
    expect(note.textContent).toMatch(/never read while ServiceNow answered/);
    expect(screen.queryByTestId('detail-open-servicenow')).toBeNull();
  });

  it('reads again while it shows a copy, and drops the note once ServiceNow answers', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let offline = true;
    const bridge = createFakeBridge({
      'incidents.get': () => {
        const d = offlineDetail(new Date().toISOString());
        if (offline) return d;
        const { offline: _drop, ...live } = d;
        return live;
      },
    });
    renderWithApi(<IncidentDetailPane {...props} />, bridge);
    await screen.findByTestId('detail-offline');
    offline = false;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(16_000);
    });
    await waitFor(() => expect(screen.queryByTestId('detail-offline')).toBeNull());
    expect(bridge.callsOf('incidents.get').length).toBeGreaterThanOrEqual(2);
  });
});
