// The editor desk at /admin/: signs the editor in (Cognito managed login with PKCE in AWS, a pasted local token
// on `npm start`), lists the queues, previews a submission with the article template, and publishes, rejects or
// unpublishes through /api/admin/*. Values from the API go into the DOM as text, never as markup.
(async () => {
  const TOKEN_KEY = 'newsroom.editorToken';
  const PKCE_KEY = 'newsroom.pkce';
  const redirectUri = `${location.origin}/admin/`;
  const QUEUE_NAMES = { pending: '待审稿件', published: '已发布', rejected: '已退稿', unpublished: '已撤下' };

  const $ = (selector) => document.querySelector(selector);
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
  const unpublishButton = $('[data-unpublish]');
  const rejectForm = $('[data-reject]');
  const rejectError = $('[data-error-for="reason"]');
  const photoEditor = $('[data-photo-editor]');
  const photoEdits = $('[data-photo-edits]');
  const photoError = $('[data-photo-error]');
  const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
  const PHOTO_STATES = { ready: '已处理', processing: '处理中', rejected: '已拒绝' };
  let photoRows = 0;

  let currentStatus = 'pending';
  let nextCursor;
  let selected;

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
      scope: 'openid profile email',
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
    // The ID token carries preferred_username, the name that goes on the page, and its audience is this client.
    return (await response.json()).id_token;
  }

  /** /admin/config.json names the managed login in AWS; locally it is absent and the desk asks for the token. */
  async function loginConfig() {
    try {
      const response = await fetch('/admin/config.json', { cache: 'no-store' });
      if (!response.ok) return undefined;
      const { login } = await response.json();
      return login?.domain && login.clientId ? login : undefined;
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

  $('[data-sign-out]').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.assign(redirectUri);
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
      item.channel,
      item.author,
      formatTime(item.updatedAt),
      item.editor && `责任编辑:${item.editor}`,
    ]
      .filter(Boolean)
      .join(' · ');
    button.append(title, meta);
    button.addEventListener('click', () => open(item));
    row.append(button);
    return row;
  }

  async function loadQueue(status, append = false) {
    currentStatus = status;
    queueTitle.textContent = QUEUE_NAMES[status] ?? status;
    for (const tab of document.querySelectorAll('[data-queue-status]'))
      tab.setAttribute('aria-pressed', String(tab.dataset.queueStatus === status));
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
      ['投稿时间', formatTime(article.submittedAt)],
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
    const up = document.createElement('button');
    up.type = 'button';
    up.textContent = '上移';
    up.addEventListener('click', () => row.previousElementSibling?.before(row));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '移除';
    remove.addEventListener('click', () => row.remove());
    row.append(state, label, caption, up, remove);
    return row;
  }

  function showPhotos(article) {
    photoEditor.hidden = article.status !== 'pending';
    photoError.hidden = true;
    photoEdits.replaceChildren(...(article.images ?? []).map(photoRow));
  }

  /** The same upload the 投稿 page uses (photo-upload.js); the row's bar follows it. */
  async function addPhoto(file) {
    if (
      !PHOTO_TYPES.includes(file.type) ||
      file.size === 0 ||
      file.size > Number(photoEditor.dataset.maxFileBytes)
    ) {
      photoError.textContent = `${file.name}：只能添加不超过 10 MB 的 JPEG、PNG 或 WebP 照片。`;
      photoError.hidden = false;
      return;
    }
    const row = photoRow({ key: '', caption: '', state: 'processing' });
    const progress = document.createElement('progress');
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute('aria-label', `${file.name} 上传进度`);
    row.prepend(progress);
    row.querySelector('.photo-state').textContent = `正在上传 ${file.name}…`;
    photoEdits.append(row);
    try {
      row.dataset.key = await window.newsroomUploadPhoto(file, progress);
      row.querySelector('.photo-state').textContent = `${file.name} 已上传，保存后进入预览`;
    } catch (error) {
      row.dataset.failed = 'true';
      row.querySelector('.photo-state').textContent = `${file.name} 上传失败：${error.message}`;
    }
  }

  async function savePhotos() {
    if (!selected) return;
    if (photoEdits.querySelector('li[data-key=""]:not([data-failed])'))
      return say('照片仍在上传，请稍候再保存。', 'error');
    const images = [...photoEdits.querySelectorAll('li[data-key]:not([data-key=""])')].map((row) => ({
      key: row.dataset.key,
      caption: row.querySelector('[data-photo-caption]').value.trim(),
    }));
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

  async function open(item) {
    selected = item;
    rejectError.hidden = true;
    say(`正在载入《${item.title}》…`);
    try {
      const [article, html] = await Promise.all([
        api(submissionPath(item.id)).then((r) => r.json()),
        api(submissionPath(item.id, 'preview')).then((r) => r.text()),
      ]);
      // The frame is sandboxed without allow-scripts or allow-same-origin: the preview can neither run code
      // nor reach the desk's token.
      frame.srcdoc = html;
      describe(article);
      showPhotos(article);
      publishButton.hidden = !['pending', 'unpublished'].includes(article.status);
      rejectForm.hidden = article.status !== 'pending';
      unpublishButton.hidden = article.status !== 'published';
      preview.hidden = false;
      say('');
      preview.focus();
    } catch (error) {
      if (error.status !== 401) say(`无法载入稿件：${error.message}`, 'error');
    }
  }

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
      selected = undefined;
      await loadQueue(currentStatus);
      say(
        outcome.url
          ? `《${item.title}》已发布：${outcome.url}`
          : `《${item.title}》：${QUEUE_NAMES[outcome.status] ?? outcome.status}。`,
      );
    } catch (error) {
      if (error.fields?.reason) {
        rejectError.textContent = error.fields.reason;
        rejectError.hidden = false;
        return;
      }
      if (error.status === 401) return;
      say(error.status === 409 ? `未执行：${error.message}` : `操作失败：${error.message}`, 'error');
      await loadQueue(currentStatus);
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------------------------

  async function openDesk() {
    signIn.hidden = true;
    desk.hidden = false;
    await loadQueue('pending');
  }

  for (const tab of document.querySelectorAll('[data-queue-status]'))
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
