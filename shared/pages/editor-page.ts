// The editor desk at /admin/: a static shell; site-assets/editor-desk.js signs the editor in and drives
// /api/admin/*. In AWS the render step also writes /admin/config.json, naming the Cognito managed login.

import { channelName, channels } from '../channels.ts';
import { editLimits } from '../domain/editing.ts';
import { reviewLimits } from '../domain/review.ts';
import { DESK_LOGIN_SCOPES } from '../domain/roles.ts';
import { submissionLimits } from '../domain/submission.ts';
import { imageTypes, uploadLimits } from '../domain/uploads.ts';
import { labels } from '../labels.ts';
import { escapeHtml } from '../render/escape.ts';
import { type RenderContext, renderPage } from '../render/layout.ts';
import { type Locale, siteConfig } from '../site-config.ts';
import { field, PHOTO_UPLOAD_SCRIPT, submitText } from './submit-page.ts';

export const EDITOR_PATH = '/admin/';
export const EDITOR_CONFIG_PATH = '/admin/config.json';
export const EDITOR_SCRIPT = 'editor-desk.js';
/** 定时发布 and preview links on the desk (after editor-desk.js, which tells it which article is open). */
export const DESK_SCHEDULE_SCRIPT = 'desk-schedule.js';

const text = {
  'zh-CN': {
    status: '稿件状态',
    signIn: '登录',
    signInCognito: '请使用编辑账号登录。',
    signInButton: '登录编辑台',
    localToken: '本地编辑令牌',
    localTokenHint: '即 npm start 在终端打印的编辑或主编令牌。令牌只保存在当前标签页。',
    enter: '进入编辑台',
    signOut: '退出',
    queues: {
      pending: '待审稿件',
      approved: '待终审',
      scheduled: '待发布',
      published: '已发布',
      rejected: '已退稿',
      unpublished: '已撤下',
    },
    more: '加载更多',
    empty: '从稿件列表中选择一篇稿件。',
    views: { preview: '预览', edit: '编辑', revisions: '修订记录', history: '操作记录' },
    articleViews: '稿件视图',
    previewFrame: '文章预览，与发布后的页面使用同一模板',
    draftPreview: '实时预览',
    draftPreviewHint: '边输入边更新，尚未保存。',
    draftFrame: '未保存修改的实时预览，与发布后的页面使用同一模板',
    publish: '发布',
    approve: '初审通过',
    unpublish: '撤下',
    rejectReason: '退稿理由',
    rejectHint: (n: number) => `必填，最多 ${n} 字。`,
    reject: '退稿',
    photos: '高清组图',
    addPhotos: '添加照片（也可拖放到此处）',
    savePhotos: '保存照片并刷新预览',
    correction: '公开更正',
    correctionHint: '仅用于已发布的文章：勾选后页面显示“更正”框（日期与说明）。',
    correctionNote: '更正说明',
    note: '修改备注（不公开）',
    save: '保存修改',
    revisionsHint: '选择两个版本比较（按段落），或恢复某一版本为新版本。',
    compare: '比较所选版本',
    /** The A key is listed only with two-step sign-off (the desk's data-sign-off). */
    shortcuts: [
      '快捷键：J/K 上下切换稿件，E 编辑，V 预览，P 发布，',
      'A 初审通过，',
      'U 撤下，Ctrl+S 保存修改。',
    ],
  },
  en: {
    status: 'Submission status',
    signIn: 'Sign in',
    signInCognito: 'Sign in with your editor account.',
    signInButton: 'Sign in',
    localToken: 'Local editor token',
    localTokenHint: 'The editor or chief editor token that npm start prints. It is kept in this tab only.',
    enter: 'Open the desk',
    signOut: 'Sign out',
    queues: {
      pending: 'Pending',
      approved: 'Approved',
      scheduled: 'Scheduled',
      published: 'Published',
      rejected: 'Rejected',
      unpublished: 'Unpublished',
    },
    more: 'Load more',
    empty: 'Choose a submission from a queue.',
    views: { preview: 'Preview', edit: 'Edit', revisions: 'Revisions', history: 'History' },
    articleViews: 'Submission views',
    previewFrame: 'Article preview, rendered with the published page template',
    draftPreview: 'Live preview',
    draftPreviewHint: 'Follows your typing; not saved yet.',
    draftFrame: 'Live preview of the unsaved changes, rendered with the published page template',
    publish: 'Publish',
    approve: 'Approve',
    unpublish: 'Unpublish',
    rejectReason: 'Reason for rejection',
    rejectHint: (n: number) => `Required, at most ${n} characters.`,
    reject: 'Reject',
    photos: 'Photos',
    addPhotos: 'Add photos (or drop them here)',
    savePhotos: 'Save photos and refresh the preview',
    correction: 'Public correction',
    correctionHint: 'Published articles only: the page then shows a correction box (date and note).',
    correctionNote: 'Correction note',
    note: 'Note for this revision (not public)',
    save: 'Save changes',
    revisionsHint: 'Choose two revisions to compare (by paragraph), or restore one as a new revision.',
    compare: 'Compare the chosen revisions',
    shortcuts: [
      'Keys: J/K next/previous, E edit, V preview, P publish, ',
      'A approve, ',
      'U unpublish, Ctrl+S save.',
    ],
  },
} as const;

