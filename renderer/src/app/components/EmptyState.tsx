import type { ReactNode } from 'react';
import type { Icon } from './icons';
import { InfoIcon } from './icons';

export function EmptyState(props: { title: string; children?: ReactNode; icon?: Icon; testId?: string }): ReactNode {
  const I = props.icon ?? InfoIcon;
  return (
    <div className="empty-state" data-testid={props.testId ?? 'state-empty'}>
      <I className="icon empty-icon" />
      <h2>{props.title}</h2>
      {props.children ? <div className="empty-body">{props.children}</div> : null}
    </div>
  );
}
