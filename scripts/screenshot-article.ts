// `npx tsx scripts/screenshot-article.ts`: renders the seed article (with neighbours and a photo) and takes
// screenshots at phone and desktop widths into screenshots/, served with the site's real CSP.
import { mkdirSync } from 'node:fs';
import { launchBrowser, viewports, watchPage } from '../test/support/browser.ts';
import { SEED_ID } from '../test/support/render-fixtures.ts';
import { serveRenderedSite } from './rendered-site.ts';

const { origin, close } = await serveRenderedSite();

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
close();
