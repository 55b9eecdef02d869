// The four IPC channels of the bridge. Kept free of imports: the sandboxed preload bundles this file, and a
// sandboxed preload cannot require npm packages such as zod.
export const IPC_CHANNELS = {
  invoke: 'toc:invoke',
  subscribe: 'toc:subscribe',
  unsubscribe: 'toc:unsubscribe',
  events: 'toc:events',
} as const;
