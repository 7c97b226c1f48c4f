// The 投稿 page at /submit/: a form for the submission contract. The limits it shows and the script checks come
// from submissionLimits, the same object the API validates against, so page and API cannot disagree.
import { channelName, channels } from '../channels.ts';
import { submissionLimits } from '../domain/submission.ts';
import { imageTypes, uploadLimits } from '../domain/uploads.ts';
import { labels } from '../labels.ts';
import { escapeHtml } from '../render/escape.ts';
import { type RenderContext, renderPage, SUBMIT_PATH } from '../render/layout.ts';
import { siteConfig } from '../site-config.ts';
import { SUBMISSION_STATUS_PATH } from './submission-status-page.ts';

/** Loaded first: the photo upload both the 投稿 page and the desk use. */
export const PHOTO_UPLOAD_SCRIPT = 'photo-upload.js';
export const SUBMIT_SCRIPT = 'submit-form.js';

/** The page's own text, per locale; shared labels (作者, 来源, 投稿) come from shared/labels.ts. */
export const submitText = {
  'zh-CN': {
    intro:
      '稿件提交后由责任编辑审核，审核通过即在本站发布。带 * 的为必填项。联系方式只供编辑部联系您，不会公开。',
    title: '标题',
    channel: '栏目',
    chooseChannel: '请选择栏目',
    optional: '可不填',
    summary: '摘要',
    body: '正文',
    bodyHint: '支持 Markdown：空行分段，“## ”开头为小标题，“> ”为引用，“- ”为列表，[文字](链接)。',
    contact: '联系方式（不公开）',
    contactName: '姓名',
    email: '电子邮箱',
    send: '提交稿件',
    atMost: (n: number) => `最多 ${n.toLocaleString('en-US')} 字`,
    whole: (kib: number) => `整篇投稿不超过 ${kib} KiB。`,
    receivedTitle: '投稿已收到',
    receivedId: '稿件编号',
    receivedNext: '请记下编号，以便与编辑部联系时查询。审核通过后，稿件将在本站发布。',
    receivedReceipt: '回执码',
    receiptNext:
      '凭稿件编号和回执码可随时查询稿件是否已发布。回执码只显示这一次，请保存下面的查询链接或抄下回执码，勿告诉他人。',
    statusLink: '查询稿件状态（请收藏此链接）',
    noScript: '投稿需要启用 JavaScript。',
    photos: '高清组图',
    choosePhotos: '添加照片',
    photosHint: (n: number, mb: number) =>
      `JPEG、PNG 或 WebP，每张不超过 ${mb} MB，最多 ${n} 张。发布前会去除照片中的拍摄位置等信息。`,
  },
  en: {
    intro:
      'An editor reviews every submission and publishes it on this site once accepted. Fields marked * are required. Contact details are only for the newsroom and are never published.',
    title: 'Title',
    channel: 'Channel',
    chooseChannel: 'Choose a channel',
    optional: 'optional',
    summary: 'Summary',
    body: 'Body',
    bodyHint:
      'Markdown: blank lines between paragraphs, "## " for subheadings, "> " quotes, "- " lists, [text](link).',
    contact: 'Contact (never published)',
    contactName: 'Name',
    email: 'Email',
    send: 'Send submission',
    atMost: (n: number) => `At most ${n.toLocaleString('en-US')} characters`,
    whole: (kib: number) => `The whole submission must stay under ${kib} KiB.`,
    receivedTitle: 'Submission received',
    receivedId: 'Submission id',
    receivedNext: 'Keep this id to refer to your submission. Once accepted it is published on this site.',
    receivedReceipt: 'Receipt',
    receiptNext:
      'With the id and the receipt you can look up whether your submission was published. The receipt is shown only once: keep the link below or write the receipt down, and keep it to yourself.',
    statusLink: 'Look up its status (bookmark this link)',
    noScript: 'Submitting needs JavaScript.',
    photos: 'Photos',
    choosePhotos: 'Add photos',
    photosHint: (n: number, mb: number) =>
      `JPEG, PNG or WebP, at most ${mb} MB each, up to ${n}. Location and camera data are removed before publishing.`,
  },
} as const;

export interface FieldSpec {
  readonly name: string;
  readonly id: string;
  readonly label: string;
  readonly max: number;
  readonly required?: boolean;
  readonly kind?: 'input' | 'email' | 'textarea';
  readonly rows?: number;
  readonly hint?: string;
  readonly autocomplete?: string;
}

