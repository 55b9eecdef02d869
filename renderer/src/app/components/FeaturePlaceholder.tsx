import type { ReactNode } from 'react';
import type { ConnectionKind } from '@shared/connections/model';
import { useConnections } from '../api/app-queries';
import { QueryState } from '../components/QueryState';
import { EmptyState } from '../components/EmptyState';
import type { Icon } from '../components/icons';
import { PlugIcon } from '../components/icons';
import { hrefOf } from '../state/route';
import { KIND_LABELS } from '../format/labels';

export interface FeaturePlaceholderProps {
  title: string;
  icon: Icon;
  /** The system the view reads from; null when the view works without one. */
  needs: ConnectionKind | null;
  /** Honest wording about what is not built yet, e.g. "This view arrives with the SLO feature." */
  arrives: string;
  /** What the view will show, one sentence. */
  about: string;
  /** Extra words when the needed connection is missing (what still works without it). */
  withoutConnection?: string;
}

/** The empty state of a view whose feature is not built yet: first "connect X", then what is coming. */
export function FeaturePlaceholder(props: FeaturePlaceholderProps): ReactNode {
  const connections = useConnections();
  return (
    <section className="view" aria-labelledby="view-title">
      <h1 id="view-title" className="view-title">
        {props.title}
      </h1>
      <QueryState query={connections} errorTitle="Connections could not be read">
        {(list) => {
          const needs = props.needs;
          const matching = needs ? list.filter((c) => c.spec.kind === needs) : [];
          if (needs && matching.length === 0) {
            const article = needs === 'awx' ? 'an' : 'a';
            return (
              <EmptyState icon={PlugIcon} title={`No ${KIND_LABELS[needs]} connection yet`} testId="state-needs-connection">
                <p>
                  {props.about} It needs {article} {KIND_LABELS[needs]} connection — add one in{' '}
                  <a href={hrefOf('settings', 'connections', 'new', needs)} data-testid="add-connection-link">
                    Settings → Connections
                  </a>
                  .
                </p>
                {props.withoutConnection ? <p className="muted">{props.withoutConnection}</p> : null}
              </EmptyState>
            );
          }
          return (
            <EmptyState icon={props.icon} title={props.arrives} testId="state-not-built">
              <p>{props.about}</p>
              {matching.length > 0 ? (
                <p className="muted">
                  Connected: {matching.map((c) => `${c.spec.name}${c.spec.environment ? ` (${c.spec.environment})` : ''}`).join(', ')}.
                </p>
              ) : null}
            </EmptyState>
          );
        }}
      </QueryState>
    </section>
  );
}
