// A rebuild worker thread: renders slices of pages (the CPU-bound part) and hands the bytes back to the main
// thread, which writes them. Each worker builds its own catalogue once from the same table.
import { parentPort } from 'node:worker_threads';
import type { SiteObject } from '../../shared/ports.ts';
import type { PageRef } from '../../shared/render/affected.ts';
import { buildCatalogue } from '../../shared/render/catalogue.ts';
import { renderRef } from '../../shared/render/site.ts';

const { productionDeps } = await import('../../functions/render/handler.ts');
const deps = productionDeps();
const catalogue = buildCatalogue(await deps.articles.listings());

parentPort?.on('message', async (message: { slice: number; refs: PageRef[] }) => {
  try {
    const ids = message.refs.flatMap((r) => (r.kind === 'article' ? [r.id] : []));
    const [articles, views] = await Promise.all([
      ids.length > 0 ? deps.articles.getMany(ids) : new Map(),
      ids.length > 0 ? deps.views.totals(ids) : new Map<string, number>(),
    ]);
    const objects: SiteObject[] = message.refs.flatMap((ref) => {
      const object = renderRef(deps.context, ref, { catalogue, articles, views });
      return object ? [object] : [];
    });
    parentPort?.postMessage({ slice: message.slice, objects });
  } catch (error) {
    parentPort?.postMessage({ slice: message.slice, error: (error as Error).message });
  }
});
parentPort?.postMessage({ ready: true });
