// The desk's 定时发布 and preview links in Chromium through the local runtime: an editor schedules a submission for a
// Beijing time, finds it in 待发布 with that time, makes a preview link that someone without an account opens
// (noindex, no-store), withdraws it, and cancels the schedule. At 1280 and 390 wide, with no console error, failed
// request or CSP violation.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.ts';
import { useDeskSuite } from '../support/desk.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';

const suite = useDeskSuite(startSiteRuntime);
const signedIn = (width: number) => suite.deskAs(suite.runtime.editorToken, { width, height: 900 });

const openItem = async (page: Page, title: string) => {
  const item = page.locator('[data-queue] .queue-item', { hasText: title });
  await item.waitFor();
  await item.click();
  await page.waitForSelector('[data-schedule-panel]:not([hidden])');
};

describe('desk: 定时发布 and preview links', () => {
  it('schedules, lists 待发布 with the time, shares and withdraws a preview link, cancels', async () => {
    const title = '端到端测试：明早七点发布';
    const sent = await suite.runtime.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title, body: '## 小标题\n\n正文。', author: '', channel: 'law/cases' }),
    });
    expect(sent.status).toBe(201);

    const { page, problems } = await signedIn(1280);
    await openItem(page, title);
    const tomorrow = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.fill('#schedule-at', `${tomorrow}T07:00`);
    await page.click('[data-schedule-form] button[type="submit"]');
    const said = async () =>
      `${await page.textContent('[data-desk-status]')}|${await page.textContent('[data-schedule-error]')}`;
    await expect.poll(said, { timeout: 15_000 }).toContain('将于');

    await page.click('[data-queue-status="scheduled"]');
    const row = page.locator('[data-queue] .queue-item', { hasText: title });
    await row.waitFor();
    expect(await row.textContent()).toContain('定时');
    await row.click();
    await page.waitForSelector('[data-scheduled-at]:not([hidden])');
    expect(await page.textContent('[data-scheduled-at]')).toContain('07:00');
    expect(await page.isVisible('[data-unschedule]')).toBe(true);

    await page.click('[data-preview-link]');
    await page.waitForSelector('[data-preview-link-result]:not([hidden])');
    const link = await page.inputValue('[data-preview-link-url]');
    expect(link).toContain('/api/previews/');
    await screenshot(page, 'desk-schedule-desktop');

    // Someone without an account opens it: the article, kept out of search engines and caches.
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toContain(title);

    await page.click('[data-revoke-previews]');
    await expect
      .poll(() => page.textContent('[data-desk-status]'), { timeout: 15_000 })
      .toContain('预览链接已全部作废');
    expect((await fetch(link)).status).toBe(404);

    await page.waitForSelector('[data-unschedule]:not([hidden])');
    await page.click('[data-unschedule]');
    await expect
      .poll(() => page.textContent('[data-desk-status]'), { timeout: 15_000 })
      .toContain('已取消定时发布');
    expect(problems).toEqual([]);

    // The phone: one column, nothing wider than the screen.
    const phone = await signedIn(390);
    await openItem(phone.page, title);
    const { scrollWidth, innerWidth } = await phone.page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await screenshot(phone.page, 'desk-schedule-phone');
    expect(phone.problems).toEqual([]);
  }, 240_000);
});
