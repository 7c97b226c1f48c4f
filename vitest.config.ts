import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/worker-tables.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    restoreMocks: true,
  },
});
