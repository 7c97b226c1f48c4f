// Three lanes (vitest projects), each with its own npm script; `vitest run` (the end of `npm test`) runs all three.
//   unit     test/unit: pure code, no server, no browser, no bundling; seconds (`npm run test:unit`).
//   servers  handlers, local runtime, ops, security, infra and scale: dynalite + s3rver, CDK synthesis, esbuild,
//            archive-sized data (`npm run test:servers`).
//   browser  Chromium and Lighthouse through the local runtime (`npm run test:e2e`).
import { defineConfig } from 'vitest/config';

/** Files that drive Chromium: they start a whole runtime and a browser each. */
const browserFiles = [
  'test/e2e/**/*.test.ts',
  'test/security/xss.test.ts',
  'test/security/xss-import.test.ts',
];

/** One dynalite + s3rver for the run (started once, whichever of these lanes runs) and tables per worker. */
const localAws = {
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/worker-tables.ts'],
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 30_000,
    // Infra files synthesise (and test/infra/bundles.test.ts bundles every function) in beforeAll: seconds on a
    // quiet 2-core machine, far more when it is busy. vitest's --hookTimeout flag does not reach the projects, so
    // a busy machine sets HOOK_TIMEOUT_MS instead (e.g. HOOK_TIMEOUT_MS=600000 npx vitest run test/infra/x.test.ts).
    hookTimeout: Number(process.env.HOOK_TIMEOUT_MS) || 180_000,
    restoreMocks: true,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code that leaves no state behind: one module graph per worker thread, not one per file.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        test: {
          name: 'servers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/bench/**', 'node_modules/**', 'test/unit/**', ...browserFiles],
          ...localAws,
        },
      },
      {
        test: {
          name: 'browser',
          include: browserFiles,
          ...localAws,
        },
      },
    ],
  },
});
