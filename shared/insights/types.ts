import { z } from 'zod';

// What the insights computation reads (records already normalised by the core: UTC epoch ms, stored values)
// and the report it produces. The report's names follow `toc report --json`; fields were only ever added.

export interface InsightIncident {
  sysId: string;
  number: string;
  shortDescription: string;
  /** Stored priority value ("1" … "5"). */
  priority: string;
  /** assignment_group sys_id ("" when unassigned) and its name. */
  group: string;
  groupName: string;
  /** business_service sys_id and name. */
  service: string;
  serviceName: string;
  /** cmdb_ci sys_id and name. */
  ci: string;
  ciName: string;
  alertName: string;
  openedAt: number;
  resolvedAt: number | null;
  /** When it stopped being open: resolved_at, else closed_at, else (closed/canceled) sys_updated_on. */
  endedAt: number | null;
  /** First time someone was assigned (the "Assigned to Duration" metric); null when unknown or never. */
  assignedAt: number | null;
}

export interface InsightJob {
  connectionId: string;
  id: number;
  /** Job template name (AWX names the job after it). */
  name: string;
  status: string;
  created: number;
  finished: number | null;
  /** `incident_number` from the job's extra vars, or the incident the console launched it for. */
  incidentNumber: string | null;
  /** The console's audit log recorded launching it. */
  fromConsole: boolean;
}

export interface InsightChange {
  sysId: string;
  number: string;
  shortDescription: string;
  ci: string;
  ciName: string;
  service: string;
  /** assignment_group sys_id. */
  group: string;
  /** Stored state: "3" is Closed, "4" Canceled. */
  state: string;
  closedAt: number | null;
  /** Actual end of the work (work_end), else null. */
  workEnd: number | null;
}

export interface InsightRunbook {
  id: string;
  title: string;
  /** AWX job template the runbook launches (by name), and its connection (null: any AWX connection). */
  template: string | null;
  connection: string | null;
  /** Minutes the procedure takes by hand (front matter `manualMinutes:`); null when not given. */
  manualMinutes: number | null;
}

export const SloMonth = z.object({
  name: z.string(),
  service: z.string(),
  month: z.string(),
  target: z.number(),
  /** Error ratio over the month (or its elapsed part); null: no data. */
  errorRatio: z.number().nullable(),
  /** Share of the month's error budget the errors used (1 = all of it; above 1 = overspent). */
  budgetConsumed: z.number().nullable(),
  /** The month is not over yet: measured up to the report's end or now. */
  partial: z.boolean(),
  error: z.string().nullable(),
});
export type SloMonth = z.infer<typeof SloMonth>;

const Minutes = z.object({ median: z.number().nullable(), p90: z.number().nullable(), count: z.number().int() });

export const PriorityFigures = z.object({
  opened: z.number().int(),
  resolved: z.number().int(),
  mttrMinutes: Minutes,
  timeToAssignMinutes: Minutes,
});
export type PriorityFigures = z.infer<typeof PriorityFigures>;

export const GroupFigures = PriorityFigures.extend({ group: z.string(), name: z.string() });
export type GroupFigures = z.infer<typeof GroupFigures>;

export const Figure = z.object({
  label: z.string(),
  /** How the number was computed, in words a reader can check. */
  how: z.string(),
  /** The records behind it: incident and change numbers, AWX jobs as "<connection>#<id>". */
  records: z.array(z.string()),
});
export type Figure = z.infer<typeof Figure>;

export const RecordRef = z.object({
  kind: z.enum(['incident', 'job', 'change']),
  ref: z.string(),
  sysId: z.string(),
  connectionId: z.string(),
  title: z.string(),
  at: z.string(),
  detail: z.string(),
});
export type RecordRef = z.infer<typeof RecordRef>;

export const InsightsReport = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  filter: z.object({ group: z.string().nullable(), service: z.string().nullable() }),
  incidents: z.object({
    opened: z.number().int(),
    resolved: z.number().int(),
    mttrMinutes: Minutes,
    timeToAssignMinutes: Minutes,
    byPriority: z.record(z.string(), PriorityFigures),
    byGroup: z.array(GroupFigures),
    backlog: z.array(z.object({ at: z.string(), open: z.number().int() })),
  }),
  topAlerts: z.array(z.object({ alert: z.string(), count: z.number().int() })),
  topCis: z.array(z.object({ ci: z.string(), name: z.string(), count: z.number().int() })),
  automation: z.object({
    incidentsWithJob: z.number().int(),
    rate: z.number().nullable(),
    jobs: z.object({ launched: z.number().int(), successful: z.number().int(), successRate: z.number().nullable() }),
    minutesSaved: z.number(),
    runbooks: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        template: z.string(),
        launched: z.number().int(),
        successful: z.number().int(),
        successRate: z.number().nullable(),
        manualMinutes: z.number().nullable(),
        minutesSaved: z.number(),
      }),
    ),
  }),
  changes: z.object({
    closed: z.number().int(),
    followedByIncident: z.number().int(),
    failureRate: z.number().nullable(),
    windowHours: z.number(),
  }),
  slos: z.array(SloMonth),
  figures: z.record(z.string(), Figure),
  records: z.record(z.string(), RecordRef),
  /** Where each part came from (e.g. "ServiceNow Aggregate API", "Table API, 12 pages"). */
  sources: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type InsightsReport = z.infer<typeof InsightsReport>;

export interface InsightsInput {
  incidents: readonly InsightIncident[];
  jobs: readonly InsightJob[];
  changes: readonly InsightChange[];
  runbooks: readonly InsightRunbook[];
  slos: readonly SloMonth[];
}

export interface InsightsOptions {
  from: number;
  to: number;
  /** Only incidents of this assignment group (sys_id). */
  group?: string | undefined;
  /** Only incidents, changes and SLOs of this service (ServiceNow business service sys_id or name; SLO service name). */
  service?: string | undefined;
  /** A closed change counts as failed when an incident on its CI opens within this many hours of its end. */
  changeWindowHours?: number;
  /** Entries in topAlerts and topCis. */
  top?: number;
  generatedAt?: number;
  /** The ServiceNow and AWX connections the records came from (for links). */
  snowConnectionId?: string;
}
