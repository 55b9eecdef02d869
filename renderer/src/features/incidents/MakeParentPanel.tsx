import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { MadeParent } from '@shared/incidents/model';
import { useAppInfo } from '../../app/api/app-queries';
import { toContractError } from '../../app/api/client';
import { useAction } from '../../app/api/hooks';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { StatusBadge } from '../../app/components/StatusBadge';
import { childrenFor } from './queue-groups';
import type { AlertGroup } from './queue-groups';
import { localTime } from './queue-model';
import { useQueueSession } from './queue-store';

// "Make parent" for a group of incidents carrying the same alert: pick the parent (the current one, else the
// oldest), see what will be sent, confirm. The answer is shown here, next to the button: which children were
// filed, which already were, and which ServiceNow refused, in its words — and the refused ones can be tried
// again (the core sends nothing for those already filed).

export function MakeParentPanel(props: {
  connectionId: string;
  group: AlertGroup;
  /** The incident to propose as parent (the highlighted one), else the current parent, else the oldest. */
  proposed: string | null;
  onClose: () => void;
}): ReactNode {
  const g = props.group;
  const operator = useAppInfo().data?.operator.name ?? null;
  const initial =
    (props.proposed && g.rows.some((r) => r.sys_id === props.proposed) ? props.proposed : null) ?? g.parentSysId ?? g.rows[0]?.sys_id ?? '';
  const [parent, setParent] = useState(initial);
  const [result, setResult] = useState<MadeParent | null>(null);
  const action = useAction('incidents.makeParent', {
    invalidates: ['incidents.get'],
    onSuccess: (r) => {
      // These are this user's own writes: the queue must not mark them as changed by someone else.
      for (const c of r.children) if (c.row) useQueueSession.getState().noteOwnWrite(c.row.sys_id, c.row.sys_mod_count);
      setResult(r);
    },
  });
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => {
    panelRef.current?.querySelector<HTMLInputElement>('input[type=radio]:checked')?.focus();
  }, []);

  const parentRow = g.rows.find((r) => r.sys_id === parent);
  const children = childrenFor(g, parent);
  const alreadyFiled = g.rows.filter((r) => r.sys_id !== parent && r.parent_incident === parent).length;
  const failed = result?.children.filter((c) => c.outcome === 'failed') ?? [];
  const send = (): void => {
    setResult(null);
    action.mutate({ connectionId: props.connectionId, parentSysId: parent, children });
  };

  return (
    <section
      ref={panelRef}
      className="panel make-parent"
      role="dialog"
      aria-labelledby="make-parent-title"
      data-testid="make-parent"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <h3 id="make-parent-title">
        Make one incident the parent — alert {g.alertName}
        {g.instance ? ` on ${g.instance}` : ''}
      </h3>
      <fieldset className="make-parent-choices" disabled={action.isPending}>
        <legend className="muted small">Parent ({g.rows.length} open incidents carry this alert; oldest first)</legend>
        {g.rows.map((r) => (
          <label key={r.sys_id} className="make-parent-choice">
            <input
              type="radio"
              name="make-parent"
              value={r.sys_id}
              checked={parent === r.sys_id}
              onChange={() => setParent(r.sys_id)}
              data-testid="make-parent-choice"
              data-number={r.number}
            />
            <strong>{r.number}</strong> <span className="muted small">opened {localTime(r.opened_at)}</span> {r.short_description}
            {g.parentSysId === r.sys_id ? <span className="muted small"> · current parent</span> : null}
          </label>
        ))}
      </fieldset>
      <p className="small" data-testid="make-parent-plan">
        Files {children.length === 1 ? 'the other incident' : `the other ${children.length}`} under{' '}
        <strong>{parentRow?.number ?? '—'}</strong> in ServiceNow (the Parent incident field), each with a work note signed “—{' '}
        {operator ?? 'you'} via TOC Console”, and records each in the activity log.
        {alreadyFiled > 0 ? ` ${alreadyFiled} already filed under it are left as they are.` : ''}
      </p>
      <div className="action-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={action.isPending || children.length === 0 || !parentRow}
          onClick={send}
          data-testid="make-parent-confirm"
        >
          {action.isPending
            ? 'Filing…'
            : failed.length > 0
              ? `Try again (${failed.length} not filed)`
              : `File ${children.length} under ${parentRow?.number ?? '—'}`}
        </button>
        <button type="button" className="btn" onClick={props.onClose} data-testid="make-parent-close">
          {result ? 'Close' : 'Cancel'}
        </button>
      </div>
      {action.error ? (
        <div className="action-error" data-testid="make-parent-error" data-code={toContractError(action.error).code}>
          <ErrorPanel error={toContractError(action.error)} title="ServiceNow did not accept this — nothing was filed" />
        </div>
      ) : null}
      {result ? (
        <div role="status" data-testid="make-parent-result" data-failed={failed.length}>
          <p className="action-done">
            <StatusBadge tone={failed.length > 0 ? 'warn' : 'ok'}>{failed.length > 0 ? 'Partly done' : 'ServiceNow confirmed'}</StatusBadge>{' '}
            {result.message}
          </p>
          {failed.length > 0 ? (
            <ul className="make-parent-failures" data-testid="make-parent-failures">
              {failed.map((c) => (
                <li key={c.sysId} data-testid="make-parent-failure" data-number={c.number} data-code={c.error?.code ?? ''}>
                  {c.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