/** The edit form: the 投稿 page's own fields (same names, limits and error slots), less the contributor's contact. */
function editForm(locale: Locale, t: (typeof text)[Locale]): string {
  const photoEditor = `<section class="photo-editor" data-photo-editor aria-labelledby="photo-editor-title" data-max-photos="${uploadLimits.perSubmission}" data-max-file-bytes="${uploadLimits.maxBytes}" data-max-caption="${uploadLimits.caption}">
<h3 id="photo-editor-title">${escapeHtml(t.photos)}</h3>
<ol class="photo-list" data-photo-edits></ol>
<div class="photo-drop" data-photo-drop>
<label for="desk-photo-files">${escapeHtml(t.addPhotos)}</label>
<input id="desk-photo-files" type="file" accept="${imageTypes.join(',')}" multiple data-photo-input>
</div>
<p class="field-error" data-photo-error hidden></p>
<p><button type="button" class="quiet" data-photo-save>${escapeHtml(t.savePhotos)}</button></p>
</section>`;
  const s = submitText[locale];
  const l = labels[locale];
  const limits = submissionLimits;
  const optional = (label: string) => `${label}（${s.optional}）`;
  const options = channels.all
    .map(
      (c) =>
        `<option value="${escapeHtml(c.path)}">${escapeHtml(c.trail.map((x) => channelName(x, locale)).join(' > '))}</option>`,
    )
    .join('');
  return `<form class="edit-form" data-edit-form novalidate>
${field({ name: 'title', id: 'edit-title', label: s.title, max: limits.title, required: true }, s.atMost)}
<div class="field-row">
<div class="field">
<label for="edit-channel">${escapeHtml(s.channel)} *</label>
<select id="edit-channel" name="channel" required aria-describedby="edit-channel-error" data-channel-names>${options}</select>
<p class="field-error" id="edit-channel-error" data-error-for="channel" hidden></p>
</div>
${field({ name: 'author', id: 'edit-author', label: optional(l.author), max: limits.author }, s.atMost)}
${field({ name: 'source', id: 'edit-source', label: optional(l.source), max: limits.source }, s.atMost)}
</div>
${field({ name: 'summary', id: 'edit-summary', label: optional(s.summary), max: limits.summary, kind: 'textarea', rows: 2 }, s.atMost)}
${field({ name: 'body', id: 'edit-body', label: s.body, max: limits.body, required: true, kind: 'textarea', rows: 18, hint: s.bodyHint }, s.atMost)}
${photoEditor}
<fieldset class="correction-fields" data-correction-fields hidden>
<legend>${escapeHtml(t.correction)}</legend>
<p><input type="checkbox" id="edit-correction" data-correction-toggle> <label for="edit-correction">${escapeHtml(t.correction)}</label></p>
${field({ name: 'correction.note', id: 'edit-correction-note', label: t.correctionNote, max: editLimits.note, kind: 'textarea', rows: 2, hint: t.correctionHint }, s.atMost)}
</fieldset>
${field({ name: 'note', id: 'edit-note', label: t.note, max: editLimits.note }, s.atMost)}
<p class="field-error" data-error-for="images" hidden></p>
<p class="desk-actions"><button type="submit">${escapeHtml(t.save)}</button></p>
</form>`;
}

/** 定时发布 (a time in the site's zone, or cancel) and preview links (create, copy, withdraw all): desk-schedule.js. */
function schedulePanel(): string {
  return `<div class="desk-schedule" data-schedule-panel hidden>
<form class="schedule-form" data-schedule-form>
<label for="schedule-at">定时发布（北京时间）</label>
<input id="schedule-at" name="at" type="datetime-local" step="60" required aria-describedby="schedule-at-error">
<button type="submit">定时发布</button>
<button type="button" class="quiet" data-unschedule hidden>取消定时</button>
<p class="field-error" id="schedule-at-error" data-schedule-error hidden></p>
<p class="field-hint" data-scheduled-at hidden></p>
</form>
<div class="preview-links">
<button type="button" class="quiet" data-preview-link>生成预览链接</button>
<button type="button" class="quiet" data-revoke-previews>作废全部预览链接</button>
<p class="field-hint" data-preview-link-result hidden><input type="text" readonly aria-label="预览链接" data-preview-link-url> <span data-preview-link-expiry></span></p>
</div>
</div>`;
}

