import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

// Chromium driven over its DevTools pipe with nothing but the domains a memory measurement needs. A Playwright
// page always has the Network domain on, and Chromium then keeps a copy of every request and WebSocket frame
// for DevTools (NetworkResourcesData) in the page's own heap: an hour of a wall's 1 s refresh grows that buffer,
// and the soak would be measuring its own instrument.

type Params = Record<string, unknown>;

export interface CdpPage {
  send<T = Params>(method: string, params?: Params): Promise<T>;
  on(event: string, handler: (params: Params) => void): void;
  off(event: string, handler: (params: Params) => void): void;
  /** Evaluates an expression in the page and returns its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls an expression until it is truthy. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
}

export interface CdpBrowser {
  page: CdpPage;
  close(): Promise<void>;
}

export async function launchCdpChromium(opts: { width: number; height: number }): Promise<CdpBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'toc-cdp-'));
  const child: ChildProcess = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      '--headless=new',
      '--remote-debugging-pipe',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      // A headless tab counts as hidden to nobody, but a throttled timer would change what the soak exercises.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      `--window-size=${opts.width},${opts.height}`,
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: Params) => void; reject: (e: Error) => void; method: string }>();
  const handlers = new Map<string, Set<(p: Params) => void>>();
  let buffer = Buffer.alloc(0);
  fromBrowser.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    for (let end = buffer.indexOf(0); end >= 0; end = buffer.indexOf(0)) {
      const msg = JSON.parse(buffer.subarray(0, end).toString('utf8')) as {
        id?: number;
        method?: string;
        params?: Params;
        result?: Params;
        error?: { message: string };
        sessionId?: string;
      };
      buffer = buffer.subarray(end + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const h of handlers.get(`${msg.sessionId ?? ''}|${msg.method}`) ?? []) h(msg.params ?? {});
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`Chromium exited:\n${stderr}`));
    pending.clear();
  });

  const raw = <T>(method: string, params: Params = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: Params) => void, reject, method });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  const { targetInfos } = await raw<{ targetInfos: { targetId: string; type: string }[] }>('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'page');
  if (!target) throw new Error('Chromium opened no page');
  const { sessionId } = await raw<{ sessionId: string }>('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: true,
  });
  await raw(
    'Emulation.setDeviceMetricsOverride',
    { width: opts.width, height: opts.height, deviceScaleFactor: 1, mobile: false },
    sessionId,
  );

  const page: CdpPage = {
    send: (method, params) => raw(method, params, sessionId),
    on: (event, h) => {
      const key = `${sessionId}|${event}`;
      if (!handlers.has(key)) handlers.set(key, new Set());
      handlers.get(key)?.add(h);
    },
    off: (event, h) => void handlers.get(`${sessionId}|${event}`)?.delete(h),
    evaluate: async <T>(expression: string): Promise<T> => {
      const r = await raw<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>(
        'Runtime.evaluate',
        { expression, returnByValue: true, awaitPromise: true },
        sessionId,
      );
      if (r.exceptionDetails) throw new Error(`evaluate ${expression}: ${r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    waitFor: async (expression, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (await page.evaluate<boolean>(`Boolean(${expression})`)) return;
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };

  return {
    page,
    close: async () => {
      if (child.exitCode === null) {
        await raw('Browser.close').catch(() => undefined);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
