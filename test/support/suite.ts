// What a test file starts before its tests and stops after them (a local runtime, a browser), declared in one line
// at the top of the file instead of a beforeAll/afterAll pair in each. Values are read inside tests only.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startTestRuntime, type TestRuntime } from './runtime.ts';

/** A runtime plus Chromium, seeded, ~1 min on a busy machine; vitest's own hook timeout is the upper bound. */
const STARTUP_TIMEOUT_MS = 180_000;

/**
 * Starts `start()` before the file's tests and `stop`s it after them. Declared in order, they start in that order
 * and stop in the reverse (vitest runs afterAll hooks as a stack). Returns a getter for tests.
 */
export function useStarted<T>(
  what: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<unknown>,
): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    if (value !== undefined) await stop(value);
  });
  return () => {
    if (value === undefined) throw new Error(`${what} is not started: read it inside a test.`);
    return value;
  };
}

/** The local runtime for the file's tests (`startTestRuntime()` unless given, e.g. `startSiteRuntime`). */
export const useRuntime = (start: () => Promise<TestRuntime> = startTestRuntime): (() => TestRuntime) =>
  useStarted('The runtime', start, (runtime) => runtime.dispose());

export interface BrowserSuite {
  readonly runtime: TestRuntime;
  readonly browser: Browser;
}

/** A runtime, then Chromium, for the file's tests; read `suite.runtime` and `suite.browser` in tests. */
export function useBrowserSuite(start: () => Promise<TestRuntime> = startTestRuntime): BrowserSuite {
  const runtime = useRuntime(start);
  const browser = useStarted('The browser', launchBrowser, (b) => b.close());
  return {
    get runtime() {
      return runtime();
    },
    get browser() {
      return browser();
    },
  };
}
