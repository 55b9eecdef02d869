import { useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import type { WallConfig, WallPageKind, WallPageView } from '@shared/wall/contract';
import { useAppInfo, useConnections, useSettings } from '../../app/api/app-queries';
import { useCall, useConnectivity } from '../../app/api/hooks';
import { useNow } from '../../app/state/clock';
import { navigate } from '../../app/state/route';
import type { ViewProps } from '../../app/views';
import type { Down, WallData } from './use-wall-data';
import { useWallData } from './use-wall-data';
import type { PageSummary } from './WallPages';
import { AlertsPage, ChangesPage, IncidentsPage, JobsPage, alertSummary, changeSummary, incidentSummary, jobSummary } from './WallPages';
import { SloPage, sloSummary } from './WallSloPage';
import type { RotationView } from './rotation';
import { rotate, secondsLeft, startRotation } from './rotation';
import { ageText, heldBack, shiftIndex } from './wall-model';
import { formatDateTime, formatTime, zoneLabel } from '../../app/format/time';
import { withoutSystemName } from '../../app/format/system-name';
import './wall-frame.css';
import './wall-header.css';
import './wall-banner.css';
import './wall-page.css';
import './wall-tiles.css';
import './wall-slos.css';
import './wall-lists.css';

// The NOC wall (issue 6): fullscreen, hands-off, read-only. Pages from the workspace rotate with a position
// indicator; a page with anything red is pinned until it clears. A clock, the age of every number, a banner for
// every system that does not answer. Every few minutes the whole board moves by a pixel against burn-in.
// `#/wall/<n>` holds page n (1-based) instead of rotating.

const MAX_DOWN_SHOWN = 4;

function summaryOf(page: WallPageView, data: WallData, now: number): PageSummary {
  switch (page.kind) {
    case 'slos':
      return sloSummary(data.slos, page);
    case 'incidents':
      return incidentSummary(data.incidents, page);
    case 'alerts':
      return alertSummary(data.alerts, page);
    case 'jobs':
      return jobSummary(data.jobs, now);
    case 'changes':
      return changeSummary(data.changes);
  }
}

function PageBody(props: { page: WallPageView; data: WallData; now: number }): ReactNode {
  const { page, data, now } = props;
  switch (page.kind) {
    case 'slos':
      return <SloPage src={data.slos} page={page} now={now} />;
    case 'incidents':
      return <IncidentsPage src={data.incidents} page={page} now={now} />;
    case 'alerts':
      return <AlertsPage src={data.alerts} page={page} now={now} />;
    case 'jobs':
      return <JobsPage src={data.jobs} now={now} />;
    case 'changes':
      return <ChangesPage src={data.changes} now={now} />;
  }
}

/** The local time with its zone, and UTC beside it: a NOC talks to teams and tickets in UTC. */
function Clock(props: { now: number }): ReactNode {
  const local = formatDateTime(props.now, { zone: 'local' });
  const [date = '', time = ''] = local.split(' ');
  const utc = formatTime(props.now, { zone: 'utc', zoneName: false });
  const localZone = zoneLabel('local', props.now);
  return (
    <div className="wall-clock" data-testid="wall-clock">
      <span className="wall-clock-time" data-testid="wall-clock-local">
        {time.slice(0, 5)}
        <span className="wall-clock-sec">:{time.slice(6, 8)}</span>
      </span>
      <span className="wall-clock-zone">{localZone}</span>
      {localZone === 'UTC' ? null : (
        <span className="wall-clock-utc" data-testid="wall-clock-utc">
          {utc} <span className="wall-clock-zone">UTC</span>
        </span>
      )}
      <span className="wall-clock-date">{date}</span>
    </div>
  );
}

function Position(props: {
  pages: WallPageView[];
  red: boolean[];
  rot: RotationView;
  fixed: boolean;
  now: number;
  intervalMs: number;
}): ReactNode {
  const { pages, red, rot } = props;
  const left = secondsLeft(rot, props.now, props.intervalMs);
  const held = heldBack(red, rot.pinned);
  return (
    <div className="wall-position" data-testid="wall-position" data-index={rot.index} data-count={pages.length} data-pinned={rot.pinned}>
      <ol className="wall-dots">
        {pages.map((p, i) => (
          <li
            key={i}
            className={`wall-dot${i === rot.index ? ' current' : ''}${red[i] ? ' red' : ''}`}
            data-testid="wall-dot"
            data-current={i === rot.index}
            data-red={red[i] ?? false}
          >
            <span className="visually-hidden">
              {p.title}
              {i === rot.index ? ' (on screen)' : ''}
            </span>
          </li>
        ))}
      </ol>
      <span className="wall-position-text">
        {rot.index + 1} / {pages.length}
        {rot.pinned ? (
          <strong className="wall-pinned" data-testid="wall-held-back">
            {' '}
            · PINNED: red
            {held > 0 ? ` · ${held} page${held === 1 ? '' : 's'} held back while red` : ''}
          </strong>
        ) : props.fixed ? (
          ' · held'
        ) : left !== null ? (
          ` · next in ${left} s`
        ) : (
          ''
        )}
      </span>
    </div>
  );
}

/** Exported for its test: one line per system that does not answer, each naming the system once. */
export function WallBanner(props: { down: Down[]; linkDown: boolean; now: number }): ReactNode {
  const { down, linkDown, now } = props;
  if (!linkDown && down.length === 0) return null;
  const unique = [...new Map(down.map((d) => [d.system, d])).values()];
  return (
    <div className="wall-banner" role="alert" data-testid="wall-banner">
      {linkDown ? (
        <p data-testid="wall-banner-link">Console server unreachable — nothing on screen is updating; reconnecting by itself.</p>
      ) : null}
      {unique.slice(0, MAX_DOWN_SHOWN).map((d) => (
        <p key={d.system} data-testid="wall-banner-system" data-system={d.system}>
          <strong>{d.system} unreachable</strong> — {withoutSystemName(d.reason, d.system)}
          {d.lastGoodAt !== null ? ` · last good data ${ageText(now - d.lastGoodAt)} ago` : ''}
        </p>
      ))}
      {unique.length > MAX_DOWN_SHOWN ? <p>+{unique.length - MAX_DOWN_SHOWN} more systems unreachable</p> : null}
    </div>
  );
}

function Wall(props: { config: WallConfig; fixedPage: number | null; wallMode: boolean }): ReactNode {
  const { config } = props;
  const now = useNow();
  const settings = useSettings();
  const connections = useConnections();
  const pages = config.pages;
  const kinds = useMemo(() => new Set<WallPageKind>(pages.map((p) => p.kind)), [pages]);
  // Pages may name their own environment; otherwise the one chosen in the header, if any.
  const firstEnv = pages.find((p) => p.filter.environment?.length)?.filter.environment?.[0];
  const env = firstEnv ?? settings.data?.environment ?? null;
  const ids = pages.flatMap((p) => p.filter.connection ?? []);
  const data = useWallData({
    kinds,
    refreshMs: config.refresh * 1000,
    env,
    connections: connections.data ?? [],
    ...(ids.length ? { connectionIds: ids } : {}),
  });
  const intervalMs = config.interval * 1000;
  const summaries = pages.map((p) => summaryOf(p, data, now));
  const red = summaries.map((s) => s.red);

  const rotation = useRef(startRotation(now));
  let rot: RotationView;
  if (props.fixedPage !== null) {
    const index = Math.min(Math.max(0, props.fixedPage), Math.max(0, pages.length - 1));
    rot = { index, since: now, pinned: false };
  } else {
    rot = rotate(rotation.current, red, now, intervalMs);
  }
  useEffect(() => {
    rotation.current = rot;
  });

  const page = pages[rot.index];
  const down = [data.slos, data.incidents, data.alerts, data.jobs, data.changes].flatMap((s) => s?.down ?? []);
  const shift = shiftIndex(now);
  return (
    <section
      className={`wall wall-shift-${shift}`}
      aria-labelledby="view-title"
      data-testid="wall"
      data-page={rot.index}
      data-page-kind={page?.kind ?? ''}
      data-pinned={rot.pinned}
      data-shift={shift}
      data-tone={summaries[rot.index]?.tone ?? 'unknown'}
    >
      <header className="wall-head">
        <div className="wall-heading">
          <h1 id="view-title" className="wall-page-title" data-testid="wall-page-title">
            {page?.title ?? 'Wall display'}
          </h1>
          <div className="wall-sub">
            <span className="wall-env" data-testid="wall-environment">
              {env ? `Environment: ${env}` : 'All environments'}
            </span>
            <span className="wall-ws">{config.workspace}</span>
            {props.wallMode ? <span className="wall-ro">read-only</span> : <span className="wall-ro">Esc leaves the wall</span>}
          </div>
        </div>
        {pages.length > 0 ? (
          <Position pages={pages} red={red} rot={rot} fixed={props.fixedPage !== null} now={now} intervalMs={intervalMs} />
        ) : null}
        <Clock now={now} />
      </header>
      <WallBanner down={down} linkDown={data.linkDown} now={now} />
      <div className={`wall-page wt-${summaries[rot.index]?.tone ?? 'unknown'}`} data-testid="wall-page">
        {page ? (
          <PageBody key={rot.index} page={page} data={data} now={now} />
        ) : (
          <div className="wall-empty" data-testid="wall-no-pages">
            The workspace names no wall pages and no connection is configured.
          </div>
        )}
      </div>
    </section>
  );
}

/**
 * The page was opened without the token (a bookmark, a browser restart) and this browser is not paired: say
 * that, and how to fix it — not "server unreachable", which sends people to restart the wrong thing.
 */
function TokenMissing(): ReactNode {
  return (
    <section className="wall wall-token-missing" aria-labelledby="view-title" data-testid="wall-token-missing">
      <h1 id="view-title" className="wall-page-title">
        This wall is not paired
      </h1>
      <div className="wall-empty">
        <p>The page was opened without its access token, and this browser holds no pairing for this console.</p>
        <p>
          On the console PC, run <code>toc serve --wall --port N</code> and open the one-time pairing link it prints in this browser: the
          wall then stays paired across browser restarts. Or open the full address with <code>?token=…</code> that <code>toc serve</code>{' '}
          printed.
        </p>
      </div>
    </section>
  );
}

export default function WallView(props: ViewProps): ReactNode {
  const info = useAppInfo();
  const config = useCall('wall.config', {}, { staleTime: 60_000, refetchInterval: 300_000 });
  const wallMode = info.data?.wall ?? false;
  const link = useConnectivity();
  const [fixedRaw] = props.route.path;
  const fixed = fixedRaw !== undefined && /^\d+$/.test(fixedRaw) ? Number(fixedRaw) - 1 : null;
  const err = config.isError ? config.error.message : null;

  useEffect(() => {
    // A workstation that opened the wall leaves it with Esc; a wall started as one stays a wall.
    if (wallMode) return undefined;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') navigate({ view: 'slos', path: [] });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [wallMode]);

  if (link.missingToken && link.state !== 'online' && link.failures > 0) return <TokenMissing />;
  if (!config.data) {
    return (
      <section className="wall" aria-labelledby="view-title" data-testid="wall">
        <h1 id="view-title" className="wall-page-title">
          Wall display
        </h1>
        <div className="wall-empty">{err ? `The wall configuration could not be read: ${err}` : 'Loading the wall…'}</div>
      </section>
    );
  }
  return <Wall config={config.data} fixedPage={fixed} wallMode={wallMode} />;
}
