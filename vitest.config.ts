import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// The real `electron` package would try to download its binary on first require; tests must never load it.
const electronStub = fileURLToPath(new URL('./test/stubs/electron.ts', import.meta.url));
const shared = fileURLToPath(new URL('./shared', import.meta.url));

export default defineConfig({
  resolve: { alias: { electron: electronStub, '@shared': shared } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/sim/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 240_000,
          // Real servers (Prometheus, simulators, ansible) compete for 2 cores; keep files serial.
          fileParallelism: false,
        },
      },
    ],
  },
});
