import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '@shared/kernel/csp';
import { resolveElectronBinary } from './electron-binary';

// Security probes against the real app (Electron security checklist items 2, 3, 5, 7, 13, 14, 18, 20), each
// from inside the page, the way an injected script would try.

const root = process.cwd();
let app: ElectronApplication;
let page: Page;
let userData: string;

test.beforeAll(async () => {
  const executablePath = resolveElectronBinary(root).executable;
  if (!executablePath) throw new Error('no Electron binary (the config should have stopped before this)');
  userData = mkdtempSync(path.join(os.tmpdir(), 'toc-e2e-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // Inherited from an editor's terminal it turns Electron into plain Node (and Playwright's flags into errors).
  delete env.ELECTRON_RUN_AS_NODE;
  env.TOC_USER_DATA = userData;
  app = await electron.launch({
    executablePath,
    // Chromium refuses to start as root with its OS sandbox (CI containers); the renderer sandbox (sandboxed
    // preload, no Node) is unaffected by this switch.
    args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    cwd: root,
    env,
    timeout: 30_000,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  await expect(page).toHaveURL(/^app:\/\/console\//);
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test('the page has no Node: no require, process, module or Buffer', async () => {
  const globals = await page.evaluate(() => ['require', 'process', 'module', 'Buffer', 'global'].filter((k) => k in globalThis));
  expect(globals).toEqual([]);
});

test('window.toc is the only bridge and has exactly invoke, subscribe and transport', async () => {
  const shape = await page.evaluate(() => {
    const toc = (globalThis as unknown as { toc?: Record<string, unknown> }).toc;
    return {
      keys: toc ? Object.keys(toc).sort() : null,
      transport: toc?.transport,
      electronGlobals: ['ipcRenderer', 'electron', 'contextBridge'].filter((k) => k in globalThis),
    };
  });
  expect(shape).toEqual({ keys: ['invoke', 'subscribe', 'transport'], transport: 'ipc', electronGlobals: [] });
});

test('the app page passes the sender check and gets contract envelopes back', async () => {
  const r = await page.evaluate(async () => {
    const toc = (globalThis as unknown as { toc: { invoke(m: string, a?: unknown): Promise<unknown> } }).toc;
    return [await toc.invoke('app.info'), await toc.invoke('fs.readFile', { path: '/etc/passwd' })];
  });
  expect(r[0]).toMatchObject({ ok: true, data: { transport: 'ipc' } });
  expect(r[1]).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
});

test('window.open returns null and opens no window', async () => {
  // Record instead of launching the user's browser for the https case.
  const stubbed = await app.evaluate(({ shell }) => {
    const g = globalThis as unknown as { __opened: string[] };
    g.__opened = [];
    shell.openExternal = async (url: string) => {
      g.__opened.push(url);
    };
    return shell.openExternal.toString().includes('__opened');
  });
  const before = app.windows().length;
  const urls = ['about:blank', 'file:///etc/passwd', 'javascript:alert(1)', ...(stubbed ? ['https://example.invalid/x'] : [])];
  const results = await page.evaluate((list) => list.map((u) => window.open(u) === null), urls);
  expect(results.every(Boolean)).toBe(true);
  await page.waitForTimeout(500);
  expect(app.windows().length).toBe(before);
  if (stubbed) {
    const opened = await app.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened);
    expect(opened).toEqual(['https://example.invalid/x']);
  }
});

test('navigation away from the app is blocked', async () => {
  await page.evaluate(() => {
    location.href = 'https://example.invalid/';
  });
  await page.waitForTimeout(1000);
  expect(page.url()).toMatch(/^app:\/\/console\//);
  expect(await page.evaluate(() => typeof (globalThis as unknown as { toc?: unknown }).toc)).toBe('object');
});

test('permission requests are denied', async () => {
  const answers = await page.evaluate(async () => ({
    notification: await Notification.requestPermission(),
    geolocation: (await navigator.permissions.query({ name: 'geolocation' })).state,
    camera: await navigator.mediaDevices.getUserMedia({ video: true }).then(
      () => 'granted',
      (e: unknown) => (e instanceof DOMException ? e.name : 'error'),
    ),
  }));
  expect(answers.notification).toBe('denied');
  expect(answers.geolocation).toBe('denied');
  expect(answers.camera).not.toBe('granted');
});

test('the CSP is sent and blocks an injected inline script', async () => {
  const header = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
  expect(header).toBe(CONTENT_SECURITY_POLICY);
  const outcome = await page.evaluate(
    () =>
      new Promise<{ violated: string | null; ran: boolean }>((resolve) => {
        let violated: string | null = null;
        document.addEventListener('securitypolicyviolation', (e) => {
          violated = e.violatedDirective;
        });
        const s = document.createElement('script');
        s.textContent = 'globalThis.__injected = true';
        document.head.appendChild(s);
        setTimeout(() => resolve({ violated, ran: '__injected' in globalThis }), 300);
      }),
  );
  expect(outcome.ran).toBe(false);
  expect(outcome.violated).toMatch(/^script-src/);
});

test('the page cannot read local files', async () => {
  const r = await page.evaluate(() =>
    fetch('file:///etc/passwd').then(
      () => 'read',
      () => 'refused',
    ),
  );
  expect(r).toBe('refused');
});
