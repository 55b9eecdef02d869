import { useState } from 'react';
import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { MouseHandlerDataParam } from 'recharts/types/synchronisation/types';
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
  /** Drag across the chart to zoom: called with the time span dragged over (epoch ms, earlier first). */
  onZoom?: (from: number, to: number) => void;
}

/** The drag-to-zoom gesture: press, move, release over the plot; a click without a move does nothing. */
function useDragZoom(onZoom: ((from: number, to: number) => void) | undefined): {
  area: [number, number] | null;
  handlers: {
    onMouseDown?: (s: MouseHandlerDataParam) => void;
    onMouseMove?: (s: MouseHandlerDataParam) => void;
    onMouseUp?: () => void;
    onMouseLeave?: () => void;
  };
} {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  if (!onZoom) return { area: null, handlers: {} };
  const label = (s: MouseHandlerDataParam): number | null => {
    const t = Number(s.activeLabel);
    return Number.isFinite(t) ? t : null;
  };
  const end = (): void => {
    if (from !== null && to !== null && from !== to) onZoom(Math.min(from, to), Math.max(from, to));
    setFrom(null);
    setTo(null);
  };
  return {
    area: from !== null && to !== null ? [Math.min(from, to), Math.max(from, to)] : null,
    handlers: {
      onMouseDown: (s) => setFrom(label(s)),
      onMouseMove: (s) => {
        if (from !== null) setTo(label(s));
      },
      onMouseUp: end,
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
  const zoom = useDragZoom(props.onZoom);
  const span = props.domain[1] - props.domain[0];
  return (
    <figure className="slo-chart" data-testid={props.testId} data-points={Math.max(0, ...props.lines.map((l) => l.points.length))}>
      <figcaption>{props.title}</figcaption>
      <LineChart
        width={props.width}
        height={height}
        margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
        accessibilityLayer
        className={props.onZoom ? 'zoomable' : undefined}
        {...zoom.handlers}
      >
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
    </figure>
  );
}
