// @ts-check
// The 投稿 form: checks the limits the page shows (the page writes them from the API's own submissionLimits),
// sends the submission, then shows the server's field errors next to their fields or the submission id.
(() => {
  const form = /** @type {HTMLFormElement} */ (document.querySelector('form[data-submission]'));
  const status = /** @type {HTMLElement} */ (document.querySelector('[data-submission-status]'));
  const confirmation = /** @type {HTMLElement} */ (document.querySelector('[data-submission-confirmation]'));
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  const photos = /** @type {HTMLElement} */ (form?.querySelector('[data-photos]'));
  const photoList = /** @type {HTMLElement} */ (photos?.querySelector('[data-photo-list]'));
  let photoCount = 0;
  let uploading = 0;

  /** One key per filled-in form: a double click or a retry after a timeout never stores the submission twice. */
  let idempotencyKey = crypto.randomUUID();

  const say = (message, tone) => {
    status.textContent = message;
    status.dataset.tone = tone;
  };

  function readSubmission() {
    const data = new FormData(form);
    const text = (name) => String(data.get(name) ?? '');
    const name = text('contact.name').trim();
    const email = text('contact.email').trim();
    return {
      title: text('title'),
      channel: text('channel'),
      author: text('author'),
      source: text('source'),
      summary: text('summary'),
      body: text('body'),
      ...(name || email ? { contact: { ...(name ? { name } : {}), ...(email ? { email } : {}) } } : {}),
      ...photoRefs(),
    };
  }

  /** Uploaded photos in the order shown, with their captions: `images` as the submission contract has it. */
  function photoRefs() {
    const images = [...(photoList?.querySelectorAll('li[data-key]') ?? [])]
      .map((item) => /** @type {HTMLElement} */ (item))
      .map((item) => ({
        key: item.dataset.key,
        caption: /** @type {HTMLInputElement} */ (item.querySelector('[data-photo-caption]')).value.trim(),
      }));
    return images.length > 0 ? { images } : {};
  }

  /** Uploads one photo (photo-upload.js), with its bar, and keeps count of uploads in flight. */
  async function uploadPhoto(file, item, progress, state) {
    uploading += 1;
    try {
      const failure = await window.newsroomPhotos.uploadPhoto(file, item, progress);
      state.textContent = failure ? `上传失败：${failure}` : '已上传';
    } finally {
      uploading -= 1;
    }
  }

  function addPhoto(file) {
    const max = Number(photos.dataset.maxPhotos);
    if (photoList.children.length >= max) return say(`最多 ${max} 张照片。`, 'error');
    photoCount += 1;
    const n = photoCount;
    const item = document.createElement('li');
    item.className = 'photo-item';
    const name = document.createElement('span');
    name.className = 'photo-name';
    name.textContent = file.name;
    const progress = window.newsroomPhotos.progressBar(file);
    const state = document.createElement('span');
    state.className = 'photo-state';
    state.setAttribute('aria-live', 'polite');
    state.textContent = '正在上传…';
    const caption = document.createElement('input');
    caption.type = 'text';
    caption.id = `photo-caption-${n}`;
    caption.dataset.photoCaption = '';
    caption.maxLength = Number(photos.dataset.maxCaption);
    const captionLabel = document.createElement('label');
    captionLabel.htmlFor = caption.id;
    captionLabel.textContent = `图片说明（${file.name}）`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '移除';
    remove.setAttribute('aria-label', `移除 ${file.name}`);
    remove.addEventListener('click', () => item.remove());
    item.append(name, progress, state, captionLabel, caption, remove);
    photoList.append(item);
    const maxBytes = Number(photos.dataset.maxFileBytes);
    const refusal = window.newsroomPhotos.refusal(file, maxBytes);
    if (refusal) {
      item.dataset.failed = 'true';
      progress.hidden = true;
      state.textContent =
        refusal === 'type'
          ? '只能上传 JPEG、PNG 或 WebP 照片。'
          : `每张照片不能超过 ${maxBytes / 1048576} MB。`;
      return;
    }
    uploadPhoto(file, item, progress, state);
  }

  /** The same rules the API applies, from the limits the page carries: every problem at once, per field. */
  function check() {
    const fields = {};
    /** @type {NodeListOf<HTMLInputElement | HTMLTextAreaElement>} */
    const controls = form.querySelectorAll('[data-max], [required]');
    for (const control of controls) {
      const value = control.value.trim();
      if (control.required && value === '') fields[control.name] = '必填。';
      else if (control.dataset.max && [...value].length > Number(control.dataset.max))
        fields[control.name] = `最多 ${control.dataset.max} 字，现在 ${[...value].length} 字。`;
    }
    const email = /** @type {HTMLInputElement | null} */ (form.elements.namedItem('contact.email'));
    if (email?.value.trim() && !fields['contact.email'] && !EMAIL.test(email.value.trim()))
      fields['contact.email'] = '请填写有效的电子邮箱地址。';
    return fields;
  }

  function clearErrors() {
    for (const slot of form.querySelectorAll('[data-error-for]')) {
      if (!(slot instanceof HTMLElement)) continue;
      slot.textContent = '';
      slot.hidden = true;
    }
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  }

  /** Each message goes into the element the field's aria-describedby already names; focus moves to the first. */
  function showErrors(fields) {
    let first;
    const elsewhere = [];
    for (const [name, message] of Object.entries(fields)) {
      const slot = /** @type {HTMLElement} */ (form.querySelector(`[data-error-for="${CSS.escape(name)}"]`));
      const control = form.elements.namedItem(name);
      if (!slot || !(control instanceof HTMLElement)) {
        elsewhere.push(`${name}: ${message}`);
        continue;
      }
      slot.textContent = message;
      slot.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
    say(elsewhere.length > 0 ? elsewhere.join(' ') : '请修改标出的内容后再提交。', 'error');
    first?.focus();
  }

  function confirm(id, receipt) {
    form.reset();
    photoList?.replaceChildren();
    idempotencyKey = crypto.randomUUID();
    say('', 'info');
    confirmation.querySelector('[data-submission-id]').textContent = id;
    // The receipt: shown once, with a lookup link that carries it in the fragment (never sent to a server).
    const receiptBlock = /** @type {HTMLElement} */ (confirmation.querySelector('[data-receipt-block]'));
    if (receiptBlock) {
      receiptBlock.hidden = !receipt;
      if (receipt) {
        receiptBlock.querySelector('[data-submission-receipt]').textContent = receipt;
        const link = /** @type {HTMLAnchorElement} */ (receiptBlock.querySelector('[data-status-link]'));
        link.hash = new URLSearchParams({ id, receipt }).toString();
      }
    }
    confirmation.hidden = false;
    confirmation.focus();
  }

  async function send() {
    clearErrors();
    confirmation.hidden = true;
    if (uploading > 0) return say('照片仍在上传，请稍候再提交。', 'error');
    const problems = check();
    if (Object.keys(problems).length > 0) return showErrors(problems);
    const body = JSON.stringify(readSubmission());
    const maxBytes = Number(form.dataset.maxBytes);
    if (new TextEncoder().encode(body).byteLength > maxBytes)
      return showErrors({ body: `整篇投稿不能超过 ${maxBytes / 1024} KiB。` });

    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    button.disabled = true;
    say('正在提交…', 'info');
    try {
      const response = await fetch('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body,
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 201 && typeof answer.id === 'string')
        return confirm(answer.id, typeof answer.receipt === 'string' ? answer.receipt : '');
      if (answer.error?.fields) return showErrors(answer.error.fields);
      if (response.status === 429) return say('提交太频繁，请稍后再试。', 'error');
      say(answer.error?.message ?? `提交失败（HTTP ${response.status}），请稍后再试。`, 'error');
    } catch {
      say('网络连接失败，投稿尚未提交；请检查网络后重试。', 'error');
    } finally {
      button.disabled = false;
    }
  }

  if (form) {
    // The script reports every problem at once, next to its field, instead of the browser's one bubble at a time.
    form.noValidate = true;
    photos?.querySelector('[data-photo-input]').addEventListener('change', (event) => {
      const input = /** @type {HTMLInputElement} */ (event.target);
      for (const file of input.files ?? []) addPhoto(file);
      input.value = '';
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send();
    });
  }
})();
