import type { MadeParent, ParentChildOutcome } from '@shared/incidents/model';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import { asFailure } from '../../systems/servicenow/errors';
import { valueOf } from '../../systems/servicenow/values';
import type { IncidentActions } from './incident-actions';
import type { IncidentService } from './incident-service';

// "Make parent" for a group of open incidents that carry the same alert: each other incident is filed under the
// chosen one (parent_incident), one PATCH per child through the same guarded write as a single "set parent" —
// conflict check against what the person saw, a work note signed by the operator, an audit entry per child.
// Children go one at a time and a refusal does not stop the rest: the answer says which were filed, which were
// already under that parent (nothing sent, so running it twice changes nothing), and which failed, in
// ServiceNow's words. Runs for the same queue wait for each other, so a double click cannot race itself into
// conflicts.

/** Resolved, Closed, Canceled (the platform's stored values). */
const DONE_STATES = new Set(['6', '7', '8']);

export interface MakeParentInput {
  connectionId?: string | undefined;
  parentSysId: string;
  children: { sysId: string; seenModCount: number }[];
}

export class IncidentParenting {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly svc: IncidentService,
    private readonly actions: IncidentActions,
  ) {}

  makeParent(a: MakeParentInput): Promise<MadeParent> {
    const ctx = this.svc.context(a.connectionId);
    const key = ctx.spec.id;
    const before = this.inFlight.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(() => this.run(a));
    this.inFlight.set(key, run);
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.inFlight.get(key) === run) this.inFlight.delete(key);
      });
    return run;
  }

  private async run(a: MakeParentInput): Promise<MadeParent> {
    const ctx = this.svc.context(a.connectionId);
    const seen = new Set<string>();
    const children = a.children.filter((c) => !seen.has(c.sysId) && seen.add(c.sysId));
    if (children.some((c) => c.sysId === a.parentSysId))
      throw new ContractFailure('validation', 'The parent is also listed as one of its children; nothing was sent.', {
        fields: [{ path: 'children', message: 'contains the parent' }],
      });
    let parentNumber: string;
    let current: Map<string, { number: string; parent: string }>;
    try {
      const parent = await ctx.api.read('incident', a.parentSysId, ['sys_id', 'number', 'active', 'state']);
      parentNumber = valueOf(parent.number) || a.parentSysId;
      // Resolved incidents stay active until closed: the state says whether it is still being worked.
      if (valueOf(parent.active) === 'false' || DONE_STATES.has(valueOf(parent.state)))
        throw new ContractFailure(
          'validation',
          `${parentNumber} is no longer open; nothing was sent. Pick an open incident of the group as the parent.`,
          { fields: [{ path: 'parentSysId', message: 'not active' }] },
        );
      // Where each child is filed now, in one read: those already under this parent need no write.
      const page = await ctx.api.list({
        table: 'incident',
        query: EncodedQuery.where(
          'sys_id',
          'IN',
          children.map((c) => c.sysId),
        ).toString(),
        fields: ['sys_id', 'number', 'parent_incident'],
        limit: children.length,
      });
      current = new Map(page.rows.map((r) => [valueOf(r.sys_id), { number: valueOf(r.number), parent: valueOf(r.parent_incident) }]));
    } catch (e) {
      throw asFailure(e, { spec: ctx.spec, record: `incident ${a.parentSysId}` });
    }

    const outcomes: ParentChildOutcome[] = [];
    for (const c of children) {
      const now = current.get(c.sysId);
      const number = now?.number || this.svc.existingSync(ctx.spec.id)?.row(c.sysId)?.number || c.sysId;
      if (now && now.parent === a.parentSysId) {
        outcomes.push({ sysId: c.sysId, number, outcome: 'already', message: `${number} is already filed under ${parentNumber}` });
        continue;
      }
      try {
        const r = await this.actions.setParent({
          connectionId: a.connectionId,
          sysId: c.sysId,
          parentSysId: a.parentSysId,
          seenModCount: c.seenModCount,
        });
        outcomes.push({
          sysId: c.sysId,
          number: r.row.number || number,
          outcome: 'filed',
          message: r.message,
          auditId: r.auditId,
          row: r.row,
        });
      } catch (e) {
        const f = asFailure(e, { spec: ctx.spec, record: number });
        const detail = {
          ...(f.detail?.status !== undefined ? { status: f.detail.status } : {}),
          ...(f.detail?.remoteMessage !== undefined ? { remoteMessage: f.detail.remoteMessage } : {}),
        };
        outcomes.push({
          sysId: c.sysId,
          number,
          outcome: 'failed',
          message: `${number}: ${f.message}`,
          error: { code: f.code, message: f.message, ...(Object.keys(detail).length ? { detail } : {}) },
        });
      }
    }
    return { parent: { sysId: a.parentSysId, number: parentNumber }, children: outcomes, message: summary(parentNumber, outcomes) };
  }
}

/** "3 filed under INC1, 1 already under it; 1 not filed: INC5" — counts first, then the numbers that need a look. */
export function summary(parent: string, outcomes: readonly ParentChildOutcome[]): string {
  const count = (o: ParentChildOutcome['outcome']): number => outcomes.filter((x) => x.outcome === o).length;
  const filed = count('filed');
  const already = count('already');
  const failed = outcomes.filter((x) => x.outcome === 'failed').map((x) => x.number);
  const parts = [
    `${filed} filed under ${parent}`,
    ...(already > 0 ? [`${already} already under it`] : []),
    ...(failed.length > 0 ? [`${failed.length} not filed: ${failed.join(', ')}`] : []),
  ];
  return parts.join('; ');
}
