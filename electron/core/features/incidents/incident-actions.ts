import type { ActionResult, IncidentRow } from '@shared/incidents/model';
import { ContractFailure } from '@shared/kernel/result';
import { EncodedQuery } from '@shared/incidents/encoded-query';
import { asFailure, withMoreWords } from '../../systems/servicenow/errors';
import { CONFLICT_FIELDS, QUEUE_FIELDS, describeField, mapQueueRow } from '../../systems/servicenow/mapping';
import type { IncidentService } from './incident-service';
import type { SnowContext } from '../../systems/servicenow/snow-context';
import { valueOf } from '../../systems/servicenow/values';
import type { RawRecord } from '../../systems/servicenow/values';
import { signNote } from '@shared/app/operator';
import { OperatorAmbiguous } from '../../systems/servicenow/snow-context';

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

/** What a check after a timed-out write found: the record as it is now, and the note's journal entry. */
interface Landed {
  record: RawRecord;
  journalId?: string;
  /** Said with the result: the answer never came, and how the change was confirmed. */
  note: string;
}

export class IncidentActions {
  constructor(private readonly svc: IncidentService) {}

  /** Assigns the ServiceNow user who is the operator (by user_name or email), never the API account. */
  async assignToMe(a: Target & Guard): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    const operator = this.svc.deps.operator();
    return this.write(ctx, a, async () => {
      let me;
      try {
        me = await ctx.userFor(operator);
      } catch (e) {
        if (e instanceof OperatorAmbiguous)
          throw new ContractFailure(
            'validation',
            `${e.message} on ${ctx.spec.name}, so "assign to me" will not guess. Set your operator name to one of their user names in Settings → General.`,
            { fields: [{ path: 'operator', message: 'several ServiceNow users match' }] },
          );
        throw e;
      }
      if (!me) {
        throw new ContractFailure(
          'not_configured',
          `No active ServiceNow user on ${ctx.spec.name} has the user name or e-mail "${operator}", so "assign to me" cannot name you. Set your operator name (your ServiceNow user name or e-mail) in Settings → General.`,
          { fields: [{ path: 'operator', message: 'no matching sys_user' }] },
        );
      }
      return { action: 'incidents.assign', body: { assigned_to: me.sys_id }, describe: (r) => `${r.number} assigned to ${me.name}` };
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
        action: 'incidents.assignment_group',
        body,
        describe: (r) =>
          `${r.number} moved to ${r.assignment_group.label || a.groupSysId}${assignee && !kept ? ' (assignee cleared: not in that group)' : ''}`,
      };
    });
  }

  async addWorkNote(a: Target & { text: string; seenModCount?: number | undefined }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    // Journal appends never overwrite anything, so they are not refused for a moved sys_mod_count.
    const text = signNote(a.text, this.svc.deps.operator());
    return this.write(ctx, { ...a, seenModCount: undefined }, async () => ({
      action: 'incidents.work_note',
      body: { work_notes: text },
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
        action: 'incidents.hold',
        body: {
          state: ON_HOLD,
          hold_reason: reason.value,
          ...(a.workNote?.trim() ? { work_notes: signNote(a.workNote, this.svc.deps.operator()) } : {}),
        },
        describe: (r) => `${r.number} put on hold (${reason.label})`,
      };
    });
  }

  async resolve(a: Target & Guard & { closeCode: string; closeNotes: string }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    return this.write(ctx, a, async () => ({
      // Sent as typed: ServiceNow's data policy decides, and its words are shown (research §5.1).
      action: 'incidents.resolve',
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

  /** Files this incident under another (same alert) as its parent, as ServiceNow's parent_incident field does. */
  async setParent(a: Target & Guard & { parentSysId: string }): Promise<ActionResult> {
    const ctx = this.svc.context(a.connectionId);
    if (a.parentSysId === a.sysId)
      throw new ContractFailure('validation', 'An incident cannot be its own parent.', {
        fields: [{ path: 'parentSysId', message: 'same incident' }],
      });
    return this.write(ctx, a, async () => {
      const parent = await ctx.api.read('incident', a.parentSysId, [
        'sys_id',
        'number',
        'active',
        'parent_incident',
        'u_alert_name',
        'u_alert_instance',
      ]);
      if (valueOf(parent.parent_incident) === a.sysId)
        throw new ContractFailure(
          'validation',
          `${valueOf(parent.number)} is already a child of this incident; make it the child instead, or pick another parent.`,
          { fields: [{ path: 'parentSysId', message: 'would make a loop' }] },
        );
      const number = valueOf(parent.number) || a.parentSysId;
      const alert = valueOf(parent.u_alert_name);
      const on = valueOf(parent.u_alert_instance);
      // ServiceNow records the API account as the writer; the note says which engineer filed it and why.
      const note = `Filed under ${number} as its parent${alert ? `: both carry alert ${alert}${on ? ` on ${on}` : ''}` : ''}.`;
      return {
        action: 'incidents.parent',
        body: { parent_incident: a.parentSysId, work_notes: signNote(note, this.svc.deps.operator()) },
        describe: (r) => `${r.number} filed under ${number} (same alert)`,
      };
    });
  }

  private async write(
    ctx: SnowContext,
    a: Target & Guard,
    prepare: (current: RawRecord | undefined) => Promise<WriteSpec>,
  ): Promise<ActionResult> {
    const spec = ctx.spec;
    const sync = this.svc.existingSync(spec.id);
    let record = sync?.row(a.sysId)?.number ?? `incident ${a.sysId}`;
    let action = 'incidents.update';
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
      let landed: Landed | undefined;
      const sentAt = Date.now();
      try {
        rec = await ctx.api.patch('incident', a.sysId, w.body, QUEUE_FIELDS);
      } catch (e) {
        const failure = asFailure(e, { spec, record });
        // No answer is not a refusal: the change may have landed. Look before saying anything else.
        if (failure.code === 'timeout') {
          landed = await this.checkLanded(ctx, a.sysId, w, failure, sentAt);
          rec = landed.record;
        } else {
          const hint = failure.code === 'forbidden' && w.hint ? await w.hint().catch(() => undefined) : undefined;
          throw hint ? withMoreWords(failure, hint) : failure;
        }
      }
      const row = mapQueueRow(rec, await ctx.labels());
      const remoteRef = landed?.journalId ?? (w.journal ? await this.journalRef(ctx, a.sysId).catch(() => a.sysId) : a.sysId);
      const message = landed ? `${w.describe(row)} — ${landed.note}` : w.describe(row);
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

  /**
   * After a write timed out: re-reads the incident (and, for a work note, its journal) to tell whether the
   * change landed. Returns the record when it did; otherwise throws a timeout that says the outcome was
   * unknown and what the check found, so the person retries knowingly (or looks first, if the check failed).
   */
  private async checkLanded(ctx: SnowContext, sysId: string, w: WriteSpec, failure: ContractFailure, sentAt: number): Promise<Landed> {
    const what = w.journal ? 'the note' : 'the change';
    const fields = Object.keys(w.body).filter((k) => k !== 'work_notes');
    let record: RawRecord;
    let journalId: string | undefined;
    let missing: string[] = [];
    try {
      record = await ctx.api.read('incident', sysId, [...new Set([...QUEUE_FIELDS, ...fields])]);
      missing = fields.filter((k) => valueOf(record[k]) !== w.body[k]);
      const note = w.body.work_notes;
      if (note !== undefined) {
        journalId = await this.findNote(ctx, sysId, note, sentAt);
        if (!journalId) missing.push('work note');
      }
    } catch (e) {
      const why = e instanceof ContractFailure ? e.message : String(e);
      throw new ContractFailure(
        'timeout',
        `${failure.message} The outcome is unknown: ${what} may have been saved, and checking failed too (${why}). Look at the incident before trying again.`,
        { ...failure.detail, retryable: false },
      );
    }
    const checkedAt = new Date().toISOString().slice(11, 19);
    if (missing.length > 0) {
      const where = w.journal ? 'it is not in the journal' : `it is not on the incident (${missing.join(', ')})`;
      throw new ContractFailure(
        'timeout',
        `${failure.message} The outcome was unknown — ${what} may have been saved — so the console checked at ${checkedAt} UTC: ${where}, so it was most likely not saved. Try again (if ServiceNow is only slow, look at the incident first).`,
        { ...failure.detail, retryable: true },
      );
    }
    const found = w.journal ? 'the note was then found in the journal' : 'the change was then found on the incident';
    return {
      record,
      ...(journalId ? { journalId } : {}),
      note: `${failure.message.replace(/\.$/, '')}; ${found} (checked at ${checkedAt} UTC).`,
    };
  }

  /** The sys_id of a work note with exactly this text, written on the incident since `sinceMs` (a minute's clock skew allowed). */
  private async findNote(ctx: SnowContext, sysId: string, text: string, sinceMs: number): Promise<string | undefined> {
    let q = EncodedQuery.where('element_id', '=', sysId).and('element', '=', 'work_notes');
    const user = ctx.userName();
    if (user) q = q.and('sys_created_by', '=', user);
    const page = await ctx.api.list({
      table: 'sys_journal_field',
      query: q.orderBy('sys_created_on', true).toString(),
      fields: ['sys_id', 'value', 'sys_created_on'],
      limit: 20,
    });
    const since = sinceMs - 60_000;
    const hit = page.rows.find((r) => {
      const at = Date.parse(`${valueOf(r.sys_created_on).replace(' ', 'T')}Z`);
      return valueOf(r.value).trim() === text.trim() && (Number.isNaN(at) || at >= since);
    });
    return hit ? valueOf(hit.sys_id) || undefined : undefined;
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
