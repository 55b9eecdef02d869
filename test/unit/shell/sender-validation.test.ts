import { describe, expect, it } from 'vitest';
import { validateSender } from '../../../electron/main/ipc-bridge';
import type { SenderFrameLike } from '../../../electron/main/ipc-bridge';

const top = (url: string): SenderFrameLike => ({ url, parent: null });
const trusted = new Set([7]);
const sender = { id: 7 };

describe('IPC sender validation', () => {
  it('accepts the app page in the top frame of a window main created', () => {
    expect(validateSender({ sender, senderFrame: top('app://console/index.html') }, trusted)).toEqual({ ok: true });
    expect(validateSender({ sender, senderFrame: top('app://console/#/incidents?x=1') }, trusted)).toEqual({ ok: true });
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['another app:// host', 'app://other/index.html'],
    ['the app host with credentials', 'app://user:pw@console/index.html'],
    ['a file: page', 'file:///home/user/index.html'],
    ['about:blank', 'about:blank'],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['an empty URL', ''],
    ['http on the same host name', 'http://console/index.html'],
  ])('refuses %s', (_name, url) => {
    const v = validateSender({ sender, senderFrame: top(url) }, trusted);
    expect(v.ok).toBe(false);
  });

  it('refuses a child frame, even one showing the app itself', () => {
    const child: SenderFrameLike = { url: 'app://console/index.html', parent: top('app://console/index.html') };
    expect(validateSender({ sender, senderFrame: child }, trusted)).toEqual({ ok: false, reason: 'message from a child frame' });
  });

  it('refuses a message whose frame is gone (senderFrame null)', () => {
    expect(validateSender({ sender, senderFrame: null }, trusted)).toEqual({ ok: false, reason: 'the sending frame is gone' });
  });

  it('refuses a webContents the console did not create, even on the app origin', () => {
    const v = validateSender({ sender: { id: 8 }, senderFrame: top('app://console/index.html') }, trusted);
    expect(v).toEqual({ ok: false, reason: 'message from a webContents the console did not create' });
    expect(validateSender({ sender: null, senderFrame: top('app://console/index.html') }, trusted).ok).toBe(false);
  });

  it('accepts the dev server origin only when it is explicitly allowed', () => {
    const dev = { sender, senderFrame: top('http://localhost:5173/') };
    expect(validateSender(dev, trusted).ok).toBe(false);
    expect(validateSender(dev, trusted, ['app://console', 'http://localhost:5173']).ok).toBe(true);
  });
});
