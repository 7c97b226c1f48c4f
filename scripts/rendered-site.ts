// The sample site the screenshot scripts look at: the seed article among 30 others in three channels, rendered in
// memory and served on a free port with the site's real security headers (CSP included). Missing keys get the
// 404 page, and are printed, so a screenshot run shows any link the pages make to nothing. A view report is
// answered as the views function would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Article } from '../shared/domain/article.ts';
import { securityHeaderEntries } from '../shared/headers.ts';
import { allPages } from '../shared/render/affected.ts';
import { loadSiteAssets } from '../shared/render/assets.ts';
import { buildCatalogue, type FullCatalogue, type Listing, toListing } from '../shared/render/catalogue.ts';
import type { HotRankings } from '../shared/render/hot-list.ts';
import { renderRef } from '../shared/render/site.ts';
import { history, SEED_ID, seedArticle } from '../test/support/render-fixtures.ts';

export interface RenderedSite {
  readonly origin: string;
  close(): void;
}

export const sampleSite: readonly Article[] = [
  ...history(30, ['focus/public-welfare', 'news/politics', 'law/cases']),
  seedArticle,
];

export const sampleCatalogue = (): FullCatalogue =>
  buildCatalogue(sampleSite.map(toListing).filter((l): l is Listing => Boolean(l)));

export async function serveRenderedSite(options: { hot?: HotRankings } = {}): Promise<RenderedSite> {
  const assets = loadSiteAssets();
  const catalogue = sampleCatalogue();
  const articles = new Map(sampleSite.map((a) => [a.id, a]));
  const objects = new Map<string, { body: string | Uint8Array; contentType: string }>();
  const server = createServer((req, res) => {
    // The page script reports the view; answer as the views function would, one more than rendered.
    const counted = /^\/api\/views\/([0-9a-f]{16})$/.exec(req.url ?? '');
    if (req.method === 'POST' && counted) {
      res.writeHead(200, { 'content-type': 'application/json', ...securityHeaderEntries({ https: false }) });
      res.end(JSON.stringify({ id: counted[1], views: counted[1] === SEED_ID ? 363 : 1 }));
      return;
    }
    let key = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').slice(1);
    if (key === '' || key.endsWith('/')) key += 'index.html';
    const object = objects.get(key) ?? objects.get('404.html');
    if (!objects.has(key)) console.log('404', key);
    res.writeHead(objects.has(key) ? 200 : 404, {
      'content-type': object?.contentType ?? 'text/plain',
      ...securityHeaderEntries({ https: false }),
    });
    res.end(object?.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const ref of allPages(catalogue)) {
    const object = renderRef({ siteUrl: origin, assets }, ref, {
      catalogue,
      articles,
      views: new Map([[SEED_ID, 362]]),
      now: new Date(),
      ...(options.hot ? { hot: options.hot } : {}),
    });
    if (object) objects.set(object.key, object);
  }
  for (const asset of assets.all) objects.set(asset.key, asset);
  return { origin, close: () => server.close() };
}
