// The search page's scope on an index of more parts than a search merges by default (docs/SEARCH.md, "Search
// scope"), in Chromium through the local runtime. The sample site's index is cut into parts of at most 10 articles
// (2022's 48 into quarters, months and days, and 2021), so its default scope, the newest SEARCH_RECENT_PARTS parts,
// leaves 2021 out: a search without a year loads only those parts, 「搜索更早的文章」 merges the rest on the same page
// and puts `year=all` in the URL, and `year=2021` loads 2021's part only. No console error, failed request or CSP
// violation on the way; Lighthouse's accessibility, best practices and SEO stay 100 with the control shown.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labels } from '#shared/labels.ts';
import { reindexIfChanged } from '#shared/search/reindex.ts';
import { SEARCH_ALL_YEARS, SEARCH_RECENT_PARTS, type SplitManifest } from '#shared/search/split-index.ts';
import { screenshot, watchPage } from '../support/browser.ts';
import { audit, type Category, launchLighthouseChrome } from '../support/lighthouse.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';
import { useBrowserSuite, useStarted } from '../support/suite.ts';

const suite = useBrowserSuite(async () => {
  const runtime = await startSiteRuntime();
  // The search function's own wiring (the module the runtime invokes), with parts of at most 10 articles.
  const { productionDeps } = await import('#functions/search/handler.ts');
  await reindexIfChanged(productionDeps(), { force: true, maxPerPart: 10 });
  return runtime;
});
const chrome = useStarted('Chrome', launchLighthouseChrome, (c) => c.close());
const t = labels['zh-CN'];
// 民法典 is in two 2022 sample articles and in one from 2021 (infra/local/sample-content.ts).
const QUERY = '民法典';

/** The index parts a page loaded: the folders whose entry file it asked for (`/pagefind/` is the primary). */
function partsLoaded(page: Page): Set<string> {
  const parts = new Set<string>();
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('/pagefind-entry.json')) parts.add(path.replace('pagefind-entry.json', ''));
  });
  return parts;
}

async function settled(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-search-status]')?.textContent ?? '';
    return status !== '' && !status.includes('…');
  });
  return (await page.locator('[data-search-status]').textContent()) ?? '';
}

/** Whether `status` is the label `template` for QUERY (any count). */
const says = (template: string, status: string): boolean =>
  new RegExp(
    `^${template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace('{n}', '\\d+\\+?')
      .replace('{q}', QUERY)}$`,
  ).test(status);

async function manifest(): Promise<SplitManifest> {
  return (await (await suite.runtime.fetch('/pagefind/indexes.json')).json()) as SplitManifest;
}

describe('site search scope', () => {
  it('searches the newest parts by default and the older ones on request', { timeout: 120_000 }, async () => {
    const { year, parts, recent } = await manifest();
    expect(year).toBe('2022');
    expect(recent).toBe(SEARCH_RECENT_PARTS - 1);
    expect(parts.length).toBeGreaterThan(recent);
    expect(parts.at(-1)).toEqual({ path: '/pagefind/2021/', year: '2021' });
    for (const width of [1280, 390]) {
      const page = await suite.browser.newPage({ viewport: { width, height: 900 } });
      const watch = watchPage(page);
      await watch.ready;
      const loaded = partsLoaded(page);
      await page.goto(`${suite.runtime.url}/search/?q=${encodeURIComponent(QUERY)}`);
      const status = await settled(page);
      // Only the primary and the newest `recent` parts were loaded, and the page says it searched recent articles.
      expect([...loaded].sort()).toEqual(['/pagefind/', ...parts.slice(0, recent).map((p) => p.path)].sort());
      expect(says(t.searchFoundRecent, status) || says(t.searchNoneRecent, status)).toBe(true);
      for (const d of await page.locator('.search-result time').allTextContents())
        expect(d.startsWith('2021')).toBe(false);
      const older = page.getByRole('button', { name: t.searchOlder });
      await expect(older.isVisible()).resolves.toBe(true);
      // The year filter lists every year from the manifest, the default first.
      expect(await page.locator('select[name="year"] option').allTextContents()).toEqual([
        t.searchRecent,
        t.searchAllYears,
        '2022',
        '2021',
      ]);
      await screenshot(page, `search-scope-recent-${width}`);

      // 搜索更早的文章: the rest is merged on the same page, the URL can be linked as the page now is.
      await older.click();
      await page.waitForURL(/[?&]year=all/);
      const all = await settled(page);
      expect(says(t.searchFound, all)).toBe(true);
      expect([...loaded].sort()).toEqual(['/pagefind/', ...parts.map((p) => p.path)].sort());
      const dates = await page.locator('.search-result time').allTextContents();
      expect(dates.some((d) => d.startsWith('2021'))).toBe(true);
      expect(dates.some((d) => d.startsWith('2022'))).toBe(true);
      expect(await page.locator('select[name="year"]').inputValue()).toBe(SEARCH_ALL_YEARS);
      await expect(older.isVisible()).resolves.toBe(false);
      // Focus moves to the status line the new results are announced in, not back to the page's top.
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-search-status'))).toBe(
        true,
      );
      await screenshot(page, `search-scope-all-${width}`);
      expect(watch.problems).toEqual([]);
      await page.close();
    }
  });

  it('merges only the chosen year’s parts, and all of them for year=all', { timeout: 90_000 }, async () => {
    const { parts } = await manifest();
    const page = await suite.browser.newPage();
    const watch = watchPage(page);
    await watch.ready;
    const loaded = partsLoaded(page);
    await page.goto(`${suite.runtime.url}/search/?q=${encodeURIComponent(QUERY)}&year=2021`);
    expect(says(t.searchFound, await settled(page))).toBe(true);
    expect([...loaded].sort()).toEqual(['/pagefind/', '/pagefind/2021/']);
    const dates = await page.locator('.search-result time').allTextContents();
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d.startsWith('2021')).toBe(true);
    expect(await page.locator('select[name="year"]').inputValue()).toBe('2021');
    await expect(page.locator('[data-search-older]').isVisible()).resolves.toBe(false);

    // A linked all-years result page loads every part at once.
    loaded.clear();
    await page.goto(`${suite.runtime.url}/search/?q=${encodeURIComponent(QUERY)}&year=${SEARCH_ALL_YEARS}`);
    await settled(page);
    expect([...loaded].sort()).toEqual(['/pagefind/', ...parts.map((p) => p.path)].sort());
    expect(await page.locator('select[name="year"]').inputValue()).toBe(SEARCH_ALL_YEARS);
    expect(watch.problems).toEqual([]);
    await page.close();
  });

  it('keeps Lighthouse at 100 for accessibility, best practices and SEO with the control shown', {
    timeout: 120_000,
  }, async () => {
    const DETERMINISTIC: readonly Category[] = ['accessibility', 'best-practices', 'seo'];
    // 信访 is in recent articles too, so the page shows results and 「搜索更早的文章」 (test/e2e/lighthouse.test.ts audits
    // the sample site's /search/?q=信访, whose two parts are all in the default scope, without the control).
    const report = await audit(
      chrome(),
      `${suite.runtime.url}/search/?q=${encodeURIComponent('信访')}`,
      DETERMINISTIC,
    );
    const failing = DETERMINISTIC.flatMap((c) => report.failing[c].map((line) => `${c}: ${line}`));
    expect({ scores: DETERMINISTIC.map((c) => [c, report.scores[c]]), failing }).toEqual({
      scores: DETERMINISTIC.map((c) => [c, 100]),
      failing: [],
    });
  });
});
