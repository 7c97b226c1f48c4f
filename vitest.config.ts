import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/worker-tables.ts'],
    testTimeout: 30_000,
    // Infra files bundle every function in beforeAll: about 20 s on a quiet 2-core machine, far more when it is busy.
    hookTimeout: 180_000,
    pool: 'forks',
    restoreMocks: true,
  },
});
