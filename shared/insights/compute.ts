import { backlogInstants, dayText, inPeriod } from './period';
import type { Period } from './period';
import { quantiles, ratio, round2 } from './stats';
import type {
  Figure,
  GroupFigures,
  InsightChange,
  InsightIncident,
  InsightJob,
  InsightRunbook,
  InsightsInput,
  InsightsOptions,
  InsightsReport,
  PriorityFigures,
  RecordRef,
} from './types';

// Every number of the insights report from plain records, for [from, to) in UTC. Pure: the core reads the
// records (ServiceNow, AWX, Prometheus), this decides what counts. Each figure says how it was computed and
// lists the records behind it, so a reader can check any number by hand. Over 400 lines on purpose: every
// definition (what "opened", "remediation job", "followed by an incident" mean) sits beside its wording.

const MINUTE = 60_000;
const HOUR = 3_600_000;
export const DEFAULT_CHANGE_WINDOW_HOURS = 24;
export const PRIORITIES = ['1', '2', '3', '4', '5'] as const;

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const minutes = (ms: number): number => round2(ms / MINUTE);

export function jobRef(j: Pick<InsightJob, 'connectionId' | 'id'>): string {
  return `${j.connectionId}#${j.id}`;
}

/** The runbook a job ran: the first (by id) whose AWX template is the job's, on the job's connection or any. */
export function runbookOfJob(job: InsightJob, runbooks: readonly InsightRunbook[]): InsightRunbook | undefined {
  return runbooks.find((r) => r.template === job.name && (r.connection === null || r.connection === job.connectionId));
}

function matchesService(service: string, sysId: string, name: string): boolean {
  return sysId === service || (name !== '' && name.toLowerCase() === service.toLowerCase());
}

