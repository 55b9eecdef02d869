import type { PolicyTierId, SloFleet, SloStatusView } from '@shared/slo/contract';

// Sorting, filtering and grouping of the fleet: pure, so the fleet view stays a rendering of this.

const TIER_RANK: Record<PolicyTierId, number> = { emergency: 0, 'no-data': 1, restricted: 2, caution: 3, normal: 4 };

/** Rank of a status: paging first, then broken or unknown next to the emergencies, then by tier. */
export function severityRank(s: SloStatusView): number {
  const paging = s.alerts.some((a) => a.severity === 'page');
  const tier = s.status === 'error' ? 1 : TIER_RANK[s.policy];
  return (paging ? 0 : 10) + tier;
}

/** Worst first: pages, then tier, then less budget left, then name (a stable order for the wall). */
export function worstFirst(a: SloStatusView, b: SloStatusView): number {
  return (
    severityRank(a) - severityRank(b) ||
    (a.errorBudgetRemaining ?? Number.POSITIVE_INFINITY) - (b.errorBudgetRemaining ?? Number.POSITIVE_INFINITY) ||
    a.id.localeCompare(b.id)
  );
}

/** "key=value" facets every status can be filtered on: its labels, service and source. */
export function facetsOf(s: SloStatusView): string[] {
  return [
    `service=${s.service}`,
    `source=${s.source}`,
    ...(s.connectionId !== undefined ? [`connection=${s.connectionId}`] : []),
    ...Object.entries(s.labels).map(([k, v]) => `${k}=${v}`),
  ];
}

export function allFacets(list: readonly SloStatusView[]): string[] {
  return [...new Set(list.flatMap(facetsOf))].sort();
}

export interface FleetFilter {
  search: string;
  facets: readonly string[];
  tiers: readonly PolicyTierId[];
}

/** A status with what the search reads, built once per fleet rather than once per keystroke and status. */
export interface IndexedStatus {
  s: SloStatusView;
  /** Name, display name, service, objective and facets, lower case. */
  hay: string;
  facets: ReadonlySet<string>;
}

export function indexStatus(s: SloStatusView): IndexedStatus {
  const facets = facetsOf(s);
  return {
    s,
    hay: [s.name, s.displayName ?? '', s.service, s.objective ?? '', ...facets].join(' ').toLowerCase(),
    facets: new Set(facets),
  };
}

export function indexFleet(list: readonly SloStatusView[]): IndexedStatus[] {
  return list.map(indexStatus);
}

/** A filter's search as the words every match must contain (lower case; none for a blank search). */
export function searchWords(search: string): string[] {
  const q = search.trim().toLowerCase();
  return q ? q.split(/\s+/) : [];
}

function matchesIndexed(x: IndexedStatus, words: readonly string[], f: FleetFilter): boolean {
  if (!words.every((w) => x.hay.includes(w))) return false;
  if (!f.facets.every((y) => x.facets.has(y))) return false;
  return f.tiers.length === 0 || f.tiers.includes(x.s.policy);
}

export function matches(s: SloStatusView, f: FleetFilter): boolean {
  return matchesIndexed(indexStatus(s), searchWords(f.search), f);
}

/** The indexed statuses that pass the filter, in the index's order. */
export function filterIndexed(index: readonly IndexedStatus[], f: FleetFilter): SloStatusView[] {
  const words = searchWords(f.search);
  const out: SloStatusView[] = [];
  for (const x of index) if (matchesIndexed(x, words, f)) out.push(x.s);
  return out;
}

export interface FleetGroup {
  key: string;
  title: string;
  items: SloStatusView[];
}

/** The triage orders of the fleet: worst first (pages, tier, budget), fastest burn, soonest exhausted. */
export type FleetSort = 'worst' | 'burn' | 'exhaustion';

/** The fastest of the short burn windows (1h, 5m): what is burning now; null when unknown. */
export function burnNow(s: SloStatusView): number | null {
  const xs = [s.burnRates['1h'], s.burnRates['5m']].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return xs.length ? Math.max(...xs) : null;
}

/** Seconds until the budget is gone: 0 when already spent, null when not burning or unknown (sorted last). */
export function secondsToExhaustion(s: SloStatusView): number | null {
  const t = s.timeToExhaustion;
  if (t.state === 'exhausted') return 0;
  return t.state === 'burning' && typeof t.seconds === 'number' ? t.seconds : null;
}

const nullsLast = (a: number | null, b: number | null, dir: 1 | -1): number =>
  a === null && b === null ? 0 : a === null ? 1 : b === null ? -1 : dir * (a - b);

