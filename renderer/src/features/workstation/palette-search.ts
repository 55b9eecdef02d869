// Ranking for the command palette: pure, so "what comes first for `chk`" is a unit test, not a feeling.
// Every word typed must match the item somewhere; matches in the title count most (exact, then prefix, then
// word start, then anywhere), then keywords, then the subtitle and text (a runbook's body, an incident's work
// notes). Fuzzy matching is narrow: a word may match the initials of the title's words ("sa" → "Storefront
// availability"), never letters scattered through a long incident title ("notif" found unrelated incidents),
// and only when nothing matches for real. A word with a digit (INC0010375, #41) is an identifier: it matches as
// typed or as a prefix, never fuzzily, so one incident number never finds another. Ties go to the kind order
// below, then to the title.

export type PaletteKind = 'action' | 'view' | 'incident' | 'slo' | 'runbook' | 'job' | 'template';

export const KIND_ORDER: readonly PaletteKind[] = ['incident', 'slo', 'runbook', 'job', 'template', 'view', 'action'];

export interface PaletteItem {
  id: string;
  kind: PaletteKind;
  title: string;
  subtitle?: string;
  keywords?: readonly string[];
  /** Longer text searched last (a runbook's matching passage, an incident's work notes). */
  text?: string;
  /** Newer first among equal matches (a job's id): the job just run comes before last month's runs of it. */
  recency?: number;
  /** A tone for the item's marker (a P1, a burning SLO). */
  tone?: 'ok' | 'warn' | 'error' | 'unknown';
}

export interface Ranked<T extends PaletteItem> {
  item: T;
  score: number;
}

const norm = (s: string): string => s.toLowerCase();

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay[j] === needle[i]) i++;
  return i === needle.length;
}

/** Fuzzy scores are below this; a real match is at or above it. */
export const FUZZY = 4;

const initials = (title: string): string =>
  title
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0])
    .join('');

/** Score of one word against one item; 0 = no match (the item is out). */
export function wordScore(word: string, item: PaletteItem): number {
  const title = norm(item.title);
  const id = /\d/.test(word);
  if (title === word) return 100;
  if (title.startsWith(word)) return 70;
  const wordStart = new RegExp(`(^|[^a-z0-9])${escapeRe(word)}`);
  if (wordStart.test(title)) return 50;
  // Inside a token: fine for words ("front" in "Storefront"), never for identifiers ("0010375" in another number).
  if (!id && title.includes(word)) return 30;
  let best = 0;
  for (const k of item.keywords ?? []) {
    const kw = norm(k);
    if (kw === word) best = Math.max(best, 40);
    else if (kw.startsWith(word)) best = Math.max(best, 25);
    else if (!id && kw.includes(word)) best = Math.max(best, 12);
  }
  if (best > 0) return best;
  if (item.subtitle && (id ? wordStart.test(norm(item.subtitle)) : norm(item.subtitle).includes(word))) return 10;
  if (item.text && wordStart.test(norm(item.text))) return 8;
  if (!id && word.length >= 2 && isSubsequence(word, initials(title))) return FUZZY;
  return 0;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Items matching every word, best first; with an empty query, views and actions first in their given order. */
export function rankItems<T extends PaletteItem>(items: readonly T[], query: string, limit = 40): Ranked<T>[] {
  const words = norm(query).split(/\s+/).filter(Boolean);
  const out: Ranked<T>[] = [];
  if (words.length === 0) {
    for (const item of items) if (item.kind === 'view' || item.kind === 'action') out.push({ item, score: 0 });
    return out.slice(0, limit);
  }
  for (const item of items) {
    let score = 0;
    let ok = true;
    for (const w of words) {
      const s = wordScore(w, item);
      if (s === 0) {
        ok = false;
        break;
      }
      score += s;
    }
    if (ok) out.push({ item, score });
  }
  // Fuzzy hits only when nothing matched for real: "theme" finds the theme command, not incidents whose titles
  // happen to hold t…h…e…m…e.
  const real = out.filter((r) => words.every((w) => wordScore(w, r.item) > FUZZY));
  if (real.length > 0) out.splice(0, out.length, ...real);
  const order = (a: Ranked<T>, b: Ranked<T>): number =>
    b.score - a.score ||
    KIND_ORDER.indexOf(a.item.kind) - KIND_ORDER.indexOf(b.item.kind) ||
    (b.item.recency ?? 0) - (a.item.recency ?? 0) ||
    a.item.title.localeCompare(b.item.title);
  out.sort(order);
  if (out.length <= limit) return out;
  // One kind never fills the whole list: "disk" matching sixty incidents still shows the disk runbook and the
  // newest disk-cleanup jobs. Each kind keeps its best few; the rest of the places go by rank.
  const kept = new Set<Ranked<T>>();
  const perKind = new Map<PaletteKind, number>();
  for (const r of out) {
    const n = perKind.get(r.item.kind) ?? 0;
    if (n < KEEP_PER_KIND) {
      kept.add(r);
      perKind.set(r.item.kind, n + 1);
    }
  }
  for (const r of out) {
    if (kept.size >= limit) break;
    kept.add(r);
  }
  return [...kept].sort(order).slice(0, limit);
}

/** How many of each kind a full result list always keeps (see rankItems). */
const KEEP_PER_KIND = 5;
