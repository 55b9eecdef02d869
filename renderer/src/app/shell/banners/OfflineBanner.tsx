import type { ReactNode } from 'react';
import { useConnectivity, useReconnectNow } from '../../api/hooks';
import { useNow } from '../../state/clock';
import { Banner } from './Banner';

/** The ws bridge is down: say so, say what the screen still shows, and offer to try now. */
export function OfflineBanner(): ReactNode {
  const c = useConnectivity();
  const reconnect = useReconnectNow();
  const now = useNow();
  if (c.missingToken && c.state !== 'online') {
    return (
      <Banner tone="error" title="This page has no access token" testId="banner-offline">
        <p>
          Open the full address that <code>toc serve</code> printed (it ends in <code>?token=…</code>). The token changes every time the
          server starts.
        </p>
      </Banner>
    );
  }
  // The first connect is a short "connecting"; a banner appears only once the link has actually failed.
  if (c.state === 'online' || (c.state === 'connecting' && c.failures === 0)) return null;
  const wait = c.nextRetryAt !== null ? Math.max(0, Math.ceil((c.nextRetryAt - now) / 1000)) : null;
  return (
    <Banner
      tone="error"
      title="Lost the link to the console server"
      testId="banner-offline"
      actions={
        <button type="button" className="btn" onClick={reconnect} disabled={c.state !== 'offline'} data-testid="banner-offline-reconnect">
          Reconnect now
        </button>
      }
    >
      <p>
        {c.endpoint ? <code>{c.endpoint}</code> : 'The server'} does not answer. What is on screen is the last data received and is not
        updating. {c.state === 'connecting' ? 'Reconnecting…' : wait !== null ? `Next attempt in ${wait} s.` : ''}
        {c.failures >= 3 ? ' If toc serve was restarted, open the new address it printed: the access token changes on every start.' : ''}
      </p>
    </Banner>
  );
}