export function computeInsights(input: InsightsInput, opts: InsightsOptions): InsightsReport {
  const period: Period = { from: opts.from, to: opts.to };
  const windowHours = opts.changeWindowHours ?? DEFAULT_CHANGE_WINDOW_HOURS;
  const top = opts.top ?? 10;
  const snow = opts.snowConnectionId ?? '';
  const figures: Record<string, Figure> = {};
  const records = new Map<string, RecordRef>();
  const warnings: string[] = [];
  const scope = [opts.group ? 'of the chosen assignment group' : '', opts.service ? 'of the chosen service' : '']
    .filter(Boolean)
    .join(' and ');
  const scoped = scope ? ` ${scope}` : '';

  const fig = (key: string, label: string, how: string, refs: Iterable<string>): void => {
    figures[key] = { label, how, records: [...new Set(refs)] };
  };
  const noteIncident = (i: InsightIncident): string => {
    if (!records.has(i.number))
      records.set(i.number, {
        kind: 'incident',
        ref: i.number,
        sysId: i.sysId,
        connectionId: snow,
        title: i.shortDescription,
        at: iso(i.openedAt),
        detail: [
          `P${i.priority}`,
          i.groupName || 'no group',
          i.resolvedAt !== null ? `resolved after ${Math.round((i.resolvedAt - i.openedAt) / MINUTE)} min` : 'not resolved',
        ].join(' · '),
      });
    return i.number;
  };
  const noteJob = (j: InsightJob, runbook: InsightRunbook | undefined): string => {
    const ref = jobRef(j);
    if (!records.has(ref))
      records.set(ref, {
        kind: 'job',
        ref,
        sysId: String(j.id),
        connectionId: j.connectionId,
        title: j.name,
        at: iso(j.created),
        detail: [
          j.status,
          j.incidentNumber ? `for ${j.incidentNumber}` : '',
          j.fromConsole ? 'launched from the console' : '',
          runbook ? `runbook ${runbook.title}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      });
    return ref;
  };

  // ---- incidents -------------------------------------------------------------------------------------------
  const all = input.incidents;
  const mine = all.filter(
    (i) => (!opts.group || i.group === opts.group) && (!opts.service || matchesService(opts.service, i.service, i.serviceName)),
  );
  const opened = mine.filter((i) => inPeriod(i.openedAt, period)).sort(byOpened);
  const resolved = mine.filter((i) => inPeriod(i.resolvedAt, period)).sort(byOpened);
  const ttr = (i: InsightIncident): number => minutes((i.resolvedAt as number) - i.openedAt);
  const assignedIn = (list: readonly InsightIncident[]): InsightIncident[] =>
    list.filter((i) => i.assignedAt !== null && i.assignedAt >= i.openedAt && i.assignedAt < period.to);
  const tta = (i: InsightIncident): number => minutes((i.assignedAt as number) - i.openedAt);

  const OPENED_HOW = `incidents${scoped} whose opened_at is in [${dayText(period.from)} 00:00, ${dayText(period.to)} 00:00) UTC`;
  const RESOLVED_HOW = `incidents${scoped} whose resolved_at is in the period (whenever they were opened)`;
  const MTTR_HOW =
    'over the incidents resolved in the period: resolved_at − opened_at in minutes; median (mean of the two middle values for an even count) and p90 (nearest rank: the ⌈0.9·n⌉-th smallest)';
  const TTA_HOW =
    'over the incidents opened in the period that were assigned before its end: first assignment (the "Assigned to Duration" metric) − opened_at in minutes; median and nearest-rank p90';

  const figuresFor = (key: string, label: string, o: InsightIncident[], r: InsightIncident[]): PriorityFigures => {
    const a = assignedIn(o);
    fig(`${key}.opened`, `${label}: opened`, OPENED_HOW, o.map(noteIncident));
    fig(`${key}.resolved`, `${label}: resolved`, RESOLVED_HOW, r.map(noteIncident));
    fig(`${key}.mttrMinutes`, `${label}: MTTR`, MTTR_HOW, r.map(noteIncident));
    fig(`${key}.timeToAssignMinutes`, `${label}: time to assign`, TTA_HOW, a.map(noteIncident));
    const q = quantiles(r.map(ttr));
    const t = quantiles(a.map(tta));
    return { opened: o.length, resolved: r.length, mttrMinutes: q, timeToAssignMinutes: t };
  };

  const total = figuresFor('incidents', 'All incidents', opened, resolved);
  const priorities = [...new Set([...PRIORITIES, ...opened.map((i) => i.priority), ...resolved.map((i) => i.priority)])].sort();
  const byPriority: Record<string, PriorityFigures> = {};
  for (const p of priorities) {
    byPriority[p] = figuresFor(
      `incidents.byPriority.${p}`,
      `P${p}`,
      opened.filter((i) => i.priority === p),
      resolved.filter((i) => i.priority === p),
    );
  }
  const groupIds = [...new Set([...opened, ...resolved].map((i) => i.group))];
  const nameOf = new Map([...opened, ...resolved].map((i) => [i.group, i.groupName || (i.group ? i.group : '(no group)')]));
  const byGroup: GroupFigures[] = groupIds
    .map((g) => ({
      group: g,
      name: nameOf.get(g) ?? g,
      ...figuresFor(
        `incidents.byGroup.${g || 'none'}`,
        nameOf.get(g) ?? g,
        opened.filter((i) => i.group === g),
        resolved.filter((i) => i.group === g),
      ),
    }))
    .sort((a, b) => b.opened + b.resolved - (a.opened + a.resolved) || a.name.localeCompare(b.name));

  // An incident is open over [opened_at, end). The last point is the end of the period: what it leaves open
  // (opened before `to`, not ended before it) — an incident opened at `to` itself belongs to the next period.
  // Counted with two sorted arrays and binary search, not a scan per point: periods hold tens of thousands.
  const openAt = (i: InsightIncident, t: number): boolean =>
    t === period.to ? i.openedAt < t && (i.endedAt === null || i.endedAt >= t) : i.openedAt <= t && (i.endedAt === null || i.endedAt > t);
  const starts = mine.map((i) => i.openedAt).sort((a, b) => a - b);
  const ends = mine
    .filter((i) => i.endedAt !== null)
    .map((i) => Math.max(i.endedAt as number, i.openedAt))
    .sort((a, b) => a - b);
  const backlog = backlogInstants(period).map((t) => ({
    at: iso(t),
    open: t === period.to ? countBelow(starts, t) - countBelow(ends, t) : countAtMost(starts, t) - countAtMost(ends, t),
  }));
  fig(
    'incidents.backlog',
    'Open backlog',
    `incidents${scoped} open at each instant (opened_at ≤ t, not yet resolved, closed or canceled), sampled at 00:00 UTC each ${period.to - period.from > 120 * 24 * HOUR ? 'week' : 'day'}; the last point and the records are what the period leaves open (opened before its end, not ended before it)`,
    mine
      .filter((i) => openAt(i, period.to))
      .sort(byOpened)
      .map(noteIncident),
  );

  // ---- toil candidates -------------------------------------------------------------------------------------
  const countBy = (key: (i: InsightIncident) => string): Map<string, InsightIncident[]> => {
    const m = new Map<string, InsightIncident[]>();
    for (const i of opened) {
      const k = key(i);
      if (!k) continue;
      const list = m.get(k) ?? [];
      list.push(i);
      m.set(k, list);
    }
    return m;
  };
  const topAlerts = [...countBy((i) => i.alertName)]
    .map(([alert, list]) => ({ alert, count: list.length, list }))
    .sort((a, b) => b.count - a.count || (a.alert < b.alert ? -1 : a.alert > b.alert ? 1 : 0))
    .slice(0, top);
  for (const a of topAlerts)
    fig(
      `topAlerts.${a.alert}`,
      `Alert ${a.alert}`,
      `incidents${scoped} opened in the period with u_alert_name = "${a.alert}"; ties ordered by name`,
      a.list.map(noteIncident),
    );
  const topCis = [...countBy((i) => i.ci)]
    .map(([ci, list]) => ({ ci, name: list[0]?.ciName || ci, count: list.length, list }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, top);
  for (const c of topCis)
    fig(
      `topCis.${c.ci}`,
      `CI ${c.name}`,
      `incidents${scoped} opened in the period on configuration item ${c.name} (cmdb_ci)`,
      c.list.map(noteIncident),
    );

  // ---- automation ------------------------------------------------------------------------------------------
  const mineNumbers = new Set(mine.map((i) => i.number));
  const filtered = Boolean(opts.group || opts.service);
  const remediation = input.jobs
    .filter((j) => inPeriod(j.created, period))
    .filter((j) => j.incidentNumber !== null || j.fromConsole)
    .filter((j) => !filtered || (j.incidentNumber !== null && mineNumbers.has(j.incidentNumber)))
    .sort((a, b) => a.created - b.created || a.id - b.id);
  const withJob = opened.filter((i) => remediation.some((j) => j.incidentNumber === i.number));
  const successful = remediation.filter((j) => j.status === 'successful');
  const JOBS_HOW = `AWX jobs created in the period that carry incident_number in their extra vars or that the console launched (its audit log)${filtered ? `, for incidents${scoped}` : ''}`;
  fig(
    'automation.incidentsWithJob',
    'Incidents with a remediation job',
    `incidents opened in the period${scoped} with at least one of those jobs (matched on the incident number)`,
    withJob.map(noteIncident),
  );
  fig('automation.rate', 'Automation rate', 'incidents with a remediation job ÷ incidents opened in the period', withJob.map(noteIncident));
  fig(
    'automation.jobs.launched',
    'Remediation jobs',
    JOBS_HOW,
    remediation.map((j) => noteJob(j, runbookOfJob(j, input.runbooks))),
  );
  fig(
    'automation.jobs.successful',
    'Successful remediation jobs',
    `${JOBS_HOW}, whose AWX status is "successful"`,
    successful.map((j) => noteJob(j, runbookOfJob(j, input.runbooks))),
  );
  const runbookRows = input.runbooks
    .map((rb) => {
      const jobs = remediation.filter((j) => runbookOfJob(j, input.runbooks) === rb);
      const ok = jobs.filter((j) => j.status === 'successful');
      const saved = rb.manualMinutes === null ? 0 : rb.manualMinutes * ok.length;
      fig(
        `automation.runbooks.${rb.id}`,
        `Runbook ${rb.title}`,
        `remediation jobs of AWX template "${rb.template ?? '—'}"; time saved = manualMinutes (${rb.manualMinutes ?? 'not given'}) × successful runs (${ok.length})`,
        jobs.map((j) => noteJob(j, rb)),
      );
      return {
        id: rb.id,
        title: rb.title,
        template: rb.template ?? '',
        launched: jobs.length,
        successful: ok.length,
        successRate: ratio(ok.length, jobs.length),
        manualMinutes: rb.manualMinutes,
        minutesSaved: saved,
      };
    })
    .filter((r) => r.template !== '')
    .sort((a, b) => b.launched - a.launched || a.title.localeCompare(b.title));
  const minutesSaved = runbookRows.reduce((s, r) => s + r.minutesSaved, 0);
  const savedJobs = successful.filter((j) => (runbookOfJob(j, input.runbooks)?.manualMinutes ?? null) !== null);
  fig(
    'automation.minutesSaved',
    'Time saved',
    "Σ over runbooks of the runbook's manualMinutes (front matter) × its successful remediation jobs in the period; jobs of runbooks without manualMinutes save nothing here",
    savedJobs.map((j) => noteJob(j, runbookOfJob(j, input.runbooks))),
  );
  const unmatched = successful.filter((j) => !runbookOfJob(j, input.runbooks)).length;
  if (unmatched > 0)
    warnings.push(`${unmatched} successful remediation job(s) ran a template no runbook names; they save no time in this report.`);

  // ---- change failure rate ---------------------------------------------------------------------------------
  const windowMs = windowHours * HOUR;
  const changes = input.changes
    .filter((c) => c.state === '3' && inPeriod(c.closedAt, period))
    .filter(
      (c) =>
        (!opts.group || c.group === opts.group) &&
        (!opts.service || c.service === opts.service || matchesService(opts.service, c.service, '')),
    )
    .sort((a, b) => (a.closedAt as number) - (b.closedAt as number) || a.number.localeCompare(b.number));
  const followed: { change: InsightChange; incident: InsightIncident }[] = [];
  const byCi = new Map<string, InsightIncident[]>();
  for (const i of all) {
    if (!i.ci) continue;
    const list = byCi.get(i.ci) ?? [];
    list.push(i);
    byCi.set(i.ci, list);
  }
  for (const c of changes) {
    const end = c.workEnd ?? (c.closedAt as number);
    const hit = c.ci ? (byCi.get(c.ci) ?? []).filter((i) => i.openedAt >= end && i.openedAt < end + windowMs).sort(byOpened)[0] : undefined;
    if (hit) followed.push({ change: c, incident: hit });
  }
  const noteChange = (c: InsightChange, hit?: InsightIncident): string => {
    const end = c.workEnd ?? (c.closedAt as number);
    records.set(c.number, {
      kind: 'change',
      ref: c.number,
      sysId: c.sysId,
      connectionId: snow,
      title: c.shortDescription,
      at: iso(c.closedAt as number),
      detail: [
        c.ciName || 'no CI',
        hit
          ? `followed by ${hit.number} ${Math.round((hit.openedAt - end) / MINUTE)} min after the work ended`
          : 'no incident on its CI within the window',
      ].join(' · '),
    });
    return c.number;
  };
  const hitOf = new Map(followed.map((f) => [f.change.number, f.incident]));
  fig(
    'changes.closed',
    'Closed changes',
    `change requests${scoped} in state Closed (3) whose closed_at is in the period; canceled changes are not counted`,
    changes.map((c) => noteChange(c, hitOf.get(c.number))),
  );
  const FOLLOWED_HOW = `closed changes after whose end (work_end, else closed_at) an incident on the same configuration item (cmdb_ci) was opened within ${windowHours} h; a change without a CI cannot be followed`;
  fig(
    'changes.followedByIncident',
    'Changes followed by an incident',
    FOLLOWED_HOW,
    followed.flatMap((f) => [noteChange(f.change, f.incident), noteIncident(f.incident)]),
  );
  fig(
    'changes.failureRate',
    'Change failure rate',
    `changes followed by an incident ÷ closed changes (${FOLLOWED_HOW})`,
    followed.map((f) => f.change.number),
  );

  // ---- SLOs ------------------------------------------------------------------------------------------------
  const serviceNames = new Set<string>();
  if (opts.service) {
    serviceNames.add(opts.service.toLowerCase());
    for (const i of all) if (i.service === opts.service && i.serviceName) serviceNames.add(i.serviceName.toLowerCase());
  }
  const slos = input.slos.filter((s) => !opts.service || serviceNames.has(s.service.toLowerCase()));
  for (const s of slos)
    fig(
      `slos.${s.name}.${s.month}`,
      `${s.name} ${s.month}`,
      `error budget consumed in ${s.month} (UTC): error ratio over the month${s.partial ? ' so far' : ''} (${s.errorRatio === null ? 'no data' : s.errorRatio.toFixed(6)}) ÷ (1 − target ${s.target}), from Prometheus`,
      [],
    );
  if (opts.group && slos.length > 0)
    warnings.push('SLOs belong to services, not assignment groups: the SLO table is not filtered by group.');

  return {
    from: dayText(period.from),
    to: dayText(period.to),
    generatedAt: iso(opts.generatedAt ?? Date.now()),
    filter: { group: opts.group ?? null, service: opts.service ?? null },
    incidents: {
      opened: total.opened,
      resolved: total.resolved,
      mttrMinutes: total.mttrMinutes,
      timeToAssignMinutes: total.timeToAssignMinutes,
      byPriority,
      byGroup,
      backlog,
    },
    topAlerts: topAlerts.map(({ alert, count }) => ({ alert, count })),
    topCis: topCis.map(({ ci, name, count }) => ({ ci, name, count })),
    automation: {
      incidentsWithJob: withJob.length,
      rate: ratio(withJob.length, opened.length),
      jobs: { launched: remediation.length, successful: successful.length, successRate: ratio(successful.length, remediation.length) },
      minutesSaved,
      runbooks: runbookRows,
    },
    changes: {
      closed: changes.length,
      followedByIncident: followed.length,
      failureRate: ratio(followed.length, changes.length),
      windowHours,
    },
    slos,
    figures,
    records: Object.fromEntries(records),
    sources: [],
    warnings,
  };
}

/** How many sorted values are < t, and ≤ t. */
function countBelow(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function countAtMost(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function byOpened(a: InsightIncident, b: InsightIncident): number {
  return a.openedAt - b.openedAt || a.number.localeCompare(b.number);
}
