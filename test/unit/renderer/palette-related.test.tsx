// @vitest-environment jsdom
// The palette reaches what the view on screen relates to: with a context panel mounted (an SLO here), Ctrl/⌘ K
// lists that SLO's alerts, incidents, runbooks, jobs and links first, in their own section, filtered by what is
// typed and opened by keyboard; without one, the palette is as it was. Also the pure list behind it.
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ServiceContext } from '@shared/context/model';
import { ContractFailure } from '@shared/kernel/result';
import { ContextPanel } from '../../../renderer/src/features/context';
import { filterRelated, relatedItems } from '../../../renderer/src/features/context/related-items';
import { useShownContext } from '../../../renderer/src/features/context/shown-context';
import { CommandPalette } from '../../../renderer/src/features/workstation/CommandPalette';
import { useWorkstation } from '../../../renderer/src/features/workstation/workstation-store';
import { startHashSync } from '../../../renderer/src/app/state/route';
import { createFakeBridge } from './fake-bridge';
import { renderWithApi } from './render';

const INC = '1'.repeat(32);
const CONTEXT: ServiceContext = {
  service: 'notifications',
  alert: { name: 'ErrorBudgetBurn', instance: 'notifications-delivery' },
  slos: [
    {
      id: 'notifications-delivery',
      name: 'notifications-delivery',
      service: 'notifications',
      errorBudgetRemaining: 0.2,
      burnRate: 25,
      paging: true,
    },
    {
      id: 'notifications-latency',
      name: 'notifications-latency',
      service: 'notifications',
      errorBudgetRemaining: 0.9,
      burnRate: 0.4,
      paging: false,
    },
  ],
  alerts: [
    {
      name: 'ErrorBudgetBurn',
      instance: 'notifications-delivery',
      severity: 'page',
      state: 'firing',
      source: 'alertmanager',
      connectionId: 'am',
      labels: { slo: 'notifications-delivery' },
      summary: 'Notifications burn 25x',
    },
  ],
  incidents: [
    {
      connectionId: 'snow',
      sysId: INC,
      number: 'INC0010099',
      shortDescription: 'Notifications burning',
      state: 'In Progress',
      priority: '1 - Critical',
      alertName: 'ErrorBudgetBurn',
      alertInstance: 'notifications-delivery',
      openedAt: '2026-03-01 10:00:00',
      match: 'alert',
      link: 'https://snow.example.com/incident.do?sys_id=1',
    },
  ],
  runbooks: [
    { id: 'notifications-burn', title: 'Notifications burn', reasons: ['alert ErrorBudgetBurn'], production: false, launchable: true },
  ],
  jobs: [
    {
      connectionId: 'awx',
      id: 41,
      name: 'Restart service',
      status: 'successful',
      finished: '2026-03-01T10:10:00Z',
      incidentNumber: 'INC0010099',
      operator: 'j.doe',
      link: 'https://awx.example.com/#/jobs/playbook/41',
    },
  ],
  changes: [],
  links: [
    { label: 'Grafana: notifications', url: 'https://grafana.example.com/d/n', kind: 'grafana' },
    { label: 'Prometheus: the SLI query', url: 'https://prom.example.com/graph?g0.expr=x', kind: 'prometheus' },
    { label: 'A page that is not a web page', url: 'javascript:alert(1)', kind: 'runbook' },
  ],
  problems: [],
  fetchedAt: '2026-03-01T10:15:00Z',
};

describe('relatedItems', () => {
  const subject = { kind: 'slo' as const, id: 'notifications-delivery' };
  it('lists SLOs, alerts, incidents, runbooks, jobs and web links in that order, leaving out the subject itself', () => {
    const items = relatedItems(CONTEXT, subject);
    expect(items.map((i) => i.id)).toEqual([
      'slo:notifications-latency',
      'alert:alertmanager:ErrorBudgetBurn:notifications-delivery',
      `incident:${INC}`,
      'runbook:notifications-burn',
      'job:awx:41',
      'link:https://grafana.example.com/d/n',
      'link:https://prom.example.com/graph?g0.expr=x',
    ]);
    // A runbook opens for the context's incident, so its launch writes the work note there.
    expect(items.find((i) => i.kind === 'runbook')?.target).toEqual({
      route: { view: 'runbooks', path: ['incident', 'snow', INC, 'notifications-burn'] },
    });
    expect(items.find((i) => i.kind === 'incident')?.target).toEqual({ route: { view: 'incidents', path: [INC] } });
  });
  it('on an incident, the incident is left out and runbooks open for it', () => {
    const items = relatedItems(CONTEXT, { kind: 'incident', connectionId: 'snow', sysId: INC });
    expect(items.some((i) => i.kind === 'incident')).toBe(false);
    expect(items.some((i) => i.id === 'slo:notifications-delivery')).toBe(true);
  });
  it('filters by every typed word, keeping the order', () => {
    const items = relatedItems(CONTEXT, subject);
    expect(filterRelated(items, 'grafana').map((i) => i.kind)).toEqual(['link']);
    expect(filterRelated(items, 'inc0010099').map((i) => i.kind)).toEqual(['incident', 'job']);
    expect(filterRelated(items, 'restart j.doe').map((i) => i.id)).toEqual(['job:awx:41']);
    expect(filterRelated(items, 'nothing-like-this')).toEqual([]);
  });
});

