import type { SloIndicator } from '../slo/types';

// Links into Prometheus's own UI for what the console shows: the query behind an SLO, the alerts of a rule.
// Pure, so every view builds them the same way (the core hands them out with the service context).

/** The expression browser on `base` (Prometheus 2.x `/graph` parameters), graph tab over `range`. */
export function prometheusGraphUrl(base: string, expr: string, range = '1d'): string {
  const root = base.replace(/\/+$/, '');
  const q = [`g0.expr=${encodeURIComponent(expr)}`, 'g0.tab=0', `g0.range_input=${encodeURIComponent(range)}`];
  return `${root}/graph?${q.join('&')}`;
}

/** PromQL string literal: backslash and double quote escaped, as label matchers need. */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `ALERTS{alertname="…", instance="…"}` for the labels given (empty ones left out). */
export function alertsExpr(labels: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.keys(labels)
    .sort()
    .filter((k) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) && (labels[k] ?? '') !== '')
    .map((k) => `${k}=${promString(labels[k] ?? '')}`);
  return `ALERTS{${parts.join(', ')}}`;
}

/** The SLO's error ratio over `window` as one expression, for "open in Prometheus". */
export function sloErrorRatioExpr(ind: SloIndicator, window = '5m'): string {
  const fill = (q: string): string => q.replace(/\{\{\s*\.window\s*\}\}/g, window);
  switch (ind.kind) {
    case 'raw-ratio':
      return ind.rawType === 'failure' ? fill(ind.query) : `1 - (${fill(ind.query)})`;
    case 'recorded':
      return ind.errorRatio['5m'] ?? Object.values(ind.errorRatio)[0] ?? (ind.period.kind === 'ratio' ? ind.period.errorRatio : '');
    case 'ratio': {
      const over = (q: string): string =>
        ind.counter ? `sum(rate(${fill(q)}[${window}]))` : `sum(avg_over_time((${fill(q)})[${window}:]))`;
      if (ind.bad) return `${over(ind.bad)} / ${over(ind.total)}`;
      return `1 - ${over(ind.good ?? '')} / ${over(ind.total)}`;
    }
  }
}
