// The 投稿 form: checks the limits the page shows (the page writes them from the API's own submissionLimits),
// sends the submission, then shows the server's field errors next to their fields or the submission id.
(() => {
  const form = document.querySelector('form[data-submission]');
  const status = document.querySelector('[data-submission-status]');
  const confirmation = document.querySelector('[data-submission-confirmation]');
  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
    };
  }

  /** The same rules the API applies, from the limits the page carries: every problem at once, per field. */
  function check() {
    const fields = {};
    for (const control of form.querySelectorAll('[data-max], [required]')) {
      const value = control.value.trim();
      if (control.required && value === '') fields[control.name] = '必填。';
      else if (control.dataset.max && [...value].length > Number(control.dataset.max))
        fields[control.name] = `最多 ${control.dataset.max} 字，现在 ${[...value].length} 字。`;
    }
    const email = form.elements.namedItem('contact.email');
    if (email?.value.trim() && !fields['contact.email'] && !EMAIL.test(email.value.trim()))
      fields['contact.email'] = '请填写有效的电子邮箱地址。';
    return fields;
  }

  function clearErrors() {
    for (const slot of form.querySelectorAll('[data-error-for]')) {
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
      const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
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

  function confirm(id) {
    form.reset();
    idempotencyKey = crypto.randomUUID();
    say('', 'info');
    confirmation.querySelector('[data-submission-id]').textContent = id;
    confirmation.hidden = false;
    confirmation.focus();
  }

  async function send() {
    clearErrors();
    confirmation.hidden = true;
    const problems = check();
    if (Object.keys(problems).length > 0) return showErrors(problems);
    const body = JSON.stringify(readSubmission());
    const maxBytes = Number(form.dataset.maxBytes);
    if (new TextEncoder().encode(body).byteLength > maxBytes)
      return showErrors({ body: `整篇投稿不能超过 ${maxBytes / 1024} KiB。` });

    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    say('正在提交…', 'info');
    try {
      const response = await fetch('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body,
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 201 && typeof answer.id === 'string') return confirm(answer.id);
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
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send();
    });
  }
})();
