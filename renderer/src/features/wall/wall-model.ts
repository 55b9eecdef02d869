import type { SloStatusView } from '@shared/slo/contract';
import type { IncidentRow } from '@shared/incidents/model';

// What the wall shows and in which colour: pure, so the rules are tested without a browser. Four tones from a
// colour-blind-safe palette (Okabe–Ito: blue = fine, amber = attention, vermillion = act now, grey = unknown),
// each with its own word and shape, plus stale: the last good data, hatched and labelled, never shown as current.

export type WallTone = 'ok' | 'warn' | 'crit' | 'unknown';

// "UNKNOWN", not "NO DATA": grey is also a Prometheus that does not answer, which is not the same as no data.
export const TONE_WORD: Record<WallTone, string> = { ok: 'OK', warn: 'WARN', crit: 'CRIT', unknown: 'UNKNOWN' };

const TONE_RANK: Record<WallTone, number> = { crit: 0, warn: 1, unknown: 2, ok: 3 };

/** The worse of two tones (crit > warn > unknown > ok). */
export function worst(a: WallTone, b: WallTone): WallTone {
  return TONE_RANK[a] <= TONE_RANK[b] ? a : b;
}

export function worstOf(tones: readonly WallTone[], empty: WallTone = 'ok'): WallTone {
  return tones.reduce<WallTone>((w, t) => worst(w, t), tones.length ? 'ok' : empty);
}

// ---- freshness ---------------------------------------------------------------------------------------------

export interface Freshness {
  /** When the source read its data (epoch ms); null: never. */
  at: number | null;
  /** How often the source refreshes; older than twice that is stale. */
  refreshMs: number;
  /** The last refresh failed (or the link to the console is down): what is shown is the last good data. */
  failing: boolean;
  reason?: string;
}

export interface FreshnessView {
  ageMs: number | null;
  stale: boolean;
  /** Why it is stale, for the tile's label. */
  why: string | null;
}

export function freshness(f: Freshness, now: number): FreshnessView {
  if (f.at === null) return { ageMs: null, stale: true, why: f.reason ?? 'no data yet' };
  const ageMs = Math.max(0, now - f.at);
  if (f.failing) return { ageMs, stale: true, why: f.reason ?? 'the last refresh failed' };
  if (ageMs > 2 * f.refreshMs) return { ageMs, stale: true, why: 'not refreshed for over twice its interval' };
  return { ageMs, stale: false, why: null };
}

/** The oldest of several sources, stale when any is: one tile fed by two connections is as old as the older. */
export function combine(list: readonly Freshness[]): Freshness {
  if (list.length === 0) return { at: null, refreshMs: 60_000, failing: false, reason: 'no source configured' };
  let at: number | null = Number.POSITIVE_INFINITY;
  let refreshMs = 0;
  let failing = false;
  const reasons: string[] = [];
  for (const f of list) {
    if (f.at === null || at === null) at = null;
    else at = Math.min(at, f.at);
    refreshMs = Math.max(refreshMs, f.refreshMs);
    if (f.failing) {
      failing = true;
      if (f.reason) reasons.push(f.reason);
    }
  }
  return { at, refreshMs, failing, ...(reasons.length ? { reason: reasons.join(' · ') } : {}) };
}