export function compareBy(sort: FleetSort): (a: SloStatusView, b: SloStatusView) => number {
  if (sort === 'burn') return (a, b) => nullsLast(burnNow(a), burnNow(b), -1) || worstFirst(a, b);
  if (sort === 'exhaustion') return (a, b) => nullsLast(secondsToExhaustion(a), secondsToExhaustion(b), 1) || worstFirst(a, b);
  return worstFirst;
}

/** Sorted statuses in one group, or grouped by service (groups ordered by their first member). */
export function groupFleet(items: SloStatusView[], byService: boolean): FleetGroup[] {
  if (!byService) return [{ key: 'all', title: 'All SLOs', items }];
  const groups = new Map<string, SloStatusView[]>();
  for (const s of items) {
    const list = groups.get(s.service);
    if (list) list.push(s);
    else groups.set(s.service, [s]);
  }
  return [...groups].map(([service, members]) => ({ key: service, title: service, items: members }));
}

/** Filtered and sorted (worst first by default); grouped by service (groups ordered by their first member) when asked. */
export function arrange(list: readonly SloStatusView[], f: FleetFilter, byService: boolean, sort: FleetSort = 'worst'): FleetGroup[] {
  // Sorting first and filtering after keeps the order: the fleet view sorts once per fleet and filters per keystroke.
  return groupFleet(filterIndexed(indexFleet([...list].sort(compareBy(sort))), f), byService);
}

export function tierCounts(list: readonly SloStatusView[]): Record<PolicyTierId, number> {
  const out: Record<PolicyTierId, number> = { normal: 0, caution: 0, restricted: 0, emergency: 0, 'no-data': 0 };
  for (const s of list) out[s.policy]++;
  return out;
}

/**
 * The grey tier's chip word: "No data" only when Prometheus answered and had no series for every SLO in it; when
 * any of them could not be read (Prometheus unreachable, a query error) it is "Unknown", as on the wall — an
 * unreachable Prometheus is never "no data".
 */
export function noDataTierLabel(list: readonly SloStatusView[]): string {
  return list.some((s) => s.policy === 'no-data' && s.status !== 'no-data') ? 'Unknown' : 'No data';
}

/**
 * The data warnings worth listing under the line that already says which connections do not answer: a warning
 * that only repeats a down connection's error (the fleet's "Demo Prometheus: nothing is listening …", "Recording
 * rules could not be read from Demo Prometheus: …") is left out; every other warning stays.
 */
export function warningsBesideDown(fleet: Pick<SloFleet, 'warnings' | 'connections'>): SloFleet['warnings'] {
  const down = fleet.connections.filter((c) => !c.ok && c.error);
  return fleet.warnings.filter(
    (w) => !down.some((c) => (w.connectionId === undefined || w.connectionId === c.id) && w.message.includes(c.error ?? '')),
  );
}

/** The connection a status was read from, as the fleet reports it. */
export interface ConnState {
  ok: boolean;
  name: string;
  error?: string | undefined;
}

/**
 * The one problem line a card shows, if any. Stale numbers say why once; a Prometheus that does not answer is
 * "unreachable", never "no data" (no data means Prometheus answered and had no series); a query error keeps
 * Prometheus's words. The badge replaces the policy tier when the numbers are unknown.
 */
export interface CardProblem {
  kind: 'stale' | 'unreachable' | 'error' | 'no-data';
  /** The tier badge's word when the tier is unknown ("Unreachable", "Query error", "No data"); null keeps the tier. */
  badge: string | null;
  line: string;
}

export function connectionOf(s: SloStatusView, conns: readonly (ConnState & { id: string })[]): ConnState | undefined {
  if (s.connectionId) return conns.find((c) => c.id === s.connectionId);
  return conns.length === 1 ? conns[0] : undefined;
}

/** "Prometheus (prod): nothing is listening at …" — the system named once, whether or not its error already does. */
export function unreachableText(name: string, error: string | undefined): string {
  if (!error) return `${name} could not be reached.`;
  return error.startsWith(name) ? error : `${name} could not be reached: ${error}`;
}

export function cardProblem(s: SloStatusView, conn?: ConnState): CardProblem | null {
  if (s.stale) return { kind: 'stale', badge: null, line: s.staleReason ?? 'The last refresh failed; these are the last good numbers.' };
  const down = conn !== undefined && !conn.ok;
  if (s.status === 'error' || (s.status === 'no-data' && down)) {
    if (down) {
      const why = conn.error ?? s.error ?? 'no answer';
      return { kind: 'unreachable', badge: 'Unreachable', line: unreachableText(conn.name, why) };
    }
    return { kind: 'error', badge: 'Query error', line: s.error ?? 'The query failed.' };
  }
  if (s.status === 'no-data') return { kind: 'no-data', badge: null, line: 'No data for this SLO in Prometheus.' };
  return null;
}
