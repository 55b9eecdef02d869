import type { ReactNode } from 'react';
import { useAction } from '../../app/api/hooks';
import { ErrorPanel } from '../../app/components/ErrorPanel';
import { ProbeResultPanel } from './ProbeResultPanel';
import './connections.css';

/** "Test": runs the probe of a saved connection and lists every step. */
export function TestConnection(props: { id: string; compact?: boolean }): ReactNode {
  const test = useAction('connections.test', { invalidates: ['connections.health'] });
  return (
    <div className={props.compact ? 'test-connection compact' : 'test-connection'}>
      <button
        type="button"
        className="btn"
        onClick={() => test.mutate({ id: props.id })}
        disabled={test.isPending}
        data-testid={`connection-test-${props.id}`}
      >
        {test.isPending ? 'Testing…' : 'Test'}
      </button>
      {test.data ? <ProbeResultPanel result={test.data} /> : null}
      {test.isError ? <ErrorPanel title="The test could not run" error={test.error.toJSON()} testId="probe-error" /> : null}
    </div>
  );
}
