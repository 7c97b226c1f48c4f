// @ts-check
// The editor desk at /admin/: signs the editor in (Cognito managed login with PKCE in AWS, a pasted local token
// on `npm start`), lists the queues with their counts, previews a submission with the article template, edits it
// (with a public correction once published), compares and restores revisions, shows its audit trail, and approves,
// publishes, rejects or unpublishes through /api/admin/*. Values from the API go into the DOM as text, never markup.
(async () => {
  const TOKEN_KEY = 'newsroom.editorToken';
  const PKCE_KEY = 'newsroom.pkce';
  const redirectUri = `${location.origin}/admin/`;
  const QUEUE_NAMES = {
    pending: '待审稿件',
    approved: '待终审',
    scheduled: '待发布',
    published: '已发布',
    rejected: '已退稿',
    unpublished: '已撤下',
  };
  const ACTION_NAMES = {
    submit: '投稿',
    edit: '编辑',
    correction: '更正',
    approve: '初审通过',
    publish: '发布',
    reject: '退稿',
    unpublish: '撤下',
    restore: '恢复版本',
    schedule: '定时发布',
    unschedule: '取消定时',
    'revoke-previews': '作废预览链接',
  };
  /** Channel paths to their names (聚焦 > 公益), from the edit form's own options. */
  const CHANNEL_NAMES = new Map(
    [...document.querySelectorAll('[data-channel-names] option')].map((o) => [
      /** @type {HTMLOptionElement} */ (o).value,
      o.textContent,
    ]),
  );
  const channelName = (path) => CHANNEL_NAMES.get(path) ?? path;
  /** The fields of the text an editor edits (the 投稿 fields less the contact), as the API names them. */
  const TEXT_FIELDS = ['title', 'channel', 'author', 'source', 'summary', 'body'];
  /** How long typing pauses before the live preview asks for the draft to be rendered. */
  const DRAFT_PREVIEW_DELAY_MS = 400;

  /** The desk page's own elements: the page template (shared/pages/editor-page.ts) always has them. */
  const $ = (/** @type {string} */ selector) => /** @type {any} */ (document.querySelector(selector));
  /** @param {string} selector */
  const $$ = (selector) => /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(selector));
  const signIn = $('[data-sign-in]');
  const desk = $('[data-desk]');
  const statusLine = $('[data-desk-status]');
  const queue = $('[data-queue]');
  const queueTitle = $('[data-queue-title]');
  const more = $('[data-more]');
  const preview = $('[data-preview]');
  const frame = $('[data-preview-frame]');
  const details = $('[data-preview-details]');
  const publishButton = $('[data-publish]');
  const approveButton = $('[data-approve]');
  const empty = $('[data-desk-empty]');
  const articleTitle = $('[data-article-title]');
  const editForm = $('[data-edit-form]');
  const correctionFields = $('[data-correction-fields]');
  const correctionToggle = $('[data-correction-toggle]');
  const revisionsList = $('[data-revisions]');
  const diffView = $('[data-diff]');
  const historyList = $('[data-history]');
  const unpublishButton = $('[data-unpublish]');
  const rejectForm = $('[data-reject]');
  const rejectError = $('[data-error-for="reason"]');
  const photoEditor = $('[data-photo-editor]');
  const photoEdits = $('[data-photo-edits]');
  const photoError = $('[data-photo-error]');
  const draftFrame = $('[data-draft-frame]');
  const draftState = $('[data-draft-state]');
  const PHOTO_STATES = { ready: '已处理', processing: '处理中', rejected: '已拒绝' };
  let photoRows = 0;

  let currentStatus = 'pending';
  let nextCursor;
  let selected;
  /** The article as loaded: its revision is what a save is checked against. */
  let loaded;
  let currentView = 'preview';
  /** From GET /api/admin/session: with single sign-off (the default) there is no 初审 to give. */
  let signOff = 'single';
  let draftTimer;
  let draftRequests = 0;
  /** The live preview's frame is loading a page (its stylesheet); the newest page waiting to be shown after it. */
  let draftLoading = false;
  let draftWaiting;

  const say = (message, tone = 'info') => {
    statusLine.textContent = message;
    statusLine.dataset.tone = tone;
  };

  // ---- sign-in ---------------------------------------------------------------------------------------------------

  const base64url = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');

  async function startLogin(login) {
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
    const url = new URL('/oauth2/authorize', login.domain);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: login.clientId,
      redirect_uri: redirectUri,
      scope: login.scope,
      state,
      code_challenge_method: 'S256',
      code_challenge: challenge,
    }).toString();
    location.assign(url);
  }

  /** Back from the managed login with ?code=…&state=…: trade the code for tokens (PKCE, no client secret). */
  async function finishLogin(login, params) {
    const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null');
    sessionStorage.removeItem(PKCE_KEY);
    history.replaceState(null, '', redirectUri);
    if (!saved || saved.state !== params.get('state')) return undefined;
    const response = await fetch(new URL('/oauth2/token', login.domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: login.clientId,
        code: params.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: saved.verifier,
      }),
    });
    if (!response.ok) return undefined;
    // The access token carries the desk's scope, which the API's authorizer requires; the API reads the editor's name
    // (preferred_username) from the managed login's userInfo with it. The ID token opens no desk route.
    return (await response.json()).access_token;
  }

  /** /admin/config.json names the managed login in AWS; locally it is absent and the desk asks for the token. */
  async function loginConfig() {
    try {
      const response = await fetch('/admin/config.json', { cache: 'no-store' });
      if (!response.ok) return undefined;
      const { login } = await response.json();
      return login?.domain && login.clientId && login.scope ? login : undefined;
    } catch {
      return undefined;
    }
  }

  function showSignIn(login) {
    desk.hidden = true;
    signIn.hidden = false;
    $('[data-cognito]').hidden = !login;
    $('[data-local-token]').hidden = Boolean(login);
    $('[data-cognito] button').onclick = () => login && startLogin(login);
  }

  $('[data-local-token]').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    openDesk();
  });

  // Signing out ends the managed login's session too (its /logout endpoint clears Cognito's cookie), so the next
  // person at a shared computer must sign in again instead of being let straight back in.
  $('[data-sign-out]').addEventListener('click', async () => {
    sessionStorage.removeItem(TOKEN_KEY);
    const login = await loginConfig();
    if (!login) return location.assign(redirectUri);
    const url = new URL('/logout', login.domain);
    url.search = new URLSearchParams({ client_id: login.clientId, logout_uri: redirectUri }).toString();
    location.assign(url);
  });

  // ---- API -------------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message, fields = {}) {
      super(message);
      this.status = status;
      this.fields = fields;
    }
  }

  async function api(path, init = {}) {
    const response = await fetch(path, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}` },
      cache: 'no-store',
    });
    if (response.ok) return response;
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(await loginConfig());
      say('登录已失效，请重新登录。', 'error');
    }
    throw new ApiError(response.status, body.error?.message ?? `HTTP ${response.status}`, body.error?.fields);
  }

  const submissionPath = (id, action) =>
    `/api/admin/submissions/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

  // ---- queues ----------------------------------------------------------------------------------------------------

  const formatTime = (iso) =>
    new Intl.DateTimeFormat('zh-CN', {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    }).format(new Date(iso));

  function listingRow(item) {
    const row = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'queue-item';
    const title = document.createElement('strong');
    title.textContent = item.title;
    const meta = document.createElement('span');
    meta.textContent = [
      channelName(item.channel),
      item.author,
      item.scheduledAt ? `定时 ${formatTime(item.scheduledAt)}` : formatTime(item.updatedAt),
      item.editor && `责任编辑:${item.editor}`,
    ]
      .filter(Boolean)
      .join(' · ');
    button.append(title, meta);
    button.dataset.id = item.id;
    button.addEventListener('click', () => open(item));
    row.append(button);
    return row;
  }

  /** Counts per queue: one page of up to 50 each; more than that shows as 50+. */
  async function loadCounts() {
    await Promise.all(
      Object.keys(QUEUE_NAMES).map(async (status) => {
        const slot = document.querySelector(`[data-count-for="${status}"]`);
        try {
          const page = await (await api(`/api/admin/submissions?status=${status}&limit=50`)).json();
          slot.textContent = `${page.items.length}${page.next ? '+' : ''}`;
        } catch {
          slot.textContent = '';
        }
      }),
    );
  }

  async function loadQueue(status, append = false) {
    currentStatus = status;
    queueTitle.textContent = QUEUE_NAMES[status] ?? status;
    for (const tab of $$('[data-queue-status]')) {
      const on = tab.dataset.queueStatus === status;
      tab.setAttribute('aria-pressed', String(on));
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    const query = new URLSearchParams({ status, ...(append && nextCursor ? { next: nextCursor } : {}) });
    try {
      const page = await (await api(`/api/admin/submissions?${query}`)).json();
      if (!append) queue.replaceChildren();
      queue.append(...page.items.map(listingRow));
      if (!append && page.items.length === 0) {
        const empty = document.createElement('li');
        empty.textContent = '没有稿件。';
        queue.append(empty);
      }
      nextCursor = page.next;
      more.hidden = !nextCursor;
    } catch (error) {
      if (error.status !== 401) say(`无法载入列表：${error.message}`, 'error');
    }
  }

  // ---- one submission --------------------------------------------------------------------------------------------

  function describe(article) {
    const facts = [
      ['状态', QUEUE_NAMES[article.status] ?? article.status],
      ['栏目', channelName(article.channel)],
      ['版本', String(article.revision)],
      ['投稿时间', formatTime(article.submittedAt)],
      ...(article.modifiedAt ? [['更新时间', formatTime(article.modifiedAt)]] : []),
      ...(article.lastEditor ? [['最后修改', article.lastEditor.name]] : []),
      ...(article.approvedBy ? [['初审', article.approvedBy.name]] : []),
      ['联系人', [article.contact?.name, article.contact?.email].filter(Boolean).join(' ') || '（未填写）'],
      ...(article.editor ? [['责任编辑', article.editor]] : []),
      ...(article.url ? [['地址', article.url]] : []),
      ...(article.rejectReason ? [['退稿理由', article.rejectReason]] : []),
    ];
    details.replaceChildren(
      ...facts.flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
      }),
    );
  }

  // ---- photos (高清组图) -------------------------------------------------------------------------------------------

  /** One row per photo: state (and the reason when processing refused it), caption, move up, remove. */
  function photoRow(photo) {
    photoRows += 1;
    const row = document.createElement('li');
    row.className = 'photo-item';
    row.dataset.key = photo.key;
    const state = document.createElement('span');
    state.className = 'photo-state';
    state.setAttribute('aria-live', 'polite');
    state.textContent =
      photo.state === 'rejected'
        ? `${PHOTO_STATES.rejected}：${photo.message}`
        : (PHOTO_STATES[photo.state] ?? photo.state);
    if (photo.state === 'rejected') row.dataset.failed = 'true';
    const caption = document.createElement('input');
    caption.type = 'text';
    caption.id = `desk-photo-caption-${photoRows}`;
    caption.value = photo.caption ?? '';
    caption.maxLength = Number(photoEditor.dataset.maxCaption);
    caption.dataset.photoCaption = '';
    const label = document.createElement('label');
    label.htmlFor = caption.id;
    label.textContent = `图片说明 ${photoRows}`;
    const alt = document.createElement('input');
    alt.type = 'text';
    alt.id = `desk-photo-alt-${photoRows}`;
    alt.value = photo.alt ?? '';
    alt.maxLength = Number(photoEditor.dataset.maxCaption);
    alt.dataset.photoAlt = '';
    const altLabel = document.createElement('label');
    altLabel.htmlFor = alt.id;
    altLabel.textContent = `替代文字 ${photoRows}（读屏用，可不填）`;
    const buttons = document.createElement('span');
    buttons.className = 'photo-buttons';
    const up = document.createElement('button');
    up.type = 'button';
    up.className = 'quiet';
    up.textContent = '上移';
    up.addEventListener('click', () => {
      row.previousElementSibling?.before(row);
      scheduleDraftPreview();
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'quiet';
    remove.textContent = '移除';
    remove.addEventListener('click', () => {
      row.remove();
      scheduleDraftPreview();
    });
    buttons.append(up, remove);
    row.append(state, label, caption, altLabel, alt, buttons);
    return row;
  }

  function showPhotos(article) {
    // The photo route changes pending submissions only; for the others, photos are saved with the text.
    $('[data-photo-save]').hidden = article.status !== 'pending';
    photoError.hidden = true;
    photoEdits.replaceChildren(...(article.images ?? []).map(photoRow));
  }

  /** The same upload the 投稿 page uses (photo-upload.js); the row's bar follows it. */
  async function addPhoto(file) {
    const photos = window.newsroomPhotos;
    if (photos.refusal(file, Number(photoEditor.dataset.maxFileBytes))) {
      photoError.textContent = `${file.name}：只能添加不超过 10 MB 的 JPEG、PNG 或 WebP 照片。`;
      photoError.hidden = false;
      return;
    }
    const row = photoRow({ key: '', caption: '', state: 'processing' });
    const progress = photos.progressBar(file);
    row.prepend(progress);
    const state = row.querySelector('.photo-state');
    state.textContent = `正在上传 ${file.name}…`;
    photoEdits.append(row);
    const failure = await photos.uploadPhoto(file, row, progress);
    state.textContent = failure ? `${file.name} 上传失败：${failure}` : `${file.name} 已上传，保存后进入预览`;
  }

  /** The photo rows as the API takes them: key, caption and alt text, in their order. */
  const currentImages = () =>
    [...photoEdits.querySelectorAll('li[data-key]:not([data-key=""])')].map((row) => {
      const alt = row.querySelector('[data-photo-alt]').value.trim();
      return {
        key: row.dataset.key,
        caption: row.querySelector('[data-photo-caption]').value.trim(),
        ...(alt ? { alt } : {}),
      };
    });

  async function savePhotos() {
    if (!selected) return;
    if (photoEdits.querySelector('li[data-key=""]:not([data-failed])'))
      return say('照片仍在上传，请稍候再保存。', 'error');
    const images = currentImages();
    try {
      await api(submissionPath(selected.id, 'images'), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ images }),
      });
      await open(selected);
      say('照片已保存，预览已更新。');
    } catch (error) {
      if (error.status === 401) return;
      photoError.textContent =
        Object.keys(error.fields ?? {}).length > 0 ? Object.values(error.fields).join(' ') : error.message;
      photoError.hidden = false;
    }
  }

  // ---- views: preview, edit, revisions, history ------------------------------------------------------------------

  function showView(view, focus = false) {
    currentView = view;
    for (const tab of $$('[data-view]')) {
      const on = tab.dataset.view === view;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      if (on && focus) tab.focus();
    }
    for (const panel of $$('[data-view-panel]')) panel.hidden = panel.dataset.viewPanel !== view;
    if (!selected) return;
    if (view === 'revisions') loadRevisions();
    if (view === 'history') loadHistory();
  }

  const editField = (name) => editForm.querySelector(`[name="${name}"]`);

  function fillEditForm(article) {
    for (const name of TEXT_FIELDS) editField(name).value = article[name] ?? '';
    editField('note').value = '';
    editField('correction.note').value = '';
    correctionToggle.checked = false;
    correctionFields.hidden = article.status !== 'published';
    editField('correction.note').disabled = true;
    clearFieldErrors();
  }

  function clearFieldErrors() {
    for (const slot of editForm.querySelectorAll('[data-error-for]')) {
      slot.hidden = true;
      slot.textContent = '';
    }
    for (const control of editForm.querySelectorAll('[aria-invalid]'))
      control.removeAttribute('aria-invalid');
  }

  /** The API's field errors next to their fields, as the 投稿 page shows them; the first one gets the focus. */
  function showFieldErrors(fields) {
    clearFieldErrors();
    let first;
    for (const [name, message] of Object.entries(fields)) {
      const key = name.startsWith('images') ? 'images' : name;
      const slot = editForm.querySelector(`[data-error-for="${key}"]`);
      if (!slot) continue;
      slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
      slot.hidden = false;
      const control = editField(key);
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        first ??= control;
      }
    }
    first?.focus();
  }

  /** The form's text and photos as they stand, saved or not. */
  const draftText = () => ({
    ...Object.fromEntries(TEXT_FIELDS.map((name) => [name, editField(name).value])),
    images: currentImages(),
  });

  // ---- live preview while typing: the unsaved fields rendered with the article template ---------------------------

  /**
   * Shows `html` in the live preview once the page before it has loaded: replacing a frame's document while its
   * stylesheet is still loading aborts that request, and typing fast would do it at every pause.
   */
  function showDraft(html) {
    if (draftLoading) {
      draftWaiting = html;
      return;
    }
    draftLoading = true;
    draftFrame.srcdoc = html;
  }
  draftFrame.addEventListener('load', () => {
    draftLoading = false;
    if (draftWaiting === undefined) return;
    const html = draftWaiting;
    draftWaiting = undefined;
    showDraft(html);
  });

  function scheduleDraftPreview() {
    if (!selected || currentView !== 'edit') return;
    clearTimeout(draftTimer);
    draftState.textContent = '预览更新中…';
    draftTimer = setTimeout(refreshDraftPreview, DRAFT_PREVIEW_DELAY_MS);
  }

  async function refreshDraftPreview() {
    if (!selected) return;
    const id = selected.id;
    const request = ++draftRequests;
    /** @type {ReturnType<typeof draftText> & { correction?: { note: string } }} */
    const draft = draftText();
    if (correctionToggle.checked) draft.correction = { note: editField('correction.note').value };
    try {
      const html = await (
        await api(submissionPath(id, 'preview'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(draft),
        })
      ).text();
      // Answers can cross: only the latest request for the open article is shown.
      if (request !== draftRequests || selected?.id !== id) return;
      showDraft(html);
      draftState.textContent = '预览已更新（未保存）。';
    } catch (error) {
      if (request === draftRequests && error.status !== 401)
        draftState.textContent = `预览未更新：${error.message}`;
    }
  }

  async function saveEdit() {
    if (!selected || !loaded) return;
    if (photoEdits.querySelector('li[data-key=""]:not([data-failed])'))
      return say('照片仍在上传，请稍候再保存。', 'error');
    /** @type {ReturnType<typeof draftText> & { revision: number, note?: string, correction?: { note: string } }} */
    const body = { revision: loaded.revision, ...draftText() };
    const note = editField('note').value.trim();
    if (note) body.note = note;
    if (correctionToggle.checked) body.correction = { note: editField('correction.note').value };
    try {
      const outcome = await (
        await api(submissionPath(selected.id), {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
      await open(selected, 'edit');
      say(
        body.correction
          ? `已保存为第 ${outcome.revision} 版，并公开更正。`
          : `已保存为第 ${outcome.revision} 版。`,
      );
      // The lists catch up after the message: the editor learns the outcome first.
      Promise.all([loadQueue(currentStatus), loadCounts()]);
    } catch (error) {
      if (error.status === 401) return;
      if (error.status === 400 && Object.keys(error.fields ?? {}).length > 0) {
        showFieldErrors(error.fields);
        say('有字段需要修改，见表单中的提示。', 'error');
        return;
      }
      // 409: someone saved a newer revision; the message says who and when. The editor's text stays in the form.
      say(error.status === 409 ? `未保存：${error.message}` : `保存失败：${error.message}`, 'error');
    }
  }

  // ---- revisions: a paragraph-level diff and restore ----------------------------------------------------------------

  const paragraphs = (revision) => [
    `标题：${revision.title}`,
    `栏目：${channelName(revision.channel)}`,
    ...(revision.summary ? [`摘要：${revision.summary}`] : []),
    ...(revision.author ? [`作者：${revision.author}`] : []),
    ...(revision.source ? [`来源：${revision.source}`] : []),
    ...revision.body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    ...(revision.images ?? []).map((img, i) => `图 ${i + 1}：${img.caption || img.key}`),
  ];

  /** Longest common subsequence of paragraphs: what stayed, what went, what came. */
  function diffParagraphs(before, after) {
    const n = before.length;
    const m = after.length;
    const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        table[i][j] =
          before[i] === after[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    const out = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && before[i] === after[j]) {
        out.push(['same', before[i]]);
        i++;
        j++;
      } else if (i < n && (j >= m || table[i + 1][j] >= table[i][j + 1])) out.push(['removed', before[i++]]);
      else out.push(['added', after[j++]]);
    }
    return out;
  }

  async function compare(a, b) {
    const [older, newer] = [a, b].sort((x, y) => x - y);
    try {
      const [before, after] = await Promise.all(
        [older, newer].map((n) => api(submissionPath(selected.id, `revisions/${n}`)).then((r) => r.json())),
      );
      const changes = diffParagraphs(paragraphs(before), paragraphs(after));
      const heading = document.createElement('h3');
      heading.textContent = `第 ${older} 版 → 第 ${newer} 版`;
      const list = document.createElement('ol');
      list.className = 'diff-list';
      // Unchanged paragraphs far from any change fold into one line, so the changes are what the eye finds.
      const near = (index) =>
        changes.slice(Math.max(0, index - 1), index + 2).some(([kind]) => kind !== 'same');
      let folded = 0;
      const flush = () => {
        if (folded === 0) return;
        const item = document.createElement('li');
        item.dataset.change = 'folded';
        item.textContent = `…… ${folded} 段未改动 ……`;
        list.append(item);
        folded = 0;
      };
      for (const [index, [kind, paragraph]] of changes.entries()) {
        if (kind === 'same' && !near(index)) {
          folded += 1;
          continue;
        }
        flush();
        const item = document.createElement('li');
        item.dataset.change = kind;
        const mark = document.createElement(kind === 'added' ? 'ins' : kind === 'removed' ? 'del' : 'span');
        mark.textContent = paragraph;
        item.append(mark);
        list.append(item);
      }
      flush();
      const changed = changes.filter(([kind]) => kind !== 'same').length;
      const summary = document.createElement('p');
      summary.textContent =
        changed === 0 ? '两个版本相同。' : `${changed} 处段落改动（绿色为新增，红色删除线为删去）。`;
      diffView.replaceChildren(heading, summary, list);
    } catch (error) {
      if (error.status !== 401) say(`无法比较：${error.message}`, 'error');
    }
  }

  async function loadRevisions() {
    const id = selected.id;
    try {
      const { items } = await (await api(submissionPath(id, 'revisions'))).json();
      if (selected?.id !== id) return;
      diffView.replaceChildren();
      revisionsList.replaceChildren(
        ...items
          .slice()
          .reverse()
          .map((revision, index) => {
            const row = document.createElement('li');
            const pick = document.createElement('input');
            pick.type = 'checkbox';
            pick.id = `revision-${revision.revision}`;
            pick.value = String(revision.revision);
            pick.dataset.revisionPick = '';
            pick.checked = index < 2;
            const label = document.createElement('label');
            label.htmlFor = pick.id;
            label.textContent = `第 ${revision.revision} 版 · ${formatTime(revision.at)} · ${revision.editor.name}${revision.note ? ` · ${revision.note}` : ''}`;
            const restore = document.createElement('button');
            restore.type = 'button';
            restore.className = 'quiet';
            restore.textContent = '恢复此版本';
            restore.hidden = revision.revision === loaded?.revision;
            restore.addEventListener('click', () => restoreRevision(revision.revision));
            row.append(pick, label, restore);
            return row;
          }),
      );
      if (items.length === 0) {
        const none = document.createElement('li');
        none.textContent = '还没有保存过的版本。';
        revisionsList.append(none);
      }
      $('[data-compare]').hidden = items.length < 2;
      if (items.length >= 2) {
        const [a, b] = items.slice(-2).map((r) => r.revision);
        await compare(a, b);
      }
    } catch (error) {
      if (error.status !== 401) say(`无法载入修订记录：${error.message}`, 'error');
    }
  }

  async function restoreRevision(from) {
    if (!selected || !loaded) return;
    try {
      const outcome = await (
        await api(submissionPath(selected.id, 'restore'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ revision: loaded.revision, from }),
        })
      ).json();
      await open(selected, 'revisions');
      say(`已将第 ${from} 版恢复为第 ${outcome.revision} 版。`);
    } catch (error) {
      if (error.status !== 401)
        say(error.status === 409 ? `未恢复：${error.message}` : error.message, 'error');
    }
  }

  async function loadHistory() {
    const id = selected.id;
    try {
      const { items } = await (await api(submissionPath(id, 'history'))).json();
      if (selected?.id !== id) return;
      historyList.replaceChildren(
        ...items
          .slice()
          .reverse()
          .map((entry) => {
            const row = document.createElement('li');
            row.dataset.action = entry.action;
            const when = document.createElement('time');
            when.dateTime = entry.at;
            when.textContent = formatTime(entry.at);
            const what = document.createElement('strong');
            what.textContent = ACTION_NAMES[entry.action] ?? entry.action;
            const who = document.createElement('span');
            who.textContent = `${entry.editor.name} · 第 ${entry.revision} 版`;
            row.append(when, what, who);
            if (entry.note) {
              const note = document.createElement('p');
              note.textContent = entry.note;
              row.append(note);
            }
            return row;
          }),
      );
      if (items.length === 0) {
        const none = document.createElement('li');
        none.textContent = '没有记录（早于操作记录的稿件）。';
        historyList.append(none);
      }
    } catch (error) {
      if (error.status !== 401) say(`无法载入操作记录：${error.message}`, 'error');
    }
  }

  // ---- one submission --------------------------------------------------------------------------------------------

  /** Opens a submission; `view` is the view to show, else whichever is chosen when it has loaded. */
  async function open(item, view) {
    selected = item;
    rejectError.hidden = true;
    for (const button of queue.querySelectorAll('.queue-item'))
      button.setAttribute('aria-current', String(button.dataset.id === item.id));
    say(`正在载入《${item.title}》…`);
    try {
      const [article, html] = await Promise.all([
        api(submissionPath(item.id)).then((r) => r.json()),
        api(submissionPath(item.id, 'preview')).then((r) => r.text()),
      ]);
      loaded = article;
      // desk-schedule.js shows the 定时发布 and preview-link controls for it.
      document.dispatchEvent(new CustomEvent('desk:open', { detail: article }));
      // The frame is sandboxed without allow-scripts or allow-same-origin: the preview can neither run code
      // nor reach the desk's token.
      frame.srcdoc = html;
      // The saved text replaces any draft preview still on its way.
      clearTimeout(draftTimer);
      draftRequests += 1;
      showDraft(html);
      draftState.textContent = '';
      articleTitle.textContent = article.title;
      describe(article);
      showPhotos(article);
      fillEditForm(article);
      approveButton.hidden = signOff !== 'two-step' || article.status !== 'pending';
      publishButton.hidden = !['pending', 'approved', 'unpublished'].includes(article.status);
      rejectForm.hidden = !['pending', 'approved'].includes(article.status);
      unpublishButton.hidden = article.status !== 'published';
      empty.hidden = true;
      preview.hidden = false;
      say('');
      const shown = view ?? currentView;
      showView(article.status === 'rejected' && shown === 'edit' ? 'preview' : shown);
      if (shown === 'preview') preview.focus();
    } catch (error) {
      if (error.status !== 401) say(`无法载入稿件：${error.message}`, 'error');
    }
  }

  // desk-schedule.js changed the open article (scheduled, unscheduled, links withdrawn): reload it and the queues.
  document.addEventListener('desk:changed', async (event) => {
    await Promise.all([selected && open(selected), loadQueue(currentStatus), loadCounts()]);
    say(/** @type {CustomEvent} */ (event).detail?.message ?? '');
  });

  async function decide(action, body) {
    if (!selected) return;
    const item = selected;
    try {
      const response = await api(submissionPath(item.id, action), {
        method: 'POST',
        ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      const outcome = await response.json();
      preview.hidden = true;
      empty.hidden = false;
      selected = undefined;
      loaded = undefined;
      say(
        outcome.url
          ? `《${item.title}》已发布：${outcome.url}`
          : `《${item.title}》：${QUEUE_NAMES[outcome.status] ?? outcome.status}。`,
      );
      await Promise.all([loadQueue(currentStatus), loadCounts()]);
    } catch (error) {
      if (error.fields?.reason) {
        rejectError.textContent = error.fields.reason;
        rejectError.hidden = false;
        return;
      }
      if (error.status === 401) return;
      const prefix = error.status === 409 || error.status === 403 ? '未执行' : '操作失败';
      say(`${prefix}：${error.message}`, 'error');
      await loadQueue(currentStatus);
    }
  }

  // ---- keyboard shortcuts --------------------------------------------------------------------------------------

  function moveInQueue(step) {
    const items = [...queue.querySelectorAll('.queue-item')];
    if (items.length === 0) return;
    const at = items.findIndex((b) => b.dataset.id === selected?.id);
    const next = items[Math.min(items.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    next.focus();
    next.click();
  }

  document.addEventListener('keydown', (event) => {
    if (desk.hidden) return;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      if (currentView === 'edit' && selected) {
        event.preventDefault();
        saveEdit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) return;
    const key = event.key.toLowerCase();
    const visible = (button) => !button.hidden && selected;
    if (key === 'j') moveInQueue(1);
    else if (key === 'k') moveInQueue(-1);
    else if (key === 'e' && selected) showView('edit', true);
    else if (key === 'v' && selected) showView('preview', true);
    else if (key === 'p' && visible(publishButton)) decide('publish');
    else if (key === 'a' && visible(approveButton)) decide('approve');
    else if (key === 'u' && visible(unpublishButton)) decide('unpublish');
    else return;
    event.preventDefault();
  });

  /** Arrow keys move between tabs, as a tab list should. */
  function arrowTabs(list) {
    list.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const tabs = [...list.querySelectorAll('[role="tab"]')];
      const at = tabs.indexOf(document.activeElement);
      const next = tabs[(at + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next?.focus();
      next?.click();
    });
  }

  // ---- wiring ----------------------------------------------------------------------------------------------------

  /** Who is signed in and how the site signs off: the desk offers 初审 only with two-step sign-off. */
  async function loadSession() {
    try {
      const session = await (await api('/api/admin/session')).json();
      signOff = session.signOff;
    } catch (error) {
      if (error.status !== 401) say(`无法载入编辑台设置：${error.message}`, 'error');
    }
    desk.dataset.signOff = signOff;
  }

  async function openDesk() {
    signIn.hidden = true;
    desk.hidden = false;
    await Promise.all([loadSession(), loadQueue('pending'), loadCounts()]);
  }

  for (const tab of $$('[data-view]')) tab.addEventListener('click', () => showView(tab.dataset.view));
  for (const list of document.querySelectorAll('[role="tablist"]')) arrowTabs(list);
  editForm.addEventListener('submit', (event) => {
    event.preventDefault();
    saveEdit();
  });
  editForm.addEventListener('input', scheduleDraftPreview);
  editForm.addEventListener('change', scheduleDraftPreview);
  correctionToggle.addEventListener('change', () => {
    editField('correction.note').disabled = !correctionToggle.checked;
    if (correctionToggle.checked) editField('correction.note').focus();
  });
  $('[data-compare]').addEventListener('click', () => {
    const picked = [...revisionsList.querySelectorAll('[data-revision-pick]:checked')].map((p) =>
      Number(p.value),
    );
    if (picked.length !== 2) return say('请选择两个版本进行比较。', 'error');
    compare(picked[0], picked[1]);
  });
  approveButton.addEventListener('click', () => decide('approve'));

  for (const tab of $$('[data-queue-status]'))
    tab.addEventListener('click', () => loadQueue(tab.dataset.queueStatus));
  more.addEventListener('click', () => loadQueue(currentStatus, true));
  $('[data-photo-save]').addEventListener('click', savePhotos);
  $('[data-photo-input]').addEventListener('change', (event) => {
    for (const file of event.target.files) addPhoto(file);
    event.target.value = '';
  });
  const drop = $('[data-photo-drop]');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.dataset.over = 'true';
  });
  drop.addEventListener('dragleave', () => delete drop.dataset.over);
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    delete drop.dataset.over;
    for (const file of event.dataTransfer.files) addPhoto(file);
  });
  publishButton.addEventListener('click', () => decide('publish'));
  unpublishButton.addEventListener('click', () => decide('unpublish'));
  rejectForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = String(new FormData(rejectForm).get('reason') ?? '').trim();
    if (!reason) {
      rejectError.textContent = '请填写退稿理由。';
      rejectError.hidden = false;
      $('#reject-reason').focus();
      return;
    }
    decide('reject', { reason });
  });

  const login = await loginConfig();
  const params = new URLSearchParams(location.search);
  if (login && params.has('code')) {
    const token = await finishLogin(login, params);
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
  }
  if (sessionStorage.getItem(TOKEN_KEY)) openDesk();
  else showSignIn(login);
})();
