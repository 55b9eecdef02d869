import type { InsightsReport } from '@shared/insights';
import { parsePeriod, reportCsv } from '@shared/insights';
import { parseFlags, str, UsageError } from '../args';
import { openRuntime } from '../runtime';
import { cliErrorText, printProblems, rawStdout, safeWriter, stderr, stdout } from '../output';

export const reportHelp = `toc report --config FILE --from DATE --to DATE [--group G] [--service S] [--change-window HOURS] [--json | --csv]
  The TOC's numbers for the days [from, to) in UTC (October: --from 2026-10-01 --to 2026-11-01): incidents
  opened and resolved, MTTR and time to assign per priority and group, the backlog, top alerts and CIs,
  remediation jobs, runbooks and time saved, change failure rate, SLO budget consumed per month. --json prints
  one object, --csv one row per number with how it was computed and its records. Exit 0, or 2 when it cannot tell.`;

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const mins = (x: number | null): string => (x === null ? '—' : x >= 120 ? `${(x / 60).toFixed(1)} h` : `${Math.round(x)} min`);

export function formatReport(r: InsightsReport): string {
  const lines: string[] = [];
  const scope = [r.filter.group ? `group ${r.filter.group}` : '', r.filter.service ? `service ${r.filter.service}` : '']
    .filter(Boolean)
    .join(', ');
  lines.push(`TOC report ${r.from} → ${r.to} (UTC, to excluded)${scope ? ` — ${scope}` : ''}`);
  lines.push('');
  lines.push(
    `Incidents: ${r.incidents.opened} opened, ${r.incidents.resolved} resolved; MTTR median ${mins(r.incidents.mttrMinutes.median)}, p90 ${mins(r.incidents.mttrMinutes.p90)}; time to assign median ${mins(r.incidents.timeToAssignMinutes.median)}`,
  );
  lines.push('  PRIORITY  OPENED  RESOLVED  MTTR MEDIAN  MTTR P90  ASSIGN MEDIAN');
  for (const [p, f] of Object.entries(r.incidents.byPriority))
    lines.push(
      `  P${p.padEnd(8)}${String(f.opened).padStart(6)}  ${String(f.resolved).padStart(8)}  ${mins(f.mttrMinutes.median).padStart(11)}  ${mins(f.mttrMinutes.p90).padStart(8)}  ${mins(f.timeToAssignMinutes.median).padStart(13)}`,
    );
  const last = r.incidents.backlog[r.incidents.backlog.length - 1];
  lines.push(`Open backlog: ${r.incidents.backlog[0]?.open ?? 0} at the start, ${last?.open ?? 0} at the end`);
  lines.push('');
  lines.push(`Top alerts: ${r.topAlerts.map((a) => `${a.alert} ${a.count}`).join(', ') || 'none'}`);
  lines.push(`Top CIs: ${r.topCis.map((c) => `${c.name} ${c.count}`).join(', ') || 'none'}`);
  const a = r.automation;
  lines.push(
    `Automation: ${a.incidentsWithJob} incidents with a remediation job (${pct(a.rate)}); ${a.jobs.launched} jobs, ${a.jobs.successful} successful (${pct(a.jobs.successRate)}); ${a.minutesSaved} minutes saved`,
  );
  for (const rb of a.runbooks.filter((x) => x.launched > 0))
    lines.push(`  ${rb.title}: ${rb.launched} runs, ${rb.successful} successful, ${rb.minutesSaved} min saved`);
  lines.push(
    `Changes: ${r.changes.closed} closed, ${r.changes.followedByIncident} followed by an incident within ${r.changes.windowHours} h (failure rate ${pct(r.changes.failureRate)})`,
  );
  if (r.slos.length > 0) {
    lines.push('SLO budget consumed:');
    for (const s of r.slos)
      lines.push(
        `  ${s.name} (${s.service}) ${s.month}${s.partial ? ' so far' : ''}: ${s.budgetConsumed === null ? (s.error ?? 'no data') : pct(s.budgetConsumed)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string', short: 'c' },
    from: { type: 'string' },
    to: { type: 'string' },
    group: { type: 'string' },
    service: { type: 'string' },
    'change-window': { type: 'string' },
    connection: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    stdout.write(`${reportHelp}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const config = str(values.config);
  if (!config && !process.env.TOC_WORKSPACE) throw new UsageError('--config FILE is required (or set TOC_WORKSPACE)');
  const from = str(values.from);
  const to = str(values.to);
  if (!from || !to) throw new UsageError('--from DATE and --to DATE are required (UTC days, YYYY-MM-DD; --to is excluded)');
  const period = parsePeriod(from, to);
  if (!period.ok) throw new UsageError(period.message);
  if (values.json === true && values.csv === true) throw new UsageError('--json and --csv cannot be used together');
  const windowText = str(values['change-window']);
  const changeWindowHours = windowText === undefined ? undefined : Number(windowText);
  if (changeWindowHours !== undefined && !(Number.isFinite(changeWindowHours) && changeWindowHours > 0 && changeWindowHours <= 2160))
    throw new UsageError(`--change-window must be a number of hours from 1 to 2160, not "${windowText ?? ''}"`);
  const group = str(values.group);
  const service = str(values.service);
  const connectionId = str(values.connection);

  const core = await openRuntime({ ...(config ? { config } : {}), transport: 'direct', keychain: false });
  try {
    printProblems('workspace', core.services.workspaceProblems());
    const ctx = { transport: 'direct' as const, signal: new AbortController().signal };
    const r = await core.dispatcher.call(
      'insights.report',
      {
        from,
        to,
        ...(group ? { group } : {}),
        ...(service ? { service } : {}),
        ...(connectionId ? { connectionId } : {}),
        ...(changeWindowHours !== undefined ? { changeWindowHours } : {}),
      },
      ctx,
    );
    if (!r.ok) {
      stderr.write(`toc report: ${cliErrorText(r.error, 'ServiceNow')}\n`);
      return 2;
    }
    const report = r.data as InsightsReport;
    for (const w of report.warnings) stderr.write(`warning: ${w}\n`);
    if (values.json === true) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (values.csv === true) safeWriter(rawStdout, { keepCrlf: true }).write(reportCsv(report));
    else stdout.write(formatReport(report));
    return 0;
  } finally {
    await core.dispose();
  }
}
