import type { InsightsReport } from './types';

// When ServiceNow's Aggregate API answered, its counts are the report's counts: it counts on the instance,
// so it also sees rows a Table API read may not return (row-level ACLs apply to lists, not to counts —
// research §7). MTTR, time to assign and the record lists still come from the records that could be read,
// and any difference is said in a warning rather than hidden.

export interface RemoteCounts {
  openedByPriority: ReadonlyMap<string, number>;
  resolvedByPriority: ReadonlyMap<string, number>;
  openedByAlert: ReadonlyMap<string, number>;
}

const AGG = ' Counted by the ServiceNow Aggregate API (GET /api/now/stats/incident); the records listed are those the Table API returned.';

export function overlayAggregateCounts(r: InsightsReport, counts: RemoteCounts, top: number): InsightsReport {
  const warnings = [...r.warnings];
  const figures = { ...r.figures };
  const note = (key: string): void => {
    const f = figures[key];
    if (f) figures[key] = { ...f, how: f.how + AGG };
  };
  const byPriority = { ...r.incidents.byPriority };
  const keys = [...new Set([...Object.keys(byPriority), ...counts.openedByPriority.keys(), ...counts.resolvedByPriority.keys()])].sort();
  const empty = { median: null, p90: null, count: 0 };
  for (const p of keys) {
    const cur = byPriority[p] ?? { opened: 0, resolved: 0, mttrMinutes: empty, timeToAssignMinutes: empty };
    const opened = counts.openedByPriority.get(p) ?? 0;
    const resolved = counts.resolvedByPriority.get(p) ?? 0;
    if (opened !== cur.opened)
      warnings.push(`P${p || '(none)'}: ServiceNow counts ${opened} incidents opened, the Table API returned ${cur.opened} readable ones.`);
    if (resolved !== cur.resolved)
      warnings.push(
        `P${p || '(none)'}: ServiceNow counts ${resolved} incidents resolved, the Table API returned ${cur.resolved} readable ones.`,
      );
    byPriority[p] = { ...cur, opened, resolved };
    note(`incidents.byPriority.${p}.opened`);
    note(`incidents.byPriority.${p}.resolved`);
  }
  note('incidents.opened');
  note('incidents.resolved');
  const sum = (m: ReadonlyMap<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

  const topAlerts = [...counts.openedByAlert]
    .filter(([alert]) => alert !== '')
    .map(([alert, count]) => ({ alert, count }))
    .sort((a, b) => b.count - a.count || (a.alert < b.alert ? -1 : a.alert > b.alert ? 1 : 0))
    .slice(0, top);
  for (const a of topAlerts) {
    const key = `topAlerts.${a.alert}`;
    if (!figures[key])
      figures[key] = { label: `Alert ${a.alert}`, how: `incidents opened in the period with u_alert_name = "${a.alert}".`, records: [] };
    if (figures[key].records.length !== a.count)
      warnings.push(
        `Alert ${a.alert}: ServiceNow counts ${a.count} incidents, the Table API returned ${figures[key].records.length} readable ones.`,
      );
    note(key);
  }
  return {
    ...r,
    incidents: { ...r.incidents, opened: sum(counts.openedByPriority), resolved: sum(counts.resolvedByPriority), byPriority },
    topAlerts,
    figures,
    warnings,
  };
}
