import { useDeferredValue, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { PolicyTierId, SloFleet } from '@shared/slo/contract';
import { callKey, latest, useClient, useLiveCall } from '../../app/api/hooks';
import { useConnections } from '../../app/api/app-queries';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { DataAge } from '../../app/components/DataAge';
import { SkeletonRows } from '../../app/components/Skeleton';
import { GaugeIcon, WarnIcon } from '../../app/components/icons';
import { NeedsConnection } from '../../app/components/NeedsConnection';
import { formatAge } from '../../app/format/time';
import { useNow } from '../../app/state/clock';
import { FleetGrid } from './FleetGrid';
import {
  allFacets,
  compareBy,
  filterIndexed,
  groupFleet,
  indexFleet,
  noDataTierLabel,
  tierCounts,
  unreachableText,
  warningsBesideDown,
} from './fleet-model';
import type { FleetSort } from './fleet-model';
import { TIER_LABEL } from './format';
import { ImportDialog } from './ImportDialog';
import { RefreshButton } from '../../app/components/RefreshButton';

const TIERS: PolicyTierId[] = ['emergency', 'restricted', 'caution', 'normal', 'no-data'];

function Problems(props: { fleet: SloFleet; besideDownLine?: boolean }): ReactNode {
  const { problems } = props.fleet;
  // Under the line naming the connections that do not answer, a warning that only repeats it is left out.
  const warnings = props.besideDownLine ? warningsBesideDown(props.fleet) : props.fleet.warnings;
  if (problems.length === 0 && warnings.length === 0) return null;
  return (
    <div className="slo-notes">
      {problems.length > 0 ? (
        <details className="panel slo-panel-warn" data-testid="slo-problems" open={problems.length <= 3}>
          <summary className="panel-title">
            <WarnIcon className="icon tone-warn-fg" /> {problems.length} problem{problems.length === 1 ? '' : 's'} in SLO definitions — the
            others are loaded
          </summary>
          <ul className="problem-list">
            {problems.map((p, i) => (
              <li key={i} data-testid="slo-problem">
                <code>
                  {p.file}
                  {p.line ? `:${p.line}` : ''}
                  {p.field ? ` ${p.field}` : ''}
                </code>
                : {p.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {warnings.length > 0 ? (
        <details className="panel slo-panel-warn" data-testid="slo-warnings" open>
          <summary className="panel-title">
            <WarnIcon className="icon tone-warn-fg" /> {warnings.length} warning{warnings.length === 1 ? '' : 's'} about the data
          </summary>
          <ul className="problem-list">
            {warnings.map((w, i) => (
              <li key={i} data-testid="slo-warning" data-kind={w.kind}>
                {w.message}
                {w.file ? <span className="muted"> ({w.file})</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** Exported for its test: one line for the connections that do not answer. */
export function StaleBanner(props: { fleet: Pick<SloFleet, 'connections'> }): ReactNode {
  const now = useNow();
  const down = props.fleet.connections.filter((c) => !c.ok);
  if (down.length === 0) return null;
  // The core's messages end with their own full stop; the line adds one only where they do not.
  const why = down.map((c) => (c.pending ? `${c.name} has not answered yet` : unreachableText(c.name, c.error))).join(' · ');
  const shown = down.find((c) => c.fetchedAt)?.fetchedAt;
  return (
    <div className="stale-notice" role="status" data-testid="slo-connection-down">
      <WarnIcon className="icon" />
      <span>
        {shown
          ? `${why.replace(/\.$/, '')} — showing the last good numbers (${formatAge(now - Date.parse(shown))}), greyed.`
          : `${why}${why.endsWith('.') ? '' : '.'}`}{' '}
        Retrying.
      </span>
    </div>
  );
}

/** Every SLO as a tile, worst first: the page an engineer opens first and the wall shows. */
export function FleetView(): ReactNode {
  const fleet = useLiveCall('slo.fleet', {}, { topic: 'slo.fleet', topicArgs: {}, apply: latest });
  const connections = useConnections();
  const client = useClient();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  // The box follows every keystroke at once; the (possibly thousands of) tiles follow as a low-priority render
  // React can interrupt, so typing never waits for the grid.
  const shownSearch = useDeferredValue(search);
  const [facets, setFacets] = useState<string[]>([]);
  const [tiers, setTiers] = useState<PolicyTierId[]>([]);
  const [byService, setByService] = useState(false);
  const [sort, setSort] = useState<FleetSort>('worst');
  const [importing, setImporting] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const statuses = fleet.data?.statuses;
  const facetOptions = useMemo(() => allFacets(statuses ?? []), [statuses]);
  // Sorted and indexed once per fleet (a refresh, a new sort); each keystroke only filters the index, whose
  // order the filter keeps. The controls follow every click and keystroke at once; the grid follows as a
  // deferred render React can interrupt.
  const index = useMemo(() => indexFleet([...(statuses ?? [])].sort(compareBy(sort))), [statuses, sort]);
  const shownFacets = useDeferredValue(facets);
  const shownTiers = useDeferredValue(tiers);
  const groups = useMemo(
    () => groupFleet(filterIndexed(index, { search: shownSearch, facets: shownFacets, tiers: shownTiers }), byService),
    [index, shownSearch, shownFacets, shownTiers, byService],
  );
  const counts = useMemo(() => tierCounts(statuses ?? []), [statuses]);
  const noDataLabel = useMemo(() => noDataTierLabel(statuses ?? []), [statuses]);
  const shown = groups.reduce((a, g) => a + g.items.length, 0);

  const refresh = async (): Promise<void> => {
    setRefreshing(true);
    try {
      qc.setQueryData(callKey('slo.fleet', {}), await client.call('slo.fleet', { refresh: true }));
    } catch {
      await fleet.refetch();
    } finally {
      setRefreshing(false);
    }
  };

  const hasPrometheus = (connections.data ?? []).some((c) => c.spec.kind === 'prometheus');
  // Without a Prometheus there can be no SLO (recorded-rule SLOs live there too): say so before asking for a fleet.
  if (connections.data && !hasPrometheus) {
    return (
      <NeedsConnection
        kind="prometheus"
        reads="SLOs are read from Prometheus"
        then={
          <>
            , then list OpenSLO files under <code>slos.files</code> in the workspace or import one
          </>
        }
      />
    );
  }

  return (
    <>
      <QueryState
        query={fleet}
        refreshMs={fleet.data?.refreshMs ?? 60_000}
        skeleton={<SkeletonRows rows={6} label="Reading the SLOs from Prometheus…" />}
        errorTitle="The SLOs could not be read"
        isEmpty={(f) => f.statuses.length === 0}
        empty={
          <>
            {fleet.data ? <Problems fleet={fleet.data} /> : null}
            <EmptyState icon={GaugeIcon} title="No SLOs defined" testId="slo-empty">
              <p>
                List OpenSLO files under <code>slos.files</code> in the workspace, import one here, or load Sloth or Pyrra recording rules
                into Prometheus: they are found automatically.
              </p>
              <button type="button" className="btn btn-primary" onClick={() => setImporting(true)} data-testid="slo-import-open-empty">
                Import an OpenSLO file…
              </button>
            </EmptyState>
          </>
        }
      >
        {(f) => {
          return (
            <>
              <StaleBanner fleet={f} />
              <div className="toolbar slo-toolbar" role="search">
                <input
                  type="text"
                  className="slo-search"
                  placeholder="Search SLOs, services, labels"
                  aria-label="Search SLOs"
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                  data-testid="slo-search"
                />
                <select
                  aria-label="Filter by label"
                  value=""
                  onChange={(e) => {
                    const v = e.target.value;
                    if (v && !facets.includes(v)) setFacets([...facets, v]);
                  }}
                  data-testid="slo-label-filter"
                >
                  <option value="">Filter by label…</option>
                  {facetOptions.map((x) => (
                    <option key={x} value={x}>
                      {x}
                    </option>
                  ))}
                </select>
                <select aria-label="Sort SLOs" value={sort} onChange={(e) => setSort(e.target.value as FleetSort)} data-testid="slo-sort">
                  <option value="worst">Worst first</option>
                  <option value="burn">Fastest burn (1h/5m)</option>
                  <option value="exhaustion">Soonest out of budget</option>
                </select>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={byService}
                    onChange={(e) => setByService(e.target.checked)}
                    data-testid="slo-group-by-service"
                  />
                  Group by service
                </label>
                <span className="muted small" data-testid="slo-shown-count" aria-live="polite">
                  {shown === f.statuses.length
                    ? `${shown.toLocaleString('en')} SLOs`
                    : `${shown.toLocaleString('en')} of ${f.statuses.length.toLocaleString('en')} SLOs`}
                </span>
                <span className="slo-spacer" />
                <DataAge at={f.fetchedAt ? Date.parse(f.fetchedAt) : null} refreshMs={f.refreshMs} testId="slo-fleet-age" />
                <span className="muted small" data-testid="slo-query-count" title="PromQL queries of the last refresh, for the whole fleet">
                  {f.queryCount} queries · {Math.round(f.durationMs)} ms
                </span>
                <RefreshButton busy={refreshing} onRefresh={() => void refresh()} testId="slo-refresh" small={false} />
                <button type="button" className="btn" onClick={() => setImporting(true)} data-testid="slo-import-open">
                  Import…
                </button>
              </div>
              <div className="slo-summary" role="group" aria-label="Filter by policy tier">
                {TIERS.map((t) => (
                  <button
                    key={t}
                    type="button"
                    className={`slo-tier-chip tier-${t}${tiers.includes(t) ? ' selected' : ''}`}
                    aria-pressed={tiers.includes(t)}
                    onClick={() => setTiers(tiers.includes(t) ? tiers.filter((x) => x !== t) : [...tiers, t])}
                    data-testid={`slo-tier-${t}`}
                  >
                    <strong>{counts[t]}</strong> {t === 'no-data' ? noDataLabel : TIER_LABEL[t]}
                  </button>
                ))}
                {facets.map((x) => (
                  <button
                    key={x}
                    type="button"
                    className="slo-facet-chip"
                    onClick={() => setFacets(facets.filter((y) => y !== x))}
                    data-testid="slo-facet-chip"
                    aria-label={`Remove filter ${x}`}
                  >
                    {x} ✕
                  </button>
                ))}
              </div>
              <Problems fleet={f} besideDownLine />
              {shown === 0 ? (
                <EmptyState title="No SLO matches these filters" testId="slo-no-match">
                  <button
                    type="button"
                    className="btn"
                    onClick={() => {
                      setSearch('');
                      setFacets([]);
                      setTiers([]);
                    }}
                  >
                    Clear filters
                  </button>
                </EmptyState>
              ) : (
                <FleetGrid groups={groups} byService={byService} fleet={f} />
              )}
            </>
          );
        }}
      </QueryState>
      {importing ? <ImportDialog onClose={() => setImporting(false)} /> : null}
    </>
  );
}
