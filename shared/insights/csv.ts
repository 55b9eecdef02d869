import type { InsightsReport } from './types';

// The report as rows (section, name, measure, value, how, records) for CSV: one line per number, so a
// spreadsheet can pivot it. RFC 4180 quoting; a leading = + - @ is prefixed with ' so no cell runs as a formula.

export interface ReportRow {
  section: string;
  name: string;
  measure: string;
  value: number | string | null;
  /** Key into report.figures, when the number has one. */
  figure: string | null;
}

export function reportRows(r: InsightsReport): ReportRow[] {
  const rows: ReportRow[] = [];
  const add = (section: string, name: string, measure: string, value: number | string | null, figure: string | null): void => {
    rows.push({ section, name, measure, value, figure: figure && r.figures[figure] ? figure : null });
  };
  add('incidents', 'all', 'opened', r.incidents.opened, 'incidents.opened');
  add('incidents', 'all', 'resolved', r.incidents.resolved, 'incidents.resolved');
  add('incidents', 'all', 'mttr median (min)', r.incidents.mttrMinutes.median, 'incidents.mttrMinutes');
  add('incidents', 'all', 'mttr p90 (min)', r.incidents.mttrMinutes.p90, 'incidents.mttrMinutes');
  add('incidents', 'all', 'time to assign median (min)', r.incidents.timeToAssignMinutes.median, 'incidents.timeToAssignMinutes');
  add('incidents', 'all', 'time to assign p90 (min)', r.incidents.timeToAssignMinutes.p90, 'incidents.timeToAssignMinutes');
  for (const [p, f] of Object.entries(r.incidents.byPriority)) {
    const k = `incidents.byPriority.${p}`;
    add('priority', `P${p}`, 'opened', f.opened, `${k}.opened`);
    add('priority', `P${p}`, 'resolved', f.resolved, `${k}.resolved`);
    add('priority', `P${p}`, 'mttr median (min)', f.mttrMinutes.median, `${k}.mttrMinutes`);
    add('priority', `P${p}`, 'mttr p90 (min)', f.mttrMinutes.p90, `${k}.mttrMinutes`);
    add('priority', `P${p}`, 'time to assign median (min)', f.timeToAssignMinutes.median, `${k}.timeToAssignMinutes`);
    add('priority', `P${p}`, 'time to assign p90 (min)', f.timeToAssignMinutes.p90, `${k}.timeToAssignMinutes`);
  }
  for (const g of r.incidents.byGroup) {
    const k = `incidents.byGroup.${g.group || 'none'}`;
    add('group', g.name, 'opened', g.opened, `${k}.opened`);
    add('group', g.name, 'resolved', g.resolved, `${k}.resolved`);
    add('group', g.name, 'mttr median (min)', g.mttrMinutes.median, `${k}.mttrMinutes`);
    add('group', g.name, 'mttr p90 (min)', g.mttrMinutes.p90, `${k}.mttrMinutes`);
    add('group', g.name, 'time to assign median (min)', g.timeToAssignMinutes.median, `${k}.timeToAssignMinutes`);
    add('group', g.name, 'time to assign p90 (min)', g.timeToAssignMinutes.p90, `${k}.timeToAssignMinutes`);
  }
  for (const b of r.incidents.backlog) add('backlog', b.at, 'open', b.open, null);
  for (const a of r.topAlerts) add('top alerts', a.alert, 'incidents opened', a.count, `topAlerts.${a.alert}`);
  for (const c of r.topCis) add('top CIs', c.name, 'incidents opened', c.count, `topCis.${c.ci}`);
  const a = r.automation;
  add('automation', 'incidents', 'with a remediation job', a.incidentsWithJob, 'automation.incidentsWithJob');
  add('automation', 'incidents', 'automation rate', a.rate, 'automation.rate');
  add('automation', 'jobs', 'launched', a.jobs.launched, 'automation.jobs.launched');
  add('automation', 'jobs', 'successful', a.jobs.successful, 'automation.jobs.successful');
  add('automation', 'jobs', 'success rate', a.jobs.successRate, 'automation.jobs.successful');
  add('automation', 'all runbooks', 'minutes saved', a.minutesSaved, 'automation.minutesSaved');
  for (const rb of a.runbooks) {
    add('runbook', rb.title, 'launched', rb.launched, `automation.runbooks.${rb.id}`);
    add('runbook', rb.title, 'successful', rb.successful, `automation.runbooks.${rb.id}`);
    add('runbook', rb.title, 'minutes saved', rb.minutesSaved, `automation.runbooks.${rb.id}`);
  }
  add('changes', 'closed', 'count', r.changes.closed, 'changes.closed');
  add(
    'changes',
    `followed by an incident within ${r.changes.windowHours} h`,
    'count',
    r.changes.followedByIncident,
    'changes.followedByIncident',
  );
  add('changes', 'change failure rate', 'rate', r.changes.failureRate, 'changes.failureRate');
  for (const s of r.slos)
    add(
      'slo',
      `${s.name} (${s.service})`,
      `budget consumed ${s.month}${s.partial ? ' (so far)' : ''}`,
      s.budgetConsumed,
      `slos.${s.name}.${s.month}`,
    );
  return rows;
}

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV text of the report: header, one row per number with how it was computed and its records. */
export function reportCsv(r: InsightsReport): string {
  const head = ['from', 'to', 'section', 'name', 'measure', 'value', 'how', 'records'];
  const lines = [head.join(',')];
  for (const row of reportRows(r)) {
    const f = row.figure ? r.figures[row.figure] : undefined;
    lines.push(
      [r.from, r.to, row.section, row.name, row.measure, row.value, f?.how ?? '', (f?.records ?? []).join(' ')].map(csvCell).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
