// `npx tsx scripts/screenshot-article.ts`: renders the seed article (with neighbours and a photo) and takes
// screenshots at phone and desktop widths into screenshots/, served with the site's real CSP.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { securityHeaderEntries } from '../shared/headers.ts';
import { allPages } from '../shared/render/affected.ts';
import { loadSiteAssets } from '../shared/render/assets.ts';
import { buildCatalogue, type Listing, toListing } from '../shared/render/catalogue.ts';
import { renderRef } from '../shared/render/site.ts';
import { launchBrowser, viewports, watchPage } from '../test/support/browser.ts';
import { history, SEED_ID, seedArticle } from '../test/support/render-fixtures.ts';

const assets = loadSiteAssets();
const site = [...history(30, ['focus/public-welfare', 'news/politics', 'law/cases']), seedArticle];
const catalogue = buildCatalogue(site.map(toListing).filter((l): l is Listing => Boolean(l)));
const articles = new Map(site.map((a) => [a.id, a]));
const objects = new Map<string, { body: string | Uint8Array; contentType: string }>();
const server = createServer((req, res) => {
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
  });
  if (object) objects.set(object.key, object);
}
for (const asset of assets.all) objects.set(asset.key, asset);

mkdirSync('screenshots', { recursive: true });
const browser = await launchBrowser();
const targets = { article: `/2022/0415/${SEED_ID}.html`, channel: '/focus/public-welfare/', home: '/' };
for (const viewport of Object.values(viewports)) {
  const page = await browser.newPage({ viewport });
  const watch = watchPage(page);
  for (const [what, path] of Object.entries(targets)) {
    await page.goto(origin + path);
    const file = `screenshots/render-${what}-${viewport.width}x${viewport.height}.png`;
    await page.screenshot({ path: file, fullPage: what !== 'article' });
    console.log(file);
    if (what === 'article') {
      const foot = `screenshots/render-article-foot-${viewport.width}x${viewport.height}.png`;
      await page.locator('.article-foot').screenshot({ path: foot });
      console.log(foot);
    }
  }
  if (watch.problems.length > 0) console.log('problems:', watch.problems);
  await page.close();
}
await browser.close();
server.close();
