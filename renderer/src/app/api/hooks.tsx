import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient, UseMutationResult, UseQueryOptions, UseQueryResult } from '@tanstack/react-query';
import type { MethodInput, MethodName, MethodOutput, TopicArgs, TopicName, TopicPayload } from '@shared/contract';
import type { ContractError } from '@shared/kernel/result';
import { ContractFailure, toContractError } from './client';
import type { TocClient } from './client';
import type { Connectivity, ConnectivitySnapshot } from './types';

interface Api {
  client: TocClient;
  connectivity: Connectivity;
}

const ApiContext = createContext<Api | null>(null);

export function ApiProvider(props: {
  client: TocClient;
  connectivity: Connectivity;
  queryClient: QueryClient;
  children: ReactNode;
}): ReactNode {
  const { client, connectivity, queryClient } = props;
  useRefetchAfterReconnect(connectivity, queryClient);
  return (
    <ApiContext.Provider value={{ client, connectivity }}>
      <QueryClientProvider client={queryClient}>{props.children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}

/** Events sent while the link was down are lost: after a reconnect, everything on screen is read again. */
function useRefetchAfterReconnect(connectivity: Connectivity, queryClient: QueryClient): void {
  useEffect(() => {
    let wasOnline = connectivity.snapshot().state === 'online';
    let dropped = false;
    return connectivity.subscribe(() => {
      const online = connectivity.snapshot().state === 'online';
      if (wasOnline && !online) dropped = true;
      if (online && dropped) {
        dropped = false;
        void queryClient.invalidateQueries();
      }
      wasOnline = online;
    });
  }, [connectivity, queryClient]);
}

function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiProvider>');
  return api;
}

/** The typed client, for imperative calls (event handlers, effects). Prefer useCall/useAction in components. */
export function useClient(): TocClient {
  return useApi().client;
}

export function useConnectivity(): ConnectivitySnapshot {
  const { connectivity } = useApi();
  return useSyncExternalStore(connectivity.subscribe, connectivity.snapshot);
}

export function useReconnectNow(): () => void {
  const { connectivity } = useApi();
  return connectivity.reconnectNow;
}

export type CallKey<M extends MethodName> = readonly ['call', M, MethodInput<M>];

/** The react-query key of a call: feature code uses it to read or patch the cache (setQueryData). */
export const callKey = <M extends MethodName>(method: M, args: MethodInput<M>): CallKey<M> => ['call', method, args];

/** Matches every cached call of a method, whatever its arguments (for invalidation). */
export const methodKey = (method: MethodName): readonly ['call', MethodName] => ['call', method];

export type CallQueryOptions<M extends MethodName> = Omit<
  UseQueryOptions<MethodOutput<M>, ContractFailure, MethodOutput<M>, CallKey<M>>,
  'queryKey' | 'queryFn'
>;

const asFailure = (e: unknown): ContractFailure => {
  if (e instanceof ContractFailure) return e;
  const c = toContractError(e);
  return new ContractFailure(c.code, c.message, c.detail);
};

/** A read. Keyed by method + args; idempotent reads retry transient failures with back-off. */
export function useCall<M extends MethodName>(
  method: M,
  args: MethodInput<M>,
  options?: CallQueryOptions<M>,
): UseQueryResult<MethodOutput<M>, ContractFailure> {
  const client = useClient();
  return useQuery({
    ...options,
    queryKey: callKey(method, args),
    queryFn: async ({ signal }) => {
      try {
        return await client.call(method, args, { signal });
      } catch (e) {
        throw asFailure(e);
      }
    },
  });
}

export interface ActionOptions<M extends MethodName> {
  /** Reads to refetch after the action succeeds. */
  invalidates?: readonly MethodName[];
  onSuccess?: (data: MethodOutput<M>, args: MethodInput<M>) => void;
  onError?: (error: ContractFailure, args: MethodInput<M>) => void;
}

/**
 * An action (something that changes state). Never retried automatically; a failure leaves `error` set and
 * does nothing to the caller's form state, so what the user typed stays where it was.
 */
export function useAction<M extends MethodName>(
  method: M,
  options: ActionOptions<M> = {},
): UseMutationResult<MethodOutput<M>, ContractFailure, MethodInput<M>> {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['action', method],
    mutationFn: async (args: MethodInput<M>) => {
      try {
        return await client.call(method, args);
      } catch (e) {
        throw asFailure(e);
      }
    },
    onSuccess: async (data, args) => {
      options.onSuccess?.(data, args);
      await Promise.all((options.invalidates ?? []).map((m) => queryClient.invalidateQueries({ queryKey: methodKey(m) })));
    },
    onError: (error, args) => options.onError?.(error, args),
  });
}

export interface TopicOptions {
  enabled?: boolean;
  onError?: (error: ContractError) => void;
}

/** Subscribes while mounted (and enabled); re-subscribes when topic or args change; unsubscribes on unmount. */
export function useTopic<T extends TopicName>(
  topic: T,
  args: TopicArgs<T>,
  onBatch: (batch: TopicPayload<T>[]) => void,
  options: TopicOptions = {},
): void {
  const client = useClient();
  const onBatchRef = useRef(onBatch);
  const onErrorRef = useRef(options.onError);
  useEffect(() => {
    onBatchRef.current = onBatch;
    onErrorRef.current = options.onError;
  });
  const argsKey = JSON.stringify(args ?? {});
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!enabled) return undefined;
    const parsedArgs = JSON.parse(argsKey) as TopicArgs<T>;
    return client.subscribe(
      topic,
      parsedArgs,
      (batch) => onBatchRef.current(batch),
      (e) => onErrorRef.current?.(e),
    );
  }, [client, topic, argsKey, enabled]);
}

export interface LiveSource<M extends MethodName, T extends TopicName> {
  topic: T;
  topicArgs: TopicArgs<T>;
  /** Folds a batch of events into the cached answer; return undefined to leave the cache alone. */
  apply: (prev: MethodOutput<M> | undefined, batch: TopicPayload<T>[]) => MethodOutput<M> | undefined;
}

/** A read kept current by a topic: the call gives the first answer, events patch the cache (and its age). */
export function useLiveCall<M extends MethodName, T extends TopicName>(
  method: M,
  args: MethodInput<M>,
  live: LiveSource<M, T>,
  options?: CallQueryOptions<M>,
): UseQueryResult<MethodOutput<M>, ContractFailure> {
  const queryClient = useQueryClient();
  const query = useCall(method, args, options);
  const applyRef = useRef(live.apply);
  useEffect(() => {
    applyRef.current = live.apply;
  });
  useTopic(
    live.topic,
    live.topicArgs,
    (batch) => {
      const key = callKey(method, args);
      const next = applyRef.current(queryClient.getQueryData<MethodOutput<M>>(key), batch);
      if (next !== undefined) queryClient.setQueryData<MethodOutput<M>>(key, next);
    },
    { enabled: options?.enabled !== false },
  );
  return query;
}

/** For topics that send the whole state each time: the newest payload wins. */
export function latest<P>(_prev: P | undefined, batch: P[]): P | undefined {
  return batch[batch.length - 1];
}
