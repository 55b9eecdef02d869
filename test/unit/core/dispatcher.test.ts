import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../electron/core/kernel/dispatch/dispatcher';
import { Registry } from '../../../electron/core/kernel/dispatch/registry';
import { createDirectBridge } from '../../../electron/core/kernel/dispatch/direct-bridge';
import { ContractFailure } from '@shared/kernel/result';
import { DEFAULT_UI_SETTINGS } from '@shared/settings/model';

const ctx = { transport: 'direct' as const, signal: new AbortController().signal };

function setup(opts: { wall?: boolean; validateOutput?: boolean } = {}) {
  const registry = new Registry();
  let wall = opts.wall ?? false;
  const calls: unknown[] = [];
  registry.handle('settings.get', () => DEFAULT_UI_SETTINGS);
  registry.handle('connections.remove', (args) => {
    calls.push(args);
    return { removed: true };
  });
  registry.handle('connections.test', () => {
    throw new ContractFailure('unauthorized', 'Prometheus answered 401 (not authenticated): bad token', {
      status: 401,
      remoteMessage: 'bad token',
    });
  });
  registry.handle('activity.list', () => [{ id: 'x', secretField: 'leak' }] as never);
  const d = new Dispatcher({ registry, isReadOnly: () => wall, validateOutput: opts.validateOutput ?? true });
  return { d, registry, calls, setWall: (w: boolean) => (wall = w) };
}

describe('Dispatcher', () => {
  it('answers a valid call with the ok envelope', async () => {
    const { d } = setup();
    expect(await d.call('settings.get', {}, ctx)).toEqual({ ok: true, data: DEFAULT_UI_SETTINGS });
  });

  it('refuses an unknown method by name', async () => {
    const { d } = setup();
    const r = await d.call('fs.readFile', { path: '/etc/passwd' }, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'unknown_method', message: 'There is no call named "fs.readFile".' } });
  });

  it('refuses bad arguments with the failing fields, before the handler runs', async () => {
    const { d, calls } = setup();
    const r = await d.call('connections.remove', { id: 42, extra: true }, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad_request');
    const paths = r.error.detail?.fields?.map((f) => f.path) ?? [];
    expect(paths).toContain('id');
    expect(calls).toEqual([]);
  });

  it('refuses every action in wall mode, in the dispatcher itself', async () => {
    const { d, calls, setWall } = setup();
    setWall(true);
    const r = await d.call('connections.remove', { id: 'prom' }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(calls).toEqual([]);
    // reads still work on the wall
    expect((await d.call('settings.get', {}, ctx)).ok).toBe(true);
    setWall(false);
    expect(await d.call('connections.remove', { id: 'prom' }, ctx)).toEqual({ ok: true, data: { removed: true } });
  });

  it('turns a thrown ContractFailure into an error value that quotes the remote system', async () => {
    const { d } = setup();
    const r = await d.call('connections.test', { id: 'p' }, ctx);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'Prometheus answered 401 (not authenticated): bad token',
        detail: { status: 401, remoteMessage: 'bad token' },
      },
    });
  });

  it('says when a call is declared but not available', async () => {
    const { d } = setup();
    expect(await d.call('connections.secretStatus', {}, ctx)).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });

  it('catches a handler that answers outside the contract when output validation is on', async () => {
    const { d } = setup({ validateOutput: true });
    const r = await d.call('activity.list', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('subscriptions validate the topic, deliver batches and stop on unsubscribe', async () => {
    const { registry, d } = setup();
    let emit: ((p: typeof DEFAULT_UI_SETTINGS) => void) | undefined;
    let stopped = 0;
    registry.source('settings.changed', (_a, e) => {
      emit = e;
      return () => stopped++;
    });
    const bridge = createDirectBridge(d, { batchIntervalMs: 5 });
    const batches: unknown[][] = [];
    const unsub = bridge.subscribe('settings.changed', {}, (b) => batches.push(b));
    emit?.({ ...DEFAULT_UI_SETTINGS, theme: 'light' });
    emit?.({ ...DEFAULT_UI_SETTINGS, theme: 'dark' });
    await new Promise((r) => setTimeout(r, 30));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(2);
    unsub();
    expect(stopped).toBe(1);
    const errors: string[] = [];
    bridge.subscribe(
      'nope.topic',
      {},
      () => undefined,
      (e) => errors.push(e.code),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(errors).toEqual(['unknown_method']);
  });

  it('scrubs secrets from every frame that leaves: results, errors and subscription payloads', async () => {
    const secret = 'tok-5a4b3c2d';
    const registry = new Registry();
    registry.handle('connections.list', () => [
      {
        spec: { id: 'p', kind: 'prometheus', name: `echo ${secret}`, url: 'http://x', auth: { type: 'none' } },
        provisioned: false,
        secrets: [],
      },
    ]);
    registry.handle('connections.test', () => {
      throw new ContractFailure('unauthorized', `401: you sent Bearer ${secret}`, {
        remoteMessage: secret,
        fields: [{ path: 'x', message: secret }],
      });
    });
    let emit: ((p: unknown) => void) | undefined;
    registry.source('connections.health', (_a, e) => {
      emit = e as (p: unknown) => void;
      return () => undefined;
    });
    const d = new Dispatcher({ registry, isReadOnly: () => false, redact: (t) => t.split(secret).join('[redacted]') });
    const frames: string[] = [];
    frames.push(JSON.stringify(await d.call('connections.list', {}, ctx)));
    frames.push(JSON.stringify(await d.call('connections.test', { id: 'p' }, ctx)));
    const sub = d.subscribe('connections.health', {}, (p) => frames.push(JSON.stringify(p)));
    emit?.([{ id: 'p', kind: 'prometheus', name: 'p', state: 'error', message: `quoted ${secret}` }]);
    if (sub.ok) sub.data.stop();
    expect(frames).toHaveLength(3);
    for (const f of frames) {
      expect(f).not.toContain(secret);
      expect(f).toContain('[redacted]');
    }
  });
});
