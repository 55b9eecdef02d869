import { useState } from 'react';
import type { ReactNode } from 'react';
import { CONNECTION_KINDS } from '@shared/connections/model';
import type { ConnectionKind, ConnectionView } from '@shared/connections/model';
import { useConnections, useHealth } from '../../app/api/app-queries';
import { QueryState } from '../../app/components/QueryState';
import { EmptyState } from '../../app/components/EmptyState';
import { PlugIcon, PlusIcon } from '../../app/components/icons';
import { hrefOf, navigate } from '../../app/state/route';
import { ConnectionList } from './ConnectionList';
import { ConnectionForm } from './ConnectionForm';
import { ConnectionDetails } from './ConnectionDetails';
import { TestConnection } from './TestConnection';

const isKind = (s: string | undefined): s is ConnectionKind => s !== undefined && (CONNECTION_KINDS as readonly string[]).includes(s);

/**
 * Settings → Connections. Sub-routes: (none) the list; `new[/kind]` the add form; `<id>` the edit form, or the
 * read-only details of a provisioned connection.
 */
export default function ConnectionsScreen(props: { path: string[] }): ReactNode {
  const connections = useConnections();
  const health = useHealth();
  const [flash, setFlash] = useState<string | null>(null);
  const [target, kindArg] = props.path;

  const onSaved = (view: ConnectionView, created: boolean): void => {
    setFlash(`${created ? 'Added' : 'Saved'} “${view.spec.name}”. Use Test to check it.`);
    navigate({ view: 'settings', path: ['connections', view.spec.id] });
  };

  const flashNote = flash ? (
    <p className="flash" role="status" data-testid="conn-flash">
      {flash}{' '}
      <button type="button" className="btn-link" onClick={() => setFlash(null)}>
        Dismiss
      </button>
    </p>
  ) : null;

  if (target === 'new') {
    return (
      <div className="connections-screen">
        <a href={hrefOf('settings', 'connections')} className="back-link">
          ← All connections
        </a>
        <ConnectionForm key={`new-${kindArg ?? ''}`} {...(isKind(kindArg) ? { initialKind: kindArg } : {})} onSaved={onSaved} />
      </div>
    );
  }

  return (
    <div className="connections-screen">
      {flashNote}
      <QueryState query={connections} errorTitle="Connections could not be read">
        {(list) => {
          if (target !== undefined) {
            const view = list.find((c) => c.spec.id === target);
            if (!view) {
              return (
                <EmptyState title={`There is no connection “${target}”`} testId="conn-not-found">
                  <a href={hrefOf('settings', 'connections')}>See all connections</a>
                </EmptyState>
              );
            }
            return (
              <>
                <a href={hrefOf('settings', 'connections')} className="back-link">
                  ← All connections
                </a>
                {view.provisioned ? (
                  <ConnectionDetails view={view} />
                ) : (
                  <>
                    <ConnectionForm key={view.spec.id} existing={view} onSaved={onSaved} />
                    <section className="fieldset">
                      <h3>Check it</h3>
                      <TestConnection id={view.spec.id} />
                    </section>
                  </>
                )}
              </>
            );
          }
          return (
            <>
              <div className="toolbar">
                <a className="btn btn-primary" href={hrefOf('settings', 'connections', 'new')} data-testid="connection-add">
                  <PlusIcon /> Add connection
                </a>
              </div>
              {list.length === 0 ? (
                <EmptyState icon={PlugIcon} title="No connections yet" testId="connections-empty">
                  <p>
                    Add Prometheus for SLOs, ServiceNow for incidents and AWX for runbooks and jobs — or provision them in the workspace
                    file.
                  </p>
                </EmptyState>
              ) : (
                <ConnectionList connections={list} health={health.data ?? []} />
              )}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
