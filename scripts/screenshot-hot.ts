// `npx tsx scripts/screenshot-hot.ts`: renders home and a channel page with a 点击排行 ranking (and a channel
// whose box is empty) and takes screenshots at phone, tablet and desktop widths into screenshots/, served with
// the site's real CSP. Prints any CSP violation, console error or failed request, and the layout shift (CLS).
import { mkdirSync } from 'node:fs';
import { hotRankings } from '../shared/render/hot-list.ts';
import { launchBrowser, watchPage } from '../test/support/browser.ts';
import { sampleCatalogue, sampleSite, serveRenderedSite } from './rendered-site.ts';

// Scores that give every article a distinct rank; the 7-day window reverses the 24-hour order.
const day = new Map(sampleSite.map((a, i) => [a.id, 1000 - i * 7]));
const week = new Map(sampleSite.map((a, i) => [a.id, 500 + i * 11]));
const hot = hotRankings(sampleCatalogue(), { '24h': day, '7d': week });
const { origin, close } = await serveRenderedSite({ hot });

mkdirSync('screenshots', { recursive: true });
const browser = await launchBrowser();
const targets = { home: '/', channel: '/focus/', empty: '/opinion/' };
for (const viewport of [
  { width: 390, height: 844 },
  { width: 800, height: 1000 },
  { width: 1280, height: 900 },
]) {
  const page = await browser.newPage({ viewport });
  const watch = watchPage(page);
  await watch.ready;
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
        if (!entry.hadRecentInput) w.__cls += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  for (const [what, path] of Object.entries(targets)) {
    await page.goto(origin + path, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    const file = `screenshots/hot-${what}-${viewport.width}x${viewport.height}.png`;
    await page.screenshot({ path: file, fullPage: true });
    const box = `screenshots/hot-${what}-box-${viewport.width}x${viewport.height}.png`;
    await page.locator('.hot').screenshot({ path: box });
    console.log(file, box, `CLS ${cls.toFixed(4)}`);
  }
  if (watch.problems.length > 0) console.log('problems:', watch.problems);
  await page.close();
}
await browser.close();
close();
