// Must-show for photos: a submission with three photos goes upload → processing → publish through the local
// runtime, and its page has a gallery that works in a browser with JavaScript off, by keyboard.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { screenshot, viewports, watchPage } from '../support/browser.ts';
import { hasGpsTag, postPhoto, scenicJpeg } from '../support/photos.ts';
import { useBrowserSuite } from '../support/suite.ts';

const suite = useBrowserSuite();
let pageUrl = '';
const photoIds: string[] = [];
const captions = ['社区党员志愿者在小店门口测温扫码', '店主为居民配送生活物资', '夜色中仍在营业的社区便利店'];

const json = { 'content-type': 'application/json' };

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a submission with three photos, end to end', () => {
  it('uploads three photos through the same-origin form and processes them from the s3rver events', async () => {
    const sizes: [number, number][] = [
      [2400, 1600],
      [1600, 1200],
      [1200, 1800],
    ];
    for (const [i, [width, height]] of sizes.entries()) {
      const photo = await scenicJpeg(width, height, 30 + i * 100);
      expect(hasGpsTag((await sharp(photo).metadata()).exif)).toBe(true);
      const { uploadId } = await postPhoto(suite.runtime, photo, `photo-${i}.jpg`);
      photoIds.push(uploadId);
    }
    await suite.runtime.uploads.idle();
    // Processed, but not public: nothing is served until an editor publishes an article that shows them.
    for (const id of photoIds) expect((await suite.runtime.fetch(`/media/${id}/480.webp`)).status).toBe(404);
  });

  it('submits them with captions, an editor publishes, and the page follows', async () => {
    const submitted = await suite.runtime.fetch('/api/submissions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        title: '社区小店的抗疫日常',
        body: `疫情期间,社区小店坚持营业,保障居民生活。\n\n![${captions[1]}](uploads/quarantine/${photoIds[1]})\n\n## 党员带头\n\n志愿者每天在店门口值守。`,
        author: '李记者',
        source: '山西法治报',
        channel: 'focus/public-welfare',
        images: photoIds.map((id, i) => ({ key: `uploads/quarantine/${id}`, caption: captions[i] })),
      }),
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const published = await suite.runtime.fetch(`/api/admin/submissions/${id}/publish`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${suite.runtime.editorToken}` },
    });
    expect(published.status).toBe(200);
    pageUrl = ((await published.json()) as { url: string }).url;
    const html = await waitFor(async () => {
      const response = await suite.runtime.fetch(pageUrl);
      return response.status === 200 ? response.text() : undefined;
    });
    expect(html.match(/<li><figure><a href="#photo-\d">/g)).toHaveLength(3);
    for (const caption of captions) expect(html).toContain(`<figcaption>${caption}</figcaption>`);
    expect(html).toContain(
      `<meta property="og:image" content="http://127.0.0.1:3000/media/${photoIds[0]}/1600.jpg">`,
    );
    expect(html).not.toContain('uploads/quarantine');
    // Published with the article, without what the camera recorded.
    for (const id of photoIds) {
      const served = await suite.runtime.fetch(`/media/${id}/480.webp`);
      expect(served.status).toBe(200);
      expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).exif).toBeUndefined();
    }
  });

  it('works in the browser with JavaScript off: thumbnails load, a keyboard opens, steps through and closes photos', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false, viewport: viewports.phone });
    const page = await context.newPage();
    const { problems } = watchPage(page);
    await page.goto(`${suite.runtime.url}${pageUrl}`);
    const gallery = page.locator('section.gallery');
    await gallery.scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        gallery
          .locator('.gallery-grid img')
          .evaluateAll((imgs) =>
            imgs.every(
              (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
            ),
          ),
      )
      .toBe(true);
    expect(await page.locator('.lightbox').first().isVisible()).toBe(false);

    // Keyboard only: focus the first thumbnail link and press Enter.
    await gallery.locator('.gallery-grid a').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#photo-1');
    const first = page.locator('#photo-1');
    expect(await first.isVisible()).toBe(true);
    await expect
      .poll(() => first.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    const box = await first.boundingBox();
    expect(box?.width).toBe(viewports.phone.width);
    await screenshot(page, 'gallery-lightbox-phone');

    // Next photo, then back to the grid, all by keyboard.
    await first.getByRole('link', { name: '下一张' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#photo-2');
    expect(await page.locator('#photo-2').isVisible()).toBe(true);
    expect(await first.isVisible()).toBe(false);
    await page.locator('#photo-2').getByRole('link', { name: '返回组图' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#gallery-title');
    expect(await page.locator('.lightbox:visible').count()).toBe(0);

    // The full-size link is the original's largest processed size.
    // Hidden views are outside the accessibility tree, so this one is found by its markup.
    const original = await page.locator('#photo-3 .lightbox-nav a[href^="/media/"]').getAttribute('href');
    expect(original).toBe(`/media/${photoIds[2]}/1200.jpg`);
    expect((await suite.runtime.fetch(original ?? '')).status).toBe(200);

    // Every image on the page reserves its box: no layout shift while photos load.
    const unsized = await page.locator('img:not([width]), img:not([height])').count();
    expect(unsized).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
