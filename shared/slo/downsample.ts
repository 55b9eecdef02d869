// Keeping charts at about one point per pixel. recharts draws SVG, so 8,640 points a series (30 d at 5 m) cost
// real frames; min/max buckets keep the spikes that matter for SLOs (an LTTB average could smooth a 5-minute
// outage away).

export interface Point {
  /** Unix seconds (or ms; only ordering and spacing matter). */
  t: number;
  /** null = gap (no sample, or NaN: no traffic); kept so charts break the line instead of bridging it. */
  v: number | null;
}

/**
 * Reduces `points` (sorted by t) to at most `width` points: the time range is cut into width/2 buckets and
 * each bucket keeps its minimum and maximum, in time order. The overall minimum and maximum always survive.
 * A bucket with only gaps yields one null point.
 */
export function downsampleMinMax(points: readonly Point[], width: number): Point[] {
  const w = Math.floor(width);
  if (w <= 0 || points.length === 0) return [];
  if (points.length <= w) return points.map((p) => ({ ...p }));
  if (w === 1) {
    // One slot cannot hold both extremes; keep the maximum (the worse value for error-style series).
    let best: Point | null = null;
    for (const p of points) if (p.v !== null && Number.isFinite(p.v) && (best === null || (best.v ?? 0) < p.v)) best = p;
    return [{ ...(best ?? points[0] ?? { t: 0, v: null }) }];
  }
  const first = points[0]?.t ?? 0;
  const last = points[points.length - 1]?.t ?? first;
  const buckets = Math.floor(w / 2);
  const span = last - first;
  const out: Point[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < points.length; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : first + (span * (b + 1)) / buckets;
    let min: Point | null = null;
    let max: Point | null = null;
    let gap: Point | null = null;
    for (; i < points.length; i++) {
      const p = points[i] as Point;
      if (p.t >= end) break;
      if (p.v === null || !Number.isFinite(p.v)) {
        gap = gap ?? p;
        continue;
      }
      if (min === null || p.v < (min.v as number)) min = p;
      if (max === null || p.v > (max.v as number)) max = p;
    }
    if (min === null || max === null) {
      if (gap) out.push({ t: gap.t, v: null });
    } else if (min === max) {
      out.push({ ...min });
    } else if (min.t <= max.t) {
      out.push({ ...min }, { ...max });
    } else {
      out.push({ ...max }, { ...min });
    }
  }
  return out;
}

/** Steps a range query may use: round numbers so refreshes and neighbouring charts share cache entries. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_200, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

/** Prometheus refuses (end - start) / step > 11,000 ("exceeded maximum resolution of 11,000 points"). */
export const MAX_POINTS_PER_SERIES = 11_000;

export interface AlignedRange {
  start: number;
  end: number;
  step: number;
  /** Points per series Prometheus will return: (end - start) / step + 1. */
  points: number;
}

/**
 * A step-aligned range for a chart `widthPx` wide over [start, end] (unix seconds): step ≈ range / width,
 * rounded up to a nice value and never below `minStep` (scrape or rule interval). Start is floored and end
 * ceiled to multiples of step, so the next refresh asks for the same grid (cacheable, incremental) and the
 * newest data is included. Guaranteed within the 11,000-points limit.
 */
export function alignedRange(start: number, end: number, widthPx: number, minStep = 1): AlignedRange {
  const range = Math.max(0, end - start);
  // Alignment may add up to two steps and the first point is counted too, so leave room for three.
  const wanted = Math.max(minStep, range / Math.max(1, Math.floor(widthPx)), range / (MAX_POINTS_PER_SERIES - 3), 1);
  const step = NICE_STEPS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400) * 86_400;
  const s = Math.floor(start / step) * step;
  const e = Math.max(s, Math.ceil(end / step) * step);
  return { start: s, end: e, step, points: (e - s) / step + 1 };
}
