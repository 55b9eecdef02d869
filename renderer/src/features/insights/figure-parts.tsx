import type { ReactNode } from 'react';
import type { InsightsReport } from '@shared/insights/types';

// What every figure on the page is made of: a number that is a button listing the records behind it (its
// title says how it was computed), and the "how" line a section shows under its title.

export type OpenFigure = (key: string) => void;

const DASH = '—';
export const pct = (x: number | null): string => (x === null ? DASH : `${(x * 100).toFixed(1)} %`);
export function minutes(x: number | null): string {
  if (x === null) return DASH;
  if (x < 120) return `${Math.round(x)} min`;
  if (x < 48 * 60) return `${(x / 60).toFixed(1)} h`;
  return `${(x / 1440).toFixed(1)} d`;
}

export function Num(props: { r: InsightsReport; k: string; children: ReactNode; open: OpenFigure }): ReactNode {
  const f = props.r.figures[props.k];
  if (!f) return <span>{props.children}</span>;
  return (
    <button
      type="button"
      className="figure-link"
      onClick={() => props.open(props.k)}
      title={f.how}
      data-testid="insights-figure"
      data-figure={props.k}
    >
      {props.children}
    </button>
  );
}

export function How(props: { r: InsightsReport; k: string }): ReactNode {
  const f = props.r.figures[props.k];
  return f ? <p className="how">{f.how}</p> : null;
}
