// The editor desk at /admin/: a static shell; site-assets/editor-desk.js signs the editor in and drives
// /api/admin/*. In AWS the render step also writes /admin/config.json, naming the Cognito managed login.
import { reviewLimits } from '../domain/review.ts';
import { imageTypes, uploadLimits } from '../domain/uploads.ts';
import { labels } from '../labels.ts';
import { escapeHtml } from '../render/escape.ts';
import { type RenderContext, renderPage } from '../render/layout.ts';
import { siteConfig } from '../site-config.ts';
import { PHOTO_UPLOAD_SCRIPT } from './submit-page.ts';

export const EDITOR_PATH = '/admin/';
export const EDITOR_CONFIG_PATH = '/admin/config.json';
export const EDITOR_SCRIPT = 'editor-desk.js';

const text = {
  'zh-CN': {
    status: '稿件状态',
    signIn: '登录',
    signInCognito: '请使用编辑账号登录。',
    signInButton: '登录编辑台',
    localToken: '本地编辑令牌',
    localTokenHint: '即 npm start 在终端打印的 Editor token。令牌只保存在当前标签页。',
    enter: '进入编辑台',
    signOut: '退出',
    queues: { pending: '待审稿件', published: '已发布', rejected: '已退稿', unpublished: '已撤下' },
    more: '加载更多',
    preview: '预览',
    previewFrame: '文章预览，与发布后的页面使用同一模板',
    publish: '发布',
    unpublish: '撤下',
    rejectReason: '退稿理由',
    rejectHint: (n: number) => `必填，最多 ${n} 字。`,
    reject: '退稿',
    photos: '高清组图',
    addPhotos: '添加照片（也可拖放到此处）',
    savePhotos: '保存照片并刷新预览',
  },
  en: {
    status: 'Submission status',
    signIn: 'Sign in',
    signInCognito: 'Sign in with your editor account.',
    signInButton: 'Sign in',
    localToken: 'Local editor token',
    localTokenHint: 'The Editor token that npm start prints. It is kept in this tab only.',
    enter: 'Open the desk',
    signOut: 'Sign out',
    queues: { pending: 'Pending', published: 'Published', rejected: 'Rejected', unpublished: 'Unpublished' },
    more: 'Load more',
    preview: 'Preview',
    previewFrame: 'Article preview, rendered with the published page template',
    publish: 'Publish',
    unpublish: 'Unpublish',
    rejectReason: 'Reason for rejection',
    rejectHint: (n: number) => `Required, at most ${n} characters.`,
    reject: 'Reject',
    photos: 'Photos',
    addPhotos: 'Add photos (or drop them here)',
    savePhotos: 'Save photos and refresh the preview',
  },
} as const;

export function renderEditorPage(context: RenderContext): string {
  const locale = context.locale ?? siteConfig.defaultLocale;
  const t = text[locale];
  const l = labels[locale];
  const tabs = Object.entries(t.queues)
    .map(
      ([status, name]) =>
        `<li><button type="button" data-queue-status="${status}" aria-pressed="${status === 'pending'}">${escapeHtml(name)}</button></li>`,
    )
    .join('');
  const main = `<h1>${escapeHtml(l.editorDesk)}</h1>
<p class="form-status" data-desk-status role="status" aria-live="polite"></p>
<section class="sign-in" data-sign-in aria-labelledby="sign-in-title" hidden>
<h2 id="sign-in-title">${escapeHtml(t.signIn)}</h2>
<div data-cognito hidden><p>${escapeHtml(t.signInCognito)}</p><p><button type="button">${escapeHtml(t.signInButton)}</button></p></div>
<form data-local-token hidden>
<div class="field">
<label for="editor-token">${escapeHtml(t.localToken)}</label>
<input id="editor-token" name="token" type="password" autocomplete="current-password" required aria-describedby="editor-token-hint">
<p class="field-hint" id="editor-token-hint">${escapeHtml(t.localTokenHint)}</p>
</div>
<p><button type="submit">${escapeHtml(t.enter)}</button></p>
</form>
</section>
<div class="desk" data-desk hidden>
<nav class="desk-queues" aria-label="${escapeHtml(t.status)}"><ul>${tabs}<li><button type="button" data-sign-out>${escapeHtml(t.signOut)}</button></li></ul></nav>
<section class="desk-queue" aria-labelledby="queue-title">
<h2 id="queue-title" data-queue-title>${escapeHtml(t.queues.pending)}</h2>
<ol class="queue" data-queue></ol>
<p><button type="button" data-more hidden>${escapeHtml(t.more)}</button></p>
</section>
<section class="desk-preview" data-preview tabindex="-1" aria-labelledby="preview-title" hidden>
<h2 id="preview-title">${escapeHtml(t.preview)}</h2>
<dl class="preview-details" data-preview-details></dl>
<p class="desk-actions"><button type="button" data-publish hidden>${escapeHtml(t.publish)}</button> <button type="button" data-unpublish hidden>${escapeHtml(t.unpublish)}</button></p>
<form class="reject-form" data-reject hidden>
<div class="field">
<label for="reject-reason">${escapeHtml(t.rejectReason)}</label>
<textarea id="reject-reason" name="reason" rows="3" data-max="${reviewLimits.rejectReason}" aria-describedby="reject-reason-hint reject-reason-error"></textarea>
<p class="field-hint" id="reject-reason-hint">${escapeHtml(t.rejectHint(reviewLimits.rejectReason))}</p>
<p class="field-error" id="reject-reason-error" data-error-for="reason" hidden></p>
</div>
<p><button type="submit">${escapeHtml(t.reject)}</button></p>
</form>
<section class="photo-editor" data-photo-editor aria-labelledby="photo-editor-title" data-max-photos="${uploadLimits.perSubmission}" data-max-file-bytes="${uploadLimits.maxBytes}" data-max-caption="${uploadLimits.caption}" hidden>
<h3 id="photo-editor-title">${escapeHtml(t.photos)}</h3>
<ol class="photo-list" data-photo-edits></ol>
<div class="photo-drop" data-photo-drop>
<label for="desk-photo-files">${escapeHtml(t.addPhotos)}</label>
<input id="desk-photo-files" type="file" accept="${imageTypes.join(',')}" multiple data-photo-input>
</div>
<p class="field-error" data-photo-error hidden></p>
<p><button type="button" data-photo-save>${escapeHtml(t.savePhotos)}</button></p>
</section>
<iframe class="preview-frame" data-preview-frame sandbox title="${escapeHtml(t.previewFrame)}"></iframe>
</section>
</div>`;
  return renderPage(context, {
    title: l.editorDesk,
    description: l.editorDesk,
    path: EDITOR_PATH,
    main,
    scripts: [PHOTO_UPLOAD_SCRIPT, EDITOR_SCRIPT],
    noindex: true,
  });
}

export interface EditorLogin {
  /** Managed-login base URL (the stack's EditorLoginDomain output). */
  readonly domain: string;
  /** The editor app client (EditorClientId). */
  readonly clientId: string;
}

/** /admin/config.json: with a login the desk uses Cognito; without one (locally) it asks for the local token. */
export const renderEditorConfig = (login?: EditorLogin): string =>
  `${JSON.stringify(login ? { login: { domain: login.domain, clientId: login.clientId } } : {})}\n`;
