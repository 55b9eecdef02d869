import type { ActionResult, IncidentRow } from '@shared/incidents/model';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import { asFailure, withMoreWords } from '../../systems/servicenow/errors';
import { CONFLICT_FIELDS, QUEUE_FIELDS, describeField, mapQueueRow } from '../../systems/servicenow/mapping';
import type { IncidentService } from './incident-service';
import type { SnowContext } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';
import type { RawRecord } from '../../systems/servicenow/values';

// Writes to incidents. Each one: (1) unless it only appends to the journal, re-reads the record and refuses with
// `conflict` when its sys_mod_count moved since the user saw it, saying what changed (the Table API has no
// optimistic locking, research §5.2); (2) sends one PATCH, never retried; (3) appends the audit entry with the
// outcome and ServiceNow's reference BEFORE answering; (4) puts the answer into the live queue.
//
// State codes are the platform's stored values (3 On Hold, 6 Resolved — research §4.1); every label, hold
// reason and close code comes from the instance.

const ON_HOLD = '3';
const RESOLVED = '6';

interface Target {
  connectionId?: string | undefined;
  sysId: string;
}

interface Guard {
  seenModCount?: number | undefined;
  force?: boolean | undefined;
}

interface WriteSpec {
  action: string;
  body: Record<string, string>;
  /** What was done, for the answer and the audit log. */
  describe: (row: IncidentRow) => string;
  /** The journal entry's sys_id for work notes; the record's otherwise. */
  journal?: 'work_notes';
  /** Words added to a 403 data-policy answer (e.g. "this close code is not active here"). */
  hint?: () => Promise<string | undefined>;
}

export class IncidentActions {
  constructor(private readonly svc: IncidentService) {}

