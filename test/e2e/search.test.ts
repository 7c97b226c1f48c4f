// A reader searches for 信访 from the seed article's header box and reaches the seed article through the results,
// in Chromium at 1280 and 390 wide, through the local runtime (the gateway serves /search/ with the search page's
// CSP). No console error, failed request or CSP violation on the way.
import { describe, expect, it } from 'vitest';
import { screenshot, watchPage } from '../support/browser.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';
import { useBrowserSuite } from '../support/suite.ts';

const SEED_PATH = '/2022/0415/2a8c6bce1fad40bb.html';
const SEED_TITLE = '在大战大考中守好小店阵地';

const suite = useBrowserSuite(startSiteRuntime);

describe('site search journey', () => {
  for (const width of [1280, 390]) {
    it(`finds the seed article by 信访 from its own header, ${width} wide`, { timeout: 90_000 }, async () => {
      const page = await suite.browser.newPage({ viewport: { width, height: 900 } });
      const watch = watchPage(page);
      await watch.ready;
      await page.goto(`${suite.runtime.url}${SEED_PATH}`);
      await screenshot(page, `search-header-${width}`);
      const box = page.getByRole('search').getByRole('searchbox');
      await box.fill('信访');
      await box.press('Enter');
      await page.waitForURL(/\/search\/\?q=/);
      expect(new URL(page.url()).searchParams.get('q')).toBe('信访');
      await page.locator('.search-result').first().waitFor();
      // The status is written once the first page of results is filled (candidates are checked ten at a time).
      await page.waitForFunction(
        () => !document.querySelector('[data-search-status]')?.textContent?.includes('…'),
      );
      expect(await page.locator('[data-search-status]').textContent()).toContain('信访');
      // Every snippet marks the word as typed.
      const marks = await page.locator('.search-snippet mark').allTextContents();
      expect(marks.length).toBeGreaterThan(0);
      expect(new Set(marks)).toEqual(new Set(['信访']));
      // Each result: a linked title, a date and a channel.
      const first = page.locator('.search-result').first();
      await expect(first.locator('h2 a').getAttribute('href')).resolves.toMatch(
        /^\/\d{4}\/\d{4}\/[0-9a-f]{16}\.html$/,
      );
      expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await screenshot(page, `search-results-${width}`);
      const seedLink = page.locator('.search-result h2 a', { hasText: SEED_TITLE });
      for (let i = 0; i < 5 && (await seedLink.count()) === 0; i++) {
        await page.locator('[data-search-more]').click();
        await page.waitForTimeout(300);
      }
      await seedLink.click();
      await page.waitForURL(`**${SEED_PATH}`);
      expect(await page.locator('h1').textContent()).toBe(SEED_TITLE);
      expect(watch.problems).toEqual([]);
      await page.close();
    });
  }

  it('narrows by channel and year from the URL, so a filtered search can be linked', {
    timeout: 60_000,
  }, async () => {
    const page = await suite.browser.newPage();
    const watch = watchPage(page);
    await watch.ready;
    await page.goto(
      `${suite.runtime.url}/search/?q=${encodeURIComponent('核酸检测')}&channel=${encodeURIComponent('法治')}`,
    );
    await page.locator('[data-search-status]:not(:empty)').waitFor();
    await page.waitForFunction(
      () => !document.querySelector('[data-search-status]')?.textContent?.includes('…'),
    );
    const channels = await page.locator('.search-result .search-meta span').allTextContents();
    expect(channels.length).toBeGreaterThan(0);
    for (const c of channels) expect(c.startsWith('法治')).toBe(true);
    expect(await page.locator('select[name="channel"]').inputValue()).toBe('法治');
    // 民法典 is in a 2022 sample article and in one from 2021.
    await page.goto(`${suite.runtime.url}/search/?q=${encodeURIComponent('民法典')}&year=2021`);
    await page.waitForFunction(() => {
      const status = document.querySelector('[data-search-status]')?.textContent ?? '';
      return status !== '' && !status.includes('…');
    });
    const dates = await page.locator('.search-result time').allTextContents();
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d.startsWith('2021')).toBe(true);
    expect(await page.locator('select[name="year"]').inputValue()).toBe('2021');
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
