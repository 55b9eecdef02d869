// @vitest-environment jsdom
// The job detail when AWX is away and the offline copy has the job but not its log: the page says so (never
// "Waiting for output…"), with the last known status, the copy's age and AWX's own words once, and turns into
// the live log by itself when AWX answers again on the same stream.
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import type { JobDetail as JobDetailData, JobStreamItem } from '@shared/jobs/model';
import { JobDetail } from '../../../renderer/src/features/jobs/JobDetail';
import { createFakeBridge } from './fake-bridge';
import type { FakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

afterEach(() => cleanup());

const REFUSED = 'Demo AWX: nothing is listening at 127.0.0.1:9 (connection refused).';
const MISSING = 'The host recap and variables were never read while AWX answered; the status is from the job list.';
const NOTE =
  'The log of job #42 is not in the offline copy: it was never read while AWX answered. It will load here when AWX answers again.';

const job = (offline?: JobDetailData['offline']): JobDetailData => ({
  connectionId: 'awx',
  connectionName: 'Demo AWX',
  id: 42,
  name: 'Disk cleanup',
  status: 'failed',
  failed: true,
  launchType: 'manual',
  launchedBy: 'ada',
  templateId: 7,
  created: '2026-01-01T09:00:00Z',
  started: '2026-01-01T09:00:01Z',
  finished: '2026-01-01T09:01:00Z',
  elapsed: 59,
  limit: '',
  link: 'https://awx.example.com/#/jobs/playbook/42',
  jobExplanation: '',
  resultTraceback: '',
  eventProcessingFinished: true,
  hostStatusCounts: null,
  inventory: null,
  extraVars: '{}',
  production: false,
  ...(offline ? { offline } : {}),
});

const lines = (counter: number, text: string): JobStreamItem => ({
  kind: 'lines',
  counter,
  event: 'runner_on_ok',
  offset: 0,
  total: 1,
  line: counter - 1,
  lines: [text],
  failed: false,
  changed: false,
  host: 'web1',
  play: 'P',
  playId: 'p',
  task: 'T',
  taskId: 't',
});

/** What the core streams when AWX refuses and the copy has job 42 from the job list, synced 40 minutes ago. */
function offlineStream(): JobStreamItem[] {
  const mark = { syncedAt: new Date(Date.now() - 40 * 60_000 - 20_000).toISOString(), reason: REFUSED, missing: MISSING };
  return [
    { kind: 'notice', level: 'info', message: 'Following by polling AWX (no websocket for this connection).' },
    {
      kind: 'notice',
      level: 'warn',
      message: `AWX did not answer (${REFUSED}); retrying.`,
      retrying: { code: 'unreachable', message: REFUSED },
    },
    { kind: 'job', job: job(mark) },
    { kind: 'notice', level: 'warn', message: NOTE, offline: mark, noLog: true },
  ];
}

function show(bridge: FakeBridge, items: JobStreamItem[]): void {
  act(() => {
    for (const item of items) bridge.emit('jobs.events', item);
  });
}

function setup(): FakeBridge {
  const mark = { syncedAt: new Date(Date.now() - 40 * 60_000 - 20_000).toISOString(), reason: REFUSED, missing: MISSING };
  const bridge = createFakeBridge({ 'jobs.get': () => job(mark) });
  renderWithApi(<JobDetail connectionId="awx" jobId={42} />, bridge);
  return bridge;
}

describe('job detail: the log is not in the offline copy', () => {
  it('says the log is not in the copy, with the last known status, the age and AWX’s words once — no "Waiting for output…"', async () => {
    const bridge = setup();
    await waitFor(() => expect(bridge.subscriberCount('jobs.events')).toBe(1));
    show(bridge, offlineStream());
    const empty = await screen.findByTestId('job-log-empty');
    await waitFor(() => expect(empty.textContent).toBe(NOTE));
    expect(empty.dataset.state).toBe('not-in-copy');
    expect(screen.getByTestId('job-detail').textContent).not.toMatch(/Waiting for output/);
    expect(screen.getByTestId('job-status').textContent).toBe('failed');
    const note = screen.getByTestId('job-offline');
    expect(note.textContent).toMatch(/Offline copy, read 40 min ago/);
    expect(note.textContent).toContain(REFUSED);
    expect(note.textContent).toContain(MISSING);
    // AWX's words and the sentence about the log each appear once on the page (not again as a notice).
    const page = screen.getByTestId('job-detail').textContent ?? '';
    expect(page.split('nothing is listening').length - 1).toBe(1);
    expect(page.split('is not in the offline copy').length - 1).toBe(1);
    expect(screen.queryByTestId('job-log-notice')).toBeNull();
    expect(screen.queryByTestId('job-log-error')).toBeNull();
    // Nothing else promises what cannot come either.
    expect(screen.getByTestId('job-host-stats').textContent).toBe('Per-host results come with the log.');
  });

  it('turns into the live log when AWX answers again on the same stream', async () => {
    const bridge = setup();
    await waitFor(() => expect(bridge.subscriberCount('jobs.events')).toBe(1));
    show(bridge, offlineStream());
    await waitFor(() => expect(screen.getByTestId('job-log-empty').dataset.state).toBe('not-in-copy'));
    show(bridge, [
      { kind: 'job', job: job() },
      { kind: 'notice', level: 'info', message: 'Following by polling AWX (no websocket for this connection).' },
      lines(1, 'PLAY [cleanup]'),
      lines(2, 'fatal: [web1]: FAILED!'),
      {
        kind: 'end',
        status: 'failed',
        complete: true,
        lastCounter: 2,
        lineCount: 2,
        message: 'The log is complete: 2 events, 2 lines, as AWX saved them.',
        missing: [],
      },
    ]);
    await waitFor(() => expect(screen.getByTestId('job-log').dataset.lines).toBe('2'));
    expect(screen.queryByTestId('job-log-empty')).toBeNull();
    expect(screen.queryByTestId('job-offline')).toBeNull();
    expect(screen.getByTestId('job-end').textContent).toMatch(/The log is complete/);
    expect(screen.getByTestId('job-detail').textContent).not.toMatch(/not in the offline copy/);
  });

  it('a log that cannot be followed at all says so in the log too, not "Waiting for output…"', async () => {
    const bridge = setup();
    await waitFor(() => expect(bridge.subscriberCount('jobs.events')).toBe(1));
    show(bridge, [{ kind: 'error', fatal: true, error: { code: 'unreachable', message: REFUSED } }]);
    await screen.findByTestId('job-log-error');
    expect(screen.getByTestId('job-log-empty').textContent).toBe('No output to show: the log could not be read (above).');
    expect(screen.getByTestId('job-detail').textContent).not.toMatch(/Waiting for output/);
  });
});