/** Label, control, hint and the (empty) error slot that aria-describedby names, so errors are announced with it. */
export function field(spec: FieldSpec, atMost: (n: number) => string): string {
  const hintId = `${spec.id}-hint`;
  const errorId = `${spec.id}-error`;
  const attributes = [
    `id="${spec.id}"`,
    `name="${escapeHtml(spec.name)}"`,
    `data-max="${spec.max}"`,
    `aria-describedby="${hintId} ${errorId}"`,
    spec.required ? 'required' : '',
    spec.autocomplete ? `autocomplete="${spec.autocomplete}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const control =
    spec.kind === 'textarea'
      ? `<textarea ${attributes} rows="${spec.rows ?? 4}"></textarea>`
      : `<input ${attributes} type="${spec.kind === 'email' ? 'email' : 'text'}">`;
  const hint = [spec.hint, atMost(spec.max)].filter(Boolean).join(' ');
  return `<div class="field">
<label for="${spec.id}">${escapeHtml(spec.label)}${spec.required ? ' *' : ''}</label>
${control}
<p class="field-hint" id="${hintId}">${escapeHtml(hint)}</p>
<p class="field-error" id="${errorId}" data-error-for="${escapeHtml(spec.name)}" hidden></p>
</div>`;
}

export function renderSubmitPage(context: RenderContext): string {
  const locale = context.locale ?? siteConfig.defaultLocale;
  const t = submitText[locale];
  const l = labels[locale];
  const optional = (label: string) => `${label}（${t.optional}）`;
  const options = channels.all
    .map(
      (c) =>
        `<option value="${escapeHtml(c.path)}">${escapeHtml(c.trail.map((x) => channelName(x, locale)).join(' > '))}</option>`,
    )
    .join('');
  const limits = submissionLimits;
  const main = `<h1>${escapeHtml(l.submit)}</h1>
<p class="lede">${escapeHtml(t.intro)}</p>
<noscript><p class="form-status">${escapeHtml(t.noScript)}</p></noscript>
<form class="submission-form" data-submission data-max-bytes="${limits.requestBytes}" method="post" action="/api/submissions">
${field({ name: 'title', id: 'title', label: t.title, max: limits.title, required: true }, t.atMost)}
<div class="field">
<label for="channel">${escapeHtml(t.channel)} *</label>
<select id="channel" name="channel" required aria-describedby="channel-error"><option value="">${escapeHtml(t.chooseChannel)}</option>${options}</select>
<p class="field-error" id="channel-error" data-error-for="channel" hidden></p>
</div>
${field({ name: 'author', id: 'author', label: optional(l.author), max: limits.author }, t.atMost)}
${field({ name: 'source', id: 'source', label: optional(l.source), max: limits.source }, t.atMost)}
${field({ name: 'summary', id: 'summary', label: optional(t.summary), max: limits.summary, kind: 'textarea', rows: 3 }, t.atMost)}
${field({ name: 'body', id: 'body', label: t.body, max: limits.body, required: true, kind: 'textarea', rows: 18, hint: t.bodyHint }, t.atMost)}
<fieldset class="contact">
<legend>${escapeHtml(t.contact)}</legend>
${field({ name: 'contact.name', id: 'contact-name', label: optional(t.contactName), max: limits.contactName, autocomplete: 'name' }, t.atMost)}
${field({ name: 'contact.email', id: 'contact-email', label: optional(t.email), max: limits.email, kind: 'email', autocomplete: 'email' }, t.atMost)}
</fieldset>
<fieldset class="photos" data-photos data-max-photos="${uploadLimits.perSubmission}" data-max-file-bytes="${uploadLimits.maxBytes}" data-max-caption="${uploadLimits.caption}">
<legend>${escapeHtml(optional(t.photos))}</legend>
<label for="photo-files">${escapeHtml(t.choosePhotos)}</label>
<input id="photo-files" type="file" accept="${imageTypes.join(',')}" multiple aria-describedby="photos-hint images-error" data-photo-input>
<p class="field-hint" id="photos-hint">${escapeHtml(t.photosHint(uploadLimits.perSubmission, uploadLimits.maxBytes / (1024 * 1024)))}</p>
<p class="field-error" id="images-error" data-error-for="images" hidden></p>
<ol class="photo-list" data-photo-list></ol>
</fieldset>
<p class="field-hint">${escapeHtml(t.whole(limits.requestBytes / 1024))}</p>
<p><button type="submit">${escapeHtml(t.send)}</button></p>
<p class="form-status" data-submission-status role="status" aria-live="polite"></p>
</form>
<section class="submission-confirmation" data-submission-confirmation tabindex="-1" aria-labelledby="received-title" hidden>
<h2 id="received-title">${escapeHtml(t.receivedTitle)}</h2>
<p>${escapeHtml(t.receivedId)}: <strong data-submission-id></strong></p>
<p>${escapeHtml(t.receivedNext)}</p>
<div data-receipt-block hidden>
<p>${escapeHtml(t.receivedReceipt)}: <strong class="receipt" data-submission-receipt></strong></p>
<p>${escapeHtml(t.receiptNext)}</p>
<p><a data-status-link href="${SUBMISSION_STATUS_PATH}">${escapeHtml(t.statusLink)}</a></p>
</div>
</section>`;
  return renderPage(context, {
    title: l.submit,
    description: t.intro,
    path: SUBMIT_PATH,
    main,
    breadcrumb: [{ name: l.home, href: '/' }, { name: l.submit }],
    scripts: [PHOTO_UPLOAD_SCRIPT, SUBMIT_SCRIPT],
  });
}
