// dynalite on its own thread: the local runtime's database then uses the second core while handlers, the gateway
// and the stream run on the main one (LevelDB reads and writes were half of a view's CPU time on one thread).
import { parentPort, workerData } from 'node:worker_threads';
import { startDynalite } from './aws-servers.ts';

const options = workerData as { path?: string; port?: number };
try {
  const server = await startDynalite(options);
  parentPort?.on('message', async (message: string) => {
    if (message !== 'close') return;
    await server.close();
    parentPort?.postMessage({ closed: true });
  });
  parentPort?.postMessage({ endpoint: server.endpoint });
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message, code: (error as NodeJS.ErrnoException).code });
}
