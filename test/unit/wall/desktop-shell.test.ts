import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '../../../electron/main/deep-link';
import { loginItemFor } from '../../../electron/main/login-item';
import { pdfFileName } from '../../../electron/main/runbook-pdf';
import { startDesktopNotifications } from '../../../electron/main/desktop-notifications';
import type { NotifierDeps } from '../../../electron/main/desktop-notifications';
import { normalisePage, wallConfigOf } from '../../../electron/core/features/wall/modes-feature';
import type { DesktopNote } from '@shared/workstation/desktop-notes';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';
import type { UiSettings } from '@shared/settings/model';
import { ok } from '@shared/kernel/result';

describe('toc:// links for incidents, jobs and SLOs', () => {
  it.each([
    ['toc://incident/INC0010001', { view: 'incidents', id: 'INC0010001' }],
    ['toc://incidents/INC0010001', { view: 'incidents', id: 'INC0010001' }],
    ['toc://job/demo-awx/4711', { view: 'jobs', path: ['demo-awx', '4711'] }],
    ['toc://jobs/4711', { view: 'jobs', id: '4711' }],
    ['toc://slo/checkout-availability', { view: 'slos', path: ['detail', 'checkout-availability'] }],
    ['toc://runbook/restart-service', { view: 'runbooks', id: 'restart-service' }],
    ['toc://wall', { view: 'wall' }],
  ])('%s opens %j', (url, target) => {
    expect(parseDeepLink(url)).toEqual(target);
  });

  it.each([
    'toc://job/demo-awx/not-a-number',
    'toc://job/-bad/1',
    'toc://incident/a/b',
    'toc://job/a/1/2',
    'toc://slo/<x>',
    'toc://alert/x',
  ])('ignores %s', (url) => {
    expect(parseDeepLink(url)).toBeNull();
  });
});

describe('start at login', () => {
  it('registers nothing when off, the app as a workstation, or the app as a wall with its workspace', () => {
    expect(loginItemFor(undefined, null)).toEqual({ openAtLogin: false, args: [] });
    expect(loginItemFor('off', '/etc/toc.yaml')).toEqual({ openAtLogin: false, args: [] });
    expect(loginItemFor('desktop', null)).toEqual({ openAtLogin: true, args: [] });
    expect(loginItemFor('wall', '/etc/toc.yaml')).toEqual({ openAtLogin: true, args: ['--wall', '--workspace', '/etc/toc.yaml'] });
  });
});

describe('runbook PDF file names', () => {
  it('are plain names, never paths', () => {
    expect(pdfFileName('Restart a service (prod)')).toBe('Restart-a-service-prod.pdf');
    expect(pdfFileName('../../etc/passwd')).toBe('etcpasswd.pdf');
    expect(pdfFileName('')).toBe('runbook.pdf');
  });
});

describe('wall configuration', () => {
  it('takes the workspace pages, filters as lists', () => {
    expect(normalisePage({ title: 'Payments', kind: 'slos', filter: { team: 'payments', priority: ['1', '2'] } })).toEqual({
      title: 'Payments',
      kind: 'slos',
      filter: { team: ['payments'], priority: ['1', '2'] },
    });
    const cfg = wallConfigOf({ name: 'W', wall: { interval: 20, refresh: 5, pages: [{ title: 'SLOs', kind: 'slos' }] } }, new Set(), false);
    expect(cfg).toEqual({
      interval: 20,
      refresh: 5,
      pages: [{ title: 'SLOs', kind: 'slos', filter: {} }],
      fromWorkspace: true,
      workspace: 'W',
    });
  });

  it('without pages, shows the default pages whose systems are configured', () => {
    const cfg = wallConfigOf({ name: 'W', wall: { interval: 30, refresh: 15, pages: [] } }, new Set(['servicenow', 'awx'] as const), false);
    expect(cfg.pages.map((p) => p.kind)).toEqual(['incidents', 'jobs', 'changes']);
    expect(cfg.fromWorkspace).toBe(false);
  });
});

describe('desktop notifications from main', () => {
  function fakeCore(settings: UiSettings) {
    const sinks = new Map<string, (p: unknown) => void>();
    const listeners = new Set<(s: UiSettings) => void>();
    let current = settings;
    const core = {
      dispatcher: {
        subscribe: (topic: string, _args: unknown, sink: (p: unknown) => void) => {
          sinks.set(topic, sink);
          return ok({ stop: () => sinks.delete(topic) });
        },
      },
      services: {
        connections: { byKind: () => [{ id: 'x' }], get: () => ({ environment: 'prod' }) },
        settings: {
          getUi: () => current,
          onUiChange: (cb: (s: UiSettings) => void) => {
            listeners.add(cb);
            return () => listeners.delete(cb);
          },
        },
      },
    };
    const change = (s: UiSettings): void => {
      current = s;
      for (const l of listeners) l(s);
    };
    return { core: core as unknown as NotifierDeps['core'], sinks, change };
  }

  it('subscribes per setting, shows a job that finished once, and opens it on click; nothing on a wall', () => {
    const { core, sinks, change } = fakeCore(DEFAULT_UI_SETTINGS);
    const shown: { note: DesktopNote; click: () => void }[] = [];
    const opened: unknown[] = [];
    let wall = false;
    const n = startDesktopNotifications({
      core,
      show: (note, click) => shown.push({ note, click }),
      open: (t) => opened.push(t),
      isWall: () => wall,
    });
    expect([...sinks.keys()].sort()).toEqual(['incidents.alerts', 'jobs.status', 'slo.fleet']);
    const finished = { connectionId: 'awx', connectionName: 'AWX', id: 9, name: 'Restart', status: 'successful', limit: '' };
    sinks.get('jobs.status')?.(finished);
    sinks.get('jobs.status')?.(finished);
    expect(shown.map((s) => s.note.title)).toEqual(['Job #9 succeeded']);
    shown[0]?.click();
    expect(opened).toEqual([{ view: 'jobs', path: ['awx', '9'] }]);

    change({ ...DEFAULT_UI_SETTINGS, notifications: { ...DEFAULT_UI_SETTINGS.notifications, jobFinished: false } });
    expect(sinks.has('jobs.status')).toBe(false);
    wall = true;
    n.refresh();
    expect(sinks.size).toBe(0);
    n.stop();
  });
});
