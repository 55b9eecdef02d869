import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import { alwaysOnline } from '../../../renderer/src/app/api/bridge';
import { createClient } from '../../../renderer/src/app/api/client';
import { ApiProvider } from '../../../renderer/src/app/api/hooks';
import { createQueryClient } from '../../../renderer/src/app/api/query-client';
import type { Connectivity } from '../../../renderer/src/app/api/types';
import type { FakeBridge } from './fake-bridge';

// testing-library turns this on from global hooks, which this project's vitest config does not enable.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Renders inside the real providers over a fake bridge; reads do not retry, so error states show at once. */
export function renderWithApi(ui: ReactElement, bridge: FakeBridge, connectivity: Connectivity = alwaysOnline): RenderResult {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    ...queryClient.getDefaultOptions(),
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  return render(
    <ApiProvider client={createClient(bridge)} connectivity={connectivity} queryClient={queryClient}>
      {ui}
    </ApiProvider>,
  );
}
