// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { ContractFailure } from '@shared/kernel/result';
import type { AuditEntry } from '@shared/activity/model';
import ActivityView from '../../../renderer/src/features/activity/ActivityView';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

afterEach(cleanup);

const entry = (id: string, at: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at,
  who: 'alice',
  action: 'connections.save',
  target: 'prometheus connection prom',
  outcome: 'ok',
  ...extra,
});

describe('activity view', () => {
  it('lists the audit log newest first and prepends appended entries live', async () => {
    const bridge = createFakeBridge({
      'activity.list': () => [
        entry('b', '2025-05-01T10:00:02Z', { outcome: 'error', message: 'HTTP 403', remoteRef: 'job 42', connectionId: 'awx' }),
        entry('a', '2025-05-01T10:00:01Z'),
      ],
    });
    renderWithApi(<ActivityView />, bridge);
    await screen.findByTestId('activity-table');
    const ids = (): (string | null)[] => screen.getAllByTestId('activity-row').map((r) => r.getAttribute('data-id'));
    expect(ids()).toEqual(['b', 'a']);
    const failed = screen.getAllByTestId('activity-row')[0]!;
    expect(failed.getAttribute('data-outcome')).toBe('error');
    expect(failed.textContent).toContain('HTTP 403');
    expect(failed.textContent).toContain('job 42');

    await waitFor(() => expect(bridge.subscriberCount('activity.appended')).toBe(1));
    act(() => bridge.emit('activity.appended', entry('c', '2025-05-01T10:00:03Z', { action: 'jobs.launch' })));
    await waitFor(() => expect(ids()).toEqual(['c', 'b', 'a']));
  });

  it('shows the error in the system’s words with Retry, then the empty state', async () => {
    let fail = true;
    const bridge = createFakeBridge({
      'activity.list': () => {
        if (fail) throw new ContractFailure('internal', 'The audit log could not be read.', { remoteMessage: 'EACCES: permission denied' });
        return [];
      },
    });
    renderWithApi(<ActivityView />, bridge);
    expect(screen.getByTestId('state-loading')).toBeTruthy();
    const err = await screen.findByTestId('state-error');
    expect(err.textContent).toContain('The audit log could not be read.');
    expect(screen.getByTestId('error-remote-message').textContent).toBe('EACCES: permission denied');
    fail = false;
    fireEvent.click(screen.getByTestId('state-error-retry'));
    expect(await screen.findByTestId('state-empty')).toBeTruthy();
  });
});
