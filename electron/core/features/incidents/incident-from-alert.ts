import type { IncidentRow } from '@shared/incidents/model';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import { incidentFields } from '@shared/incidents/alert-incident';
import type { AlertForIncident } from '@shared/incidents/alert-incident';
import { recordLink } from '@shared/incidents/queue';
import { asFailure } from '../../systems/servicenow/errors';
import { QUEUE_FIELDS, mapQueueRow } from '../../systems/servicenow/mapping';
import type { IncidentService } from './incident-service';
import type { SnowContext } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';

// "Open an incident" from an alert or a burning SLO, as a TOC's alert-to-incident webhook does it: look for an
// open incident with the same u_alert_name and u_alert_instance first and link that one; only when there is
// none, insert one (a single POST, never retried). Calls for the same alert in this console wait for each other,
// so a double click or two views asking at once cannot make two incidents. Audited either way.

export interface FromAlertConfig {
  assignmentGroup?: string | undefined;
  category?: string | undefined;
  priorities?: Readonly<Record<string, string>> | undefined;
}

export interface OpenedFromAlert {
  outcome: 'linked' | 'created';
  incident: IncidentRow;
  link: string;
  /** Other open incidents carrying the same alert (duplicates made elsewhere), oldest first. */
  others: IncidentRow[];
  auditId: string;
  message: string;
}

const OPEN = 'active=true^stateNOT IN6,7,8';
const SYS_ID = /^[0-9a-f]{32}$/;

export class IncidentFromAlert {
  private readonly inFlight = new Map<string, Promise<OpenedFromAlert>>();

  constructor(
    private readonly svc: IncidentService,
    private readonly config: () => FromAlertConfig,
  ) {}

  open(a: { connectionId?: string | undefined; alert: AlertForIncident }): Promise<OpenedFromAlert> {
    const ctx = this.svc.context(a.connectionId);
    const key = `${ctx.spec.id}\u0000${a.alert.name}\u0000${a.alert.instance}`;
    const before = this.inFlight.get(key) ?? Promise.resolve(undefined);
    // Chained, not shared: the second caller runs its own lookup after the first finished, and finds its incident.
    const run = before.catch(() => undefined).then(() => this.openOnce(ctx, a.alert));
    this.inFlight.set(key, run);
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.inFlight.get(key) === run) this.inFlight.delete(key);
      });
    return run;
  }

  /** Open incidents carrying this alert, oldest first. */
  async carrying(ctx: SnowContext, name: string, instance: string): Promise<IncidentRow[]> {
    const q = EncodedQuery.where('u_alert_name', '=', name).and('u_alert_instance', '=', instance).orderBy('opened_at').orderBy('sys_id');
    const [labels, page] = await Promise.all([
      ctx.labels(),
      ctx.api.list({ table: 'incident', query: `${OPEN}^${q.toString()}`, fields: QUEUE_FIELDS, limit: 50 }),
    ]);
    return page.rows.map((r) => mapQueueRow(r, labels));
  }

  private async openOnce(ctx: SnowContext, alert: AlertForIncident): Promise<OpenedFromAlert> {
    const spec = ctx.spec;
    const target = `incident for alert ${alert.name}${alert.instance ? ` on ${alert.instance}` : ''}`;
    const audit = this.svc.deps.audit;
    try {
      const existing = await this.carrying(ctx, alert.name, alert.instance);
      const first = existing[0];
      if (first) {
        const message = `${first.number} already carries alert ${alert.name}${alert.instance ? ` on ${alert.instance}` : ''}: linked, no new incident${existing.length > 1 ? ` (${existing.length - 1} more open with the same alert)` : ''}`;
        const entry = await audit.append({
          action: 'incidents.from_alert',
          target: `incident ${first.number}`,
          connectionId: spec.id,
          outcome: 'ok',
          remoteRef: first.sys_id,
          message,
        });
        return {
          outcome: 'linked',
          incident: first,
          link: recordLink(spec.url, 'incident', first.sys_id),
          others: existing.slice(1),
          auditId: entry.id,
          message,
        };
      }
      const cfg = this.config();
      const body = incidentFields(alert, { priorities: cfg.priorities ?? {}, operator: this.svc.deps.operator() });
      if (cfg.assignmentGroup) body.assignment_group = await this.groupId(ctx, cfg.assignmentGroup);
      if (cfg.category) body.category = cfg.category;
      const rec = await ctx.api.create('incident', body, QUEUE_FIELDS);
      const row = mapQueueRow(rec, await ctx.labels());
      const sysId = row.sys_id || valueOf(rec.sys_id);
      const message = `${row.number} opened for alert ${alert.name}${alert.instance ? ` on ${alert.instance}` : ''} (priority ${row.priority.label || row.priority.value})`;
      let auditId: string;
      try {
        auditId = (
          await audit.append({
            action: 'incidents.from_alert',
            target: `incident ${row.number}`,
            connectionId: spec.id,
            outcome: 'ok',
            remoteRef: sysId,
            message,
          })
        ).id;
      } catch (e) {
        throw new ContractFailure(
          'internal',
          `ServiceNow created ${row.number}, but the audit log could not be written: ${(e as Error).message}`,
          {
            connectionId: spec.id,
          },
        );
      }
      const sync = this.svc.existingSync(spec.id);
      if (sync) {
        sync.ingest(row);
        sync.refreshSoon();
      }
      return { outcome: 'created', incident: row, link: recordLink(spec.url, 'incident', sysId), others: [], auditId, message };
    } catch (e) {
      const failure = asFailure(e, { spec });
      if (!/audit log could not be written/.test(failure.message))
        await audit
          .append({ action: 'incidents.from_alert', target, connectionId: spec.id, outcome: 'error', message: failure.message })
          .catch(() => undefined);
      throw failure;
    }
  }

  /** The workspace names the group by name (as people do) or sys_id; an unknown name is refused, not dropped. */
  private async groupId(ctx: SnowContext, group: string): Promise<string> {
    if (SYS_ID.test(group)) return group;
    const groups = await ctx.groups();
    const hit = groups.find((g) => g.label === group) ?? groups.find((g) => g.label.toLowerCase() === group.toLowerCase());
    if (!hit)
      throw new ContractFailure(
        'config',
        `The workspace's incidents.assignmentGroup "${group}" is not an active group on ${ctx.spec.name}; nothing was created. Fix the name in the workspace file.`,
        { fields: [{ path: 'incidents.assignmentGroup', message: 'no such active group' }] },
      );
    return hit.value;
  }
}