/** "12 s", "5 min", "3 h": the age on a tile, short enough to read from across the room. */
export function ageText(ms: number | null): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h` : `${Math.floor(h / 24)} d`;
}

// ---- SLOs --------------------------------------------------------------------------------------------------

/** Red: a page alert or the budget gone / emergency tier; amber: a ticket alert or caution/restricted; grey: unknown. */
export function sloTone(s: SloStatusView): WallTone {
  if (s.status === 'error' || s.status === 'no-data' || s.policy === 'no-data') return 'unknown';
  if (s.alerts.some((a) => a.severity === 'page')) return 'crit';
  if (s.policy === 'emergency' || (s.errorBudgetRemaining !== null && s.errorBudgetRemaining <= 0)) return 'crit';
  if (s.alerts.some((a) => a.severity === 'ticket') || s.policy === 'restricted' || s.policy === 'caution') return 'warn';
  if (s.errorBudgetRemaining === null) return 'unknown';
  return 'ok';
}

export interface SloGroup {
  key: string;
  title: string;
  tone: WallTone;
  items: { s: SloStatusView; tone: WallTone }[];
}

/** Worst first inside a group; groups by their worst member, then by name (a stable layout between refreshes). */
export function groupSlos(list: readonly SloStatusView[], by: 'service' | 'team'): SloGroup[] {
  const groups = new Map<string, { s: SloStatusView; tone: WallTone }[]>();
  for (const s of list) {
    const key = by === 'team' ? (s.labels.team ?? s.labels.owner ?? 'no team') : s.service;
    const arr = groups.get(key) ?? [];
    arr.push({ s, tone: sloTone(s) });
    groups.set(key, arr);
  }
  const byTile = (a: { s: SloStatusView; tone: WallTone }, b: { s: SloStatusView; tone: WallTone }): number =>
    TONE_RANK[a.tone] - TONE_RANK[b.tone] ||
    (a.s.errorBudgetRemaining ?? Number.POSITIVE_INFINITY) - (b.s.errorBudgetRemaining ?? Number.POSITIVE_INFINITY) ||
    a.s.id.localeCompare(b.s.id);
  return [...groups]
    .map(([key, items]) => {
      items.sort(byTile);
      return { key, title: key, tone: worstOf(items.map((i) => i.tone)), items };
    })
    .sort((a, b) => TONE_RANK[a.tone] - TONE_RANK[b.tone] || a.title.localeCompare(b.title));
}

/** A filter value list matches when it is absent or empty, or names the value (case-insensitive). */
export function listMatches(filter: readonly string[] | undefined, value: string | undefined): boolean {
  if (!filter || filter.length === 0) return true;
  if (value === undefined) return false;
  const v = value.toLowerCase();
  return filter.some((f) => f.toLowerCase() === v);
}

export function filterSlos(list: readonly SloStatusView[], filter: Record<string, string[]>): SloStatusView[] {
  return list.filter((s) => listMatches(filter.service, s.service) && listMatches(filter.team, s.labels.team ?? s.labels.owner));
}

// ---- incidents ---------------------------------------------------------------------------------------------

export interface IncidentSummary {
  p1: number;
  p2: number;
  other: number;
  unassigned: number;
  /** Newest P1/P2 first (by opened_at), at most `limit`. */
  newest: IncidentRow[];
  tone: WallTone;
}

export function summariseIncidents(rows: readonly IncidentRow[], filter: Record<string, string[]>, limit = 6): IncidentSummary {
  let p1 = 0;
  let p2 = 0;
  let other = 0;
  let unassigned = 0;
  const urgent: IncidentRow[] = [];
  for (const r of rows) {
    if (!listMatches(filter.priority, r.priority.value)) continue;
    if (!listMatches(filter.group, r.assignment_group.label)) continue;
    if (r.priority.value === '1') p1++;
    else if (r.priority.value === '2') p2++;
    else other++;
    if (r.assigned_to.value === '') unassigned++;
    if (r.priority.value === '1' || r.priority.value === '2') urgent.push(r);
  }
  urgent.sort((a, b) => b.opened_at.localeCompare(a.opened_at) || a.number.localeCompare(b.number));
  return { p1, p2, other, unassigned, newest: urgent.slice(0, limit), tone: p1 > 0 ? 'crit' : p2 > 0 ? 'warn' : 'ok' };
}

// ---- alerts ------------------------------------------------------------------------------------------------

export interface WallAlert {
  key: string;
  name: string;
  severity: string;
  where: string;
  since: string | null;
  tone: WallTone;
}

/**
 * Where an alert fires, as a wall row says it: the instance, else the service, else the SLO (burn-rate alerts
 * from Sloth, Pyrra or OpenSLO rules carry only `slo`/`sloth_service`), else the job; with the burn windows when
 * the rule names them, so a fast and a slow burn of one SLO are two different rows ("checkout · 1h/5m").
 */
export function alertWhere(labels: Readonly<Record<string, string>>): string {
  const where = labels.instance ?? labels.service ?? labels.slo ?? labels.sloth_service ?? labels.job ?? '';
  const windows = labels.long && labels.short ? `${labels.long}/${labels.short}` : '';
  return [where, windows].filter(Boolean).join(' · ');
}

export function alertTone(severity: string | undefined): WallTone {
  const s = (severity ?? '').toLowerCase();
  if (s === 'critical' || s === 'page' || s === 'error' || s === 'high' || s === 'p1') return 'crit';
  if (s === '' || s === 'none') return 'warn';
  return 'warn';
}

export function summariseAlerts(
  list: readonly WallAlert[],
  filter: Record<string, string[]>,
  limit = 10,
): { crit: number; warn: number; shown: WallAlert[]; tone: WallTone; total: number } {
  const matching = list.filter((a) => listMatches(filter.severity, a.severity));
  const sorted = [...matching].sort(
    (a, b) => TONE_RANK[a.tone] - TONE_RANK[b.tone] || (b.since ?? '').localeCompare(a.since ?? '') || a.key.localeCompare(b.key),
  );
  const crit = matching.filter((a) => a.tone === 'crit').length;
  const warn = matching.length - crit;
  return { crit, warn, total: matching.length, shown: sorted.slice(0, limit), tone: crit > 0 ? 'crit' : warn > 0 ? 'warn' : 'ok' };
}

// ---- jobs --------------------------------------------------------------------------------------------------

/**
 * The age of a job list the core answered partly from its offline copy. When AWX connections fail but each of
 * them still has jobs in the answer, those came from the copy and the answer's `fetchedAt` is the oldest copy's
 * sync time: the tiles show those numbers as stale with that age, not "no data" beside the very jobs listed.
 * Null when a failing connection has no jobs in the answer (no copy: `fetchedAt` is only when it was asked).
 */
export function jobsCopyAt(
  jobs: readonly { connectionId: string }[],
  failing: readonly string[],
  fetchedAt: string | undefined,
): number | null {
  if (failing.length === 0 || !fetchedAt) return null;
  if (!failing.every((id) => jobs.some((j) => j.connectionId === id))) return null;
  const t = Date.parse(fetchedAt);
  return Number.isNaN(t) ? null : t;
}

export const ACTIVE = new Set(['new', 'pending', 'waiting', 'running']);
export const FAILED = new Set(['failed', 'error']);

export interface JobLike {
  id: number;
  connectionId: string;
  name: string;
  status: string;
  finished: string | null;
  started: string | null;
}

export function summariseJobs<J extends JobLike>(
  jobs: readonly J[],
  now: number,
  recentMs = 3_600_000,
  limit = 8,
): { running: J[]; recentFailed: J[]; recent: J[]; tone: WallTone } {
  const running = jobs.filter((j) => ACTIVE.has(j.status)).slice(0, limit);
  const recent = jobs.filter((j) => !ACTIVE.has(j.status) && j.finished !== null && now - Date.parse(j.finished) < recentMs);
  const recentFailed = recent.filter((j) => FAILED.has(j.status));
  // A failed job is worth a look, not a pinned wall: amber at most.
  return {
    running,
    recentFailed,
    recent: recent.slice(0, Math.max(0, limit - running.length)),
    tone: recentFailed.length > 0 ? 'warn' : 'ok',
  };
}

// ---- burn-in -----------------------------------------------------------------------------------------------

export const SHIFT_STEPS = 9;

/** Which of nine one-pixel offsets the wall sits at: one step every `periodMs`, so no pixel stays lit forever. */
export function shiftIndex(now: number, periodMs = 120_000): number {
  return Math.floor(now / periodMs) % SHIFT_STEPS;
}

// ---- layout ------------------------------------------------------------------------------------------------

/**
 * Columns for n SLO tiles so they fill the page: the page is `areaAspect` wide for 1 high (about 1.9 under the
 * wall's header at 16:9), a tile reads best about 1.35 wide for 1 high. Fewer tiles, bigger tiles.
 */
export function gridColumns(n: number, areaAspect = 1.9, tileAspect = 1.35): number {
  if (n <= 1) return 1;
  let best = 1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    // How far a tile's shape is from the one it reads best at, and how many cells stay empty.
    const aspect = areaAspect / cols / (1 / rows);
    const score = Math.abs(Math.log(aspect / tileAspect)) + (cols * rows - n) / (cols * rows);
    if (score < bestScore) {
      bestScore = score;
      best = cols;
    }
  }
  return best;
}

/** How strongly a tile shows its burn: a page alert is impossible to miss, a ticket is marked, else quiet. */
export function burnEmphasis(s: SloStatusView): { level: 'page' | 'ticket' | 'none'; rate: number | null } {
  const pages = s.alerts.filter((a) => a.severity === 'page');
  const tickets = s.alerts.filter((a) => a.severity === 'ticket');
  const top = (list: typeof s.alerts): number => Math.max(...list.map((a) => Math.min(a.longBurn, a.shortBurn)));
  if (pages.length) return { level: 'page', rate: top(pages) };
  if (tickets.length) return { level: 'ticket', rate: top(tickets) };
  return { level: 'none', rate: s.burnRates['1h'] };
}

/** Pages the rotation skips while it is pinned on red ones: every page that is not red. */
export function heldBack(red: readonly boolean[], pinned: boolean): number {
  return pinned ? red.filter((r) => !r).length : 0;
}
