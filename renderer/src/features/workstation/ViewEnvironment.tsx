import type { ReactNode } from 'react';
import { environmentsOf, useEnvironment } from '../../app/api/environment';
import { isProdLike } from '../../app/shell/Header';

/** One line above every view: which environment it shows, and from how many connections. */
export function ViewEnvironment(): ReactNode {
  const scope = useEnvironment();
  if (!scope.loaded || scope.all.length === 0) return null;
  const envs = environmentsOf(scope.all);
  const env = scope.environment;
  const n = scope.connections.length;
  const text = env
    ? `Environment ${env} — ${n} of ${scope.all.length} connection${scope.all.length === 1 ? '' : 's'}`
    : envs.length > 1
      ? `All environments (${envs.join(', ')}) — ${n} connection${n === 1 ? '' : 's'}`
      : `Environment ${envs[0] ?? 'not named'} — ${n} connection${n === 1 ? '' : 's'}`;
  return (
    <p className={`view-environment${env && isProdLike(env) ? ' prod' : ''}`} data-testid="view-environment" data-environment={env ?? ''}>
      {text}
    </p>
  );
}
