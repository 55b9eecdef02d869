import type { ContextSubject, ServiceContext, ContextAlert } from '@shared/context/model';
import type { IncidentDetail, IncidentRow, ChangeRow } from '@shared/incidents/model';
import type { JobSummary, JobDetail } from '@shared/jobs/model';
import type { RunbookSuggestion } from '@shared/runbooks/model';
import type { SloStatusView, PromAlertView } from '@shared/slo/contract';
import type { AlertGroups } from '@shared/alerts/model';
import type { SloIndicator } from '@shared/slo/types';
import { consoleVarsOf } from '@shared/jobs/jobs';
import { addTo, alertIdentity, alertKey, alertRelated, emptySeeds, incidentMatch, maxKnown, sloRelated } from '@shared/context/relate';
import type { Seeds } from '@shared/context/relate';
import {
  alertsExpr,
  consoleRoute,
  grafanaDashboardUrl,
  prometheusGraphUrl,
  recordLink,
  safeHttpUrl,
  sloErrorRatioExpr,
} from '@shared/links/index';

/** An annotation link the console can follow: http(s), or a `toc://` link to its own runbook or SLO. */
const followable = (u: string | undefined): string | undefined => safeHttpUrl(u) ?? (consoleRoute(u) ? (u ?? '').trim() : undefined);

// The service context of an SLO, alert, incident, job or service: what is related across the systems. Each
// system is read through a typed port the core hands over (no lookups by method name), each part with its own
// deadline; a part that fails or is not configured adds a problem and leaves the rest intact.

export interface ContextPorts {
  slos?: {
    fleet(): Promise<{ statuses: SloStatusView[] }>;
    alerts(): Promise<{ alerts: PromAlertView[]; errors: { connectionId: string; message: string }[] }>;
    /** The SLO's indicator and the Prometheus it is read from (for the query link). */
    indicator(id: string): Promise<{ indicator: SloIndicator; connectionId: string | undefined } | undefined>;
  };
  alertmanager?: { groups(): Promise<AlertGroups[]> };
  incidents?: {
    connections(): { id: string; url: string }[];
    queue(connectionId: string): Promise<IncidentRow[]>;
    get(connectionId: string | undefined, sysId: string): Promise<IncidentDetail & { connectionId: string }>;
    changes(connectionId: string): Promise<ChangeRow[]>;
  };
  runbooks?: {
    suggest(input: { alertName?: string; alertInstance?: string; ci?: string; service?: string }): Promise<RunbookSuggestion[]>;
  };
  jobs?: {
    /** Recent jobs of the AWX connections that answered, and one problem (in AWX's words) per connection that did not. */
    recent(): Promise<{ jobs: JobSummary[]; problems: string[] }>;
    get(connectionId: string, jobId: number): Promise<JobDetail>;
  };
  grafanaUrl(): string | undefined;
  prometheusUrl(connectionId: string | undefined): string | undefined;
}

const PART_DEADLINE_MS = 8000;

