// The people who use the site, in Chromium, through the local runtime (gateway = CloudFront + HTTP API, same CSP):
// a contributor sends a piece, an editor publishes it, and a reader finds and reads the seed article, at desktop
// and phone sizes. Every page must load with no console error, no failed request and no CSP violation.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, viewports, watchPage } from '../support/browser.ts';
import { ensureEditorialPages } from '../support/editorial-pages.ts';
import { loadApiEvent } from '../support/events.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';

type Size = keyof typeof viewports;

const SEED_PATH = '/2022/0415/2a8c6bce1fad40bb.html';
const SEED_ID = '2a8c6bce1fad40bb';
const SEED_TITLE = '在大战大考中守好小店阵地';
/** The seed's older neighbour in 聚焦 > 公益 (sample content). */
const seed = JSON.parse(loadApiEvent('submit/seed-article.json').body ?? '{}') as Record<string, string>;

let runtime: TestRuntime;
let browser: Browser;
let readerAgent: string;
const contexts = new Map<Size, BrowserContext>();

beforeAll(async () => {
  runtime = await startSiteRuntime();
  await ensureEditorialPages(runtime);
  browser = await launchBrowser();
  // Headless Chromium says so in its User-Agent, and the views function rightly does not count robots; readers
  // use the same engine with an ordinary User-Agent.
  readerAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.dispose();
});

async function contextFor(size: Size): Promise<BrowserContext> {
  let context = contexts.get(size);
  if (!context) {
    context = await browser.newContext({
      viewport: viewports[size],
      userAgent:
        size === 'phone'
          ? 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
            `Chrome/${browser.version()} Mobile Safari/537.36`
          : readerAgent,
      ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      locale: 'zh-CN',
    });
    contexts.set(size, context);
  }
  return context;
}

interface Visit {
  readonly page: Page;
  readonly problems: string[];
  /** Every response the page got with a status of 400 or more, the API's included. */
  readonly errors: string[];
}

