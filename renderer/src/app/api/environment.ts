import type { ConnectionKind, ConnectionView } from '@shared/connections/model';
import { useConnections, useSettings } from './app-queries';

// The environment the header's switcher shows (settings.environment; null = all) and the connections in it. Views
// that read "the first connection of a kind" take it from here, so switching to prod-eu shows prod-eu.

export interface EnvironmentScope {
  environment: string | null;
  /** Connections in the environment (all of them when none is chosen), in workspace order. */
  connections: ConnectionView[];
  /** Every connection, whatever its environment. */
  all: ConnectionView[];
  loaded: boolean;
}

export function inEnvironment(c: ConnectionView, env: string | null): boolean {
  return env === null || (c.spec.environment ?? '') === env;
}

export function useEnvironment(kind?: ConnectionKind): EnvironmentScope {
  const settings = useSettings();
  const connections = useConnections();
  const env = settings.data?.environment ?? null;
  const all = connections.data ?? [];
  const scoped = all.filter((c) => inEnvironment(c, env) && (kind === undefined || c.spec.kind === kind));
  return { environment: env, connections: scoped, all, loaded: connections.data !== undefined && settings.data !== undefined };
}

/** Every environment named by some connection, sorted. */
export function environmentsOf(list: readonly ConnectionView[]): string[] {
  return [...new Set(list.map((c) => c.spec.environment).filter((e): e is string => !!e))].sort();
}
