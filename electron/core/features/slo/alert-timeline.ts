import { promString, type SloDefinition } from '@shared/slo';
import type { PromAlert } from '../../systems/prometheus/prometheus-client';
import type { RangeSeries } from '@shared/slo';
import type { PromAlertView, SloAlertSpan, SloStatusView } from '@shared/slo/contract';

// Alerts as data. Prometheus writes ALERTS{alertname, alertstate, ...labels} = 1 while an alert is pending or
// firing; `max_over_time(ALERTS{..}[STEP])` on the chart's grid says whether it was active at any moment of
// each step, so an alert shorter than the step still shows. An alert belongs to an SLO by its `slo` label
// (Pyrra's convention, also what the demo's rules use) or, for Sloth, by `sloth_id`.

export function alertMatcher(def: SloDefinition): string {
  if (def.origin.kind === 'sloth' && def.key.startsWith('sloth/')) return `sloth_id=${promString(def.key.slice('sloth/'.length))}`;
  return `slo=${promString(def.name)}`;
}

export function alertTimelineQuery(def: SloDefinition, step: number): string {
  return `max_over_time(ALERTS{${alertMatcher(def)}}[${step}s])`;
}

/** Consecutive active steps of each ALERTS series as spans (epoch ms). */
export function alertSpans(series: readonly RangeSeries[], step: number, rangeEnd: number): SloAlertSpan[] {
  const out: SloAlertSpan[] = [];
  for (const s of series) {
    const { alertname = 'alert', alertstate, ...rest } = s.labels;
    const state = alertstate === 'pending' ? 'pending' : 'firing';
    let open: { start: number; end: number } | null = null;
    const flush = (): void => {
      if (!open) return;
      out.push({
        alertname,
        state,
        ...(rest['severity'] !== undefined ? { severity: rest['severity'] } : {}),
        labels: rest,
        start: open.start * 1000,
        end: open.end * 1000,
        open: open.end >= rangeEnd,
      });
      open = null;
    };
    for (const p of s.points) {
      const active = Number.isFinite(p.v) && p.v > 0;
      if (!active) {
        flush();
        continue;
      }
      if (open && p.t - open.end <= step) open.end = p.t;
      else {
        flush();
        open = { start: p.t - step, end: p.t };
      }
    }
    flush();
  }
  return out.sort((a, b) => a.start - b.start);
}

const HTTP_URL = /^https?:\/\/[^\s]+$/i;

/** A Prometheus alert as the UI shows it, tied to a fleet SLO when its labels name one. */
export function alertView(a: PromAlert, connectionId: string, statuses: readonly SloStatusView[]): PromAlertView {
  const runbook = a.annotations['runbook_url'];
  const sloth = a.labels['sloth_id'];
  const slo = a.labels['slo'];
  const match =
    (sloth !== undefined ? statuses.find((s) => s.key === `sloth/${sloth}`) : undefined) ??
    (slo !== undefined
      ? statuses.find((s) => s.name === slo && (s.connectionId === undefined || s.connectionId === connectionId))
      : undefined);
  return {
    connectionId,
    alertname: a.labels['alertname'] ?? 'alert',
    state: a.state,
    ...(a.labels['severity'] !== undefined ? { severity: a.labels['severity'] } : {}),
    labels: a.labels,
    annotations: a.annotations,
    ...(a.activeAt !== undefined ? { activeAt: a.activeAt } : {}),
    value: a.value,
    ...(runbook !== undefined && HTTP_URL.test(runbook) ? { runbookUrl: runbook } : {}),
    ...(match ? { sloId: match.id } : {}),
  };
}