  async assignToMe(a: Target & Guard): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    return this.write(ctx, a, async () => {
      const { me } = await ctx.identity();
      if (!me) {
        throw new ContractFailure(
          'not_configured',
          `The user "${ctx.userName() ?? '(none)'}" of ${ctx.spec.name} was not found in sys_user, so "assign to me" cannot name you.`,
        );
      }
      return { action: 'incident.assign', body: { assigned_to: me.sys_id }, describe: (r) => `${r.number} assigned to ${me.name}` };
    });
  }

  async setAssignmentGroup(a: Target & Guard & { groupSysId: string }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    return this.write(ctx, a, async (current) => {
      const body: Record<string, string> = { assignment_group: a.groupSysId };
      // As the form does: the assignee stays only if they are a member of the new group.
      const assignee = current ? valueOf(current.assigned_to) : '';
      let kept = true;
      if (assignee) {
        const m = await ctx.api.list({
          table: 'sys_user_grmember',
          query: EncodedQuery.where('group', '=', a.groupSysId).and('user', '=', assignee).toString(),
          fields: ['sys_id'],
          limit: 1,
        });
        kept = m.rows.length > 0;
        if (!kept) body.assigned_to = '';
      }
      return {
        action: 'incident.assignment_group',
        body,
        describe: (r) =>
          `${r.number} moved to ${r.assignment_group.label || a.groupSysId}${assignee && !kept ? ' (assignee cleared: not in that group)' : ''}`,
      };
    });
  }

  async addWorkNote(a: Target & { text: string; seenModCount?: number | undefined }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    // Journal appends never overwrite anything, so they are not refused for a moved sys_mod_count.
    return this.write(ctx, { ...a, seenModCount: undefined }, async () => ({
      action: 'incident.work_note',
      body: { work_notes: a.text },
      journal: 'work_notes',
      describe: (r) => `work note added to ${r.number} (${a.text.length} characters)`,
    }));
  }

  async hold(a: Target & Guard & { holdReason: string; workNote?: string | undefined }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    return this.write(ctx, a, async () => {
      const reasons = (await ctx.choices()).options('incident', 'hold_reason');
      const reason = reasons.find((r) => r.value === a.holdReason);
      if (!reason) {
        throw new ContractFailure(
          'validation',
          `"${a.holdReason}" is not an active hold reason on ${ctx.spec.name}. Choose one of: ${reasons.map((r) => r.label).join(', ') || '(none readable from sys_choice)'}.`,
          { fields: [{ path: 'holdReason', message: 'not an active choice' }] },
        );
      }
      return {
        action: 'incident.hold',
        body: { state: ON_HOLD, hold_reason: reason.value, ...(a.workNote ? { work_notes: a.workNote } : {}) },
        describe: (r) => `${r.number} put on hold (${reason.label})`,
      };
    });
  }

  async resolve(a: Target & Guard & { closeCode: string; closeNotes: string }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    return this.write(ctx, a, async () => ({
      // Sent as typed: ServiceNow's data policy decides, and its words are shown (research §5.1).
      action: 'incident.resolve',
      body: { state: RESOLVED, close_code: a.closeCode, close_notes: a.closeNotes },
      describe: (r) => `${r.number} resolved (${a.closeCode})`,
      hint: async () => {
        if (a.closeCode === '') return undefined;
        const codes = await ctx.labels().then((t) => t.options('incident', 'close_code'));
        if (codes.length === 0 || codes.some((c) => c.value === a.closeCode)) return undefined;
        return `"${a.closeCode}" is not an active resolution code on this instance (ServiceNow then calls the field missing). Active codes: ${codes.map((c) => c.label).join(', ')}.`;
      },
    }));
  }

  private async write(
    ctx: SnowContext,
    a: Target & Guard,
    prepare: (current: RawRecord | undefined) => Promise<WriteSpec>,
  ): Promise<ActionResult> {
    const spec = ctx.spec;
    const sync = this.svc.existingSync(spec.id);
    let record = sync?.row(a.sysId)?.number ?? `incident ${a.sysId}`;
    let action = 'incident.update';
    try {
      let current: RawRecord | undefined;
      if (a.seenModCount !== undefined) {
        current = await ctx.api.read('incident', a.sysId, [...QUEUE_FIELDS, 'sys_updated_by']);
        record = valueOf(current.number) || record;
        const now = mapQueueRow(current, await ctx.labels());
        if (!a.force && now.sys_mod_count !== a.seenModCount)
          throw this.conflict(a, now, valueOf(current.sys_updated_by), sync?.versionAt(a.sysId, a.seenModCount));
      }
      const w = await prepare(current);
      action = w.action;
      let rec;
      try {
        rec = await ctx.api.patch('incident', a.sysId, w.body, QUEUE_FIELDS);
      } catch (e) {
        const failure = asFailure(e, { spec, record });
        const hint = failure.code === 'forbidden' && w.hint ? await w.hint().catch(() => undefined) : undefined;
        throw hint ? withMoreWords(failure, hint) : failure;
      }
      const row = mapQueueRow(rec, await ctx.labels());
      const remoteRef = w.journal ? await this.journalRef(ctx, a.sysId).catch(() => a.sysId) : a.sysId;
      const message = w.describe(row);
      let auditId: string;
      try {
        auditId = (
          await this.svc.deps.audit.append({
            action,
            target: `incident ${row.number || record}`,
            connectionId: spec.id,
            outcome: 'ok',
            remoteRef,
            message,
          })
        ).id;
      } catch (e) {
        throw new ContractFailure(
          'internal',
          `ServiceNow accepted the change (${message}), but the audit log could not be written: ${(e as Error).message}`,
          {
            connectionId: spec.id,
          },
        );
      }
      if (sync) {
        sync.ingest(row);
        // A write can take the incident out of the queue (resolved): a delta now says so.
        sync.refreshSoon();
      }
      return { row, auditId, remoteRef, message };
    } catch (e) {
      const failure = asFailure(e, { spec, record });
      if (failure.code !== 'internal' || !/audit log could not be written/.test(failure.message)) {
        await this.svc.deps.audit
          .append({
            action,
            target: `incident ${record}`,
            connectionId: spec.id,
            outcome: 'error',
            remoteRef: a.sysId,
            message: failure.message,
          })
          .catch(() => undefined);
      }
      throw failure;
    }
  }

  private conflict(a: Target & Guard, now: IncidentRow, updatedBy: string, seen: IncidentRow | undefined): ContractFailure {
    const changes = seen
      ? CONFLICT_FIELDS.filter(([f]) => describeField(seen[f]) !== describeField(now[f])).map(([f, words]) => ({
          path: String(f),
          message: `${words}: ${describeField(seen[f])} → ${describeField(now[f])}`,
        }))
      : [];
    const times = now.sys_mod_count - (a.seenModCount ?? 0);
    const what =
      changes.length > 0
        ? changes.map((c) => c.message).join('; ')
        : seen
          ? 'work notes or fields the queue does not show'
          : 'see the incident for what changed';
    return new ContractFailure(
      'conflict',
      `${now.number} changed since you opened it: ${times > 0 ? `${times} update${times === 1 ? '' : 's'}` : 'updated'}${updatedBy ? ` by ${updatedBy}` : ''} at ${now.sys_updated_on} UTC (${what}). Nothing was sent. Review it, then try again or overwrite.`,
      { fields: [{ path: 'sys_mod_count', message: `${a.seenModCount ?? '?'} → ${now.sys_mod_count}` }, ...changes] },
    );
  }

  /** The sys_id of the newest work note on the incident by this connection's user (what was just written). */
  private async journalRef(ctx: SnowContext, sysId: string): Promise<string> {
    let q = EncodedQuery.where('element_id', '=', sysId).and('element', '=', 'work_notes');
    const user = ctx.userName();
    if (user) q = q.and('sys_created_by', '=', user);
    const page = await ctx.api.list({
      table: 'sys_journal_field',
      query: q.orderBy('sys_created_on', true).toString(),
      fields: ['sys_id'],
      limit: 1,
    });
    return valueOf(page.rows[0]?.sys_id) || sysId;
  }
}
