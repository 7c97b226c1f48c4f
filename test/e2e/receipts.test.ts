// A contributor's receipt, in Chromium through the local runtime: they send a piece on the 投稿 page, keep the
// receipt and its lookup link, see 待审 on 稿件查询, and after an editor publishes it see 已发布 with the link to
// their article, at 1280 and 390 wide. A wrong receipt says only 未找到. No console error, failed request or CSP
// violation on the way.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, watchPage } from '../support/browser.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';
import { useBrowserSuite } from '../support/suite.ts';

const sizes = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

const suite = useBrowserSuite(startSiteRuntime);

async function open(size: keyof typeof sizes, path: string) {
  const context = await suite.browser.newContext({ viewport: sizes[size], locale: 'zh-CN' });
  const page = await context.newPage();
  const { problems, ready } = watchPage(page);
  await ready;
  const response = await page.goto(`${suite.runtime.url}${path}`);
  expect(response?.status()).toBe(200);
  return { page, problems };
}

async function fitsWidth(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

describe('contributor receipts', () => {
  it('a contributor submits, keeps the receipt, and later sees 已发布 with the link', async () => {
    const title = '端到端测试：回执查询';
    const { page, problems } = await open('desktop', '/submit/');
    await page.fill('#title', title);
    await page.selectOption('#channel', 'law/cases');
    await page.fill('#body', '## 小标题\n\n社区法律援助站本周开放，欢迎咨询。');
    await page.fill('#contact-email', 'reporter@example.cn');
    await page.click('form[data-submission] button[type="submit"]');
    await page.waitForSelector('[data-receipt-block]:not([hidden])');
    const id = (await page.textContent('[data-submission-id]')) ?? '';
    const receipt = (await page.textContent('[data-submission-receipt]')) ?? '';
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(receipt).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const link = (await page.getAttribute('[data-status-link]', 'href')) ?? '';
    // An absolute link to bookmark; id and receipt ride in the fragment, which no request carries.
    expect(link).toBe(`${suite.runtime.url}/submit/status/#${new URLSearchParams({ id, receipt })}`);
    const saved = link.slice(suite.runtime.url.length);
    await screenshot(page, 'receipts-desktop-submit-confirmation');

    // The kept link: 待审. The receipt leaves the address bar.
    await Promise.all([page.waitForURL(/\/submit\/status\//), page.click('[data-status-link]')]);
    await page.waitForSelector('[data-status-answer]:not([hidden])');
    expect(await page.textContent('[data-status-answer] h2')).toBe('待审');
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.textContent('[data-status-answer]')).not.toContain('reporter@example.cn');
    await screenshot(page, 'receipts-desktop-status-pending');

    // An editor publishes it.
    const published = await suite.runtime.fetch(`/api/admin/submissions/${id}/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.runtime.editorToken}` },
    });
    expect(published.status).toBe(200);
    const { url } = (await published.json()) as { url: string };
    await expect.poll(async () => (await suite.runtime.fetch(url)).status, { timeout: 15_000 }).toBe(200);

    // Later, on a phone, from the saved link: 已发布, with the link to the article.
    const later = await open('phone', saved);
    await later.page.waitForSelector('[data-status-answer]:not([hidden])');
    expect(await later.page.textContent('[data-status-answer] h2')).toBe('已发布');
    expect(await later.page.getAttribute('[data-status-answer] a', 'href')).toBe(url);
    await fitsWidth(later.page);
    await screenshot(later.page, 'receipts-phone-status-published');
    await Promise.all([
      later.page.waitForURL(`${suite.runtime.url}${url}`),
      later.page.click('[data-status-answer] a'),
    ]);
    expect(await later.page.textContent('h1')).toBe(title);

    // Typed by hand with a wrong receipt: 未找到, and nothing more.
    const wrong = await open('desktop', '/submit/status/');
    await wrong.page.fill('#status-id', id);
    await wrong.page.fill('#status-receipt', `${receipt.slice(0, -1)}${receipt.endsWith('A') ? 'B' : 'A'}`);
    await wrong.page.click('form[data-status-form] button[type="submit"]');
    await wrong.page.waitForSelector('[data-status-answer]:not([hidden])');
    expect(await wrong.page.textContent('[data-status-answer] h2')).toBe('未找到');
    await screenshot(wrong.page, 'receipts-desktop-status-not-found');
    const phone = await open('phone', '/submit/status/');
    await fitsWidth(phone.page);
    await screenshot(phone.page, 'receipts-phone-status-empty');

    // Pages fail only where the test meant them to (the 404 of the wrong receipt is an API answer).
    expect([...problems, ...later.problems, ...phone.problems]).toEqual([]);
    expect(wrong.problems.filter((p) => !p.includes('404'))).toEqual([]);
  }, 180_000);
});
