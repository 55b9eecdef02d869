import type { SloProblem, SloStatus } from '@shared/slo';
import type { ChartPoint, SloProblemView, SloStatusView } from '@shared/slo/contract';

/** A status as the fleet shows it: which connection answered (the default one too), when, and how fresh. */
export function view(
  s: SloStatus,
  connectionId: string | undefined,
  fetchedAt: string | null,
  stale: boolean,
  sparkline: ChartPoint[] = [],
): SloStatusView {
  return { ...s, ...(connectionId !== undefined ? { connectionId } : {}), burnRates: { ...s.burnRates }, fetchedAt, stale, sparkline };
}

export function toProblemView(p: SloProblem): SloProblemView {
  return { file: p.file, line: p.line, field: p.field, message: p.message, ...(p.column !== undefined ? { column: p.column } : {}) };
}
