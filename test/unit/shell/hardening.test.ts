import { beforeEach, describe, expect, it } from 'vitest';
import { hardenSession, hardenWebContents, installHardening, openExternalSafely } from '../../../electron/main/hardening';
import type { HardeningPolicy } from '../../../electron/main/hardening';
import { isSafeExternalUrl } from '../../../electron/core/kernel/security/external-url';
import { app, BrowserWindow, FakeEvent, FakeSession, FakeWebContents, resetElectronStub, session, shell } from '../../stubs/electron';

let opened: string[];
let policy: HardeningPolicy;
let wc: FakeWebContents;

beforeEach(() => {
  resetElectronStub();
  opened = [];
  policy = { appOrigins: ['app://console'], openExternal: (url) => opened.push(url) };
  wc = new FakeWebContents();
  hardenWebContents(wc, policy);
});

describe('navigation', () => {
  it.each([
    'https://example.invalid/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'app://other/index.html',
    'javascript:alert(1)',
    'data:text/html,x',
  ])('blocks the top frame from leaving for %s', (url) => {
    expect(wc.tryNavigate('will-navigate', url)).toBe(false);
    expect(wc.tryNavigate('will-redirect', url)).toBe(false);
  });

  it('lets the app reload itself', () => {
    expect(wc.tryNavigate('will-navigate', 'app://console/index.html')).toBe(true);
    expect(wc.tryNavigate('will-redirect', 'app://console/index.html')).toBe(true);
  });

  it('blocks every sub-frame navigation, even to the app origin', () => {
    expect(wc.tryNavigate('will-frame-navigate', 'https://example.invalid/', false)).toBe(false);
    expect(wc.tryNavigate('will-frame-navigate', 'app://console/index.html', false)).toBe(false);
  });

  it('refuses to attach a <webview>', () => {
    const e = new FakeEvent();
    wc.emit('will-attach-webview', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });
});

describe('window.open', () => {
  it('never opens an Electron window; a plain https link goes to the system browser', () => {
    expect(wc.openWindow('https://servicenow.example.com/nav_to.do?uri=incident.do')).toBe('deny');
    expect(opened).toEqual(['https://servicenow.example.com/nav_to.do?uri=incident.do']);
  });

  it.each([
    'about:blank',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://fileserver/share',
    'https://user:pw@evil.example/',
    'ms-settings:',
  ])('denies %s and hands it to nobody', (url) => {
    expect(wc.openWindow(url)).toBe('deny');
    expect(opened).toEqual([]);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'midiSysex', 'hid', 'openExternal', 'fullscreen'])(
    'denies the %s request and check',
    async (permission) => {
      const ses = new FakeSession();
      // Electron's defaults grant everything: the handlers are what makes this false.
      expect(await ses.requestPermission(permission)).toBe(true);
      hardenSession(ses);
      expect(await ses.requestPermission(permission)).toBe(false);
      expect(ses.checkPermission(permission)).toBe(false);
    },
  );
});

describe('shell.openExternal allowlist', () => {
  it.each([
    ['https://grafana.example.com/d/abc?orgId=1', true],
    ['http://intranet.example/wiki', true],
    ['javascript:alert(document.cookie)', false],
    ['JAVASCRIPT:alert(1)', false],
    ['file:///etc/passwd', false],
    ['file://server/share/x.exe', false],
    ['smb://fileserver/share', false],
    ['ftp://example.com/x', false],
    ['https://user:password@example.com/', false],
    ['https://token@example.com/', false],
    ['vscode://file/etc/passwd', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['toc://incidents/INC1', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['not a url', false],
    ['https://', false],
  ])('%s → %s', (url, allowed) => {
    expect(isSafeExternalUrl(url)).toBe(allowed);
    shell.opened.length = 0;
    expect(openExternalSafely(url)).toBe(allowed);
    expect(shell.opened).toEqual(allowed ? [url] : []);
  });
});

describe('installHardening', () => {
  it('sandboxes every renderer and hardens every webContents and session the app creates', async () => {
    installHardening(policy);
    expect(app.sandboxEnabled).toBe(true);
    const win = new BrowserWindow({});
    expect(win.webContents.tryNavigate('will-navigate', 'https://example.invalid/')).toBe(false);
    expect(win.webContents.openWindow('https://example.com/')).toBe('deny');
    expect(await win.webContents.session.requestPermission('media')).toBe(false);
    app.fireReady();
    await app.whenReady();
    await Promise.resolve();
    expect(session.defaultSession.checkPermission('geolocation')).toBe(false);
  });
});
