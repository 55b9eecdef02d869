// `toc serve` prints a URL with a per-run token. The token must not linger in the address bar (screenshots,
// shoulder-surfing, history), but a reload must keep working: keep it for the tab's session only.

const STORAGE_KEY = 'toc.serve.token';

export interface TokenEnv {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function browserTokenEnv(): TokenEnv {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    // Storage disabled by policy: the token then lives only as long as this page.
  }
  return { location: window.location, history: window.history, storage };
}

/** Returns the access token from `?token=` (moving it to sessionStorage) or from an earlier load of this tab. */
export function takeAccessToken(env: TokenEnv = browserTokenEnv()): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      env.storage?.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Quota or policy: still usable for this page.
    }
    url.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return env.storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The bridge lives on the page's own origin (`connect-src 'self'`). */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/bridge${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
