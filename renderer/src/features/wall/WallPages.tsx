import type { ReactNode } from 'react';
import type { WallPageView } from '@shared/wall/contract';
import type { ChangeRow, IncidentRow } from '@shared/incidents/model';
import type { JobSummary } from '@shared/jobs/model';
import { parseGlideDateTime } from '@shared/incidents/glide-time';
import type { WallAlert, WallTone } from './wall-model';
import { ageText, freshness, summariseAlerts, summariseIncidents, summariseJobs } from './wall-model';
import type { Source, WallData } from './use-wall-data';
import { NoSource, StaleNote, Stat } from './WallParts';
import { formatDateTime, formatTime } from '../../app/format/time';

// The wall's pages (the SLO page is in WallSloPage.tsx). Big numbers first, then a short list; every tile says how old its data is and,
// when that data is the last good copy rather than current, says so in words and hatches the tile. No link,
// no button, no tooltip: nothing on the wall needs a hand or a mouse.

export interface PageSummary {
  tone: WallTone;
  /** Anything red (pins the page). */
  red: boolean;
}

// ---- incidents ---------------------------------------------------------------------------------------------

const allRows = (src: Source<{ connectionId: string; rows: IncidentRow[] }[]>): IncidentRow[] => src.data.flatMap((d) => d.rows);

export function incidentSummary(src: WallData['incidents'], page: WallPageView): PageSummary {
  if (!src || src.data.length === 0) return { tone: 'unknown', red: false };
  const s = summariseIncidents(allRows(src), page.filter);
  return { tone: s.tone, red: s.tone === 'crit' };
}

function openedAgo(glide: string, now: number): string {
  const t = parseGlideDateTime(glide);
  return t === null ? '—' : ageText(now - t);
}

