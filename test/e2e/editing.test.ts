// Editing in Chromium through the local runtime: an editor corrects the published seed article on the desk and
// readers get the 更正 box, 更新时间 and the same URL (valid HTML, Lighthouse 100 where timing plays no part); two
// editors save the same article from two browser contexts and the second is told who got there first.
import { HtmlValidate } from 'html-validate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, viewports, watchPage } from '../support/browser.ts';
import { ensureEditorialPages } from '../support/editorial-pages.ts';
import { audit, type Category, launchLighthouseChrome } from '../support/lighthouse.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';

const SEED_PATH = '/2022/0415/2a8c6bce1fad40bb.html';
const SEED_TITLE = '在大战大考中守好小店阵地';
const NOTE = '本文第一段中“动车站”应为“高铁站”，已更正。';

let runtime: TestRuntime;
let browser: Browser;

beforeAll(async () => {
  runtime = await startSiteRuntime();
  await ensureEditorialPages(runtime);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.dispose();
});

/** A desk signed in with `token`, in its own browser context (its own sessionStorage). */
async function deskAs(token: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: viewports.desktop, locale: 'zh-CN' });
  const page = await context.newPage();
  const { problems, ready } = watchPage(page);
  await ready;
  await page.goto(`${runtime.url}/admin/`);
  await page.waitForSelector('[data-local-token]:not([hidden])');
  await page.fill('#editor-token', token);
  await page.click('[data-local-token] button[type="submit"]');
  await page.waitForSelector('[data-desk]:not([hidden])');
  return { context, page, problems };
}

async function openArticle(page: Page, queue: string, title: string): Promise<void> {
  await page.click(`[data-queue-status="${queue}"]`);
  await page.locator('[data-queue] .queue-item', { hasText: title }).first().click();
  await expect.poll(() => page.textContent('[data-article-title]'), SLOW).toBe(title);
}

const status = (page: Page) => page.textContent('[data-desk-status]');
/** The machine is shared: a save, a render or a page load may take seconds. */
const SLOW = { timeout: 20_000 };

