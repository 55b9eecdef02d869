import { useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { BurnTracker, SeenKeys, incidentNote, jobNote, noteAllowed } from '@shared/workstation/desktop-notes';
import type { DesktopNote } from '@shared/workstation/desktop-notes';
import type { UiSettings } from '@shared/settings/model';
import { useAppInfo, useSettings } from '../../app/api/app-queries';
import { useEnvironment } from '../../app/api/environment';
import { useTopic } from '../../app/api/hooks';
import { navigate, routeOfTarget } from '../../app/state/route';

// Desktop notifications for a browser on `toc serve` (the desktop app raises them from main, with Electron's
// Notification, so they also show while the window is closed). New or escalated P1/P2, an SLO that starts
// paging, a job that finished; a click brings the console forward on the right view. Off on the wall.

function show(note: DesktopNote): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = new Notification(note.title, { body: note.body, tag: note.key, requireInteraction: note.urgent });
  n.onclick = () => {
    window.focus();
    navigate(routeOfTarget(note.target));
    n.close();
  };
}

/** The browser asks for permission only after a user gesture: ask on the first click or key press. */
function useAskPermissionOnGesture(wanted: boolean): void {
  useEffect(() => {
    if (!wanted || typeof Notification === 'undefined' || Notification.permission !== 'default') return undefined;
    const ask = (): void => {
      window.removeEventListener('pointerdown', ask);
      window.removeEventListener('keydown', ask);
      void Notification.requestPermission().catch(() => undefined);
    };
    window.addEventListener('pointerdown', ask);
    window.addEventListener('keydown', ask);
    return () => {
      window.removeEventListener('pointerdown', ask);
      window.removeEventListener('keydown', ask);
    };
  }, [wanted]);
}

export function DesktopNotifier(): ReactNode {
  const info = useAppInfo();
  const settings = useSettings();
  const scope = useEnvironment();
  const active = info.data !== undefined && info.data.transport === 'ws' && !info.data.wall && settings.data !== undefined;
  const n = settings.data?.notifications;
  const hasKind = (k: string): boolean => scope.all.some((c) => c.spec.kind === k);
  useAskPermissionOnGesture(active && Boolean(n && (n.newP1P2 || n.burnAlerts || n.jobFinished)));

  const seen = useMemo(() => new SeenKeys(500), []);
  const burn = useMemo(() => new BurnTracker(), []);
  const ref = useRef<{ settings: UiSettings | undefined; envOf: (id: string) => string | undefined }>({
    settings: undefined,
    envOf: () => undefined,
  });
  useEffect(() => {
    ref.current = { settings: settings.data, envOf: (id) => scope.all.find((c) => c.spec.id === id)?.spec.environment };
  });
  const tell = (note: DesktopNote | null): void => {
    const s = ref.current.settings;
    if (!note || !s || !noteAllowed(note, s, ref.current.envOf) || !seen.add(note.key)) return;
    show(note);
  };

  useTopic('incidents.alerts', {}, (batch) => batch.forEach((a) => tell(incidentNote(a))), {
    enabled: active && Boolean(n?.newP1P2) && hasKind('servicenow'),
  });
  useTopic('slo.fleet', {}, (batch) => batch.forEach((f) => burn.update(f).forEach(tell)), {
    enabled: active && Boolean(n?.burnAlerts) && hasKind('prometheus'),
  });
  useTopic('jobs.status', {}, (batch) => batch.forEach((j) => tell(jobNote(j))), {
    enabled: active && Boolean(n?.jobFinished) && hasKind('awx'),
  });
  return null;
}
