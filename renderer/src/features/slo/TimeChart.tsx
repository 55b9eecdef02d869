import { useState } from 'react';
import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent';
import type { ChartPoint } from '@shared/slo/contract';
import { dateTime } from './format';
import { formatTick } from '../../app/format/time';

// One time-series chart. Colours come from the theme's CSS variables through classes (the line's group sets
// `color`, the path strokes currentColor), so the same chart reads in dark and light. No animation: the data
// is live and refreshes every minute.

export interface ChartLine {
  key: string;
  name: string;
  points: readonly ChartPoint[];
  className: string;
  dashed?: boolean;
}

export interface TimeChartProps {
  title: string;
  width: number;
  height?: number;
  lines: ChartLine[];
  domain: [number, number];
  /** Values in the tooltip. */
  yFormat: (v: number) => string;
  /** Axis ticks (shorter); defaults to yFormat. */
  axisFormat?: (v: number) => string;
  yDomain?: [number | 'auto', number | 'auto'];
  yTicks?: number[];
  refs?: { y: number; label: string; className: string; position?: 'insideTopRight' | 'insideBottomLeft' }[];
  testId: string;
  /** A span to mark on the chart (the range the other charts show, on a chart that keeps the whole window). */
  shown?: [number, number];
  /** Drag across the chart to zoom: called with the time span dragged over (epoch ms, earlier first). */
  onZoom?: (from: number, to: number) => void;
}

/** Where the plot sits inside the chart (LineChart margin + the Y axis width): x in pixels ↔ time. */
const PLOT_LEFT = 8 + 76;
const PLOT_RIGHT = 16;

/**
 * The drag-to-zoom gesture on the chart's box: press, move, release; a click without a move does nothing.
 * Pixels are mapped to time over the X axis's domain, so it does not depend on which point a tooltip found.
 */
function useDragZoom(
  onZoom: ((from: number, to: number) => void) | undefined,
  domain: [number, number],
  width: number,
): {
  area: [number, number] | null;
  handlers: React.HTMLAttributes<HTMLDivElement>;
} {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  if (!onZoom) return { area: null, handlers: {} };
  const timeAt = (e: React.MouseEvent<HTMLDivElement>): number => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    const plot = Math.max(1, width - PLOT_LEFT - PLOT_RIGHT);
    const f = Math.min(1, Math.max(0, (x - PLOT_LEFT) / plot));
    return domain[0] + f * (domain[1] - domain[0]);
  };
  return {
    area: from !== null && to !== null ? [Math.min(from, to), Math.max(from, to)] : null,
    handlers: {
      onMouseDown: (e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        setFrom(timeAt(e));
        setTo(null);
      },
      onMouseMove: (e) => {
        if (from !== null) setTo(timeAt(e));
      },
      onMouseUp: () => {
        // A drag over less than 1 % of the axis is a click, not a zoom.
        if (from !== null && to !== null && Math.abs(to - from) > (domain[1] - domain[0]) / 100)
          onZoom(Math.min(from, to), Math.max(from, to));
        setFrom(null);
        setTo(null);
      },
      onMouseLeave: () => {
        setFrom(null);
        setTo(null);
      },
    },
  };
}

function ChartTooltip(props: TooltipContentProps<ValueType, NameType> & { yFormat: (v: number) => string }): ReactNode {
  if (!props.active || !props.payload?.length) return null;
  const t = Number(props.label);
  return (
    <div className="slo-chart-tooltip">
      <div className="muted small">{Number.isFinite(t) ? dateTime(t) : ''}</div>
      {props.payload.map((p) => (
        <div key={String(p.name)}>
          {p.name}: <strong>{typeof p.value === 'number' ? props.yFormat(p.value) : '—'}</strong>
        </div>
      ))}
    </div>
  );
}

export function TimeChart(props: TimeChartProps): ReactNode {
  const height = props.height ?? 200;
  const zoom = useDragZoom(props.onZoom, props.domain, props.width);
  const span = props.domain[1] - props.domain[0];
  return (
    <figure className="slo-chart" data-testid={props.testId} data-points={Math.max(0, ...props.lines.map((l) => l.points.length))}>
      <figcaption>{props.title}</figcaption>
      <div className={props.onZoom ? 'zoomable' : undefined} data-testid={`${props.testId}-plot`} {...zoom.handlers}>
        <LineChart width={props.width} height={height} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} accessibilityLayer>
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={props.domain}
            tickFormatter={(t: number) => formatTick(t, span)}
            allowDuplicatedCategory={false}
            minTickGap={40}
          />
          <YAxis
            tickFormatter={(v: number) => (props.axisFormat ?? props.yFormat)(v)}
            width={76}
            domain={props.yDomain ?? ['auto', 'auto']}
            allowDataOverflow={false}
            {...(props.yTicks ? { ticks: props.yTicks } : {})}
          />
          <Tooltip
            content={(p: TooltipContentProps<ValueType, NameType>) => <ChartTooltip {...p} yFormat={props.yFormat} />}
            isAnimationActive={false}
          />
          {(props.refs ?? []).map((r) => (
            <ReferenceLine
              key={r.label}
              y={r.y}
              className={r.className}
              stroke="currentColor"
              strokeDasharray="4 4"
              ifOverflow="extendDomain"
              label={{ value: r.label, position: r.position ?? 'insideTopRight', className: 'chart-ref-label' }}
            />
          ))}
          {props.shown ? <ReferenceArea x1={props.shown[0]} x2={props.shown[1]} className="range-shown" ifOverflow="hidden" /> : null}
          {zoom.area ? <ReferenceArea x1={zoom.area[0]} x2={zoom.area[1]} className="zoom-area" ifOverflow="hidden" /> : null}
          {props.lines.map((l) => (
            <Line
              key={l.key}
              data={[...l.points]}
              dataKey="v"
              name={l.name}
              className={l.className}
              stroke="currentColor"
              strokeWidth={l.dashed ? 1.5 : 2}
              strokeDasharray={l.dashed ? '6 4' : undefined}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}
