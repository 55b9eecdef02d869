import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../../electron/main/app-menu';
import type { MenuActions, View } from '../../../electron/main/app-menu';
import { parseDeepLink } from '../../../electron/main/deep-link';
import { findDeepLink, parseLaunchArgs } from '../../../electron/main/launch-args';

describe('launch arguments', () => {
  it('reads --wall, --workspace FILE / --workspace=FILE and a deep link', () => {
    expect(parseLaunchArgs(['/opt/toc', '--wall', '--workspace', 'ops/toc.yaml', 'toc://incidents/INC1'], {}, '/home/u')).toEqual({
      wall: true,
      workspace: '/home/u/ops/toc.yaml',
      deepLink: 'toc://incidents/INC1',
      userData: null,
    });
    expect(parseLaunchArgs(['electron', '.', '--workspace=/etc/toc.yaml'], {}, '/x').workspace).toBe('/etc/toc.yaml');
  });

  it('falls back to TOC_WORKSPACE and reads TOC_USER_DATA; an empty value means unset', () => {
    const a = parseLaunchArgs(['electron', '.'], { TOC_WORKSPACE: '/w/toc.yaml', TOC_USER_DATA: '/tmp/ud' }, '/x');
    expect(a).toMatchObject({ wall: false, workspace: '/w/toc.yaml', userData: '/tmp/ud', deepLink: null });
    expect(parseLaunchArgs(['electron', '.', '--workspace', '--wall'], { TOC_WORKSPACE: ' ' }, '/x')).toMatchObject({
      workspace: null,
      wall: true,
    });
  });

  it('finds a toc:// link among Chromium switches of a second instance', () => {
    expect(findDeepLink(['/opt/toc', '--allow-file-access-from-files', 'TOC://jobs/42'])).toBe('TOC://jobs/42');
    expect(findDeepLink(['/opt/toc', 'https://example.com'])).toBeNull();
  });
});

describe('toc:// deep links', () => {
  it.each([
    ['toc://incidents/INC0012345', { view: 'incidents', id: 'INC0012345' }],
    ['toc://jobs/4711', { view: 'jobs', id: '4711' }],
    ['toc://wall', { view: 'wall' }],
    ['toc://SLOs/', { view: 'slos' }],
    ['toc://runbooks/restart-api?ignored=1#x', { view: 'runbooks', id: 'restart-api' }],
  ])('%s opens %j', (url, target) => {
    expect(parseDeepLink(url)).toEqual(target);
  });

  it.each([
    'toc://admin/x',
    'toc://incidents/<script>',
    'toc://incidents/%E0%A4%A',
    'toc://user:pw@incidents/1',
    'https://incidents/1',
    'javascript:alert(1)',
    'toc://incidents/' + 'a'.repeat(200),
    'not a link',
  ])('ignores %s', (url) => {
    expect(parseDeepLink(url)).toBeNull();
  });
});

describe('application menu', () => {
  const navigated: View[] = [];
  let wallToggles = 0;
  const actions: MenuActions = {
    navigate: (v) => navigated.push(v),
    toggleWall: () => wallToggles++,
    toggleFullScreen: () => undefined,
    reload: () => undefined,
    about: () => undefined,
  };
  const flatten = (items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
  const click = (item: MenuItemConstructorOptions | undefined): void => {
    // The menu passes (menuItem, window, event); the console's handlers ignore them.
    (item?.click as (() => void) | undefined)?.();
  };

  it.each(['linux', 'win32', 'darwin'] as const)('%s: view shortcuts navigate through the contract', (platform) => {
    navigated.length = 0;
    const items = flatten(buildMenuTemplate(actions, { platform, isPackaged: true, wall: false, appName: 'TOC Console' }));
    const byAccel = new Map(items.filter((i) => i.accelerator).map((i) => [i.accelerator, i]));
    for (const accel of ['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+3', 'CmdOrCtrl+4', 'CmdOrCtrl+5', 'CmdOrCtrl+,'])
      click(byAccel.get(accel));
    expect(navigated).toEqual(['slos', 'incidents', 'runbooks', 'jobs', 'activity', 'settings']);
    expect(items.some((i) => i.label === 'Reload')).toBe(true);
    expect(items.some((i) => i.label === 'Toggle Full Screen')).toBe(true);
    expect(items.some((i) => i.role === 'help')).toBe(true);
    // Packaged builds have no developer tools.
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('wall mode is a checkbox showing the current state', () => {
    const items = flatten(buildMenuTemplate(actions, { platform: 'linux', isPackaged: false, wall: true, appName: 'TOC Console' }));
    const wall = items.find((i) => i.label === 'Wall Mode');
    expect(wall).toMatchObject({ type: 'checkbox', checked: true });
    click(wall);
    expect(wallToggles).toBe(1);
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
