// In-process DynamoDB (dynalite) and S3 (s3rver) servers for the local runtime and the tests.
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import dynalite from 'dynalite';
import S3rver from 's3rver';

export interface RunningServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1; with `path` it persists to disk (LevelDB), otherwise it keeps data in memory. */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<RunningServer> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * dynalite as startDynalite starts it, on a worker thread of its own, so that it uses another core than the code
 * that calls it. The thread ends with the process.
 */
export async function startDynaliteThread(options: { path?: string; port?: number } = {}): Promise<RunningServer> {
  // tsx compiles the thread's TypeScript, as it does for this process.
  const worker = new Worker(new URL('./dynalite-thread.ts', import.meta.url), {
    workerData: options,
    execArgv: ['--import', 'tsx'],
  });
  const reply = () =>
    new Promise<{ endpoint?: string; error?: string; code?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const started = await reply();
  if (!started.endpoint) {
    await worker.terminate();
    throw Object.assign(new Error(started.error ?? 'dynalite did not start'), { code: started.code });
  }
  return {
    endpoint: started.endpoint,
    close: async () => {
      const closed = reply();
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

/** Starts s3rver on 127.0.0.1, storing objects under `directory`. `instance` emits S3 'event's (upload-events.ts). */
export async function startS3rver(options: {
  directory: string;
  port?: number;
}): Promise<RunningServer & { readonly instance: S3rver }> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close(), instance: server };
}
