// A rebuild worker thread: renders slices of pages (the CPU-bound part) and hands the bytes back to the main
// thread, which writes them. The main thread sends the listings, rankings and view totals it has read once.
import { parentPort } from 'node:worker_threads';
import { renderSlice } from '../../functions/render/render-slice.ts';
import type { PageRef } from '../../shared/render/affected.ts';
import { buildCatalogue, type Catalogue, type Listing } from '../../shared/render/catalogue.ts';
import type { HotRankings } from '../../shared/render/hot-list.ts';

export type WorkerRequest =
  | { readonly init: { listings: Listing[]; hot: HotRankings; now: string } }
  | { readonly refs: PageRef[]; readonly views: [string, number][] };

const { productionDeps } = await import('../../functions/render/handler.ts');
const deps = productionDeps();
let site: { catalogue: Catalogue; hot: HotRankings; now: Date } | undefined;

parentPort?.on('message', async (message: WorkerRequest) => {
  if ('init' in message) {
    site = {
      catalogue: buildCatalogue(message.init.listings),
      hot: message.init.hot,
      now: new Date(message.init.now),
    };
    return;
  }
  try {
    if (!site) throw new Error('rebuild worker: slice before init');
    const pages = await renderSlice(deps, { ...site, views: new Map(message.views) }, message.refs);
    parentPort?.postMessage({ pages });
  } catch (error) {
    parentPort?.postMessage({ error: (error as Error).message });
  }
});
parentPort?.postMessage({ ready: true });
