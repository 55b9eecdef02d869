// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { ContextPanel } from '../../../renderer/src/features/context';
import type { ServiceContext } from '@shared/context/model';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

// A related-items row whose system did not answer says so, not "none": "none" is an answer (nothing matched),
// and an on-call engineer reading "Recent jobs: none" during an AWX outage would think nothing was ever run.

afterEach(cleanup);

const context = (problems: string[]): ServiceContext => ({
  service: 'notifications',
  alert: null,
  slos: [],
  alerts: [],
  incidents: [],
  runbooks: [],
  jobs: [],
  changes: [],
  links: [],
  problems,
  fetchedAt: new Date().toISOString(),
});

const rowText = (label: string): string => {
  const dt = screen.getAllByRole('term').find((t) => t.textContent === label);
  if (!dt) throw new Error(`no row ${label}`);
  return dt.nextElementSibling?.textContent ?? '';
};

describe('context rows of a system that did not answer', () => {
  it('say "could not be read" where the system failed, "none" where it answered with nothing', async () => {
    const refused = 'Demo AWX: nothing is listening at 127.0.0.1:47004 (connection refused).';
    const bridge = createFakeBridge({
      'context.of': () => context([`Jobs: ${refused}`, 'Alertmanager: Demo Alertmanager: did not answer within 15 s.']),
    });
    renderWithApi(<ContextPanel subject={{ kind: 'service', name: 'notifications' }} testId="ctx" />, bridge);
    await screen.findByTestId('ctx-problems');
    expect(rowText('Recent jobs')).toBe('could not be read from AWX — see below');
    expect(rowText('Firing alerts')).toBe('could not be read from Alertmanager — see below');
    expect(rowText('Runbooks')).toBe('none matches');
    expect(rowText('Open incidents')).toBe('none open');
    expect(within(screen.getByTestId('ctx-problems')).getByText(/connection refused/)).toBeTruthy();
  });

  it('all answered: the rows say none', async () => {
    renderWithApi(
      <ContextPanel subject={{ kind: 'service', name: 'notifications' }} testId="ctx" />,
      createFakeBridge({ 'context.of': () => context([]) }),
    );
    await screen.findByTestId('ctx');
    await screen.findByText('none firing');
    expect(rowText('Recent jobs')).toBe('none');
    expect(screen.queryByTestId('ctx-problems')).toBeNull();
  });
});
