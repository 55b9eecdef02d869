// The SLO detail's chart range: the spans offered (1 h … the SLO's window), a zoom dragged on a chart, what each
// asks the core for, and the axes the charts then draw.
import type { ReactNode } from 'react';
import type { SloDetail } from '@shared/slo/contract';
import { dateTime } from './format';

/** Chart spans the picker offers, up to the SLO's window (the whole window is always the last choice). */
const SPANS: { label: string; seconds: number }[] = [
  { label: '1 h', seconds: 3_600 },
  { label: '6 h', seconds: 21_600 },
  { label: '1 d', seconds: 86_400 },
  { label: '7 d', seconds: 604_800 },
];

export type ChartView = { kind: 'window' } | { kind: 'last'; seconds: number } | { kind: 'zoom'; from: number; to: number };

/** The from/to a view asks the core for; "last N" ends now and moves with the clock (a minute at a time). */
export function viewArgs(v: ChartView, now: number): { from?: number; to?: number } {
  if (v.kind === 'window') return {};
  if (v.kind === 'zoom') return { from: Math.round(v.from), to: Math.round(v.to) };
  return { from: Math.floor((now - v.seconds * 1000) / 60_000) * 60_000 };
}

export function RangePicker(props: {
  view: ChartView;
  windowSeconds: number;
  window: string;
  onChange: (v: ChartView) => void;
}): ReactNode {
  const spans = SPANS.filter((x) => x.seconds < props.windowSeconds);
  const isOn = (v: ChartView): boolean =>
    v.kind === props.view.kind && (v.kind !== 'last' || (props.view.kind === 'last' && props.view.seconds === v.seconds));
  return (
    <div className="toolbar slo-range" role="group" aria-label="Chart range" data-testid="slo-range">
      {spans.map((x) => (
        <button
          key={x.label}
          type="button"
          className={`btn btn-small${isOn({ kind: 'last', seconds: x.seconds }) ? ' active' : ''}`}
          aria-pressed={isOn({ kind: 'last', seconds: x.seconds })}
          onClick={() => props.onChange({ kind: 'last', seconds: x.seconds })}
          data-testid={`slo-range-${x.label.replace(' ', '')}`}
        >
          Last {x.label}
        </button>
      ))}
      <button
        type="button"
        className={`btn btn-small${props.view.kind === 'window' ? ' active' : ''}`}
        aria-pressed={props.view.kind === 'window'}
        onClick={() => props.onChange({ kind: 'window' })}
        data-testid="slo-range-window"
      >
        Whole window ({props.window})
      </button>
      {props.view.kind === 'zoom' ? (
        <span className="muted small" data-testid="slo-range-zoomed">
          Zoomed: {dateTime(props.view.from)} – {dateTime(props.view.to)}
        </span>
      ) : (
        <span className="muted small">Drag across a chart to zoom.</span>
      )}
    </div>
  );
}

/**
 * The time axes of the detail charts. The burn-down is cumulative, so the core sends it for the whole window
 * whatever the range picked: its axis stays on the window (from its first point), with the range picked
 * marked on it; the whole window also shows where a calendar window ends.
 */
export function chartDomains(
  d: Pick<SloDetail, 'range' | 'windowEnd' | 'budget'>,
  narrowed: boolean,
): { budget: [number, number]; shown: [number, number] | null } {
  const first = Math.min(d.range.start, d.budget.ideal[0]?.t ?? Infinity, d.budget.actual[0]?.t ?? Infinity);
  return {
    budget: [first, Math.max(d.range.end, d.windowEnd)],
    shown: narrowed ? [d.range.start, d.range.end] : null,
  };
}
