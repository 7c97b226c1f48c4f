import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { channels } from '#shared/channels.ts';
import { reviewLimits } from '#shared/domain/review.ts';
import { submissionLimits } from '#shared/domain/submission.ts';
import { EDITOR_SCRIPT, renderEditorConfig, renderEditorPage } from '#shared/pages/editor-page.ts';
import { PHOTO_UPLOAD_SCRIPT, renderSubmitPage, SUBMIT_SCRIPT } from '#shared/pages/submit-page.ts';
import { buildAssets, loadSiteAssets } from '#shared/render/assets.ts';
import type { RenderContext } from '#shared/render/layout.ts';

const assets = buildAssets([
  { name: 'site.css', body: Buffer.from('body{}') },
  ...loadSiteAssets().all.map((a) => ({ name: a.logicalName, body: a.body })),
]);
const context: RenderContext = { siteUrl: 'https://news.example.cn', assets };
const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

const pages = {
  submit: renderSubmitPage(context),
  editor: renderEditorPage(context),
};

/** Every id that an aria-describedby names must exist, once. */
function describedByTargets(html: string): { missing: string[]; count: number } {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  const refs = [...html.matchAll(/aria-describedby="([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split(' '));
  return { missing: refs.filter((r) => !ids.has(r)), count: refs.length };
}

describe.each(Object.entries(pages))('%s page', (_name, html) => {
  it('is valid HTML', async () => {
    const report = await validator.validateString(html);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('has no inline script, inline style or event-handler attribute (CSP: script-src/style-src self)', () => {
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
    expect(html).toContain('<a class="submit-link" href="/submit/">');
  });

  it('ties every hint and error slot to its control', () => {
    const { missing, count } = describedByTargets(html);
    expect(count).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});

describe('submit page', () => {
  const html = pages.submit;
  it('shows and carries the API limits from submissionLimits', () => {
    expect(html).toContain(`data-max-bytes="${submissionLimits.requestBytes}"`);
    for (const [name, max] of [
      ['title', submissionLimits.title],
      ['body', submissionLimits.body],
      ['summary', submissionLimits.summary],
      ['contact.email', submissionLimits.email],
    ] as const) {
      expect(html).toMatch(new RegExp(`name="${name.replace('.', '\\.')}" data-max="${max}"`));
      expect(html).toContain(`最多 ${max.toLocaleString('en-US')} 字`);
    }
  });
  it('offers every channel of the site config by its path', () => {
    for (const channel of channels.all) expect(html).toContain(`<option value="${channel.path}">`);
    expect(html).toContain('聚焦 &gt; 公益');
  });
  it('loads its hashed script', () => {
    // The shared photo upload comes first: deferred scripts run in document order.
    expect(html).toContain(
      `<script src="${assets.url(PHOTO_UPLOAD_SCRIPT)}" defer></script><script src="${assets.url(SUBMIT_SCRIPT)}" defer></script>`,
    );
    expect(assets.url(SUBMIT_SCRIPT)).toMatch(/^\/assets\/submit-form\.[0-9a-f]{10}\.js$/);
  });
});

describe('editor page', () => {
  const html = pages.editor;
  it('is kept out of search results and loads its hashed script', () => {
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain(
      `<script src="${assets.url(PHOTO_UPLOAD_SCRIPT)}" defer></script><script src="${assets.url(EDITOR_SCRIPT)}" defer></script>`,
    );
  });
  it('sandboxes the preview frame completely', () => {
    expect(html).toMatch(/<iframe class="preview-frame" data-preview-frame sandbox title=/);
    expect(html).toContain(`data-max="${reviewLimits.rejectReason}"`);
  });
  it('writes the login config only when a managed login exists', () => {
    expect(JSON.parse(renderEditorConfig())).toEqual({});
    expect(
      JSON.parse(
        renderEditorConfig({ domain: 'https://x.auth.ap-east-1.amazoncognito.com', clientId: 'abc' }),
      ),
    ).toEqual({
      login: {
        domain: 'https://x.auth.ap-east-1.amazoncognito.com',
        clientId: 'abc',
        // The desk asks for its own scope, which the API's authorizer requires.
        scope: 'openid profile newsroom/desk',
      },
    });
  });
});
