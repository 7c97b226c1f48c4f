// The local runtime on a port chosen before it starts, so the pages' absolute URLs (canonical, feed, JSON-LD)
// name the origin the browser actually uses, as they name the site's domain in AWS. Lighthouse checks them.
import { createServer } from 'node:net';
import { startTestRuntime, type TestRuntime } from './runtime.ts';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Seeded runtime whose SITE_URL is its own URL; `dispose()` also takes SITE_URL back out of the environment. */
export async function startSiteRuntime(): Promise<TestRuntime> {
  const hadSiteUrl = 'SITE_URL' in process.env;
  const previous = process.env.SITE_URL;
  const port = await freePort();
  process.env.SITE_URL = `http://127.0.0.1:${port}`;
  const runtime = await startTestRuntime({ seed: true, port });
  // The search page (Lighthouse, journeys) needs the index the runtime would build on its first look.
  await runtime.search.refresh();
  return {
    ...runtime,
    dispose: async () => {
      await runtime.dispose();
      if (hadSiteUrl) process.env.SITE_URL = previous;
      else delete process.env.SITE_URL;
    },
  };
}
