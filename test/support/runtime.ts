// Starts the whole local runtime for a test file on a free port with a fresh data dir, and restores the
// process environment afterwards so later files in the same worker keep their own servers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../infra/local/runtime.ts';
import { createLogger } from '../../shared/log.ts';

export interface TestRuntime extends Runtime {
  /** fetch relative to the runtime's URL. */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  restart(): Promise<TestRuntime>;
  dispose(): Promise<void>;
}

export async function startTestRuntime(options: RuntimeOptions = {}): Promise<TestRuntime> {
  const savedEnv = { ...process.env };
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'newsroom-runtime-'));
  const editorToken = options.editorToken ?? 'test-editor-token-0123456789';
  const log = createLogger({ service: 'test-runtime' }, () => undefined);
  // The search index is built only where a test asks for it (searchReindexSeconds, or `search.refresh()`).
  const defaults = { port: 0, seed: false, log, searchReindexSeconds: 0 };
  const runtime = await startRuntime({ ...defaults, ...options, dataDir, editorToken });
  const wrap = (rt: Runtime): TestRuntime => ({
    ...rt,
    fetch: (pathname, init) => fetch(`${rt.url}${pathname}`, init),
    restart: async () => {
      await rt.stop();
      return wrap(await startRuntime({ ...defaults, ...options, dataDir, editorToken }));
    },
    dispose: async () => {
      await rt.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    },
  });
  return wrap(runtime);
}
