import type { UseQueryResult } from '@tanstack/react-query';
import type { AppInfo, WorkspaceProblem } from '@shared/app/contract';
import type { ConnectionHealth, ConnectionView } from '@shared/connections/model';
import type { SecretStatus } from '@shared/kernel/secrets';
import type { UiSettings } from '@shared/settings/model';
import type { ContractFailure } from '@shared/kernel/result';
import { useCall } from './hooks';

// Reads the shell and several views share. Their topics are folded into the cache once, by <LiveCacheSync>,
// so these hooks can be used anywhere without opening another subscription.

type Q<T> = UseQueryResult<T, ContractFailure>;

/** App info does not change while the page lives. */
export const useAppInfo = (): Q<AppInfo> => useCall('app.info', {}, { staleTime: Infinity });
export const useWorkspaceProblems = (): Q<WorkspaceProblem[]> => useCall('app.workspaceProblems', {}, { staleTime: 60_000 });
export const useConnections = (): Q<ConnectionView[]> => useCall('connections.list', {}, { staleTime: 30_000 });
export const useSettings = (): Q<UiSettings> => useCall('settings.get', {}, { staleTime: Infinity });
export const useHealth = (): Q<ConnectionHealth[]> => useCall('connections.health', {}, { staleTime: Infinity });
export const useSecretStatus = (): Q<SecretStatus> => useCall('connections.secretStatus', {}, { staleTime: Infinity });