export function renderEditorPage(context: RenderContext): string {
  const locale = context.locale ?? siteConfig.defaultLocale;
  const t = text[locale];
  const l = labels[locale];
  const tabs = Object.entries(t.queues)
    .map(
      ([status, name]) =>
        `<button type="button" role="tab" id="queue-tab-${status}" aria-controls="queue-panel" data-queue-status="${status}" aria-selected="${status === 'pending'}" aria-pressed="${status === 'pending'}"${status === 'pending' ? '' : ' tabindex="-1"'}><span>${escapeHtml(name)}</span> <span class="count" data-count-for="${status}"></span></button>`,
    )
    .join('');
  const views = Object.entries(t.views)
    .map(
      ([view, name]) =>
        `<button type="button" role="tab" id="view-tab-${view}" aria-controls="view-${view}" data-view="${view}" aria-selected="${view === 'preview'}"${view === 'preview' ? '' : ' tabindex="-1"'}>${escapeHtml(name)}</button>`,
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
<aside class="desk-side" aria-label="${escapeHtml(t.status)}">
<div class="tabs queue-tabs" role="tablist" aria-label="${escapeHtml(t.status)}">${tabs}</div>
<section class="desk-queue" id="queue-panel" role="tabpanel" aria-labelledby="queue-title">
<h2 id="queue-title" class="visually-hidden" data-queue-title>${escapeHtml(t.queues.pending)}</h2>
<ol class="queue" data-queue></ol>
<p><button type="button" class="quiet" data-more hidden>${escapeHtml(t.more)}</button></p>
</section>
<p class="field-hint desk-keys">${escapeHtml(t.shortcuts[0])}<span data-approve-key>${escapeHtml(t.shortcuts[1])}</span>${escapeHtml(t.shortcuts[2])}</p>
<p><button type="button" class="quiet" data-sign-out>${escapeHtml(t.signOut)}</button></p>
</aside>
<div class="desk-main">
<p class="desk-empty" data-desk-empty>${escapeHtml(t.empty)}</p>
<section class="desk-preview" data-preview tabindex="-1" aria-labelledby="preview-title" hidden>
<h2 id="preview-title" data-article-title>${escapeHtml(t.views.preview)}</h2>
<dl class="preview-details" data-preview-details></dl>
<p class="desk-actions"><button type="button" data-approve hidden>${escapeHtml(t.approve)}</button> <button type="button" data-publish hidden>${escapeHtml(t.publish)}</button> <button type="button" class="quiet" data-unpublish hidden>${escapeHtml(t.unpublish)}</button></p>
${schedulePanel()}
<div class="tabs view-tabs" role="tablist" aria-label="${escapeHtml(t.articleViews)}">${views}</div>
<div class="view" id="view-preview" role="tabpanel" aria-labelledby="view-tab-preview" data-view-panel="preview">
<iframe class="preview-frame" data-preview-frame sandbox title="${escapeHtml(t.previewFrame)}"></iframe>
<form class="reject-form" data-reject hidden>
<div class="field">
<label for="reject-reason">${escapeHtml(t.rejectReason)}</label>
<textarea id="reject-reason" name="reason" rows="3" data-max="${reviewLimits.rejectReason}" aria-describedby="reject-reason-hint reject-reason-error"></textarea>
<p class="field-hint" id="reject-reason-hint">${escapeHtml(t.rejectHint(reviewLimits.rejectReason))}</p>
<p class="field-error" id="reject-reason-error" data-error-for="reason" hidden></p>
</div>
<p><button type="submit">${escapeHtml(t.reject)}</button></p>
</form>
</div>
<div class="view" id="view-edit" role="tabpanel" aria-labelledby="view-tab-edit" data-view-panel="edit" hidden>
<div class="edit-layout">
${editForm(locale, t)}
<section class="draft-preview" aria-labelledby="draft-preview-title">
<h3 id="draft-preview-title">${escapeHtml(t.draftPreview)}</h3>
<p class="field-hint" data-draft-state aria-live="polite">${escapeHtml(t.draftPreviewHint)}</p>
<iframe class="preview-frame" data-draft-frame sandbox title="${escapeHtml(t.draftFrame)}"></iframe>
</section>
</div>
</div>
<div class="view" id="view-revisions" role="tabpanel" aria-labelledby="view-tab-revisions" data-view-panel="revisions" hidden>
<p class="field-hint">${escapeHtml(t.revisionsHint)}</p>
<ol class="revision-list" data-revisions></ol>
<p><button type="button" class="quiet" data-compare hidden>${escapeHtml(t.compare)}</button></p>
<div class="diff" data-diff aria-live="polite"></div>
</div>
<div class="view" id="view-history" role="tabpanel" aria-labelledby="view-tab-history" data-view-panel="history" hidden>
<ol class="timeline" data-history></ol>
</div>
</section>
</div>
</div>`;
  return renderPage(context, {
    title: l.editorDesk,
    description: l.editorDesk,
    path: EDITOR_PATH,
    main,
    scripts: [PHOTO_UPLOAD_SCRIPT, EDITOR_SCRIPT, DESK_SCHEDULE_SCRIPT],
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
  `${JSON.stringify(
    login
      ? { login: { domain: login.domain, clientId: login.clientId, scope: DESK_LOGIN_SCOPES.join(' ') } }
      : {},
  )}\n`;
