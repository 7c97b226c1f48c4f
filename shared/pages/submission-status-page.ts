// 稿件查询 at /submit/status/: a contributor looks up their submission with its id and receipt (回执码). The page is
// static; its script asks GET /api/submissions/{id} with the X-Receipt header. A link from the 投稿 confirmation
// carries both in the fragment (#id=…&receipt=…), which never reaches a server or its logs.
import { labels } from '../labels.ts';
import { escapeHtml } from '../render/escape.ts';
import { type RenderContext, renderPage, SUBMIT_PATH } from '../render/layout.ts';
import { siteConfig } from '../site-config.ts';

export const SUBMISSION_STATUS_PATH = `${SUBMIT_PATH}status/`;
export const SUBMISSION_STATUS_SCRIPT = 'submission-status.js';

export const statusText = {
  'zh-CN': {
    title: '稿件查询',
    intro: '输入投稿后得到的稿件编号和回执码，查看稿件的处理情况。回执码只有您知道，请勿告诉他人。',
    id: '稿件编号',
    receipt: '回执码',
    look: '查询',
    noScript: '查询需要启用 JavaScript。',
  },
  en: {
    title: 'Submission status',
    intro: 'Enter the submission id and the receipt you got when you sent it. Keep the receipt to yourself.',
    id: 'Submission id',
    receipt: 'Receipt',
    look: 'Look up',
    noScript: 'Looking up needs JavaScript.',
  },
} as const;

export function renderSubmissionStatusPage(context: RenderContext): string {
  const locale = context.locale ?? siteConfig.defaultLocale;
  const t = statusText[locale];
  const l = labels[locale];
  const main = `<h1>${escapeHtml(t.title)}</h1>
<p class="lede">${escapeHtml(t.intro)}</p>
<noscript><p class="form-status">${escapeHtml(t.noScript)}</p></noscript>
<form class="submission-form status-form" data-status-form>
<div class="field">
<label for="status-id">${escapeHtml(t.id)}</label>
<input id="status-id" name="id" type="text" required autocomplete="off" spellcheck="false" pattern="[0-9a-f]{16}" maxlength="16" aria-describedby="status-id-hint">
<p class="field-hint" id="status-id-hint">16 位，例如 2a8c6bce1fad40bb</p>
</div>
<div class="field">
<label for="status-receipt">${escapeHtml(t.receipt)}</label>
<input id="status-receipt" name="receipt" type="text" required autocomplete="off" spellcheck="false" maxlength="32">
</div>
<p><button type="submit">${escapeHtml(t.look)}</button></p>
</form>
<section class="status-answer" data-status-answer role="status" aria-live="polite" tabindex="-1" hidden></section>`;
  return renderPage(context, {
    title: t.title,
    description: t.intro,
    path: SUBMISSION_STATUS_PATH,
    main,
    breadcrumb: [{ name: l.home, href: '/' }, { name: l.submit, href: SUBMIT_PATH }, { name: t.title }],
    scripts: [SUBMISSION_STATUS_SCRIPT],
  });
}
