import type { ReactNode } from 'react';
import type { ChartPoint } from '@shared/slo/contract';

/**
 * Budget left over the window as a tiny SVG line (no chart library on the fleet: 200 tiles must stay cheap).
 * The scale always holds 0 and 1, so lines are comparable between tiles; a dashed baseline marks 0 when the
 * budget went negative. Gaps (no data) break the line.
 */
export function Sparkline(props: {
  points: readonly ChartPoint[];
  width?: number;
  height?: number;
  testId?: string;
  label: string;
}): ReactNode {
  const w = props.width ?? 160;
  const h = props.height ?? 36;
  const pts = props.points;
  const known = pts.filter((p): p is { t: number; v: number } => p.v !== null);
  if (pts.length < 2 || known.length < 2) {
    return (
      <svg
        className="sparkline sparkline-empty"
        viewBox={`0 0 ${w} ${h}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${props.label}: no data`}
        data-testid={props.testId}
      >
        <line x1={0} x2={w} y1={h / 2} y2={h / 2} />
      </svg>
    );
  }
  const t0 = pts[0]?.t ?? 0;
  const t1 = pts[pts.length - 1]?.t ?? t0 + 1;
  const lo = Math.min(0, ...known.map((p) => p.v));
  const hi = Math.max(1, ...known.map((p) => p.v));
  const x = (t: number): number => ((t - t0) / Math.max(1, t1 - t0)) * (w - 2) + 1;
  const y = (v: number): number => h - 2 - ((v - lo) / Math.max(1e-9, hi - lo)) * (h - 4);
  const segments: string[] = [];
  let cur: string[] = [];
  for (const p of pts) {
    if (p.v === null) {
      if (cur.length > 1) segments.push(cur.join(' '));
      cur = [];
      continue;
    }
    cur.push(`${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
  }
  if (cur.length > 1) segments.push(cur.join(' '));
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      data-points={pts.length}
    >
      {lo < 0 ? <line className="sparkline-zero" x1={0} x2={w} y1={y(0)} y2={y(0)} vectorEffect="non-scaling-stroke" /> : null}
      {segments.map((s, i) => (
        <polyline
          key={i}
          points={s}
          fill="none"
          stroke="currentColor"
          strokeWidth={1.5}
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
      ))}
    </svg>
  );
}
