// The editor desk's photo editor: the preview shows the gallery; an editor drops a photo in, edits a caption, drops
// a photo out, saves, and the preview and the stored submission follow — before publishing.
import { describe, expect, it } from 'vitest';
import { screenshot, viewports, watchPage } from '../support/browser.ts';
import { postPhoto, scenicJpeg } from '../support/photos.ts';
import { useBrowserSuite } from '../support/suite.ts';

const suite = useBrowserSuite();
const json = { 'content-type': 'application/json' };

async function upload(hue: number): Promise<string> {
  return (await postPhoto(suite.runtime, await scenicJpeg(1600, 1000, hue), 'p.jpg')).key;
}

describe('editor desk photos', () => {
  it('shows the gallery in the preview; drop in, recaption, remove, save, all before publishing', async () => {
    const keys = [await upload(20), await upload(200)];
    await suite.runtime.uploads.idle();
    const created = await suite.runtime.fetch('/api/submissions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        title: '编辑台组图稿件',
        body: '正文第一段。',
        author: '',
        channel: 'focus/public-welfare',
        images: keys.map((key, i) => ({ key, caption: `原说明 ${i + 1}` })),
      }),
    });
    const { id } = (await created.json()) as { id: string };

    const page = await suite.browser.newPage({ viewport: viewports.desktop });
    const { problems } = watchPage(page);
    await page.goto(`${suite.runtime.url}/admin/`);
    await page.waitForSelector('[data-local-token]:not([hidden])');
    await page.fill('#editor-token', suite.runtime.editorToken);
    await page.click('[data-local-token] button[type="submit"]');
    await page.locator('[data-queue] .queue-item', { hasText: '编辑台组图稿件' }).click();
    const preview = page.frameLocator('[data-preview-frame]');
    await expect.poll(() => preview.locator('.gallery-grid li').count(), { timeout: 15_000 }).toBe(2);
    // The thumbnails are not blank: each has loaded a picture.
    await expect
      .poll(
        () =>
          preview
            .locator('.gallery-grid img')
            .evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth > 0)),
        { timeout: 10_000 },
      )
      .toEqual([true, true]);
    // The photos are edited with the text, in the desk's 编辑 view.
    await page.click('[data-view="edit"]');
    await page.waitForSelector('[data-photo-editor]');
    const rows = page.locator('[data-photo-edits] li');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('.photo-state').textContent()).toBe('已处理');

    // Drop a new photo onto the drop zone, as a file dragged from the desktop.
    const dropped = (await scenicJpeg(1200, 900, 300)).toString('base64');
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));
      const zone = document.querySelector('[data-photo-drop]');
      zone?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, dropped);
    await expect.poll(() => rows.count()).toBe(3);
    await expect
      .poll(() => rows.nth(2).getAttribute('data-key'), { timeout: 10_000 })
      .toMatch(/^uploads\/quarantine\//);
    expect(
      await rows
        .nth(2)
        .locator('progress')
        .evaluate((p) => (p as HTMLProgressElement).value),
    ).toBe(100);
    await suite.runtime.uploads.idle();

    await rows.nth(0).locator('[data-photo-caption]').fill('编辑改过的说明');
    await rows.nth(2).locator('[data-photo-caption]').fill('编辑加的照片');
    await rows.nth(1).getByRole('button', { name: '移除' }).click();
    await page.click('[data-photo-save]');
    await expect.poll(() => page.textContent('[data-desk-status]')).toBe('照片已保存，预览已更新。');
    await expect
      .poll(() => preview.locator('.gallery-grid figcaption').allTextContents())
      .toEqual(['编辑改过的说明', '编辑加的照片']);
    await screenshot(page, 'editor-desk-photos');

    const stored = await suite.runtime.fetch(`/api/admin/submissions/${id}`, {
      headers: { authorization: `Bearer ${suite.runtime.editorToken}` },
    });
    const article = (await stored.json()) as { status: string; images: { key: string; caption: string }[] };
    expect(article.status).toBe('pending');
    expect(article.images.map((i) => i.caption)).toEqual(['编辑改过的说明', '编辑加的照片']);
    expect(article.images[0]?.key).toBe(keys[0]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
