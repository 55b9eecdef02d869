import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useReconnectNow, useTopic } from '../../app/api/hooks';
import { useRouteStore } from '../../app/state/route';
import { CommandPalette } from './CommandPalette';
import { DesktopNotifier } from './DesktopNotifier';
import { PrintRunbook } from './PrintRunbook';
import { useWorkstation } from './workstation-store';
import './workstation.css';

// What the shell adds for the workstation and the long-running wall: the command palette (Ctrl/Cmd+K), desktop
// notifications, the runbook print layout, and reading everything again after sleep, an unlocked screen or a
// network that came back.

const TICK_MS = 10_000;
/** A timer that fires this late means the computer slept (or the tab was frozen). */
const SLEPT_MS = 30_000;

/** Ctrl/Cmd+K opens the palette; on the runbook list the same keys search runbooks, as that view says. */
export function isPaletteKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}

function usePaletteShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || !isPaletteKey(e)) return;
      const route = useRouteStore.getState().route;
      if (route.view === 'runbooks' && (route.path.length === 0 || route.path[0] !== 'templates')) return;
      e.preventDefault();
      const ws = useWorkstation.getState();
      ws.setPaletteOpen(!ws.paletteOpen);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function useRecovery(): void {
  const qc = useQueryClient();
  const reconnect = useReconnectNow();
  // Desktop: main reports resume from sleep and screen unlock.
  useTopic('app.resumed', {}, () => void qc.invalidateQueries());
  useEffect(() => {
    // Browser (a wall PC running `toc serve` in a kiosk browser): notice sleep by a late timer, and the network
    // coming back by the browser's own event; then reconnect at once and read everything again.
    let last = Date.now();
    const refresh = (): void => {
      reconnect();
      void qc.invalidateQueries();
    };
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - last > TICK_MS + SLEPT_MS) refresh();
      last = now;
    }, TICK_MS);
    window.addEventListener('online', refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', refresh);
    };
  }, [qc, reconnect]);
}

export function WorkstationLayer(): ReactNode {
  usePaletteShortcut();
  useRecovery();
  return (
    <>
      <CommandPalette />
      <DesktopNotifier />
      <PrintRunbook />
    </>
  );
}