export function IncidentsPage(props: { src: WallData['incidents']; page: WallPageView; now: number }): ReactNode {
  const { src, page, now } = props;
  if (!src) return <NoSource what="No ServiceNow connection is configured." />;
  const f = freshness(src.fresh, now);
  const s = summariseIncidents(allRows(src), page.filter);
  const known = src.data.length > 0;
  return (
    <div className="wall-incidents" data-testid="wall-incidents">
      <StaleNote f={f} />
      <div className="wall-stats">
        <Stat label="P1 open" value={known ? s.p1 : '—'} tone={!known ? 'unknown' : s.p1 > 0 ? 'crit' : 'ok'} f={f} testId="wall-stat-p1" />
        <Stat label="P2 open" value={known ? s.p2 : '—'} tone={!known ? 'unknown' : s.p2 > 0 ? 'warn' : 'ok'} f={f} testId="wall-stat-p2" />
        <Stat label="P3–P5 open" value={known ? s.other : '—'} tone={known ? 'ok' : 'unknown'} f={f} testId="wall-stat-other" />
        <Stat
          label="Unassigned"
          value={known ? s.unassigned : '—'}
          tone={!known ? 'unknown' : s.unassigned > 0 ? 'warn' : 'ok'}
          f={f}
          testId="wall-stat-unassigned"
        />
      </div>
      <h2 className="wall-list-title">Newest P1 / P2</h2>
      {s.newest.length === 0 ? (
        <p className="wall-empty-line">{known ? 'No P1 or P2 incident is open.' : 'No incident data yet.'}</p>
      ) : (
        <ol className={`wall-list${f.stale ? ' is-stale' : ''}`} data-testid="wall-incident-list">
          {s.newest.map((r) => (
            <li key={r.sys_id} className={`wall-row wt-${r.priority.value === '1' ? 'crit' : 'warn'}`} data-testid="wall-incident-row">
              <span className="wall-row-key">P{r.priority.value}</span>
              <span className="wall-row-id">{r.number}</span>
              <span className="wall-row-text">{r.short_description}</span>
              <span className="wall-row-meta">{r.cmdb_ci.label || r.assignment_group.label}</span>
              <span className="wall-row-age">{openedAgo(r.opened_at, now)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

// ---- alerts ------------------------------------------------------------------------------------------------

export function alertSummary(src: WallData['alerts'], page: WallPageView): PageSummary {
  if (!src) return { tone: 'unknown', red: false };
  const s = summariseAlerts(src.data, page.filter);
  return { tone: s.tone, red: s.tone === 'crit' };
}

export function AlertsPage(props: { src: WallData['alerts']; page: WallPageView; now: number }): ReactNode {
  const { src, page, now } = props;
  if (!src) return <NoSource what="No Alertmanager or Prometheus connection is configured." />;
  const f = freshness(src.fresh, now);
  const s = summariseAlerts(src.data, page.filter);
  const known = src.fresh.at !== null;
  return (
    <div className="wall-alerts" data-testid="wall-alerts">
      <StaleNote f={f} />
      <div className="wall-stats">
        <Stat
          label="Critical firing"
          value={known ? s.crit : '—'}
          tone={!known ? 'unknown' : s.crit > 0 ? 'crit' : 'ok'}
          f={f}
          testId="wall-stat-crit"
        />
        <Stat
          label="Other firing"
          value={known ? s.warn : '—'}
          tone={!known ? 'unknown' : s.warn > 0 ? 'warn' : 'ok'}
          f={f}
          testId="wall-stat-warn"
        />
      </div>
      {s.shown.length === 0 ? (
        <p className="wall-empty-line">{known ? 'Nothing is firing.' : 'No alert data yet.'}</p>
      ) : (
        <ol className={`wall-list${f.stale ? ' is-stale' : ''}`} data-testid="wall-alert-list">
          {s.shown.map((a: WallAlert) => (
            <li key={a.key} className={`wall-row wt-${a.tone}`} data-testid="wall-alert-row">
              <span className="wall-row-key">{a.tone === 'crit' ? '■' : '▲'}</span>
              <span className="wall-row-id">{a.name}</span>
              <span className="wall-row-text">{a.where}</span>
              <span className="wall-row-meta">{a.severity || 'no severity'}</span>
              <span className="wall-row-age">{a.since && Date.parse(a.since) <= now ? ageText(now - Date.parse(a.since)) : '—'}</span>
            </li>
          ))}
        </ol>
      )}
      {s.total > s.shown.length ? <p className="wall-more">+{s.total - s.shown.length} more firing</p> : null}
    </div>
  );
}

// ---- jobs --------------------------------------------------------------------------------------------------

export function jobSummary(src: WallData['jobs'], now: number): PageSummary {
  if (!src) return { tone: 'unknown', red: false };
  const s = summariseJobs(src.data, now);
  return { tone: s.tone, red: false };
}

function elapsed(j: JobSummary, now: number): string {
  if (j.started) return ageText(now - Date.parse(j.started));
  return j.elapsed > 0 ? ageText(j.elapsed * 1000) : '—';
}

export function JobsPage(props: { src: WallData['jobs']; now: number }): ReactNode {
  const { src, now } = props;
  if (!src) return <NoSource what="No AWX connection is configured." />;
  const f = freshness(src.fresh, now);
  const s = summariseJobs(src.data, now);
  const known = src.fresh.at !== null;
  const rows = [...s.running, ...s.recent];
  return (
    <div className="wall-jobs" data-testid="wall-jobs">
      <StaleNote f={f} />
      <div className="wall-stats">
        <Stat
          label="Jobs running"
          value={known ? s.running.length : '—'}
          tone={known ? 'ok' : 'unknown'}
          f={f}
          testId="wall-stat-running"
        />
        <Stat
          label="Failed, last hour"
          value={known ? s.recentFailed.length : '—'}
          tone={!known ? 'unknown' : s.recentFailed.length > 0 ? 'warn' : 'ok'}
          f={f}
          testId="wall-stat-failed"
        />
      </div>
      {rows.length === 0 ? (
        <p className="wall-empty-line">{known ? 'No job is running.' : 'No job data yet.'}</p>
      ) : (
        <ol className={`wall-list${f.stale ? ' is-stale' : ''}`} data-testid="wall-job-list">
          {rows.map((j) => {
            const tone: WallTone = j.status === 'failed' || j.status === 'error' ? 'warn' : 'ok';
            return (
              <li key={`${j.connectionId}:${j.id}`} className={`wall-row wt-${tone}`} data-testid="wall-job-row" data-status={j.status}>
                <span className="wall-row-key">{j.status}</span>
                <span className="wall-row-id">#{j.id}</span>
                <span className="wall-row-text">{j.name}</span>
                <span className="wall-row-meta">{j.connectionName}</span>
                <span className="wall-row-age">{j.finished ? `${ageText(now - Date.parse(j.finished))} ago` : elapsed(j, now)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

// ---- changes -----------------------------------------------------------------------------------------------

const changeRows = (src: NonNullable<WallData['changes']>): ChangeRow[] => src.data.flatMap((d) => d.rows);

export function changeSummary(src: WallData['changes']): PageSummary {
  if (!src || src.data.length === 0) return { tone: 'unknown', red: false };
  const emergency = changeRows(src).some((c) => /emergency/i.test(c.type.label || c.type.value));
  return { tone: emergency ? 'warn' : 'ok', red: false };
}

function windowText(c: ChangeRow): string {
  const a = parseGlideDateTime(c.start_date);
  const b = parseGlideDateTime(c.end_date);
  // One format: 24-hour, the zone named once at the end; the date only when the window crosses midnight.
  if (a === null) return '—';
  if (b === null) return formatDateTime(a, { seconds: false });
  const dayA = formatDateTime(a, { seconds: false, zoneName: false }).slice(0, 10);
  const dayB = formatDateTime(b, { seconds: false, zoneName: false }).slice(0, 10);
  return dayA === dayB
    ? `${formatTime(a, { zoneName: false })}–${formatTime(b)}`
    : `${formatDateTime(a, { seconds: false, zoneName: false })}–${formatDateTime(b, { seconds: false })}`;
}

export function ChangesPage(props: { src: WallData['changes']; now: number }): ReactNode {
  const { src, now } = props;
  if (!src) return <NoSource what="No ServiceNow connection is configured." />;
  const f = freshness(src.fresh, now);
  const rows = changeRows(src);
  const known = src.data.length > 0;
  const implementing = rows.filter((c) => /implement/i.test(c.state.label)).length;
  const emergency = rows.filter((c) => /emergency/i.test(c.type.label || c.type.value)).length;
  return (
    <div className="wall-changes" data-testid="wall-changes">
      <StaleNote f={f} />
      <div className="wall-stats">
        <Stat
          label="Changes in flight"
          value={known ? rows.length : '—'}
          tone={known ? 'ok' : 'unknown'}
          f={f}
          testId="wall-stat-changes"
        />
        <Stat
          label="Implementing now"
          value={known ? implementing : '—'}
          tone={known ? 'ok' : 'unknown'}
          f={f}
          testId="wall-stat-implementing"
        />
        <Stat
          label="Emergency"
          value={known ? emergency : '—'}
          tone={!known ? 'unknown' : emergency > 0 ? 'warn' : 'ok'}
          f={f}
          testId="wall-stat-emergency"
        />
      </div>
      {rows.length === 0 ? (
        <p className="wall-empty-line">{known ? 'No change is in flight.' : 'No change data yet.'}</p>
      ) : (
        <ol className={`wall-list${f.stale ? ' is-stale' : ''}`} data-testid="wall-change-list">
          {rows.slice(0, 6).map((c) => (
            <li key={c.sys_id} className={`wall-row wt-${/emergency/i.test(c.type.label) ? 'warn' : 'ok'}`} data-testid="wall-change-row">
              <span className="wall-row-key">{c.state.label}</span>
              <span className="wall-row-id">{c.number}</span>
              <span className="wall-row-text">{c.short_description}</span>
              <span className="wall-row-meta">{c.risk.label ? `risk ${c.risk.label}` : c.type.label}</span>
              <span className="wall-row-age">{windowText(c)}</span>
            </li>
          ))}
        </ol>
      )}
      {rows.length > 6 ? <p className="wall-more">+{rows.length - 6} more in flight</p> : null}
    </div>
  );
}
