import type { NavigateTarget } from '../app/contract';
import type { SloFleet } from '../slo/contract';
import type { JobSummary } from '../jobs/model';
import type { IncidentAlert } from '../incidents/model';
import type { UiSettings } from '../settings/model';

// Desktop notifications of the workstation (issue 6): a new or escalated P1/P2, an SLO that starts paging
// (page-level burn alert), a job that finished. Pure rules shared by Electron main (electron's Notification) and
// the browser page under `toc serve` (the Notification API): what to say, where a click goes, whether the
// user's settings allow it. Trackers keep bounded state, so weeks of running do not grow them.

export type NoteKind = 'incident' | 'burn' | 'job';

export interface DesktopNote {
  kind: NoteKind;
  /** Same key, same notification: the OS replaces rather than stacks (the `tag`). */
  key: string;
  title: string;
  body: string;
  /** Where a click takes the user. */
  target: NavigateTarget;
  /** The connection the news came from, for the environment filter. */
  connectionId: string;
  /** An urgent note stays until dismissed where the OS allows it. */
  urgent: boolean;
}

const SETTING: Record<NoteKind, keyof UiSettings['notifications']> = { incident: 'newP1P2', burn: 'burnAlerts', job: 'jobFinished' };

/** Whether the user wants this kind, and the note's connection is in the environment the switcher shows. */
export function noteAllowed(note: DesktopNote, settings: UiSettings, environmentOf: (connectionId: string) => string | undefined): boolean {
  if (!settings.notifications[SETTING[note.kind]]) return false;
  if (settings.environment === null) return true;
  return (environmentOf(note.connectionId) ?? '') === settings.environment;
}

export function incidentNote(a: IncidentAlert): DesktopNote | null {
  const p = a.incident.priority.value;
  if (p !== '1' && p !== '2') return null;
  const verb = a.reason === 'new' ? 'New' : 'Escalated to';
  return {
    kind: 'incident',
    key: `incident:${a.connectionId}:${a.incident.sys_id}:${p}`,
    title: `${verb} P${p}: ${a.incident.number}`,
    body: [a.incident.short_description, a.incident.cmdb_ci.label, a.connectionName].filter(Boolean).join(' · '),
    target: { view: 'incidents', id: a.incident.number },
    connectionId: a.connectionId,
    urgent: p === '1',
  };
}

const TERMINAL = new Set(['successful', 'failed', 'error', 'canceled']);

export function jobNote(j: JobSummary): DesktopNote | null {
  if (!TERMINAL.has(j.status)) return null;
  const word = { successful: 'succeeded', failed: 'failed', error: 'ended in error', canceled: 'was cancelled' }[j.status] ?? j.status;
  return {
    kind: 'job',
    key: `job:${j.connectionId}:${j.id}`,
    title: `Job #${j.id} ${word}`,
    body: [j.name, j.limit ? `limit ${j.limit}` : '', j.connectionName].filter(Boolean).join(' · '),
    target: { view: 'jobs', path: [j.connectionId, String(j.id)] },
    connectionId: j.connectionId,
    urgent: j.status !== 'successful' && j.status !== 'canceled',
  };
}

/** Remembers keys already told, oldest forgotten first (the same job reported by socket and poll is told once). */
export class SeenKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly max = 500) {}
  /** true the first time a key is offered. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) {
      const first = this.keys.values().next();
      if (!first.done) this.keys.delete(first.value);
    }
    return true;
  }
  get size(): number {
    return this.keys.size;
  }
}

/**
 * SLOs that start paging. The first fleet is the baseline (nothing already paging is news when the console
 * starts); after that, an SLO whose page alert appears is news once, until it stops paging and starts again.
 * Stale numbers are no news either way.
 */
export class BurnTracker {
  private paging: Set<string> | null = null;

  update(fleet: SloFleet): DesktopNote[] {
    const now = new Set<string>();
    const notes: DesktopNote[] = [];
    for (const s of fleet.statuses) {
      const page = s.alerts.find((a) => a.severity === 'page');
      if (!page) continue;
      now.add(s.id);
      if (s.stale || this.paging === null || this.paging.has(s.id)) continue;
      notes.push({
        kind: 'burn',
        key: `burn:${s.id}`,
        title: `SLO burning fast: ${s.displayName ?? s.name}`,
        body: `${page.long}/${page.short} burn ${page.longBurn.toFixed(1)}× (page threshold ${page.factor.toFixed(1)}×) · ${s.service}`,
        target: { view: 'slos', path: ['detail', s.id] },
        connectionId: s.connectionId ?? fleet.connections[0]?.id ?? '',
        urgent: true,
      });
    }
    // Stale statuses keep their previous state rather than flapping the baseline.
    if (this.paging) for (const s of fleet.statuses) if (s.stale && this.paging.has(s.id)) now.add(s.id);
    this.paging = now;
    return notes;
  }
}
