// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWsBridge } from '../../../renderer/src/app/api/ws-bridge';
import type { WsBridge } from '../../../renderer/src/app/api/ws-bridge';
import { bridgeUrl, takeAccessToken } from '../../../renderer/src/app/api/token';
import { FakeSocket } from './fake-socket';

const URL_ = 'ws://127.0.0.1:4000/bridge?token=t0k';

function start(random = () => 1): WsBridge {
  return createWsBridge({ url: URL_, createSocket: (u) => new FakeSocket(u), backoff: { initialMs: 500, maxMs: 8000 }, random });
}

describe('ws bridge', () => {
  let ws: WsBridge;
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => {
    ws.close();
    vi.useRealTimers();
  });

  it('holds calls made while connecting and sends them once the socket opens', async () => {
    ws = start();
    expect(ws.connectivity.snapshot().state).toBe('connecting');
    const p = ws.bridge.invoke('app.info', {});
    const s = FakeSocket.latest();
    expect(s.url).toBe(URL_);
    expect(s.sent).toEqual([]);
    s.open();
    expect(ws.connectivity.snapshot().state).toBe('online');
    const [call] = s.sentOf('call');
    expect(call).toMatchObject({ t: 'call', method: 'app.info', args: {} });
    s.receive({ t: 'result', id: call!.id, result: { ok: true, data: { hello: 1 } } });
    await expect(p).resolves.toEqual({ ok: true, data: { hello: 1 } });
  });

  it('fails a call in flight with a clear offline error when the link drops, and new calls at once', async () => {
    ws = start();
    const s = FakeSocket.latest();
    s.open();
    const p = ws.bridge.invoke('connections.save', { spec: {} });
    s.drop();
    const r = await p;
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('offline');
    expect(r.error.message).toContain('dropped before "connections.save" answered');
    expect(r.error.message).toContain('127.0.0.1:4000');
    expect(ws.connectivity.snapshot().state).toBe('offline');

    const later = await ws.bridge.invoke('app.info', {});
    expect(later).toMatchObject({ ok: false, error: { code: 'offline' } });
    if (!later.ok) expect(later.error.message).toContain('not reachable');
  });

  it('reconnects with growing back-off and re-subscribes every active subscription', async () => {
    ws = start();
    const first = FakeSocket.latest();
    first.open();
    const healthBatches: unknown[][] = [];
    const unsubAudit = ws.bridge.subscribe('activity.appended', {}, () => undefined);
    ws.bridge.subscribe('connections.health', {}, (b) => healthBatches.push(b));
    const subs = first.sentOf('sub');
    expect(subs.map((m) => m.topic)).toEqual(['activity.appended', 'connections.health']);
    unsubAudit();
    expect(first.sentOf('unsub')).toHaveLength(1);

    first.drop();
    expect(ws.connectivity.snapshot()).toMatchObject({ state: 'offline', failures: 0 });
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);

    // That attempt fails: the next wait doubles.
    FakeSocket.latest().drop();
    expect(ws.connectivity.snapshot().failures).toBe(1);
    vi.advanceTimersByTime(999);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);

    const third = FakeSocket.latest();
    third.open();
    expect(ws.connectivity.snapshot()).toMatchObject({ state: 'online', failures: 0 });
    const resub = third.sentOf('sub');
    expect(resub).toEqual([{ t: 'sub', id: subs[1]!.id, topic: 'connections.health', args: {} }]);
    third.receive({ t: 'events', id: subs[1]!.id, batch: [['h1']] });
    expect(healthBatches).toEqual([[['h1']]]);
  });

  it('caps the back-off and lets "Reconnect now" skip the wait', () => {
    ws = start();
    for (let i = 0; i < 8; i++) {
      FakeSocket.latest().drop();
      const snap = ws.connectivity.snapshot();
      expect(snap.nextRetryAt! - Date.now()).toBeLessThanOrEqual(8000);
      vi.advanceTimersByTime(8000);
    }
    const count = FakeSocket.all.length;
    FakeSocket.latest().drop();
    ws.connectivity.reconnectNow();
    expect(FakeSocket.all.length).toBe(count + 1);
    expect(ws.connectivity.snapshot().state).toBe('connecting');
  });

  it('cancels through an AbortSignal: tells the server and settles at once; a late answer is ignored', async () => {
    ws = start();
    const s = FakeSocket.latest();
    s.open();
    const ac = new AbortController();
    const p = ws.bridge.invoke('connections.test', { id: 'prom' }, { signal: ac.signal });
    const [call] = s.sentOf('call');
    ac.abort();
    await expect(p).resolves.toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(s.sentOf('cancel')).toEqual([{ t: 'cancel', id: call!.id }]);
    expect(() => s.receive({ t: 'result', id: call!.id, result: { ok: true, data: {} } })).not.toThrow();
  });

  it('does not even send a call whose signal is already aborted', async () => {
    ws = start();
    const s = FakeSocket.latest();
    s.open();
    const ac = new AbortController();
    ac.abort();
    await expect(ws.bridge.invoke('app.info', {}, { signal: ac.signal })).resolves.toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    expect(s.sentOf('call')).toEqual([]);
  });

  it('reports a refused subscription to its onError and does not re-subscribe it', () => {
    ws = start();
    const s = FakeSocket.latest();
    s.open();
    const onError = vi.fn();
    ws.bridge.subscribe('nope.topic', {}, () => undefined, onError);
    const [sub] = s.sentOf('sub');
    s.receive({ t: 'sub-error', id: sub!.id, error: { code: 'unknown_method', message: 'There is no subscription named "nope.topic".' } });
    expect(onError).toHaveBeenCalledWith({ code: 'unknown_method', message: 'There is no subscription named "nope.topic".' });
    s.drop();
    vi.advanceTimersByTime(500);
    FakeSocket.latest().open();
    expect(FakeSocket.latest().sentOf('sub')).toEqual([]);
  });

  it('notifies connectivity listeners and stops for good on close()', () => {
    ws = start();
    const states: string[] = [];
    ws.connectivity.subscribe(() => states.push(ws.connectivity.snapshot().state));
    FakeSocket.latest().open();
    FakeSocket.latest().drop();
    ws.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(states).toEqual(['online', 'offline']);
  });
});

describe('access token', () => {
  it('moves ?token= into session storage and out of the address bar, keeping the rest of the URL', () => {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const token = takeAccessToken({
      location: { href: 'http://127.0.0.1:4000/?token=abc%2B1&x=2#/incidents' },
      history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
      storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    });
    expect(token).toBe('abc+1');
    expect(replaced).toEqual(['/?x=2#/incidents']);
    expect([...store.values()]).toEqual(['abc+1']);

    const again = takeAccessToken({
      location: { href: 'http://127.0.0.1:4000/#/incidents' },
      history: { state: null, replaceState: () => undefined },
      storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    });
    expect(again).toBe('abc+1');
  });

  it('builds the same-origin bridge URL', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:4000' }, 'a b')).toBe('ws://127.0.0.1:4000/bridge?token=a%20b');
    expect(bridgeUrl({ protocol: 'https:', host: 'localhost:1' }, null)).toBe('wss://localhost:1/bridge');
  });
});
