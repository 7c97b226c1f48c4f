// The 投稿 page and the editor desk in Chromium, through the local gateway (same CSP and routes as CloudFront).
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { renderEditorConfig, renderEditorPage } from '#shared/pages/editor-page.ts';
import { renderSubmitPage } from '#shared/pages/submit-page.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { launchBrowser, screenshot, watchPage } from '../support/browser.ts';
import { loadApiEvent } from '../support/events.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
let browser: Browser;
const seed = JSON.parse(loadApiEvent('submit/seed-article.json').body ?? '{}') as Record<string, string>;

/** Until render writes these pages itself, the test puts exactly what the page modules produce into the bucket. */
async function publishEditorialPages(): Promise<void> {
  const s3 = new S3Client({ forcePathStyle: true });
  const assets = loadSiteAssets();
  const context = { siteUrl: runtime.url, assets };
  const put = (Key: string, Body: string | Buffer, ContentType: string) =>
    s3.send(new PutObjectCommand({ Bucket: localNames.SITE_BUCKET, Key, Body, ContentType }));
  await put('submit/index.html', renderSubmitPage(context), 'text/html; charset=utf-8');
  await put('admin/index.html', renderEditorPage(context), 'text/html; charset=utf-8');
  await put('admin/config.json', renderEditorConfig(), 'application/json');
  for (const asset of assets.all) await put(asset.key, asset.body, asset.contentType);
  s3.destroy();
}

const adminApi = async (path: string) =>
  (await runtime.fetch(path, { headers: { authorization: `Bearer ${runtime.editorToken}` } })).json();

beforeAll(async () => {
  runtime = await startTestRuntime();
  await publishEditorialPages();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.dispose();
});

async function openPage(path: string): Promise<{ page: Page; problems: string[]; posts: string[] }> {
  const page = await browser.newPage();
  const { problems } = watchPage(page);
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
  });
  const response = await page.goto(`${runtime.url}${path}`);
  expect(response?.status()).toBe(200);
  return { page, problems, posts };
}

describe('投稿 page', () => {
  it('checks limits before sending, shows server field errors in place, and confirms with the id', async () => {
    const { page, problems, posts } = await openPage('/submit/');

    // Empty form: the page's own check, nothing sent.
    await page.click('form[data-submission] button[type="submit"]');
    await expect.poll(() => page.getAttribute('#title', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#title-error')).toBe('必填。');
    expect(await page.isVisible('#channel-error')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('title');
    expect(posts).toEqual([]);

    // Over the title limit: still caught before sending.
    await page.fill('#title', '字'.repeat(201));
    await page.selectOption('#channel', 'focus/public-welfare');
    await page.fill('#body', seed.body ?? '');
    await page.click('form[data-submission] button[type="submit"]');
    await expect.poll(() => page.textContent('#title-error')).toContain('最多 200 字');
    expect(posts).toEqual([]);

    // Only invisible characters: the page lets it through, the API strips them and says why, next to the field.
    await page.fill('#title', '\u200b\u200b');
    await page.click('form[data-submission] button[type="submit"]');
    await expect.poll(() => page.textContent('#title-error')).toBe('Must not be empty.');
    expect(await page.getAttribute('#title', 'aria-invalid')).toBe('true');
    expect(posts).toEqual(['/api/submissions']);

    await page.fill('#title', seed.title ?? '');
    await page.fill('#summary', seed.summary ?? '');
    await page.fill('#contact-email', 'reporter@example.cn');
    await page.click('form[data-submission] button[type="submit"]');
    await page.waitForSelector('[data-submission-confirmation]:not([hidden])');
    await screenshot(page, 'submit-confirmation');
    const id = (await page.textContent('[data-submission-id]')) ?? '';
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(await page.evaluate(() => document.activeElement?.matches('[data-submission-confirmation]'))).toBe(
      true,
    );
    expect(await page.getAttribute('#title', 'aria-invalid')).toBeNull();

    const stored = await adminApi(`/api/admin/submissions/${id}`);
    expect(stored).toMatchObject({
      status: 'pending',
      title: seed.title,
      contact: { email: 'reporter@example.cn' },
    });
    // Chromium logs the deliberate 400 above; nothing else (no CSP violation, no failed asset) may appear.
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    await page.close();
  });
});

describe('editor desk', () => {
  it('signs in with the local token, previews, refuses an empty reason, publishes and unpublishes', async () => {
    const created = await runtime.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...seed, title: '编辑台测试稿件' }),
    });
    const { id } = (await created.json()) as { id: string };
    const { page, problems } = await openPage('/admin/');

    await page.waitForSelector('[data-local-token]:not([hidden])');
    expect(await page.isHidden('[data-cognito]')).toBe(true);
    await page.fill('#editor-token', runtime.editorToken);
    await page.click('[data-local-token] button[type="submit"]');
    const item = page.locator('[data-queue] .queue-item', { hasText: '编辑台测试稿件' });
    await item.waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('newsroom.editorToken'))).toBe(
      runtime.editorToken,
    );

    await item.click();
    await page.waitForSelector('[data-preview]:not([hidden])');
    const preview = page.frameLocator('[data-preview-frame]');
    expect(await preview.locator('h1').textContent()).toBe('编辑台测试稿件');
    expect(await preview.locator('.article-meta').textContent()).toContain('责任编辑:admin');
    expect(await page.textContent('[data-preview-details]')).toContain('reporter@example.cn');
    await screenshot(page, 'editor-desk-preview');

    // The desk may still be settling the article it just opened (one CI run of three read the error slot empty):
    // the poll sends the empty reason again until the desk answers it.
    await expect
      .poll(
        async () => {
          await page.click('[data-reject] button[type="submit"]');
          return page.textContent('#reject-reason-error');
        },
        { timeout: 15_000 },
      )
      .toBe('请填写退稿理由。');

    await page.click('[data-publish]');
    // A publish is a transaction with its audit entry: give a loaded machine more than the default second.
    await expect
      .poll(() => page.textContent('[data-desk-status]'), { timeout: 15_000 })
      .toMatch(/已发布：\/\d{4}\/\d{4}\/[0-9a-f]{16}\.html/);
    expect(await adminApi(`/api/admin/submissions/${id}`)).toMatchObject({
      status: 'published',
      editor: 'admin',
    });

    await page.click('[data-queue-status="published"]');
    await page.locator('[data-queue] .queue-item', { hasText: '编辑台测试稿件' }).click();
    await page.waitForSelector('[data-unpublish]:not([hidden])');
    expect(await page.isHidden('[data-publish]')).toBe(true);
    expect(await page.isHidden('[data-reject]')).toBe(true);
    await page.click('[data-unpublish]');
    await expect
      .poll(async () => (await adminApi(`/api/admin/submissions/${id}`)).status, { timeout: 15_000 })
      .toBe('unpublished');

    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends a wrong token back to the sign-in form', async () => {
    const { page } = await openPage('/admin/');
    await page.fill('#editor-token', 'not-the-token');
    await page.click('[data-local-token] button[type="submit"]');
    await expect.poll(() => page.textContent('[data-desk-status]')).toContain('登录已失效');
    expect(await page.isVisible('[data-local-token]')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('newsroom.editorToken'))).toBeNull();
    await page.close();
  });
});
