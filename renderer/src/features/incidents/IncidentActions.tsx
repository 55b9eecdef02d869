import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { MethodInput } from '@shared/contract';
import type { ActionResult, IncidentDetail, QueueUser } from '@shared/incidents/model';
import { toContractError } from '../../app/api/client';
import type { ContractFailure } from '../../app/api/client';
import { useAction, useCall } from '../../app/api/hooks';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { StatusBadge } from '../../app/components/StatusBadge';
import { useQueueSession } from './queue-store';

// Actions on one incident. Nothing is shown as done until ServiceNow answered; a failure shows the instance's
// own words and leaves what was typed in place; "changed since you opened it" offers a reload or an explicit
// overwrite. Wall mode refuses these in main, whatever the UI shows.
// Over 400 lines because the five actions share one conflict flow (changed since opened: reload or overwrite) and its state.

type ActionName =
  'incidents.assignToMe' | 'incidents.setAssignmentGroup' | 'incidents.addWorkNote' | 'incidents.hold' | 'incidents.resolve';

export const WORK_NOTE_INPUT_ID = 'incident-work-note';

function Outcome<M extends ActionName>(props: {
  action: { error: ContractFailure | null; data: ActionResult | undefined; isPending: boolean; variables: MethodInput<M> | undefined };
  onRetryForced?: () => void;
  onReload: () => void;
  testId: string;
}): ReactNode {
  const { action } = props;
  if (action.isPending) return null;
  if (action.error) {
    const err = toContractError(action.error);
    const conflict = err.code === 'conflict';
    return (
      <div className="action-error" data-testid={`${props.testId}-error`} data-code={err.code}>
        <ErrorPanel
          error={err}
          title={
            conflict
              ? 'Changed in ServiceNow since you opened it — nothing was sent'
              : err.code === 'timeout'
                ? 'ServiceNow did not answer in time — see what the check found'
                : 'ServiceNow did not accept this'
          }
          testId={`${props.testId}-error-panel`}
        />
        {conflict ? (
          <div className="action-row">
            <button type="button" className="btn" onClick={props.onReload} data-testid={`${props.testId}-reload`}>
              Reload the incident
            </button>
            {props.onRetryForced ? (
              <button type="button" className="btn btn-danger" onClick={props.onRetryForced} data-testid={`${props.testId}-overwrite`}>
                Overwrite anyway
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    );
  }
  if (action.data) {
    return (
      <p className="action-done" role="status" data-testid={`${props.testId}-done`}>
        <StatusBadge tone="ok">ServiceNow confirmed</StatusBadge> {action.data.message}
      </p>
    );
  }
  return null;
}

/** This user's own write: the queue must not mark the incident as changed by someone else. */
const noteOwn = (r: ActionResult): void => useQueueSession.getState().noteOwnWrite(r.row.sys_id, r.row.sys_mod_count);

function useIncidentAction<M extends ActionName>(method: M, onDone?: () => void) {
  return useAction(method, {
    invalidates: ['incidents.get'],
    onSuccess: (r: ActionResult) => {
      noteOwn(r);
      onDone?.();
    },
  });
}

/** What the incident's state allows: ServiceNow's states 6 Resolved, 7 Closed, 8 Canceled end the work on it. */
export function allowedActions(state: string): { assign: boolean; group: boolean; hold: boolean; resolve: boolean; note: boolean } {
  const ended = state === '6' || state === '7' || state === '8';
  return { assign: !ended, group: !ended, hold: !ended && state !== '3', resolve: !ended, note: state !== '7' && state !== '8' };
}

export interface ActionsProps {
  connectionId: string;
  detail: IncidentDetail;
  me: QueueUser | null;
  /** Refetch the detail (after a conflict). */
  reload: () => void;
  /** Bumped by the view's "a" key. */
  assignRequest: number;
}

export function IncidentActions(p: ActionsProps): ReactNode {
  const d = p.detail;
  const base = { connectionId: p.connectionId, sysId: d.sys_id, seenModCount: d.sys_mod_count };
  const can = allowedActions(d.state.value);
  return (
    <div className="incident-actions" data-testid="incident-actions" data-state={d.state.value}>
      {can.assign ? <AssignToMe base={base} detail={d} me={p.me} reload={p.reload} assignRequest={p.assignRequest} /> : null}
      {can.note ? <WorkNote base={base} reload={p.reload} /> : null}
      {can.group ? <GroupForm base={base} detail={d} reload={p.reload} connectionId={p.connectionId} /> : null}
      {/* Mounted whatever the state, so the confirmation of the change that ended the work stays on screen. */}
      <HoldForm base={base} reload={p.reload} connectionId={p.connectionId} allowed={can.hold} />
      <ResolveForm base={base} reload={p.reload} connectionId={p.connectionId} allowed={can.resolve} />
      {!can.resolve ? (
        <p className="muted small" data-testid="incident-actions-ended">
          {d.state.label || 'This incident'} — no more changes from here{can.note ? ' except work notes' : ''}.
        </p>
      ) : null}
    </div>
  );
}

type Base = { connectionId: string; sysId: string; seenModCount: number };

function AssignToMe(p: { base: Base; detail: IncidentDetail; me: QueueUser | null; reload: () => void; assignRequest: number }): ReactNode {
  const action = useIncidentAction('incidents.assignToMe');
  const mine = p.me !== null && p.detail.assigned_to.value === p.me.sys_id;
  const handled = useRef(p.assignRequest);
  // The "a" shortcut: each press asks once.
  useEffect(() => {
    if (p.assignRequest === handled.current) return;
    handled.current = p.assignRequest;
    if (!mine && !action.isPending) action.mutate(p.base);
  }, [p.assignRequest, mine, action, p.base]);
  return (
    <section className="action-block" aria-label="Assignment">
      <div className="action-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={mine || action.isPending}
          onClick={() => action.mutate(p.base)}
          data-testid="action-assign-me"
        >
          {action.isPending ? 'Assigning…' : mine ? 'Assigned to you' : 'Assign to me'}
        </button>
        <kbd>a</kbd>
      </div>
      <Outcome
        action={action}
        onReload={p.reload}
        onRetryForced={() => action.mutate({ ...p.base, force: true })}
        testId="action-assign-me"
      />
    </section>
  );
}

function WorkNote(p: { base: Base; reload: () => void }): ReactNode {
  const [text, setText] = useState('');
  const action = useAction('incidents.addWorkNote', {
    invalidates: ['incidents.get'],
    // Cleared only when ServiceNow took it; on failure the text stays for another try.
    onSuccess: (r) => {
      noteOwn(r);
      setText('');
    },
  });
  const send = (): void => {
    if (text.trim() !== '')
      action.mutate({ connectionId: p.base.connectionId, sysId: p.base.sysId, text, seenModCount: p.base.seenModCount });
  };
  return (
    <section className="action-block" aria-label="Work note">
      <label htmlFor={WORK_NOTE_INPUT_ID} className="action-label">
        Work note <kbd>n</kbd>
      </label>
      <textarea
        id={WORK_NOTE_INPUT_ID}
        className="textarea"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          }
        }}
        data-testid="action-work-note-text"
      />
      <div className="action-row">
        <button
          type="button"
          className="btn"
          disabled={action.isPending || text.trim() === ''}
          onClick={send}
          data-testid="action-work-note-send"
        >
          {action.isPending ? 'Sending…' : 'Add work note'}
        </button>
        <span className="muted small">Ctrl/⌘ + Enter</span>
      </div>
      <Outcome action={action} onReload={p.reload} testId="action-work-note" />
    </section>
  );
}

function useChoices(connectionId: string) {
  return useCall('incidents.choices', { connectionId }, { staleTime: 600_000 });
}

function GroupForm(p: { base: Base; detail: IncidentDetail; reload: () => void; connectionId: string }): ReactNode {
  const [open, setOpen] = useState(false);
  const [group, setGroup] = useState('');
  const groups = useCall('incidents.groups', { connectionId: p.connectionId }, { enabled: open, staleTime: 600_000 });
  const action = useIncidentAction('incidents.setAssignmentGroup', () => {
    setOpen(false);
    setGroup('');
  });
  if (!open) {
    return (
      <>
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="action-group-open">
          Change assignment group…
        </button>
        <Outcome action={action} onReload={p.reload} testId="action-group" />
      </>
    );
  }
  return (
    <section className="action-block" aria-label="Assignment group">
      <label className="action-label" htmlFor="incident-group">
        Assignment group
      </label>
      {groups.error ? <ErrorPanel error={toContractError(groups.error)} title="Groups could not be read" /> : null}
      <div className="action-row">
        <select id="incident-group" value={group} onChange={(e) => setGroup(e.target.value)} data-testid="action-group-select">
          <option value="">{groups.isLoading ? 'Loading groups…' : '— choose a group —'}</option>
          {(groups.data ?? [])
            .filter((g) => g.value !== p.detail.assignment_group.value)
            .map((g) => (
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={group === '' || action.isPending}
          onClick={() => action.mutate({ ...p.base, groupSysId: group })}
          data-testid="action-group-send"
        >
          {action.isPending ? 'Moving…' : 'Move'}
        </button>
      </div>
      <Outcome
        action={action}
        onReload={p.reload}
        onRetryForced={() => action.mutate({ ...p.base, groupSysId: group, force: true })}
        testId="action-group"
      />
    </section>
  );
}

function HoldForm(p: { base: Base; reload: () => void; connectionId: string; allowed: boolean }): ReactNode {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const choices = useChoices(p.connectionId);
  const action = useIncidentAction('incidents.hold', () => {
    setOpen(false);
    setReason('');
    setNote('');
  });
  if (!open || !p.allowed) {
    return (
      <>
        {p.allowed ? (
          <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="action-hold-open">
            Put on hold…
          </button>
        ) : null}
        <Outcome action={action} onReload={p.reload} testId="action-hold" />
      </>
    );
  }
  const args = (force?: boolean): MethodInput<'incidents.hold'> => ({
    ...p.base,
    holdReason: reason,
    ...(note.trim() ? { workNote: note } : {}),
    ...(force ? { force } : {}),
  });
  return (
    <section className="action-block" aria-label="Put on hold">
      <label className="action-label" htmlFor="incident-hold-reason">
        On hold reason
      </label>
      {choices.error ? <ErrorPanel error={toContractError(choices.error)} title="Hold reasons could not be read from ServiceNow" /> : null}
      <select id="incident-hold-reason" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="action-hold-reason">
        <option value="">— choose a reason —</option>
        {(choices.data?.hold_reason ?? []).map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <textarea
        className="textarea"
        rows={2}
        placeholder="Work note (optional)"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        data-testid="action-hold-note"
        aria-label="Work note for the hold"
      />
      <div className="action-row">
        <button
          type="button"
          className="btn"
          disabled={reason === '' || action.isPending}
          onClick={() => action.mutate(args())}
          data-testid="action-hold-send"
        >
          {action.isPending ? 'Sending…' : 'Put on hold'}
        </button>
      </div>
      <Outcome action={action} onReload={p.reload} onRetryForced={() => action.mutate(args(true))} testId="action-hold" />
    </section>
  );
}

function ResolveForm(p: { base: Base; reload: () => void; connectionId: string; allowed: boolean }): ReactNode {
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const [tried, setTried] = useState(false);
  const choices = useChoices(p.connectionId);
  const action = useIncidentAction('incidents.resolve', () => {
    setOpen(false);
    setCode('');
    setNotes('');
    setTried(false);
  });
  if (!open || !p.allowed) {
    return (
      <>
        {p.allowed ? (
          <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="action-resolve-open">
            Resolve…
          </button>
        ) : null}
        <Outcome action={action} onReload={p.reload} testId="action-resolve" />
      </>
    );
  }
  // ServiceNow's resolve data policy makes both mandatory: checked here so nothing incomplete is sent (an
  // inactive code still reaches ServiceNow, whose own words then say why).
  const missing = [code === '' ? 'a resolution code' : '', notes.trim() === '' ? 'resolution notes' : ''].filter(Boolean);
  const send = (): void => {
    setTried(true);
    if (missing.length === 0) action.mutate(args());
  };
  const args = (force?: boolean): MethodInput<'incidents.resolve'> => ({
    ...p.base,
    closeCode: code,
    closeNotes: notes,
    ...(force ? { force } : {}),
  });
  return (
    <section className="action-block" aria-label="Resolve">
      <label className="action-label" htmlFor="incident-close-code">
        Resolution code
      </label>
      {choices.error ? (
        <ErrorPanel error={toContractError(choices.error)} title="Resolution codes could not be read from ServiceNow" />
      ) : null}
      <select
        id="incident-close-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        aria-invalid={tried && code === ''}
        data-testid="action-resolve-code"
      >
        <option value="">— choose a resolution code —</option>
        {(choices.data?.close_code ?? []).map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <label className="action-label" htmlFor="incident-close-notes">
        Resolution notes
      </label>
      <textarea
        id="incident-close-notes"
        className="textarea"
        rows={3}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        aria-invalid={tried && notes.trim() === ''}
        data-testid="action-resolve-notes"
      />
      <div className="action-row">
        <button type="button" className="btn btn-primary" disabled={action.isPending} onClick={send} data-testid="action-resolve-send">
          {action.isPending ? 'Resolving…' : 'Resolve'}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)} data-testid="action-resolve-cancel">
          Cancel
        </button>
        {tried && missing.length > 0 ? (
          <span className="field-error" role="alert" data-testid="action-resolve-missing">
            ServiceNow requires {missing.join(' and ')} to resolve; nothing was sent.
          </span>
        ) : null}
      </div>
      <Outcome action={action} onReload={p.reload} onRetryForced={() => action.mutate(args(true))} testId="action-resolve" />
    </section>
  );
}
