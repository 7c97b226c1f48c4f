// The 投稿 page with photos: each file gets a presigned POST, uploads with a progress bar, takes a caption, and the
// submission carries the keys and captions in order. A file that is not an allowed image never leaves the suite.browser.
import { describe, expect, it } from 'vitest';
import { screenshot, viewports, watchPage } from '../support/browser.ts';
import { scenicJpeg } from '../support/photos.ts';
import { useBrowserSuite } from '../support/suite.ts';

const suite = useBrowserSuite();

describe('投稿 page photos', () => {
  it('uploads photos with progress, takes captions, and submits them with the article', async () => {
    const page = await suite.browser.newPage({ viewport: viewports.phone });
    const { problems } = watchPage(page);
    const grants: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/uploads')) grants.push(request.method());
    });
    await page.goto(`${suite.runtime.url}/submit/`);
    await page.fill('#title', '社区小店的抗疫日常');
    await page.selectOption('#channel', 'focus/public-welfare');
    await page.fill('#body', '疫情期间，社区小店坚持营业，保障居民生活。');
    const files = await Promise.all(
      [0, 1].map(async (i) => ({
        name: `shop-${i + 1}.jpg`,
        mimeType: 'image/jpeg',
        buffer: await scenicJpeg(1600, 1200, 40 + i * 120),
      })),
    );
    await page.setInputFiles('#photo-files', [
      ...files,
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
    ]);
    const items = page.locator('[data-photo-list] li');
    await expect.poll(() => items.count()).toBe(3);
    await expect
      .poll(() => page.locator('[data-photo-list] li[data-key]').count(), { timeout: 10_000 })
      .toBe(2);
    for (const i of [0, 1])
      expect(
        await items
          .nth(i)
          .locator('progress')
          .evaluate((p) => (p as HTMLProgressElement).value),
      ).toBe(100);
    expect(await items.nth(2).getAttribute('data-failed')).toBe('true');
    expect(await items.nth(2).textContent()).toContain('只能上传 JPEG、PNG 或 WebP 照片');
    expect(grants).toEqual(['POST', 'POST']);
    await items.nth(0).locator('[data-photo-caption]').fill('店主为居民配送生活物资');
    await items.nth(1).locator('[data-photo-caption]').fill('夜色中仍在营业的社区便利店');
    await screenshot(page, 'submit-photos-phone');
    await page.click('form[data-submission] button[type="submit"]');
    await expect.poll(() => page.locator('[data-submission-confirmation]').isVisible()).toBe(true);
    const id = (await page.locator('[data-submission-id]').textContent()) ?? '';

    const stored = await suite.runtime.fetch(`/api/admin/submissions/${id}`, {
      headers: { authorization: `Bearer ${suite.runtime.editorToken}` },
    });
    const article = (await stored.json()) as { images: { caption: string; state: string }[] };
    await suite.runtime.uploads.idle();
    expect(article.images.map((i) => i.caption)).toEqual([
      '店主为居民配送生活物资',
      '夜色中仍在营业的社区便利店',
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
