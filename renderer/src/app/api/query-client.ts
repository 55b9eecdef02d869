import { QueryClient } from '@tanstack/react-query';
import type { ContractFailure } from '@shared/kernel/result';
import { isRetryable, toContractError } from './client';

declare module '@tanstack/react-query' {
  // Every query and action goes through `call`, which only ever throws ContractFailure.
  interface Register {
    defaultError: ContractFailure;
  }
}

const MAX_READ_RETRIES = 3;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The renderer talks to main, not to the network: navigator.onLine says nothing about whether it can.
        networkMode: 'always',
        retry: (failures, error) => failures < MAX_READ_RETRIES && isRetryable(error),
        retryDelay: (attempt, error) => {
          const after = toContractError(error).detail?.retryAfter;
          return after !== undefined ? after * 1000 : Math.min(1000 * 2 ** attempt, 15_000);
        },
        refetchOnWindowFocus: false,
        staleTime: 5_000,
      },
      // Actions change things: never repeat one the user did not ask for again.
      mutations: { networkMode: 'always', retry: false },
    },
  });
}
