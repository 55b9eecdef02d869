import { create } from 'zustand';
import type { NavigateTarget } from '@shared/app/contract';

// Hash routes (`#/incidents/INC0010001`) work the same from app:// in Electron and from `toc serve`, need no
// server rewrites, and survive reloads and deep links.

export const VIEW_IDS = ['slos', 'incidents', 'runbooks', 'jobs', 'activity', 'settings', 'wall', 'alerts'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface Route {
  view: ViewId;
  /** Segments after the view: an item id, a sub-page (`settings/connections`), ... */
  path: string[];
}

export const DEFAULT_ROUTE: Route = { view: 'slos', path: [] };

const isViewId = (s: string): s is ViewId => (VIEW_IDS as readonly string[]).includes(s);

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const segments = raw
    .split('?')[0]!
    .split('/')
    .filter((s) => s.length > 0)
    .map(safeDecode);
  const [view, ...path] = segments;
  if (view === undefined || !isViewId(view)) return DEFAULT_ROUTE;
  return { view, path };
}

export function formatRoute(route: Route): string {
  return `#/${[route.view, ...route.path].map(encodeURIComponent).join('/')}`;
}

export function routeOfTarget(t: NavigateTarget): Route {
  return { view: t.view, path: t.path ?? (t.id ? [t.id] : []) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface RouteState {
  route: Route;
  navigate: (to: Route | string) => void;
}

export const useRouteStore = create<RouteState>()(() => ({
  route: typeof window === 'undefined' ? DEFAULT_ROUTE : parseHash(window.location.hash),
  navigate: (to) => {
    const hash = typeof to === 'string' ? to : formatRoute(to);
    // The hashchange listener below updates the store, so Back/Forward and typed URLs take the same path.
    if (window.location.hash !== hash) window.location.hash = hash;
    else useRouteStore.setState({ route: parseHash(hash) });
  },
}));

/** Keeps the store in step with the address bar; returns the stop function. */
export function startHashSync(): () => void {
  const sync = (): void => useRouteStore.setState({ route: parseHash(window.location.hash) });
  sync();
  window.addEventListener('hashchange', sync);
  return () => window.removeEventListener('hashchange', sync);
}

export const useRoute = (): Route => useRouteStore((s) => s.route);
export const navigate = (to: Route | string): void => useRouteStore.getState().navigate(to);
export const hrefOf = (view: ViewId, ...path: string[]): string => formatRoute({ view, path });