describe('a public correction (更正)', () => {
  it('an editor corrects the published seed article; the page shows 更正, 更新时间 and keeps its URL', {
    timeout: 180_000,
  }, async () => {
    const { context, page, problems } = await deskAs(runtime.editorToken);
    await openArticle(page, 'published', SEED_TITLE);
    await page.click('[data-view="edit"]');
    const body = await page.inputValue('#edit-body');
    expect(body).toContain('动车站');
    await page.fill('#edit-body', body.replace('动车站', '高铁站'));
    await page.check('#edit-correction');
    await page.fill('#edit-correction-note', NOTE);
    await page.click('[data-edit-form] button[type="submit"]');
    await expect.poll(() => status(page), { timeout: 15_000 }).toMatch(/^已保存为第 \d+ 版，并公开更正。$/);
    await screenshot(page, 'editor-desk-correction');

    // The timeline names the correction and who made it.
    await page.click('[data-view="history"]');
    await expect
      .poll(() => page.locator('[data-history] li[data-action="correction"]').textContent(), SLOW)
      .toContain('admin');
    expect(problems).toEqual([]);
    await context.close();

    // The stream re-renders the page; readers get the correction at the same address.
    await expect
      .poll(async () => (await (await runtime.fetch(SEED_PATH)).text()).includes(NOTE), { timeout: 60_000 })
      .toBe(true);
    for (const size of ['desktop', 'phone'] as const) {
      const reader = await browser.newPage({ viewport: viewports[size] });
      const watched = watchPage(reader);
      await watched.ready;
      const response = await reader.goto(`${runtime.url}${SEED_PATH}`);
      expect(response?.status()).toBe(200);
      expect(new URL(reader.url()).pathname).toBe(SEED_PATH);
      expect(await reader.locator('.correction h2').textContent()).toBe('更正');
      const line = (await reader.locator('.correction p').textContent()) ?? '';
      expect(line).toMatch(/^\d{4}-\d{2}-\d{2} /);
      expect(line).toContain(NOTE);
      expect(await reader.locator('.article-meta').textContent()).toMatch(
        /更新时间:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/,
      );
      expect(await reader.locator('.article-body p').first().textContent()).toContain('高铁站');
      await screenshot(reader, `corrected-article-${size}`);
      expect(watched.problems).toEqual([]);
      await reader.close();
    }

    const html = await (await runtime.fetch(SEED_PATH)).text();
    const jsonLd = JSON.parse(
      /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}',
    );
    expect(jsonLd.correction).toEqual([
      { '@type': 'CorrectionComment', text: NOTE, datePublished: expect.any(String) },
    ]);
    expect(jsonLd.dateModified).toBe(jsonLd.correction[0].datePublished);
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('the corrected page still scores 100 in accessibility, best practices and SEO (Lighthouse, mobile)', {
    timeout: 150_000,
  }, async () => {
    const deterministic: readonly Category[] = ['accessibility', 'best-practices', 'seo'];
    const chrome = await launchLighthouseChrome();
    try {
      const html = await (await runtime.fetch(SEED_PATH)).text();
      expect(html).toContain('class="correction"');
      const report = await audit(chrome, `${runtime.url}${SEED_PATH}`, deterministic);
      const failing = deterministic.flatMap((c) => report.failing[c].map((line) => `${c}: ${line}`));
      console.log(
        `Lighthouse on the corrected seed page: ${deterministic.map((c) => `${c} ${report.scores[c]}`).join(', ')}`,
      );
      expect({ scores: deterministic.map((c) => [c, report.scores[c]]), failing }).toEqual({
        scores: deterministic.map((c) => [c, 100]),
        failing: [],
      });
    } finally {
      await chrome.close();
    }
  });
});

describe('two editors, one article', () => {
  it('the second save from the same revision is refused and says who saved first', {
    timeout: 120_000,
  }, async () => {
    const title = '两位编辑同时修改的稿件';
    const created = await runtime.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title, body: '第一段。\n\n第二段。', author: '', channel: 'law/cases' }),
    });
    expect(created.status).toBe(201);

    const first = await deskAs(runtime.editorToken);
    const second = await deskAs(runtime.chiefEditorToken);
    for (const { page } of [first, second]) {
      await openArticle(page, 'pending', title);
      await page.click('[data-view="edit"]');
    }
    await first.page.fill('#edit-body', '第一段，由第一位编辑修改。\n\n第二段。');
    await first.page.click('[data-edit-form] button[type="submit"]');
    await expect.poll(() => status(first.page), SLOW).toMatch(/^已保存为第 2 版/);

    const mine = '第一段。\n\n第二段，由第二位编辑修改。';
    await second.page.fill('#edit-body', mine);
    await second.page.click('[data-edit-form] button[type="submit"]');
    await expect
      .poll(() => status(second.page), SLOW)
      .toMatch(
        /^未保存：Revision 1 is out of date: revision 2 was saved by admin at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\./,
      );
    expect(await second.page.getAttribute('[data-desk-status]', 'data-tone')).toBe('error');
    // Nothing of the second editor's is lost from the form, and nothing of it was stored.
    expect(await second.page.inputValue('#edit-body')).toBe(mine);
    await screenshot(second.page, 'editor-desk-conflict');
    const stored = await (
      await runtime.fetch('/api/admin/submissions?status=pending', {
        headers: { authorization: `Bearer ${runtime.editorToken}` },
      })
    ).json();
    const item = stored.items.find((i: { title: string }) => i.title === title);
    expect(item.revision).toBe(2);
    expect([...first.problems, ...second.problems].filter((p) => !p.includes('409'))).toEqual([]);
    await first.context.close();
    await second.context.close();
  });
});
