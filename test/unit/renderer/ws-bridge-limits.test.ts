// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createWsBridge } from '../../../renderer/src/app/api/ws-bridge';
import type { WsBridge } from '../../../renderer/src/app/api/ws-bridge';
import { LARGEST_CONTRACT_STRING, MAX_BRIDGE_FRAME_BYTES } from '@shared/kernel/bridge';
import { methods } from '@shared/contract';
import { FakeSocket } from './fake-socket';

describe('bridge limits agree with the contract', () => {
  it('no method argument may hold a longer string than the frame limit was sized for', () => {
    const limits: Array<{ method: string; max: number }> = [];
    for (const [name, m] of Object.entries(methods)) {
      const schema = JSON.stringify(z.toJSONSchema(m.input, { unrepresentable: 'any', io: 'input' }));
      for (const x of schema.matchAll(/"maxLength":(\d+)/g)) limits.push({ method: name, max: Number(x[1]) });
    }
    expect(limits.length).toBeGreaterThan(20);
    const largest = limits.reduce((a, b) => (b.max > a.max ? b : a));
    expect(largest).toEqual({ method: 'slo.import', max: LARGEST_CONTRACT_STRING });
  });

  it('fits the largest string however JSON encodes it: 6 bytes for each control character', () => {
    const worst = JSON.stringify({
      t: 'call',
      id: 2 ** 31,
      method: 'slo.import',
      args: { filename: 'f'.repeat(200), yaml: '\u0001'.repeat(LARGEST_CONTRACT_STRING) },
    });
    expect(Buffer.byteLength(worst)).toBeLessThanOrEqual(MAX_BRIDGE_FRAME_BYTES);
    const lone = JSON.stringify({ yaml: '\ud800'.repeat(LARGEST_CONTRACT_STRING) });
    expect(Buffer.byteLength(lone)).toBeLessThanOrEqual(MAX_BRIDGE_FRAME_BYTES);
  });
});

describe('ws bridge: a call too big for the server', () => {
  let ws: WsBridge;
  beforeEach(() => {
    FakeSocket.all = [];
  });
  afterEach(() => ws.close());

  it('fails at once with the sizes, instead of sending a frame the server must close with 1009', async () => {
    ws = createWsBridge({ url: 'ws://127.0.0.1:4000/bridge?token=t', createSocket: (u) => new FakeSocket(u) });
    const s = FakeSocket.latest();
    s.open();
    const r = await ws.bridge.invoke('slo.import', { filename: 'x.yaml', yaml: '\u0001'.repeat(MAX_BRIDGE_FRAME_BYTES / 5) });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    if (!r.ok) expect(r.error.message).toMatch(/too large to send \(7\.\d MB; the console server accepts up to 6\.\d MB\)/);
    expect(s.sentOf('call')).toHaveLength(0);
    expect(ws.connectivity.snapshot().state).toBe('online');
    // A big call that fits goes out.
    const p = ws.bridge.invoke('slo.import', { filename: 'x.yaml', yaml: '界'.repeat(LARGEST_CONTRACT_STRING) });
    expect(s.sentOf('call')).toHaveLength(1);
    s.receive({ t: 'result', id: s.sentOf('call')[0]!.id, result: { ok: true, data: {} } });
    await expect(p).resolves.toEqual({ ok: true, data: {} });
  });
});
