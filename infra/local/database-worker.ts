// The local database on a thread of its own: dynalite, and the DynamoDB proxy in front of it (stream capture,
// transactions). The main thread keeps the gateway, the handlers and the stream; LevelDB, the proxy's HTTP and
// its stream-image reads then run on the second core. Messages: see database-thread.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { type RunningServer, startDynalite } from './aws-servers.ts';
import type { ProxyRequest, WorkerReply } from './database-thread.ts';
import type { StreamRecordInput } from './dynamo-proxy.ts';
import { startDynamoProxy } from './dynamo-proxy.ts';

const port = parentPort;
if (!port) throw new Error('database-worker.ts runs as a worker thread');
const reply = (message: WorkerReply) => port.postMessage(message);
const failure = (id: number, error: unknown): WorkerReply => ({
  id,
  error: (error as Error).message,
  ...((error as NodeJS.ErrnoException).code ? { code: (error as NodeJS.ErrnoException).code } : {}),
});

// Records wait for the main thread to journal them: a write is answered only once its record is durable.
let nextRecord = 0;
const journaled = new Map<number, () => void>();
const publish = (tableName: string, record: StreamRecordInput) =>
  new Promise<void>((resolve) => {
    const id = nextRecord++;
    journaled.set(id, resolve);
    reply({ record: { id, tableName, record } });
  });

let dynalite: RunningServer | undefined;
let proxy: RunningServer | undefined;
try {
  dynalite = await startDynalite(workerData as { path?: string });
  reply({ id: 0, endpoint: dynalite.endpoint });
} catch (error) {
  reply(failure(0, error));
}

port.on('message', async (message: ProxyRequest) => {
  if ('journaled' in message) {
    journaled.get(message.journaled)?.();
    journaled.delete(message.journaled);
    return;
  }
  try {
    if ('startProxy' in message) {
      const { port: listenOn, tables } = message.startProxy;
      proxy = await startDynamoProxy(
        dynalite?.endpoint ?? '',
        tables.map((t) => ({ ...t, publish: (record) => publish(t.tableName, record) })),
        listenOn,
      );
      reply({ id: message.id, endpoint: proxy.endpoint });
    } else if ('close' in message) {
      await proxy?.close();
      await dynalite?.close();
      reply({ id: message.id });
    }
  } catch (error) {
    reply(failure(message.id, error));
  }
});
