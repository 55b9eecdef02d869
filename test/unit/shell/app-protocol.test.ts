import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '@shared/kernel/csp';
import { createAppProtocolHandler, handleAppProtocol, registerAppScheme, resolveAppPath } from '../../../electron/main/app-protocol';
import { protocol, resetElectronStub } from '../../stubs/electron';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'toc-proto-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><script type="module" src="./assets/index.js"></script>');
  writeFileSync(path.join(root, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
  // A file next to the root that traversal would reach.
  writeFileSync(path.join(base, 'secret.txt'), 'do not serve');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => resetElectronStub());

describe('resolveAppPath', () => {
  it('maps app://console URLs into the renderer folder', () => {
    expect(resolveAppPath(root, 'app://console/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://console/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://console/assets/index.js?v=1#x')).toBe(path.join(root, 'assets', 'index.js'));
    expect(resolveAppPath(root, 'app://console/assets/my%20file.js')).toBe(path.join(root, 'assets', 'my file.js'));
    // The query is not part of the path.
    expect(resolveAppPath(root, 'app://console/index.html?next=%2F..%2Fx')).toBe(path.join(root, 'index.html'));
  });

  it.each([
    'app://console/../secret.txt',
    'app://console/assets/../../secret.txt',
    'app://console/%2e%2e/secret.txt',
    'app://console/%2E%2E/secret.txt',
    'app://console/.%2e/secret.txt',
    'app://console/%2e./secret.txt',
    'app://console/..%2fsecret.txt',
    'app://console/assets%2f..%2f..%2fsecret.txt',
    'app://console/..%5csecret.txt',
    'app://console/..\\secret.txt',
    'app://console/assets%2findex.js',
    'app://console/index.html%00.png',
    'app://console/%252e%252e/secret.txt',
    'app://evil/index.html',
    'app://console:8080/index.html',
    'app://user:pw@console/index.html',
    'file:///etc/passwd',
    'https://console/index.html',
    'app://console/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });
});

describe('app:// protocol handler', () => {
  const handler = (): ReturnType<typeof createAppProtocolHandler> => createAppProtocolHandler(root);

  it('serves index.html with the strict CSP header', async () => {
    const res = await handler()(new Request('app://console/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<!doctype html>');
  });

  it('serves assets with their types, and the app shell for client-side routes', async () => {
    const js = await handler()(new Request('app://console/assets/index.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await handler()(new Request('app://console/assets/app.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const route = await handler()(new Request('app://console/incidents'));
    expect(route.status).toBe(200);
    expect(route.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await route.text()).toContain('<!doctype html>');
    expect((await handler()(new Request('app://console/assets/missing.js'))).status).toBe(404);
  });

  it('answers traversal with 403 and never the file', async () => {
    const res = await handler()({ url: 'app://console/%2e%2e/secret.txt', method: 'GET' });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('do not serve');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await handler()({ url: 'app://console/index.html', method: 'POST' })).status).toBe(405);
  });

  it('registers app: as standard + secure + fetch, never bypassing CSP, and installs the handler', async () => {
    registerAppScheme();
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const stop = handleAppProtocol(root);
    const installed = protocol.handlers.get('app');
    expect(installed).toBeDefined();
    expect((await installed?.(new Request('app://console/assets/index.js')))?.status).toBe(200);
    // Request() already folds `..` away; what reaches the handler is root/secret.txt, which does not exist.
    expect((await installed?.(new Request('app://console/../secret.txt')))?.status).toBe(404);
    stop();
    expect(protocol.handlers.has('app')).toBe(false);
  });
});
