import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useAppInfo } from '../api/app-queries';
import { useConnectivity } from '../api/hooks';
import { navigate, startHashSync, useRoute } from '../state/route';
import { viewDef } from '../views';
import { Banners } from './banners/Banners';
import { Header } from './Header';
import { LiveCacheSync } from './LiveCacheSync';
import { NavBar } from './NavBar';
import { ShortcutHelp } from './ShortcutHelp';
import { StatusBar } from './StatusBar';
import { ViewOutlet } from './ViewOutlet';
import { useGlobalShortcuts } from './keyboard';
import { useThemeSync, useTimeZoneSync } from './theme';
import { ViewEnvironment, WorkstationLayer } from '../../features/workstation';
import '../features';

/** A wall started with `--wall` opens on the wall view when no other view was asked for. */
function useWallStart(): void {
  const wall = useAppInfo().data?.wall;
  useEffect(() => {
    if (wall && (window.location.hash === '' || window.location.hash === '#' || window.location.hash === '#/'))
      navigate({ view: 'wall', path: [] });
  }, [wall]);
}

export function App(): ReactNode {
  useEffect(() => startHashSync(), []);
  useThemeSync();
  useTimeZoneSync();
  useGlobalShortcuts();
  useWallStart();
  const route = useRoute();
  const def = viewDef(route.view);
  const bare = def.chrome === 'bare';
  // While the server link is down, everything on screen is the last data received: greyed, never silently live.
  const linkDown = useConnectivity().state === 'offline';
  return (
    <div className={`app${bare ? ' app-bare' : ''}`} data-testid="app" data-view={route.view} data-link={linkDown ? 'down' : 'up'}>
      <LiveCacheSync />
      {/* The wall (bare) has nothing to focus and nothing to hover: it shows its own ages and banner. */}
      {bare ? null : (
        <a
          className="skip-link"
          href="#main-content"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main-content')?.focus();
          }}
        >
          Skip to content
        </a>
      )}
      {bare ? null : <Header />}
      {bare ? null : <NavBar />}
      {bare ? null : <Banners />}
      <main id="main-content" className="main" tabIndex={-1} data-testid={`view-${route.view}`}>
        {bare ? null : <ViewEnvironment />}
        <ViewOutlet route={route} />
      </main>
      {bare ? null : <StatusBar />}
      <ShortcutHelp />
      <WorkstationLayer />
    </div>
  );
}
