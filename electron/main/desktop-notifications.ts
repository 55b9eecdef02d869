import type { NavigateTarget } from '@shared/app/contract';
import type { UiSettings } from '@shared/settings/model';
import { BurnTracker, SeenKeys, incidentNote, jobNote, noteAllowed } from '@shared/workstation/desktop-notes';
import type { DesktopNote } from '@shared/workstation/desktop-notes';
import type { SloFleet } from '@shared/slo/contract';
import type { JobSummary } from '@shared/jobs/model';
import type { IncidentAlert } from '@shared/incidents/model';
import type { Core } from '../core/core';

// Desktop notifications of the desktop app, raised from main so they come while the window is hidden or
// minimised: a new or escalated P1/P2 (`incidents.alerts`), an SLO that starts paging (`slo.fleet`), a job that
// finished (`jobs.status`). Each kind subscribes only while the user's setting is on and the console is not a
// wall; a click brings the window forward on the right view.

export interface NotifierDeps {
  core: Pick<Core, 'dispatcher' | 'services'>;
  /** Shows one notification; calls onClick when the user clicks it. */
  show(note: DesktopNote, onClick: () => void): void;
  open(target: NavigateTarget): void;
  isWall(): boolean;
  log?: (line: string) => void;
}

type Stop = () => void;

export function startDesktopNotifications(deps: NotifierDeps): { stop(): void; refresh(): void } {
  const { core } = deps;
  const seen = new SeenKeys(500);
  const burn = new BurnTracker();
  const subs: Partial<Record<'incident' | 'burn' | 'job', Stop>> = {};
  const envOf = (id: string): string | undefined => {
    try {
      return core.services.connections.get(id).environment;
    } catch {
      return undefined;
    }
  };
  const tell = (note: DesktopNote | null): void => {
    const settings = core.services.settings.getUi();
    if (!note || deps.isWall() || !noteAllowed(note, settings, envOf) || !seen.add(note.key)) return;
    deps.show(note, () => deps.open(note.target));
  };
  const subscribe = (topic: 'incidents.alerts' | 'slo.fleet' | 'jobs.status', sink: (p: unknown) => void): Stop | undefined => {
    const r = core.dispatcher.subscribe(topic, {}, sink);
    if (!r.ok) {
      deps.log?.(`notifications: ${topic} unavailable: ${r.error.message}`);
      return undefined;
    }
    return () => r.data.stop();
  };
  const has = (kind: 'servicenow' | 'prometheus' | 'awx'): boolean => core.services.connections.byKind(kind).length > 0;

  const apply = (s: UiSettings): void => {
    const want = {
      incident: s.notifications.newP1P2 && !deps.isWall() && has('servicenow'),
      burn: s.notifications.burnAlerts && !deps.isWall() && has('prometheus'),
      job: s.notifications.jobFinished && !deps.isWall() && has('awx'),
    };
    const toggle = (kind: 'incident' | 'burn' | 'job', start: () => Stop | undefined): void => {
      if (want[kind] && !subs[kind]) {
        const stop = start();
        if (stop) subs[kind] = stop;
      } else if (!want[kind] && subs[kind]) {
        subs[kind]?.();
        delete subs[kind];
      }
    };
    toggle('incident', () => subscribe('incidents.alerts', (p) => tell(incidentNote(p as IncidentAlert))));
    toggle('burn', () => subscribe('slo.fleet', (p) => burn.update(p as SloFleet).forEach(tell)));
    toggle('job', () => subscribe('jobs.status', (p) => tell(jobNote(p as JobSummary))));
  };

  apply(core.services.settings.getUi());
  const stopSettings = core.services.settings.onUiChange(apply);
  return {
    stop: () => {
      stopSettings();
      for (const stop of Object.values(subs)) stop?.();
    },
    // Wall mode switched: the settings did not change, what is allowed did.
    refresh: () => apply(core.services.settings.getUi()),
  };
}
