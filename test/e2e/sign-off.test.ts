// Two-step sign-off in Chromium through the local runtime: an editor edits and approves (初审), cannot publish,
// and a chief editor who did not write the last edit publishes (终审).
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.ts';
import { openArticle, SLOW, deskStatus as status, submitArticle, useDeskSuite } from '../support/desk.ts';
import { startTestRuntime } from '../support/runtime.ts';

const suite = useDeskSuite(() => startTestRuntime({ signOff: 'two-step' }));

describe('two-step sign-off', () => {
  it('an editor approves (初审), only a chief editor who did not edit it publishes (终审)', {
    timeout: 150_000,
  }, async () => {
    const { runtime } = suite;
    const title = '两级签发的稿件';
    const id = await submitArticle(runtime, { title, body: '初稿正文。', channel: 'opinion' });

    const editor = await suite.deskAs(runtime.editorToken);
    await openArticle(editor.page, 'pending', title);
    await editor.page.click('[data-view="edit"]');
    await editor.page.fill('#edit-body', '编辑修改后的正文。');
    await editor.page.click('[data-edit-form] button[type="submit"]');
    await expect.poll(() => status(editor.page), SLOW).toMatch(/^已保存为第 2 版/);
    // Two-step sign-off: the desk offers 初审.
    await expect.poll(() => editor.page.getAttribute('[data-desk]', 'data-sign-off'), SLOW).toBe('two-step');
    expect(await editor.page.isVisible('[data-approve]')).toBe(true);
    expect(await editor.page.isVisible('[data-approve-key]')).toBe(true);
    await editor.page.click('[data-approve]');
    await expect.poll(() => status(editor.page), SLOW).toBe(`《${title}》：待终审。`);
    // The count beside 待终审 follows.
    await expect.poll(() => editor.page.textContent('[data-count-for="approved"]'), SLOW).toBe('1');

    // An editor is not a chief editor: 终审 is refused, with the reason.
    await openArticle(editor.page, 'approved', title);
    await editor.page.click('[data-publish]');
    await expect
      .poll(() => status(editor.page), SLOW)
      .toBe('未执行：Publishing (终审) needs the chief-editors group.');
    await screenshot(editor.page, 'sign-off-editor-refused');

    const chief = await suite.deskAs(runtime.chiefEditorToken);
    await openArticle(chief.page, 'approved', title);
    await chief.page.click('[data-view="history"]');
    await expect
      .poll(() => chief.page.locator('[data-history] li').allTextContents(), SLOW)
      .toEqual([
        expect.stringContaining('初审通过admin'),
        expect.stringContaining('编辑admin'),
        expect.stringContaining('投稿contributor'),
      ]);
    await chief.page.keyboard.press('p');
    await expect
      .poll(() => status(chief.page), SLOW)
      .toMatch(new RegExp(`^《${title}》已发布：/\\d{4}/\\d{4}/${id}\\.html$`));
    await screenshot(chief.page, 'sign-off-chief-published');

    const article = await (
      await runtime.fetch(`/api/admin/submissions/${id}`, {
        headers: { authorization: `Bearer ${runtime.chiefEditorToken}` },
      })
    ).json();
    expect(article).toMatchObject({
      status: 'published',
      editor: 'chief',
      editorSub: 'local-chief',
      approvedBy: { name: 'admin', sub: 'local-admin' },
      lastEditor: { name: 'admin', sub: 'local-admin' },
    });
    // The stream renders the page.
    await expect.poll(async () => (await runtime.fetch(article.url)).status, { timeout: 30_000 }).toBe(200);
    expect(await (await runtime.fetch(article.url)).text()).toContain('责任编辑:chief');
    expect([...editor.problems, ...chief.problems].filter((p) => !p.includes('403'))).toEqual([]);
    await editor.context.close();
    await chief.context.close();
  });
});
