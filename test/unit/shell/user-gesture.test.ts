import { beforeEach, describe, expect, it } from 'vitest';
import { hardenWebContents } from '../../../electron/main/hardening';
import { gestureGated, UserGestureTracker, USER_GESTURE_MS } from '../../../electron/main/user-gesture';
import { FakeWebContents, resetElectronStub } from '../../stubs/electron';

// shell.openExternal hands a URL to the OS. A page that has been compromised (or a bug in a timer) must not be
// able to open browsers on its own: main opens a link only right after the user clicked or pressed a key in a
// console window, and one input opens one link.

let now = 1_000_000;
let tracker: UserGestureTracker;
let wc: FakeWebContents;
let opened: string[];
let logged: string[];

const input = (type: string): void => void wc.emit('input-event', {}, { type });

beforeEach(() => {
  resetElectronStub();
  now = 1_000_000;
  opened = [];
  logged = [];
  tracker = new UserGestureTracker({ now: () => now });
  wc = new FakeWebContents();
  hardenWebContents(wc, {
    appOrigins: ['app://console'],
    openExternal: (u) => opened.push(u),
    gestures: tracker,
    log: (m) => logged.push(m),
  });
});

describe('openExternal through the contract (shell.openExternal)', () => {
  const open = (url: string): boolean =>
    gestureGated(
      tracker,
      (u) => (opened.push(u), true),
      (m) => logged.push(m),
    )(url);

  it('refuses when the user did nothing, and says why in the log', () => {
    expect(open('https://awx.example/#/jobs/1')).toBe(false);
    expect(opened).toEqual([]);
    expect(logged).toEqual(['openExternal refused: no click or key press in a console window just before it']);
  });

  it('a mouse move, wheel or scroll is not a gesture', () => {
    input('mouseMove');
    input('mouseWheel');
    input('gestureScrollUpdate');
    expect(open('https://awx.example/')).toBe(false);
  });

  it('opens right after a click, once: a second open needs a second click', () => {
    input('mouseDown');
    input('mouseUp');
    now += 200;
    expect(open('https://awx.example/a')).toBe(true);
    expect(open('https://awx.example/b')).toBe(false);
    input('mouseUp');
    expect(open('https://awx.example/b')).toBe(true);
    expect(opened).toEqual(['https://awx.example/a', 'https://awx.example/b']);
  });

  it('a key press counts (Enter on a focused link)', () => {
    input('rawKeyDown');
    expect(open('https://snow.example/incident.do')).toBe(true);
  });

  it('a click too long ago does not count', () => {
    input('mouseUp');
    now += USER_GESTURE_MS + 1;
    expect(open('https://awx.example/')).toBe(false);
  });
});

describe('openExternal through window.open / target=_blank', () => {
  it('without a gesture the link is refused (and no Electron window opens either way)', () => {
    expect(wc.openWindow('https://awx.example/')).toBe('deny');
    expect(opened).toEqual([]);
    expect(logged.some((l) => l.includes('no click or key press'))).toBe(true);
  });

  it('after a click it goes to the system browser', () => {
    input('mouseUp');
    expect(wc.openWindow('https://awx.example/')).toBe('deny');
    expect(opened).toEqual(['https://awx.example/']);
  });

  it('input in a webContents the app did not harden does not count', () => {
    const other = new FakeWebContents();
    other.emit('input-event', {}, { type: 'mouseUp' });
    expect(wc.openWindow('https://awx.example/')).toBe('deny');
    expect(opened).toEqual([]);
  });
});
