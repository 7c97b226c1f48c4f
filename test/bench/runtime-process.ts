// The local runtime in a process of its own, as `npm start` runs it, for benchmarks whose clients (ops commands,
// readers' browsers) are not part of the server: their CPU time is then not charged to the runtime.
import { type ChildProcess, spawn } from 'node:child_process';
import { connectToLocalRuntime, type RunningRuntime } from '../../infra/local/connect.ts';

export interface RuntimeProcess extends RunningRuntime {
  /** The runtime's process id (its worker threads share it). */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface RuntimeProcessOptions {
  /** Fill the empty site with the sample content (default: start empty). */
  readonly seed?: boolean;
  /** The editor token the runtime accepts (default: a random one, which only the runtime knows). */
  readonly editorToken?: string;
  /** The gateway's route throttles (default on); a throughput benchmark turns them off to measure past them. */
  readonly routeThrottles?: boolean;
}

/**
 * Starts `infra/local/main.ts` on a random port with an empty DATA_DIR and connects this process's SDK to it.
 * BENCH_RUNTIME_ARGS adds Node flags to the runtime only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 */
export async function startRuntimeProcess(
  dataDir: string,
  options: RuntimeProcessOptions = {},
): Promise<RuntimeProcess> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_RUNTIME_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      'infra/local/main.ts',
    ],
    {
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        SEED: options.seed ? '' : 'none',
        LOG_LEVEL: 'error',
        ...(options.editorToken ? { EDITOR_TOKEN: options.editorToken } : {}),
        ...(options.routeThrottles === false ? { ROUTE_THROTTLES: 'off' } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Press Ctrl-C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`runtime exited with ${code}`)));
  });
  process.env.DATA_DIR = dataDir;
  return {
    ...connectToLocalRuntime(dataDir),
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface ChildRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs a bench file again as a child process (`node --import tsx file ...args`) against the runtime's DATA_DIR and
 * collects what it prints; with `echo` its stderr (progress lines) also goes on to this process's stderr.
 */
export function runBenchChild(
  file: string,
  args: readonly string[],
  dataDir: string,
  echo = false,
): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
    if (echo) process.stderr.write(c);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

/** An import's phase times from its summary lines (`read: … in 1.2 s`), summed over its batches by the import. */
export function importPhases(stderr: string): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const match of stderr.matchAll(/^(read|photos|write|render): .* in ([\d.]+) s$/gm))
    phases[match[1] ?? ''] = Number(match[2]);
  return phases;
}
