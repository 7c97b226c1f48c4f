// Finds the running local runtime (through DATA_DIR, as `npm start` wrote it) and points this process's SDK
// clients at it, so ops commands and `npm run invoke` act on the same stack the gateway serves.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { useLocalAws } from './environment.ts';

export const RUNTIME_FILE = 'runtime.json';

export interface RunningRuntime {
  readonly dataDir: string;
  readonly url: string;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
}

const alive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** What `npm start` wrote into DATA_DIR; after a stop only `endpoints` remain, so the next start reuses them. */
export interface RuntimeFile {
  readonly pid?: number;
  readonly url?: string;
  readonly siteUrl?: string;
  readonly endpoints?: RunningRuntime['endpoints'];
}

/** The runtime file of `dataDir`, or an empty record when there is none or it is unreadable. */
export function readRuntimeFile(dataDir: string): RuntimeFile {
  const file = path.join(dataDir, RUNTIME_FILE);
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RuntimeFile) : {};
  } catch {
    return {};
  }
}

/** Throws a one-line, actionable error when no runtime is running for DATA_DIR. */
export function connectToLocalRuntime(dataDir = process.env.DATA_DIR ?? '.data'): RunningRuntime {
  const dir = path.resolve(dataDir);
  const saved = readRuntimeFile(dir);
  if (!saved.endpoints || !saved.url || !alive(saved.pid)) {
    throw new Error(
      `no local runtime is running for ${dir}; start one with \`npm start\` (same DATA_DIR) first.`,
    );
  }
  useLocalAws(saved.endpoints);
  // Pages carry absolute URLs: render them for the same address the runtime serves, or every page would differ.
  process.env.SITE_URL = saved.siteUrl ?? saved.url;
  return { dataDir: dir, url: saved.url, endpoints: saved.endpoints };
}
