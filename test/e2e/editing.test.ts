// Editing in Chromium through the local runtime: an editor corrects the published seed article on the desk and
// readers get the 更正 box, 更新时间 and the same URL (valid HTML, Lighthouse 100 where timing plays no part); two
// editors save the same article from two browser contexts and the second is told who got there first.
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { screenshot, viewports, watchPage } from '../support/browser.ts';
import { openArticle, SLOW, deskStatus as status, submitArticle, useDeskSuite } from '../support/desk.ts';
import { audit, type Category, launchLighthouseChrome } from '../support/lighthouse.ts';
import { startSiteRuntime } from '../support/site-runtime.ts';

const SEED_PATH = '/2022/0415/2a8c6bce1fad40bb.html';
const SEED_TITLE = '在大战大考中守好小店阵地';
const NOTE = '本文第一段中“动车站”应为“高铁站”，已更正。';

const suite = useDeskSuite(startSiteRuntime);

describe('a public correction (更正)', () => {
  it('an editor corrects the published seed article; the page shows 更正, 更新时间 and keeps its URL', {
    timeout: 180_000,
  }, async () => {
    const { runtime, browser } = suite;
    const { context, page, problems } = await suite.deskAs(runtime.editorToken);
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
    const { runtime } = suite;
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
    const { runtime } = suite;
    const title = '两位编辑同时修改的稿件';
    await submitArticle(runtime, { title, body: '第一段。\n\n第二段。', channel: 'law/cases' });

    const first = await suite.deskAs(runtime.editorToken);
    const second = await suite.deskAs(runtime.chiefEditorToken);
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

describe('the edit view', () => {
  it('previews the unsaved text while the editor types, and offers no 初审 with single sign-off', {
    timeout: 150_000,
  }, async () => {
    const { runtime } = suite;
    const title = '边写边看的稿件';
    const id = await submitArticle(runtime, { title, body: '原来的第一段。', channel: 'law/cases' });
    const sizes = [
      ['1280', { width: 1280, height: 900 }],
      ['390', viewports.phone],
    ] as const;
    for (const [size, viewport] of sizes) {
      const { context, page, problems } = await suite.deskAs(runtime.editorToken, viewport);
      await openArticle(page, 'pending', title);
      // The site signs off in one step: there is no 初审 to give, on the button or the A key.
      await expect.poll(() => page.getAttribute('[data-desk]', 'data-sign-off'), SLOW).toBe('single');
      expect(await page.isHidden('[data-approve]')).toBe(true);
      expect(await page.isHidden('[data-approve-key]')).toBe(true);
      expect(await page.isVisible('[data-publish]')).toBe(true);

      await page.click('[data-view="edit"]');
      const draft = page.frameLocator('[data-draft-frame]');
      await expect.poll(() => draft.locator('h1').textContent(), SLOW).toBe(title);
      await page.locator('#edit-title').press('End');
      await page.locator('#edit-title').pressSequentially('（修改中）', { delay: 20 });
      await page.locator('#edit-body').press('End');
      await page
        .locator('#edit-body')
        .pressSequentially('\n\n## 新加的小标题\n\n新加的一段。', { delay: 10 });
      await expect.poll(() => draft.locator('h1').textContent(), SLOW).toBe(`${title}（修改中）`);
      await expect.poll(() => draft.locator('.article-body h2').textContent(), SLOW).toBe('新加的小标题');
      await expect.poll(() => page.textContent('[data-draft-state]'), SLOW).toBe('预览已更新（未保存）。');
      // On a phone the preview follows the form: scroll to it, as the editor would, so it is painted.
      await page.locator('[data-draft-frame]').scrollIntoViewIfNeeded();
      await screenshot(page, `editor-desk-edit-${size}`);
      expect(problems).toEqual([]);
      await context.close();
    }
    // Previewing stored nothing: the article is still at its first revision, with its first title.
    const saved = await (
      await runtime.fetch(`/api/admin/submissions/${id}`, {
        headers: { authorization: `Bearer ${runtime.editorToken}` },
      })
    ).json();
    expect(saved).toMatchObject({ title, revision: 1 });
  });
});