describe('the palette with a context on screen', () => {
  let stopHash: () => void;
  beforeEach(() => {
    window.location.hash = '#/slos/detail/notifications-delivery';
    stopHash = startHashSync();
    useWorkstation.setState({ paletteOpen: false });
  });
  afterEach(() => {
    cleanup();
    stopHash();
    useShownContext.setState({ stack: [] });
  });

  function setup(context: () => ServiceContext) {
    const bridge = createFakeBridge({ 'context.of': () => context() });
    const view = renderWithApi(
      <>
        <ContextPanel subject={{ kind: 'slo', id: 'notifications-delivery' }} title="Related to this SLO" testId="slo-context" />
        <CommandPalette />
      </>,
      bridge,
    );
    return { bridge, view };
  }
  const options = () => screen.getAllByTestId('palette-option');

  it('lists the related items first, in their own section, and opens one by keyboard', async () => {
    setup(() => CONTEXT);
    await screen.findAllByTestId('context-incident');
    act(() => useWorkstation.getState().setPaletteOpen(true));
    await waitFor(() => expect(options()[0]?.getAttribute('data-section')).toBe('related'));
    expect(screen.getByTestId('palette-related-title').textContent).toBe('Related to this SLO');
    const related = options().filter((o) => o.getAttribute('data-section') === 'related');
    expect(related.map((o) => o.getAttribute('data-kind'))).toEqual(['slo', 'alert', 'incident', 'runbook', 'job', 'link', 'link']);
    // Then the usual list (views and actions with an empty query).
    expect(options()[related.length]?.getAttribute('data-section')).toBe('search');
    const input = screen.getByTestId('palette-input');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe('palette-opt-2');
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(window.location.hash).toBe(`#/incidents/${INC}`));
    expect(screen.queryByTestId('palette')).toBeNull();
  });

  it('typing narrows the related items; the same incident found by search is listed once', async () => {
    setup(() => CONTEXT);
    await screen.findAllByTestId('context-incident');
    act(() => useWorkstation.getState().setPaletteOpen(true));
    const input = await screen.findByTestId('palette-input');
    fireEvent.change(input, { target: { value: 'burn' } });
    await waitFor(() =>
      expect(options().map((o) => [o.getAttribute('data-section'), o.getAttribute('data-kind')])).toEqual(
        expect.arrayContaining([
          ['related', 'alert'],
          ['related', 'runbook'],
        ]),
      ),
    );
    expect(options().filter((o) => o.getAttribute('data-id')?.endsWith('runbook:notifications-burn'))).toHaveLength(1);
    fireEvent.change(input, { target: { value: 'prometheus' } });
    await waitFor(() =>
      expect(
        options()
          .filter((o) => o.getAttribute('data-section') === 'related')
          .map((o) => o.textContent),
      ).toEqual([expect.stringContaining('Prometheus: the SLI query')]),
    );
  });

  it('when the context cannot be read, the section says why in the system words', async () => {
    setup(() => {
      throw new ContractFailure('unreachable', 'Alertmanager (am) could not be reached: connect ECONNREFUSED 127.0.0.1:9');
    });
    act(() => useWorkstation.getState().setPaletteOpen(true));
    await waitFor(() =>
      expect(screen.getByTestId('palette-related-title').textContent).toBe(
        'Related to this SLO — could not be read: Alertmanager (am) could not be reached: connect ECONNREFUSED 127.0.0.1:9',
      ),
    );
    expect(options().every((o) => o.getAttribute('data-section') === 'search')).toBe(true);
  });

  it('without a context panel on screen there is no related section', async () => {
    renderWithApi(<CommandPalette />, createFakeBridge({}));
    act(() => useWorkstation.getState().setPaletteOpen(true));
    await screen.findByTestId('palette-input');
    expect(screen.queryByTestId('palette-related-title')).toBeNull();
    expect(options().every((o) => o.getAttribute('data-section') === 'search')).toBe(true);
  });
});
