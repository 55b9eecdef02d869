import { app, session, shell } from 'electron';
import { isSafeExternalUrl } from '../core/kernel/security/external-url';
import { isAppUrl } from './app-origin';

// The one place where sessions and web contents are locked down (Electron security checklist items 4, 5,
// 11-15). Every webContents the app ever creates passes through hardenWebContents via 'web-contents-created',
// so a window added later cannot forget it. Comments say which attack each rule closes.

export interface HardeningPolicy {
  /** Origins the console's own pages are served from (app://console, plus the dev server in development). */
  appOrigins: readonly string[];
  /** Hands a vetted http(s) URL to the OS browser. */
  openExternal: (url: string) => void;
  /** Where refusals are reported (never includes page content). */
  log?: (message: string) => void;
}

interface Preventable {
  preventDefault(): void;
}

/** What hardening needs of a session; Electron's Session satisfies it. */
export interface HardenableSession {
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null,
  ): void;
  setPermissionCheckHandler(
    handler: ((webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean) | null,
  ): void;
}

/** What hardening needs of a webContents; Electron's WebContents satisfies it. */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (e: Preventable & { url: string }) => void): unknown;
  on(event: 'will-frame-navigate', listener: (e: Preventable & { url: string; isMainFrame: boolean }) => void): unknown;
  on(event: 'will-redirect', listener: (e: Preventable & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Permission requests (camera, microphone, geolocation, notifications, clipboard read, MIDI, HID, ...) are
 * granted by default in Electron. The console needs none of them, so both the request and the check handler
 * say no: the check handler matters because many web APIs only ask the checker and never request.
 */
export function hardenSession(ses: HardenableSession, log?: (message: string) => void): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    log?.(`permission request denied: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
}

/** Navigation away from the app, pop-ups and <webview> are refused for this webContents. */
export function hardenWebContents(wc: HardenableContents, policy: HardeningPolicy): void {
  const own = (url: string): boolean => isAppUrl(url, policy.appOrigins);
  // A link, a redirect or `location = ...` must never replace the console with a foreign page: that page would
  // inherit window.toc. In-app routing is client-side, so only same-origin loads (reload) pass.
  wc.on('will-navigate', (e) => {
    if (own(e.url)) return;
    e.preventDefault();
    policy.log?.(`navigation blocked: ${describe(e.url)}`);
  });
  // Sub-frames have no business in the console (the CSP forbids them too); the top frame is will-navigate's.
  wc.on('will-frame-navigate', (e) => {
    if (e.isMainFrame) return;
    e.preventDefault();
    policy.log?.(`frame navigation blocked: ${describe(e.url)}`);
  });
  wc.on('will-redirect', (e) => {
    if (own(e.url)) return;
    e.preventDefault();
    policy.log?.(`redirect blocked: ${describe(e.url)}`);
  });
  // No new Electron windows, ever: a window.open'ed page would get its own webContents with whatever it loads.
  // A web link the user clicked goes to the system browser, and only if it is a plain http(s) URL.
  wc.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) policy.openExternal(url);
    else policy.log?.(`window.open refused: ${describe(url)}`);
    return { action: 'deny' };
  });
  // <webview> is disabled in webPreferences; refusing the attach is the second lock on that door.
  wc.on('will-attach-webview', (e) => {
    e.preventDefault();
    policy.log?.('webview attach blocked');
  });
}

/** Only scheme and host go to the log: a URL's path or query may carry tokens. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : u.protocol;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Process-wide hardening. Call before `app` is ready: enableSandbox must precede the first renderer, and
 * 'web-contents-created' must be in place before the first window.
 */
export function installHardening(policy: HardeningPolicy): void {
  // Sandbox every renderer, including any created by code that forgets `sandbox: true`.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, policy);
    hardenSession(contents.session, policy.log);
  });
  void app.whenReady().then(() => hardenSession(session.defaultSession, policy.log));
}

/** The desktop's opener for links: the OS browser, for vetted URLs only. */
export function openExternalSafely(url: string, log?: (message: string) => void): boolean {
  if (!isSafeExternalUrl(url)) {
    log?.(`openExternal refused: ${describe(url)}`);
    return false;
  }
  shell.openExternal(url).catch((e: unknown) => log?.(`openExternal failed: ${e instanceof Error ? e.message : String(e)}`));
  return true;
}