async function open(size: Size, path: string, status = 200): Promise<Visit> {
  const page = await (await contextFor(size)).newPage();
  const { problems, ready } = watchPage(page);
  await ready;
  const errors: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  const response = await page.goto(`${runtime.url}${path}`);
  expect(response?.status()).toBe(status);
  return { page, problems, errors };
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** No horizontal scroll: nothing is wider than the viewport. */
async function expectFitsWidth(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${pathOf(page)} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

/** Checks the page at this size and saves a screenshot for a person to look at. */
async function look(page: Page, size: Size, name: string): Promise<void> {
  if (size === 'phone') await expectFitsWidth(page);
  await screenshot(page, `journey-${size}-${name}`);
}

async function clickAndWait(page: Page, selector: string, path: string): Promise<void> {
  await Promise.all([page.waitForURL(`${runtime.url}${path}`), page.click(selector)]);
  expect(pathOf(page)).toBe(path);
}

const viewReport = (page: Page): Promise<Response> =>
  page.waitForResponse((r) => r.url().endsWith(`/api/views/${SEED_ID}`) && r.request().method() === 'POST');

/** The count the page shows once views.js has reported this load. */
async function shownViews(page: Page, report: Promise<Response>): Promise<number> {
  const response = await report;
  expect(response.status()).toBe(200);
  const { views } = (await response.json()) as { views: number };
  await expect.poll(() => page.textContent(`[data-views-for="${SEED_ID}"]`)).toBe(String(views));
  return views;
}

async function readerJourney(size: Size): Promise<void> {
  const { page, problems, errors } = await open(size, '/');
  const seedLink = `main a[href="${SEED_PATH}"]`;

  // Home: the seed article is listed.
  expect(await page.locator(seedLink).first().textContent()).toBe(SEED_TITLE);
  await look(page, size, 'home');

  // Channel 聚焦 from the navigation, and the article from there.
  await clickAndWait(page, '.site-nav a[href="/focus/"]', '/focus/');
  expect(await page.textContent('main h1')).toBe('聚焦');
  await look(page, size, 'channel');
  const firstReport = viewReport(page);
  await clickAndWait(page, seedLink, SEED_PATH);

  // Every element of the seed page.
  expect(await page.locator('.breadcrumb li').allTextContents()).toEqual(['首页', '聚焦', '公益']);
  expect(await page.getAttribute('.site-header a.submit-link', 'href')).toBe('/submit/');
  expect(await page.textContent('.site-header a.submit-link')).toBe('投稿');
  expect(await page.textContent('h1')).toBe(SEED_TITLE);
  expect(await page.title()).toBe(`${SEED_TITLE} - 法治周刊新媒体`);
  expect(await page.textContent('.article-meta time')).toBe('2022-04-15 18:52:40');
  expect(await page.getAttribute('.article-meta time', 'datetime')).toBe('2022-04-15T18:52:40+08:00');
  const meta = (await page.textContent('.article-meta')) ?? '';
  expect(meta).toMatch(/点击量:\d+/);
  expect(meta).toContain('责任编辑:admin');
  expect(await page.locator('.article-body h2').allTextContents()).toEqual([
    '尽锐出战 以快制快',
    '党员带头 勇担重任',
    '全面闭环 筑牢防线',
  ]);
  expect(await page.locator('.article-body p').count()).toBeGreaterThan(10);
  expect(await page.textContent('.article-foot')).toContain('文章来源:法治周刊新媒体');
  expect(await page.textContent('.article-foot')).toContain('责任编辑:admin');
  expect(await page.textContent('.copyright h2')).toBe('版权声明:');
  expect(await page.locator('.copyright p').allTextContents()).toEqual([
    expect.stringMatching(/^凡注明来源为“法治周刊”的所有文字.*不得进行一切形式的下载、转载或建立镜像。$/),
    expect.stringMatching(
      /^凡注明为其它来源的信息,均转载自其它媒体.*并不代表本网赞同其观点和对其真实性负责。$/,
    ),
  ]);
  await look(page, size, 'article');

  // 点击量: one more on reload.
  const before = await shownViews(page, firstReport);
  const secondReport = viewReport(page);
  await page.reload();
  expect(await shownViews(page, secondReport)).toBe(before + 1);

  // Previous article (上一篇/下一篇 run through the whole site by publish time), and back through its 下一篇.
  const previousLink = page.locator('.prev-next p').first().locator('a');
  const previousPath = (await previousLink.getAttribute('href')) ?? '';
  const previousTitle = await previousLink.textContent();
  expect(previousPath).toMatch(/^\/\d{4}\/\d{4}\/[0-9a-f]{16}\.html$/);
  expect(previousPath < SEED_PATH).toBe(true);
  await clickAndWait(page, '.prev-next p:first-child a', previousPath);
  expect(await page.textContent('h1')).toBe(previousTitle);
  await look(page, size, 'previous-article');
  await clickAndWait(page, `.prev-next a[href="${SEED_PATH}"]`, SEED_PATH);
  expect(await page.locator(`.prev-next a[href="${previousPath}"]`).count()).toBe(1);

  // Breadcrumb: 公益 lists the article, 聚焦 and 首页 lead up.
  await clickAndWait(page, '.breadcrumb a[href="/focus/public-welfare/"]', '/focus/public-welfare/');
  expect(await page.textContent('main h1')).toBe('公益');
  // Counted in the list itself: the 点击排行 box beside it may name the article too once the hot refresh has run.
  expect(await page.locator(`main .article-list a[href="${SEED_PATH}"]`).count()).toBe(1);
  await look(page, size, 'sub-channel');
  // The index page shows April (the seed's month, the newest); its 较早 link goes to March's archive page.
  await clickAndWait(page, '.pager a[rel="next"]', '/focus/public-welfare/2022/03/');
  expect(await page.locator('main .article-list li').count()).toBeGreaterThan(0);
  await look(page, size, 'sub-channel-older');
  await page.goBack();
  await page.goBack();
  await clickAndWait(page, '.breadcrumb a[href="/focus/"]', '/focus/');
  await page.goBack();
  await clickAndWait(page, '.breadcrumb a[href="/"]', '/');

  expect(problems).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();

  // A wrong URL gets the 404 page; its 404 status is the only complaint.
  const missing = await open(size, '/2022/0415/0000000000000000.html', 404);
  expect(await missing.page.textContent('main h1')).toBe('页面不存在');
  expect(await missing.page.getAttribute('meta[name="robots"]', 'content')).toBe('noindex');
  await look(missing.page, size, 'not-found');
  expect(missing.errors).toEqual(['404 /2022/0415/0000000000000000.html']);
  expect(missing.problems.sort()).toEqual([
    'console: Failed to load resource: the server responded with a status of 404 (Not Found)',
    `http 404: ${runtime.url}/2022/0415/0000000000000000.html`,
  ]);
  await clickAndWait(missing.page, 'main a[href="/"]', '/');
  await missing.page.close();
}

describe('contributor and editor', () => {
  let submissionId = '';
  const title = '端到端测试：社区公益法律咨询日';

  it('contributor: home → 投稿, an error first shown next to its field, then the confirmation', async () => {
    const { page, problems, errors } = await open('desktop', '/');
    await clickAndWait(page, '.site-header a.submit-link', '/submit/');
    await look(page, 'desktop', 'submit');

    // An over-long title and no channel: both errors next to their fields, nothing sent.
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
    await page.fill('#title', '字'.repeat(201));
    await page.fill('#body', seed.body ?? '');
    await page.click('form[data-submission] button[type="submit"]');
    await expect.poll(() => page.getAttribute('#title', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#title-error')).toContain('最多 200 字');
    expect(await page.isVisible('#channel-error')).toBe(true);
    for (const id of ['title', 'channel']) {
      expect(await page.getAttribute(`#${id}`, 'aria-describedby')).toContain(`${id}-error`);
      const field = await page.locator(`#${id}`).boundingBox();
      const error = await page.locator(`#${id}-error`).boundingBox();
      // Right under its own field: below it, and above the next field.
      expect(error && field && error.y >= field.y + field.height - 1 && error.y - field.y < 200).toBe(true);
    }
    expect(posts).toEqual([]);
    await look(page, 'desktop', 'submit-errors');

    await page.fill('#title', title);
    await page.selectOption('#channel', 'law/cases');
    await page.fill('#summary', seed.summary ?? '');
    await page.fill('#contact-email', 'reporter@example.cn');
    await page.click('form[data-submission] button[type="submit"]');
    await page.waitForSelector('[data-submission-confirmation]:not([hidden])');
    submissionId = (await page.textContent('[data-submission-id]')) ?? '';
    expect(submissionId).toMatch(/^[0-9a-f]{16}$/);
    expect(await page.isHidden('#title-error')).toBe(true);
    expect(posts).toEqual(['/api/submissions']);
    await look(page, 'desktop', 'submit-confirmation');

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('editor: /admin/ with the local token, the submission in the queue, preview, publish', async () => {
    expect(submissionId).not.toBe('');
    const { page, problems, errors } = await open('desktop', '/admin/');
    await page.waitForSelector('[data-local-token]:not([hidden])');
    await look(page, 'desktop', 'admin-sign-in');
    await page.fill('#editor-token', runtime.editorToken);
    await page.click('[data-local-token] button[type="submit"]');

    const item = page.locator('[data-queue] .queue-item', { hasText: title });
    await item.waitFor();
    await look(page, 'desktop', 'admin-queue');
    await item.click();
    await page.waitForSelector('[data-preview]:not([hidden])');
    const preview = page.frameLocator('[data-preview-frame]');
    expect(await preview.locator('h1').textContent()).toBe(title);
    expect(await preview.locator('.article-meta').textContent()).toContain('责任编辑:admin');
    expect(await preview.locator('.article-body h2').count()).toBe(3);
    await look(page, 'desktop', 'admin-preview');

    await page.click('[data-publish]');
    // A publish is a transaction with its audit entry: give a loaded machine more than the default second.
    await expect
      .poll(() => page.textContent('[data-desk-status]'), { timeout: 15_000 })
      .toMatch(/已发布：\/\d{4}\/\d{4}\/[0-9a-f]{16}\.html/);
    const url = /\/\d{4}\/\d{4}\/[0-9a-f]{16}\.html/.exec(
      (await page.textContent('[data-desk-status]')) ?? '',
    )?.[0];
    expect(url).toMatch(new RegExp(`^/\\d{4}/\\d{4}/${submissionId}\\.html$`));
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();

    // The stream renders it: the reader gets the page, and the channel lists it.
    await expect.poll(async () => (await runtime.fetch(url ?? '')).status, { timeout: 15_000 }).toBe(200);
    const published = await open('desktop', url ?? '');
    expect(await published.page.textContent('h1')).toBe(title);
    expect(await published.page.textContent('.breadcrumb')).toContain('案例');
    await clickAndWait(published.page, '.breadcrumb a[href="/law/cases/"]', '/law/cases/');
    expect(await published.page.locator(`main a[href="${url}"]`).count()).toBe(1);
    expect(published.problems).toEqual([]);
    expect(published.errors).toEqual([]);
    await published.page.close();
  });
});

// Each reader journey walks about fifteen pages and waits for the view count: on a busy machine that ran up to
// vitest's default 30 s (29.8 s and 30.1 s at a load average of 13), so the two get more room.
describe('reader', { timeout: 90_000 }, () => {
  it('desktop 1366×900: home and channel list the seed article; every element; 点击量 +1; links; 404', async () => {
    await readerJourney('desktop');
  });

  it('phone 390×844: the same journey, never wider than the screen', async () => {
    await readerJourney('phone');
    // The contributor's and editor's pages fit a phone too.
    for (const path of ['/submit/', '/admin/']) {
      const { page, problems, errors } = await open('phone', path);
      await look(page, 'phone', path === '/submit/' ? 'submit' : 'admin-sign-in');
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
