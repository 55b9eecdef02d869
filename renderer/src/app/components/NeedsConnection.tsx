import type { ReactNode } from 'react';
import type { ConnectionKind } from '@shared/connections/model';
import { KIND_LABELS } from '../format/labels';
import { hrefOf } from '../state/route';
import { EmptyState } from './EmptyState';
import { PlugIcon } from './icons';

/**
 * The state of a view whose system is not connected yet: what the view reads from, and the one link that adds
 * that kind of connection (the form opens with the kind chosen).
 */
export function NeedsConnection(props: { kind: ConnectionKind; reads: ReactNode; then?: ReactNode }): ReactNode {
  return (
    <EmptyState icon={PlugIcon} title={`No ${KIND_LABELS[props.kind]} connection yet`} testId="state-needs-connection">
      <p>
        {props.reads} — add one in{' '}
        <a href={hrefOf('settings', 'connections', 'new', props.kind)} data-testid="add-connection-link">
          Settings → Connections
        </a>
        {props.then ?? null}.
      </p>
    </EmptyState>
  );
}
