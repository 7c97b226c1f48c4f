// The main thread's side of database-worker.ts: starts dynalite on its own thread, then, on request, the DynamoDB
// proxy beside it, and journals the stream records the proxy captures before the proxy answers the write.
import { Worker } from 'node:worker_threads';
import type { TableSchema } from '../../shared/tables.ts';
import type { RunningServer } from './aws-servers.ts';
import type { StreamRecordInput } from './dynamo-proxy.ts';

export type ProxyRequest =
  | {
      readonly id: number;
      readonly startProxy: {
        readonly port: number;
        readonly tables: readonly { tableName: string; schema: TableSchema }[];
      };
    }
  | { readonly id: number; readonly close: true }
  | { readonly journaled: number };

export type WorkerReply =
  | { readonly id: number; readonly endpoint?: string; readonly error?: string; readonly code?: string }
  | {
      readonly record: {
        readonly id: number;
        readonly tableName: string;
        readonly record: StreamRecordInput;
      };
    };

export interface DatabaseThread extends RunningServer {
  /** Starts the proxy on the database thread; `publish` receives its records (and must journal them at once). */
  startProxy(
    port: number,
    tables: readonly {
      tableName: string;
      schema: TableSchema;
      publish: (record: StreamRecordInput) => void;
    }[],
  ): Promise<RunningServer>;
}

export async function startDatabaseThread(options: { path?: string } = {}): Promise<DatabaseThread> {
  // tsx compiles the thread's TypeScript, as it does for this process.
  const worker = new Worker(new URL('./database-worker.ts', import.meta.url), {
    workerData: options,
    execArgv: ['--import', 'tsx'],
  });
  const waiting = new Map<number, (reply: Extract<WorkerReply, { id: number }>) => void>();
  const publishers = new Map<string, (record: StreamRecordInput) => void>();
  let failed: Error | undefined;
  worker.on('message', (message: WorkerReply) => {
    if ('record' in message) {
      publishers.get(message.record.tableName)?.(message.record.record);
      worker.postMessage({ journaled: message.record.id } satisfies ProxyRequest);
      return;
    }
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  worker.on('error', (error) => {
    failed = error;
    for (const resolve of waiting.values()) resolve({ id: -1, error: error.message });
    waiting.clear();
  });
  let nextId = 1;
  const call = (request: (id: number) => ProxyRequest | undefined, id = nextId++) =>
    new Promise<string | undefined>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.set(id, (reply) =>
        reply.error
          ? reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}))
          : resolve(reply.endpoint),
      );
      const message = request(id);
      if (message) worker.postMessage(message);
    });

  const endpoint = await call(() => undefined, 0).catch(async (error: Error) => {
    await worker.terminate();
    throw error;
  });
  const close = async () => {
    await call((id) => ({ id, close: true })).catch(() => undefined);
    await worker.terminate();
  };
  return {
    endpoint: endpoint ?? '',
    close,
    async startProxy(port, tables) {
      for (const t of tables) publishers.set(t.tableName, t.publish);
      const proxyEndpoint = await call((id) => ({
        id,
        startProxy: { port, tables: tables.map(({ tableName, schema }) => ({ tableName, schema })) },
      }));
      // The proxy lives and dies with the thread: closing it alone is not needed.
      return { endpoint: proxyEndpoint ?? '', close: async () => undefined };
    },
  };
}
