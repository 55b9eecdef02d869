// Step-aligned range cache with incremental tail fetches.
//
// Charts ask for [start, end] on a grid of `step` (alignedRange floors start and ceils end to the step), so a
// refresh a minute later asks for the same grid shifted by at most a step or two. Points older than "now minus
// a settle margin" cannot change any more (their samples are in), so the cache keeps them and fetches only
// from the first unsettled point to the new end; points that slid out of the window are dropped.
//
// Keyed by (step, query): the same expression at another resolution is another entry. Entries are evicted
// least recently used. Values are kept as numbers including NaN/±Inf; callers decide what a gap is.

import type { RangeSeries } from '@shared/slo';

export type { RangePoint, RangeSeries } from '@shared/slo';

export interface StepRange {
  start: number;
  end: number;
  step: number;
}

export type RangeFetcher = (start: number, end: number, step: number) => Promise<RangeSeries[]>;

export type FetchKind = 'full' | 'tail' | 'cached';

export interface CachedRange {
  series: RangeSeries[];
  fetch: FetchKind;
  /** The sub-range actually requested from the server, when there was one. */
  fetched?: { start: number; end: number };
}

interface Entry {
  step: number;
  start: number;
  end: number;
  /** Last point that can no longer change (unix seconds); points after it are refetched. */
  settled: number;
  series: Map<string, { labels: Record<string, string>; points: Map<number, number> }>;
}

export interface RangeCacheStats {
  full: number;
  tail: number;
  cached: number;
  entries: number;
}

export interface RangeCacheOptions {
  maxEntries?: number;
  /** Seconds after which a point counts as final (ingestion and rule evaluation lag). Default 300. */
  settleSeconds?: number;
  /** Wall clock in ms (tests). */
  now?: () => number;
}

export function labelsKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0001${labels[k] ?? ''}`)
    .join('\u0002');
}

export class RangeCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<CachedRange>>();
  private readonly counts = { full: 0, tail: 0, cached: 0 };
  private readonly maxEntries: number;
  private readonly settleSeconds: number;
  private readonly now: () => number;

  constructor(opts: RangeCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 256;
    this.settleSeconds = opts.settleSeconds ?? 300;
    this.now = opts.now ?? Date.now;
  }

  stats(): RangeCacheStats {
    return { ...this.counts, entries: this.entries.size };
  }

  clear(): void {
    this.entries.clear();
  }

  /** The series of `query` over `range`, fetching only what the cache cannot answer. */
  get(query: string, range: StepRange, fetcher: RangeFetcher): Promise<CachedRange> {
    const key = `${range.step}\u0000${query}`;
    // Two charts asking for the same thing at once share one request.
    const flightKey = `${key}\u0000${range.start}\u0000${range.end}`;
    const running = this.inflight.get(flightKey);
    if (running) return running;
    const p = this.load(key, range, fetcher).finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, p);
    return p;
  }

  private async load(key: string, range: StepRange, fetcher: RangeFetcher): Promise<CachedRange> {
    const { start, end, step } = range;
    const settledNow = Math.floor((this.now() / 1000 - this.settleSeconds) / step) * step;
    const entry = this.entries.get(key);
    const usable =
      entry !== undefined && entry.step === step && start >= entry.start && start <= entry.settled + step && end >= entry.start;

    let kind: FetchKind;
    let fetched: { start: number; end: number } | undefined;
    let e: Entry;
    if (!usable) {
      const series = await fetcher(start, end, step);
      e = { step, start, end, settled: Math.min(end, settledNow), series: new Map() };
      for (const s of series) e.series.set(labelsKey(s.labels), { labels: s.labels, points: new Map(s.points.map((p) => [p.t, p.v])) });
      kind = 'full';
      fetched = { start, end };
    } else {
      e = entry;
      const from = e.settled + step;
      if (from <= end) {
        const series = await fetcher(from, end, step);
        // Unsettled points are replaced by the new answer (a series that vanished loses them too).
        for (const s of e.series.values()) for (const t of [...s.points.keys()]) if (t >= from) s.points.delete(t);
        for (const s of series) {
          const k = labelsKey(s.labels);
          let target = e.series.get(k);
          if (!target) e.series.set(k, (target = { labels: s.labels, points: new Map() }));
          for (const p of s.points) target.points.set(p.t, p.v);
        }
        kind = 'tail';
        fetched = { start: from, end };
      } else {
        kind = 'cached';
      }
      e.end = Math.max(e.end, end);
      e.settled = Math.max(e.settled, Math.min(end, settledNow));
    }
    // Slide the window: drop what fell out on the left.
    if (start > e.start) {
      for (const [k, s] of e.series) {
        for (const t of [...s.points.keys()]) if (t < start) s.points.delete(t);
        if (s.points.size === 0) e.series.delete(k);
      }
      e.start = start;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.counts[kind]++;

    const out: RangeSeries[] = [];
    for (const s of e.series.values()) {
      const points = [...s.points.entries()]
        .filter(([t]) => t >= start && t <= end)
        .sort((a, b) => a[0] - b[0])
        .map(([t, v]) => ({ t, v }));
      if (points.length > 0) out.push({ labels: s.labels, points });
    }
    return fetched ? { series: out, fetch: kind, fetched } : { series: out, fetch: kind };
  }
}
