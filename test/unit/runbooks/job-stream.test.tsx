// @vitest-environment jsdom
// The job log over the `toc serve` WebSocket bridge: when the link drops, the subscription is re-made from the
// counter after the last whole event (a half-received event is dropped and comes again whole), so the resumed
// log continues exactly where it stopped — no line lost, none twice.
import { act, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobStreamItem } from '@shared/jobs/model';
import { createClient } from '../../../renderer/src/app/api/client';
import { ApiProvider } from '../../../renderer/src/app/api/hooks';
import { createQueryClient } from '../../../renderer/src/app/api/query-client';
import { createWsBridge } from '../../../renderer/src/app/api/ws-bridge';
import { useJobStream } from '../../../renderer/src/features/jobs/log/use-job-stream';
import { FakeSocket } from '../renderer/fake-socket';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Lines = Extract<JobStreamItem, { kind: 'lines' }>;
const chunk = (counter: number, lines: string[], offset = 0, total = lines.length): Lines => ({
  kind: 'lines',
  counter,
  event: 'runner_on_ok',
  offset,
  total,
  line: 0,
  lines,
  failed: false,
  changed: false,
  host: 'h',
  play: '',
  playId: '',
  task: '',
  taskId: '',
});

function Probe(): ReactNode {
  const { model, version } = useJobStream('awx', 7);
  return (
    <div data-testid="log" data-version={version}>
      {model.lines().join('|')}
    </div>
  );
}

describe('job log resume after a dropped link', () => {
  beforeEach(() => {
    FakeSocket.all = [];
  });
  afterEach(() => {
    FakeSocket.all = [];
  });

  it('resubscribes from the counter after the last whole event', async () => {
    const ws = createWsBridge({
      url: 'ws://127.0.0.1:1/bridge',
      createSocket: (u) => new FakeSocket(u),
      backoff: { initialMs: 5, maxMs: 5 },
      random: () => 0,
    });
    render(
      <ApiProvider client={createClient(ws.bridge)} connectivity={ws.connectivity} queryClient={createQueryClient()}>
        <Probe />
      </ApiProvider>,
    );
    const first = FakeSocket.latest();
    act(() => first.open());
    const sub = first.sentOf('sub').find((m) => m.topic === 'jobs.events');
    expect(sub?.args).toEqual({ connectionId: 'awx', jobId: 7 });
    act(() => first.receive({ t: 'events', id: sub?.id ?? -1, batch: [chunk(1, ['a']), chunk(2, ['b', 'c'], 0, 4)] }));
    await waitFor(() => expect(screen.getByTestId('log').textContent).toBe('a|b|c'));

    act(() => first.drop());
    // The half-received event 2 is dropped from the screen; it will come again whole.
    await waitFor(() => expect(screen.getByTestId('log').textContent).toBe('a'));
    await waitFor(() => expect(FakeSocket.all.length).toBe(2));
    const second = FakeSocket.latest();
    act(() => second.open());
    const resub = second.sentOf('sub').filter((m) => m.topic === 'jobs.events');
    expect(resub.map((m) => m.args)).toEqual([{ connectionId: 'awx', jobId: 7, fromCounter: 2 }]);
    // A replay of what was already shown is ignored; the rest continues in order.
    act(() =>
      second.receive({ t: 'events', id: resub[0]?.id ?? -1, batch: [chunk(1, ['a']), chunk(2, ['b', 'c', 'd', 'e']), chunk(3, ['f'])] }),
    );
    await waitFor(() => expect(screen.getByTestId('log').textContent).toBe('a|b|c|d|e|f'));
    ws.close();
  });
});