async function part<T>(problems: string[], what: string, p: Promise<T>): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PART_DEADLINE_MS / 1000} s`)), PART_DEADLINE_MS);
      }),
    ]);
  } catch (e) {
    problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export class ServiceContextService {
  constructor(private readonly ports: ContextPorts) {}

  async of(subject: ContextSubject): Promise<ServiceContext> {
    const p = this.ports;
    const problems: string[] = [];
    const seeds = emptySeeds();
    let service: string | null = null;
    let alert: { name: string; instance: string } | null = null;
    let runbookInput: { alertName?: string; alertInstance?: string; ci?: string; service?: string } = {};
    let focusSlo: SloStatusView | undefined;

    const [fleet, promAlerts, amGroups] = await Promise.all([
      p.slos ? part(problems, 'SLOs', p.slos.fleet()) : undefined,
      p.slos ? part(problems, 'Prometheus alerts', p.slos.alerts()) : undefined,
      p.alertmanager ? part(problems, 'Alertmanager', p.alertmanager.groups()) : undefined,
    ]);
    const statuses = fleet?.statuses ?? [];
    for (const e of promAlerts?.errors ?? []) problems.push(`Prometheus alerts from ${e.connectionId}: ${e.message}`);

    // 1. The subject's own facts: service, SLO, alert, CI, incident.
    const seedIncident = (d: IncidentDetail): void => {
      addTo(seeds.incidentNumbers, d.number);
      if (d.u_alert_name) {
        seeds.alerts.add(alertKey(d.u_alert_name, d.u_alert_instance));
        alert = { name: d.u_alert_name, instance: d.u_alert_instance };
        // An SLO alert stores the SLO as its instance.
        const slo = statuses.find((s) => s.name === d.u_alert_instance || s.id === d.u_alert_instance);
        if (slo) {
          addTo(seeds.sloNames, slo.name);
          addTo(seeds.services, slo.service);
          service ??= slo.service;
        }
      }
      addTo(seeds.cis, d.cmdb_ci.label, d.cmdb_ci.value);
      if (d.business_service.label) {
        addTo(seeds.services, d.business_service.label);
        service ??= d.business_service.label;
      }
      runbookInput = {
        ...(d.u_alert_name ? { alertName: d.u_alert_name } : {}),
        ...(d.u_alert_instance ? { alertInstance: d.u_alert_instance } : {}),
        ...(d.cmdb_ci.label ? { ci: d.cmdb_ci.label } : {}),
        ...(d.business_service.label ? { service: d.business_service.label } : {}),
      };
    };

    let jobDetail: JobDetail | undefined;
    switch (subject.kind) {
      case 'slo': {
        focusSlo = statuses.find((s) => s.id === subject.id) ?? statuses.find((s) => s.name === subject.id);
        addTo(seeds.sloNames, subject.id, focusSlo?.name);
        if (focusSlo) {
          service = focusSlo.service;
          addTo(seeds.services, focusSlo.service);
          runbookInput = { service: focusSlo.service };
        } else if (fleet) problems.push(`No SLO "${subject.id}" in the fleet.`);
        break;
      }
      case 'service':
        service = subject.name;
        addTo(seeds.services, subject.name);
        runbookInput = { service: subject.name };
        break;
      case 'alert': {
        const instance = subject.instance ?? alertIdentity(subject.labels ?? {}).instance;
        alert = { name: subject.name, instance };
        seeds.alerts.add(alertKey(subject.name, instance));
        const labels = subject.labels ?? {};
        addTo(seeds.sloNames, labels.slo, labels.sloth_slo);
        addTo(seeds.services, labels.service);
        service = labels.service ?? null;
        runbookInput = {
          alertName: subject.name,
          ...(instance ? { alertInstance: instance } : {}),
          ...(labels.service ? { service: labels.service } : {}),
        };
        break;
      }
      case 'incident': {
        if (!p.incidents) problems.push('Incidents: no ServiceNow connection is configured.');
        const d = p.incidents ? await part(problems, 'Incident', p.incidents.get(subject.connectionId, subject.sysId)) : undefined;
        if (d) seedIncident(d);
        break;
      }
      case 'job': {
        jobDetail = p.jobs ? await part(problems, 'Job', p.jobs.get(subject.connectionId, subject.jobId)) : undefined;
        const number = jobDetail ? consoleVarsOf(jobDetail.extraVars).incidentNumber : undefined;
        if (number && p.incidents) {
          addTo(seeds.incidentNumbers, number);
          // The incident behind the job: found in a queue by its number, then read for its alert and CI.
          for (const c of p.incidents.connections()) {
            const rows = await part(problems, 'Incidents', p.incidents.queue(c.id));
            const row = rows?.find((r) => r.number === number);
            if (row) {
              const d = await part(problems, 'Incident', p.incidents.get(c.id, row.sys_id));
              if (d) seedIncident(d);
              break;
            }
          }
        }
        break;
      }
    }
    // The SLOs an alert names bring their services along (and the other way round).
    for (const s of statuses) if (seeds.sloNames.has(s.name.toLowerCase())) addTo(seeds.services, s.service);

    // 2. Related items.
    const slos = statuses
      .filter((s) => sloRelated(s, seeds))
      .map((s) => ({
        id: s.id,
        name: s.name,
        ...(s.displayName ? { displayName: s.displayName } : {}),
        service: s.service,
        errorBudgetRemaining: s.errorBudgetRemaining,
        burnRate: maxKnown(s.burnRates['1h'], s.burnRates['5m']),
        paging: s.alerts.some((a) => a.severity === 'page'),
      }))
      .sort((a, b) => (b.burnRate ?? -1) - (a.burnRate ?? -1));
    for (const s of slos) addTo(seeds.sloNames, s.name);

    const alerts: ContextAlert[] = [];
    for (const a of promAlerts?.alerts ?? []) {
      if (a.state !== 'firing') continue;
      const id = alertIdentity({ alertname: a.alertname, ...a.labels });
      const item: ContextAlert = {
        name: id.name,
        instance: id.instance,
        ...(a.severity ? { severity: a.severity } : {}),
        state: a.state,
        source: 'prometheus',
        connectionId: a.connectionId,
        labels: a.labels,
        ...(a.annotations.summary ? { summary: a.annotations.summary } : {}),
        ...(a.annotations.description ? { description: a.annotations.description } : {}),
        ...(followable(a.annotations.runbook_url) ? { runbookUrl: followable(a.annotations.runbook_url) } : {}),
        ...(followable(a.annotations.dashboard_url) ? { dashboardUrl: followable(a.annotations.dashboard_url) } : {}),
        ...(a.activeAt ? { startsAt: a.activeAt } : {}),
        ...(a.sloId ? { sloId: a.sloId } : {}),
      };
      if (alertRelated(item, seeds)) alerts.push(item);
    }
    for (const g of amGroups ?? []) {
      for (const group of g.groups) {
        for (const a of group.alerts) {
          const id = alertIdentity(a.labels);
          const item: ContextAlert = {
            name: id.name,
            instance: id.instance,
            ...(a.labels.severity ? { severity: a.labels.severity } : {}),
            state: a.state,
            source: 'alertmanager',
            connectionId: g.connectionId,
            labels: a.labels,
            ...(a.annotations.summary ? { summary: a.annotations.summary } : {}),
            ...(a.annotations.description ? { description: a.annotations.description } : {}),
            ...(followable(a.annotations.runbook_url) ? { runbookUrl: followable(a.annotations.runbook_url) } : {}),
            ...(followable(a.annotations.dashboard_url) ? { dashboardUrl: followable(a.annotations.dashboard_url) } : {}),
            startsAt: a.startsAt,
          };
          if (alertRelated(item, seeds)) alerts.push(item);
        }
      }
    }
    // The same alert seen by Prometheus and by Alertmanager is listed once (Alertmanager's: it has the routing).
    const seenAlerts = new Set(alerts.filter((a) => a.source === 'alertmanager').map((a) => alertKey(a.name, a.instance)));
    // Multiwindow burn-rate rules fire one alert per window pair: one line per alert and instance is enough.
    const once = new Set<string>();
    const uniqueAlerts = alerts.filter((a) => {
      if (a.source === 'prometheus' && seenAlerts.has(alertKey(a.name, a.instance))) return false;
      const k = `${a.source}\u0000${alertKey(a.name, a.instance)}`;
      if (once.has(k)) return false;
      once.add(k);
      return true;
    });
    if (!alert && uniqueAlerts[0]) alert = { name: uniqueAlerts[0].name, instance: uniqueAlerts[0].instance };
    for (const a of uniqueAlerts) seeds.alerts.add(alertKey(a.name, a.instance));
    if (!runbookInput.alertName && uniqueAlerts[0]) runbookInput = { ...runbookInput, alertName: uniqueAlerts[0].name };

    const conns = p.incidents?.connections() ?? [];
    const [queues, changes, runbooks, jobsRead] = await Promise.all([
      Promise.all(
        conns.map(async (c) => ({ c, rows: (await part(problems, 'Incidents', p.incidents?.queue(c.id) ?? Promise.resolve([]))) ?? [] })),
      ),
      Promise.all(
        conns.map(async (c) => ({ c, rows: (await part(problems, 'Changes', p.incidents?.changes(c.id) ?? Promise.resolve([]))) ?? [] })),
      ),
      p.runbooks && Object.keys(runbookInput).length ? part(problems, 'Runbooks', p.runbooks.suggest(runbookInput)) : undefined,
      p.jobs ? part(problems, 'Jobs', p.jobs.recent()) : undefined,
    ]);
    // A connection that did not answer is said, so its missing jobs never read as "none".
    for (const x of jobsRead?.problems ?? []) problems.push(`Jobs: ${x}`);
    const jobs = jobsRead?.jobs;

    const incidents = queues
      .flatMap(({ c, rows }) =>
        rows.map((r) => {
          const match = incidentMatch({ ...r, cmdb_ci: r.cmdb_ci.label || r.cmdb_ci.value }, seeds);
          return match
            ? {
                connectionId: c.id,
                sysId: r.sys_id,
                number: r.number,
                shortDescription: r.short_description,
                state: r.state.label || r.state.value,
                priority: r.priority.label || r.priority.value,
                alertName: r.u_alert_name,
                alertInstance: r.u_alert_instance,
                openedAt: r.opened_at,
                match,
                link: recordLink(c.url, 'incident', r.sys_id),
              }
            : undefined;
        }),
      )
      .filter((x): x is NonNullable<typeof x> => x !== undefined)
      .sort((a, b) => a.priority.localeCompare(b.priority) || a.openedAt.localeCompare(b.openedAt))
      .slice(0, 50);
    for (const i of incidents) addTo(seeds.incidentNumbers, i.number);

    const runbookTemplates = new Set((runbooks ?? []).map((r) => r.runbook.awx?.template).filter((t): t is string => Boolean(t)));
    const jobItems = (jobs ?? [])
      .filter(
        (j) =>
          (j.incidentNumber && seeds.incidentNumbers.has(j.incidentNumber.toLowerCase())) ||
          (subject.kind === 'job' && j.id === subject.jobId),
      )
      .concat((jobs ?? []).filter((j) => !j.incidentNumber && runbookTemplates.has(j.name)).slice(0, 3))
      .slice(0, 20)
      .map((j) => ({
        connectionId: j.connectionId,
        id: j.id,
        name: j.name,
        status: j.status,
        finished: j.finished,
        ...(j.incidentNumber ? { incidentNumber: j.incidentNumber } : {}),
        ...(j.operator ? { operator: j.operator } : {}),
        link: j.link,
      }));

    const ciSet = seeds.cis;
    const changeItems = changes.flatMap(({ c, rows }) =>
      rows
        .filter(
          (r) =>
            (r.cmdb_ci.label !== '' && ciSet.has(r.cmdb_ci.label.toLowerCase())) ||
            (service !== null && r.short_description.toLowerCase().includes(service.toLowerCase())),
        )
        .map((r) => ({
          connectionId: c.id,
          number: r.number,
          shortDescription: r.short_description,
          state: r.state.label || r.state.value,
          ci: r.cmdb_ci.label,
          link: r.link,
        })),
    );

    // 3. Links out: Grafana with the subject's labels, Prometheus with the query behind it.
    const links: ServiceContext['links'] = [];
    const grafana = p.grafanaUrl();
    const a0 = alert as { name: string; instance: string } | null;
    if (grafana && safeHttpUrl(grafana)) {
      const labels: Record<string, string> = {
        ...(service ? { service } : {}),
        ...(focusSlo ? { slo: focusSlo.name } : {}),
        ...(a0?.instance && subject.kind !== 'slo' ? { instance: a0.instance } : {}),
      };
      links.push({ label: 'Grafana dashboard', url: grafanaDashboardUrl(grafana, labels), kind: 'grafana' });
    }
    if (focusSlo && p.slos) {
      const ind = await part(problems, 'SLO query', p.slos.indicator(focusSlo.id));
      const base = p.prometheusUrl(ind?.connectionId ?? focusSlo.connectionId);
      if (ind && base) {
        const expr = sloErrorRatioExpr(ind.indicator);
        if (expr) links.push({ label: 'Error ratio in Prometheus', url: prometheusGraphUrl(base, expr), kind: 'prometheus' });
        links.push({
          label: 'Burn-rate alerts in Prometheus',
          url: prometheusGraphUrl(base, alertsExpr({ slo: focusSlo.name }), '2d'),
          kind: 'prometheus',
        });
      }
    } else if (a0) {
      const promAlert = uniqueAlerts.find((x) => x.source === 'prometheus');
      const base = p.prometheusUrl(promAlert?.connectionId);
      if (base) {
        const instLabel = promAlert?.labels.instance ? { instance: promAlert.labels.instance } : {};
        links.push({
          label: 'Alert in Prometheus',
          url: prometheusGraphUrl(base, alertsExpr({ alertname: a0.name, ...instLabel }), '2d'),
          kind: 'prometheus',
        });
      }
    }
    for (const a of uniqueAlerts) {
      // A console runbook or SLO named by an annotation is already in the lists above; other links are listed once.
      if (a.runbookUrl && !consoleRoute(a.runbookUrl) && !links.some((l) => l.url === a.runbookUrl))
        links.push({ label: `Runbook of ${a.name}`, url: a.runbookUrl, kind: 'runbook' });
      if (a.dashboardUrl && !consoleRoute(a.dashboardUrl) && !links.some((l) => l.url === a.dashboardUrl))
        links.push({ label: `Dashboard of ${a.name}`, url: a.dashboardUrl, kind: 'grafana' });
    }
    if (jobDetail) links.push({ label: `AWX job #${jobDetail.id}`, url: jobDetail.link, kind: 'awx' });

    return {
      service,
      alert: a0,
      slos,
      alerts: uniqueAlerts,
      incidents,
      runbooks: (runbooks ?? []).map((r) => ({
        id: r.runbook.id,
        title: r.runbook.title,
        reasons: r.reasons,
        production: r.runbook.production,
        launchable: Boolean(r.runbook.awx),
      })),
      jobs: jobItems,
      changes: changeItems,
      links,
      problems,
      fetchedAt: new Date().toISOString(),
    };
  }
}

export type { Seeds };
