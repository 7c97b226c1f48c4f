// In-process DynamoDB (dynalite) and S3 (s3rver) servers for the local runtime and the tests.
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import S3rver from 's3rver';
// Before dynalite opens a database: its queries must be able to close their LevelDB iterators.
import './dynalite-iterators.ts';
import { useConsistentStore } from './s3-store.ts';

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
  // Replacing an object must never show a reader a half-written one (s3-store.ts).
  useConsistentStore(server, options.directory);
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close(), instance: server };
}
