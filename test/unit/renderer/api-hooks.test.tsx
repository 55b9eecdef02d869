// @vitest-environment jsdom
import { useState } from 'react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { ContractFailure } from '@shared/kernel/result';
import type { AuditEntry } from '@shared/activity/model';
import { createClient, toContractError } from '../../../renderer/src/app/api/client';
import { useAction, useCall, useTopic } from '../../../renderer/src/app/api/hooks';
import { withLocalAbort } from '../../../renderer/src/app/api/bridge';
import type { Connectivity, ConnectivitySnapshot } from '../../../renderer/src/app/api/types';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

afterEach(cleanup);

describe('client', () => {
  it('returns the typed data, or throws a ContractFailure carrying the contract error', async () => {
    const bridge = createFakeBridge({
      'connections.test': () => {
        throw new ContractFailure('unauthorized', 'Prometheus said 401.', { status: 401, remoteMessage: 'bad token' });
      },
    });
    const client = createClient(bridge);
    const info = await client.call('app.info', {});
    expect(info.workspace.name).toBe('Test workspace');
    const err = await client.call('connections.test', { id: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractFailure);
    expect(toContractError(err)).toEqual({
      code: 'unauthorized',
      message: 'Prometheus said 401.',
      detail: { status: 401, remoteMessage: 'bad token' },
    });
  });

  it('cancels over IPC locally: the caller gets `cancelled` at once', async () => {
    let release: () => void = () => undefined;
    const slow = withLocalAbort({
      transport: 'ipc',
      invoke: () => new Promise((r) => (release = () => r({ ok: true, data: {} }))),
      subscribe: () => () => undefined,
    });
    const ac = new AbortController();
    const p = slow.invoke('connections.test', { id: 'x' }, { signal: ac.signal });
    ac.abort();
    await expect(p).resolves.toMatchObject({ ok: false, error: { code: 'cancelled' } });
    release();
  });
});

function AuditCount(props: { limit: number }): ReactNode {
  const q = useCall('activity.list', { limit: props.limit });
  return <span data-testid="count">{q.data ? q.data.length : '…'}</span>;
}

function Listener(props: { seen: AuditEntry[] }): ReactNode {
  useTopic('activity.appended', {}, (batch) => props.seen.push(...batch));
  return null;
}

function Toggle(props: { children: ReactNode }): ReactNode {
  const [on, setOn] = useState(true);
  return (
    <>
      <button data-testid="toggle" onClick={() => setOn(!on)} />
      {on ? props.children : null}
    </>
  );
}

function SaveTheme(): ReactNode {
  const [text, setText] = useState('');
  const save = useAction('settings.update');
  return (
    <>
      <input data-testid="text" value={text} onChange={(e) => setText(e.target.value)} />
      <button data-testid="go" onClick={() => save.mutate({ theme: 'light' })} />
      <span data-testid="err">{save.error?.message ?? ''}</span>
    </>
  );
}

describe('hooks', () => {
  it('useCall keys queries by method and args', async () => {
    const bridge = createFakeBridge({
      'activity.list': ({ limit }) =>
        Array.from({ length: Math.min(limit ?? 1, 3) }, (_, i) => ({
          id: String(i),
          at: 'x',
          who: 'w',
          action: 'a',
          target: 't',
          outcome: 'ok' as const,
        })),
    });
    renderWithApi(
      <>
        <AuditCount limit={1} />
        <AuditCount limit={5} />
      </>,
      bridge,
    );
    await waitFor(() => expect(screen.getAllByTestId('count').map((e) => e.textContent)).toEqual(['1', '3']));
    expect(bridge.callsOf('activity.list')).toEqual([{ limit: 1 }, { limit: 5 }]);
  });

  it('useTopic delivers batches while mounted and unsubscribes on unmount', async () => {
    const bridge = createFakeBridge();
    const seen: AuditEntry[] = [];
    renderWithApi(
      <Toggle>
        <Listener seen={seen} />
      </Toggle>,
      bridge,
    );
    expect(bridge.subscriberCount('activity.appended')).toBe(1);
    const e: AuditEntry = { id: '1', at: '2025-01-01T00:00:00Z', who: 'w', action: 'a', target: 't', outcome: 'ok' };
    act(() => bridge.emit('activity.appended', e));
    expect(seen).toEqual([e]);
    fireEvent.click(screen.getByTestId('toggle'));
    expect(bridge.subscriberCount('activity.appended')).toBe(0);
  });

  it('useAction reports the failure, does not retry, and leaves the caller’s input alone', async () => {
    const bridge = createFakeBridge({
      'settings.update': () => {
        throw new ContractFailure('timeout', 'Saving settings timed out.');
      },
    });
    renderWithApi(<SaveTheme />, bridge);
    fireEvent.change(screen.getByTestId('text'), { target: { value: 'typed by hand' } });
    fireEvent.click(screen.getByTestId('go'));
    await waitFor(() => expect(screen.getByTestId('err').textContent).toBe('Saving settings timed out.'));
    expect(bridge.callsOf('settings.update')).toHaveLength(1);
    expect((screen.getByTestId('text') as HTMLInputElement).value).toBe('typed by hand');
  });

  it('reads everything on screen again after the link comes back (events sent meanwhile were lost)', async () => {
    // The first connect is not a reconnect: calls made meanwhile were queued, nothing was missed.
    let snap: ConnectivitySnapshot = { state: 'connecting', failures: 0, nextRetryAt: null, missingToken: false, endpoint: 'h:1' };
    const listeners = new Set<() => void>();
    const set = (state: ConnectivitySnapshot['state']): void => {
      snap = { ...snap, state };
      for (const l of listeners) l();
    };
    const connectivity: Connectivity = {
      snapshot: () => snap,
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      reconnectNow: () => undefined,
    };
    const bridge = createFakeBridge();
    renderWithApi(<AuditCount limit={2} />, bridge, connectivity);
    await waitFor(() => expect(bridge.callsOf('activity.list')).toHaveLength(1));
    act(() => set('online'));
    await Promise.resolve();
    expect(bridge.callsOf('activity.list')).toHaveLength(1);
    act(() => set('offline'));
    act(() => set('connecting'));
    act(() => set('online'));
    await waitFor(() => expect(bridge.callsOf('activity.list')).toHaveLength(2));
  });
});
