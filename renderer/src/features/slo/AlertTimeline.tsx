import type { ReactNode } from 'react';
import type { SloAlertSpan } from '@shared/slo/contract';
import { dateTime } from './format';
import { formatTick } from '../../app/format/time';

/** When each alert of this SLO was pending or firing over the window, from Prometheus's ALERTS series. */
export function AlertTimeline(props: { spans: readonly SloAlertSpan[]; start: number; end: number; width: number }): ReactNode {
  const { spans, start, end } = props;
  const rows = [...new Set(spans.map((s) => rowKey(s)))];
  const rowH = 22;
  const labelW = 190;
  const w = Math.max(200, props.width);
  const x = (t: number): number => labelW + ((Math.min(end, Math.max(start, t)) - start) / Math.max(1, end - start)) * (w - labelW - 8);
  const ticks = Array.from({ length: 5 }, (_, i) => start + ((end - start) * i) / 4);
  const h = rows.length * rowH + 22;
  return (
    <figure className="slo-chart slo-alert-timeline" data-testid="slo-alert-timeline">
      <figcaption>Alert timeline (ALERTS)</figcaption>
      {spans.length === 0 ? (
        <p className="muted small" data-testid="slo-alert-timeline-empty">
          No alert for this SLO fired in the window (alerts are matched by their <code>slo</code> or <code>sloth_id</code> label).
        </p>
      ) : (
        <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label="Alert timeline">
          {ticks.map((t) => (
            <g key={t} className="timeline-tick">
              <line x1={x(t)} x2={x(t)} y1={0} y2={h - 18} />
              <text x={x(t)} y={h - 4} textAnchor={t === end ? 'end' : 'middle'}>
                {formatTick(t, end - start)}
              </text>
            </g>
          ))}
          {rows.map((r, i) => (
            <text key={r} x={0} y={i * rowH + 15} className="timeline-label">
              {r}
            </text>
          ))}
          {spans.map((s, i) => {
            const row = rows.indexOf(rowKey(s));
            const x0 = x(s.start);
            const x1 = Math.max(x0 + 2, x(s.end));
            return (
              <rect
                key={i}
                x={x0}
                y={row * rowH + 4}
                width={x1 - x0}
                height={rowH - 8}
                rx={2}
                className={`timeline-span ${s.state} sev-${s.severity ?? 'none'}`}
                data-testid="slo-alert-span"
                data-state={s.state}
                data-severity={s.severity}
              >
                <title>{`${s.alertname} ${s.severity ?? ''} ${s.state}: ${dateTime(s.start)} – ${s.open ? 'now' : dateTime(s.end)}`}</title>
              </rect>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

function rowKey(s: SloAlertSpan): string {
  const win = s.labels['long'] && s.labels['short'] ? ` ${s.labels['long']}/${s.labels['short']}` : '';
  return `${s.alertname}${s.severity ? ` · ${s.severity}` : ''}${win}`;
}
