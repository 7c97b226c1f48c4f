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
