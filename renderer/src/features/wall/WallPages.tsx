import type { ReactNode } from 'react';
import type { WallPageView } from '@shared/wall/contract';
import type { SloStatusView } from '@shared/slo/contract';
import type { ChangeRow, IncidentRow } from '@shared/incidents/model';
import type { JobSummary } from '@shared/jobs/model';
import { parseGlideDateTime } from '@shared/incidents/glide-time';
import type { SloGroup, WallAlert, WallTone } from './wall-model';
import {
  TONE_WORD,
  ageText,
  burnEmphasis,
  gridColumns,
  filterSlos,
  freshness,
  groupSlos,
  sloTone,
  summariseAlerts,
  summariseIncidents,
  summariseJobs,
  worstOf,
} from './wall-model';
import type { Source, WallData } from './use-wall-data';
import { Age, NoSource, StaleNote, Stat, ToneMark, burn, pct } from './WallParts';
import { formatDateTime, formatTime } from '../../app/format/time';

// The five kinds of wall page. Big numbers first, then a short list; every tile says how old its data is and,
// when that data is the last good copy rather than current, says so in words and hatches the tile. No link,
// no button, no tooltip: nothing on the wall needs a hand or a mouse.

const MAX_SLO_TILES = 24;

export interface PageSummary {
  tone: WallTone;
  /** Anything red (pins the page). */
  red: boolean;
}

// ---- SLOs --------------------------------------------------------------------------------------------------

export function sloSummary(src: Source<SloStatusView[]> | null, page: WallPageView): PageSummary {
  if (!src) return { tone: 'unknown', red: false };
  const tone = worstOf(filterSlos(src.data, page.filter).map(sloTone), 'unknown');
  return { tone, red: tone === 'crit' };
}

export function SloPage(props: { src: Source<SloStatusView[]> | null; page: WallPageView; now: number }): ReactNode {
  const { src, page, now } = props;
  if (!src) return <NoSource what="No SLO source is configured." />;
  const list = filterSlos(src.data, page.filter);
  const pageFresh = freshness(src.fresh, now);
  if (list.length === 0) {
    return (
      <div className={`wall-empty${pageFresh.stale ? ' is-stale' : ''}`} data-testid="wall-slo-empty">
        {pageFresh.ageMs === null ? 'Waiting for the first SLO numbers…' : 'No SLO matches this page.'} <Age f={pageFresh} />
      </div>
    );
  }
  const by = page.filter.groupBy?.[0] === 'team' ? 'team' : 'service';
  // Worst first: when more SLOs match than the wall can show legibly, the healthy ones are the ones left out.
  const groups: SloGroup[] = [];
  let budget = MAX_SLO_TILES;
  const hiddenTones: WallTone[] = [];
  for (const g of groupSlos(list, by)) {
    const shown = g.items.slice(0, Math.max(0, budget));
    budget -= shown.length;
    for (const i of g.items.slice(shown.length)) hiddenTones.push(i.tone);
    if (shown.length) groups.push({ ...g, items: shown });
  }
  const hidden = hiddenTones.length;
  // One grid for every group, in group order, each tile naming its group: singleton groups (a service with one
  // SLO, the usual case) would otherwise spend a header row each and leave the screen half empty.
  const tiles = groups.flatMap((g) => g.items.map((i) => ({ ...i, group: g })));
  const cols = gridColumns(tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  return (
    <div className="wall-slos" data-testid="wall-slos" data-count={list.length} data-cols={cols} data-rows={rows}>
      <StaleNote f={pageFresh} />
      <div
        className="wall-groups"
        style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${rows}, minmax(min-content, 1fr))` }}
        data-testid="wall-slo-grid"
      >
        {tiles.map(({ s, tone, group }) => (
          <SloTileView key={s.id} s={s} tone={tone} src={src} now={now} group={group} />
        ))}
      </div>
      {hidden > 0 ? (
        <p className="wall-more" data-testid="wall-slo-more">
          +{hidden} more SLO{hidden === 1 ? '' : 's'} ({TONE_WORD[worstOf(hiddenTones)]} at worst) on the SLO view
        </p>
      ) : null}
    </div>
  );
}

function SloTileView(props: { s: SloStatusView; tone: WallTone; src: Source<SloStatusView[]>; now: number; group: SloGroup }): ReactNode {
  const { s, tone, src, now, group } = props;
  const f = freshness(
    {
      at: s.fetchedAt ? Date.parse(s.fetchedAt) : null,
      refreshMs: src.fresh.refreshMs,
      failing: s.stale || src.fresh.failing,
      ...(s.staleReason ? { reason: s.staleReason } : src.fresh.reason ? { reason: src.fresh.reason } : {}),
    },
    now,
  );
  const b = burnEmphasis(s);
  return (
    <article
      className={`wall-tile wall-slo wt-${tone}${f.stale ? ' is-stale' : ''}${b.level === 'page' ? ' is-paging' : ''}`}
      data-testid="wall-slo-tile"
      data-slo-id={s.id}
      data-tone={tone}
      data-stale={f.stale}
      data-burn={b.level}
    >
      <div className="wall-tile-group" data-testid="wall-slo-group" data-group={group.key}>
        {group.title}
      </div>
      <div className="wall-tile-name">{s.displayName ?? s.name}</div>
      <div className={`wall-big${pct(s.errorBudgetRemaining).length > 4 ? ' is-long' : ''}`} data-testid="wall-slo-budget">
        {pct(s.errorBudgetRemaining)}
        <span className="wall-big-unit"> left</span>
      </div>
      {b.level === 'none' ? (
        <div className="wall-burn burn-none" data-testid="wall-slo-burn">
          1 h burn {burn(b.rate)}
        </div>
      ) : (
        <div className={`wall-burn burn-${b.level}`} data-testid="wall-slo-burn">
          {b.level === 'page' ? 'PAGE' : 'TICKET'} · {burn(b.rate)} burn
        </div>
      )}
      <div className="wall-tile-foot">
        <ToneMark tone={tone} />
        <Age f={f} />
      </div>
    </article>
  );
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
