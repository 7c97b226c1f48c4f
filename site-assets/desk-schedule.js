// @ts-check
// The desk's 定时发布 and preview-link controls. editor-desk.js announces the open article (`desk:open`); this
// schedules it at a time in the site's zone (Asia/Shanghai) or cancels that, makes a preview link to share (24 hours),
// or withdraws every link of it, and asks the desk to reload (`desk:changed`). Values go into the DOM as text.
(() => {
  const panel = /** @type {HTMLElement} */ (document.querySelector('[data-schedule-panel]'));
  if (!panel) return;
  const TOKEN_KEY = 'newsroom.editorToken';
  const form = /** @type {HTMLFormElement} */ (panel.querySelector('[data-schedule-form]'));
  const atInput = /** @type {HTMLInputElement} */ (form.querySelector('input[name="at"]'));
  const error = /** @type {HTMLElement} */ (panel.querySelector('[data-schedule-error]'));
  const scheduledAt = /** @type {HTMLElement} */ (panel.querySelector('[data-scheduled-at]'));
  const unschedule = /** @type {HTMLElement} */ (panel.querySelector('[data-unschedule]'));
  const linkResult = /** @type {HTMLElement} */ (panel.querySelector('[data-preview-link-result]'));
  const linkUrl = /** @type {HTMLInputElement} */ (panel.querySelector('[data-preview-link-url]'));
  const linkExpiry = /** @type {HTMLElement} */ (panel.querySelector('[data-preview-link-expiry]'));
  const SCHEDULABLE = ['pending', 'approved', 'unpublished', 'scheduled'];
  let article;

  const beijing = (iso) =>
    new Intl.DateTimeFormat('zh-CN', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    }).format(new Date(iso));
  const path = (action) => `/api/admin/submissions/${encodeURIComponent(article.id)}/${action}`;
  const changed = (message) =>
    document.dispatchEvent(new CustomEvent('desk:changed', { detail: { message } }));

  async function call(action, method, body) {
    const response = await fetch(path(action), {
      method,
      cache: 'no-store',
      headers: {
        authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fields = answer.error?.fields ?? {};
      throw new Error(fields.at ?? answer.error?.message ?? `HTTP ${response.status}`);
    }
    return answer;
  }

  const showError = (message) => {
    error.textContent = message;
    error.hidden = !message;
    atInput.setAttribute('aria-invalid', String(Boolean(message)));
  };

  document.addEventListener('desk:open', (event) => {
    article = /** @type {CustomEvent} */ (event).detail;
    showError('');
    linkResult.hidden = true;
    panel.hidden = article.status === 'rejected';
    form.hidden = !SCHEDULABLE.includes(article.status);
    unschedule.hidden = article.status !== 'scheduled';
    scheduledAt.hidden = article.status !== 'scheduled';
    scheduledAt.textContent = article.scheduledAt
      ? `将于 ${beijing(article.scheduledAt)} 发布（北京时间）`
      : '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!article) return;
    if (!atInput.value) return showError('请选择发布时间。');
    try {
      // A time without an offset: the API reads it in the site's time zone, as the label says.
      const outcome = await call('schedule', 'POST', { at: atInput.value, revision: article.revision });
      changed(`《${article.title}》将于 ${beijing(outcome.at)} 发布。`);
    } catch (failure) {
      showError(failure.message);
    }
  });

  unschedule.addEventListener('click', async () => {
    try {
      await call('unschedule', 'POST');
      changed(`《${article.title}》已取消定时发布。`);
    } catch (failure) {
      showError(failure.message);
    }
  });

  panel.querySelector('[data-preview-link]').addEventListener('click', async () => {
    try {
      const link = await call('preview-link', 'POST');
      linkUrl.value = new URL(link.url, location.origin).href;
      linkExpiry.textContent = `有效期至 ${beijing(link.expiresAt)}；保存新版本后失效。`;
      linkResult.hidden = false;
      linkUrl.select();
    } catch (failure) {
      showError(failure.message);
    }
  });

  panel.querySelector('[data-revoke-previews]').addEventListener('click', async () => {
    try {
      await call('preview-links', 'DELETE');
      changed(`《${article.title}》的预览链接已全部作废。`);
    } catch (failure) {
      showError(failure.message);
    }
  });
})();
