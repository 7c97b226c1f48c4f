// @ts-check
// 稿件查询: asks the API what became of a submission, with the receipt in the X-Receipt header (never in the URL the
// server sees). A link from the 投稿 confirmation fills the form from its fragment and looks up at once.
(() => {
  const form = /** @type {HTMLFormElement} */ (document.querySelector('form[data-status-form]'));
  const answer = /** @type {HTMLElement} */ (document.querySelector('[data-status-answer]'));
  if (!form || !answer) return;
  const STATES = {
    pending: ['待审', '稿件已收到，正在等待编辑审核。'],
    scheduled: ['待发布', '稿件已通过审核，将在预定时间发布。'],
    published: ['已发布', '稿件已在本站发布。'],
    rejected: ['未采用', '稿件未被采用。'],
    unpublished: ['已撤下', '稿件曾经发布，现已撤下。'],
  };

  function show(tone, heading, text, link, reason) {
    const h = document.createElement('h2');
    h.textContent = heading;
    const p = document.createElement('p');
    p.textContent = text;
    const parts = [h, p];
    if (reason) {
      const r = document.createElement('p');
      r.textContent = `编辑说明：${reason}`;
      parts.push(r);
    }
    if (link) {
      const a = document.createElement('a');
      a.href = link;
      a.textContent = '阅读已发布的稿件';
      const wrap = document.createElement('p');
      wrap.append(a);
      parts.push(wrap);
    }
    answer.replaceChildren(...parts);
    answer.dataset.tone = tone;
    answer.hidden = false;
    answer.focus();
  }

  async function lookUp(id, receipt) {
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const response = await fetch(`/api/submissions/${encodeURIComponent(id)}`, {
        headers: { accept: 'application/json', 'x-receipt': receipt },
        cache: 'no-store',
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 200 && STATES[body.status]) {
        const [heading, text] = STATES[body.status];
        return show(body.status, heading, text, body.url, body.reason);
      }
      if (response.status === 404)
        return show('error', '未找到', '没有与该稿件编号和回执码相符的稿件。请核对后重试。');
      if (response.status === 429) return show('error', '查询太频繁', '请稍后再试。');
      show('error', '查询失败', `HTTP ${response.status}，请稍后再试。`);
    } catch {
      show('error', '网络连接失败', '请检查网络后重试。');
    } finally {
      button.disabled = false;
    }
  }

  form.noValidate = true;
  const idField = /** @type {HTMLInputElement} */ (form.elements.namedItem('id'));
  const receiptField = /** @type {HTMLInputElement} */ (form.elements.namedItem('receipt'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = idField.value.trim().toLowerCase();
    const receipt = receiptField.value.trim();
    if (!/^[0-9a-f]{16}$/.test(id) || receipt === '')
      return show('error', '请填写完整', '稿件编号为 16 位字母和数字；回执码在投稿成功后显示。');
    lookUp(id, receipt);
  });

  const fragment = new URLSearchParams(location.hash.slice(1));
  const id = fragment.get('id');
  const receipt = fragment.get('receipt');
  if (id && receipt) {
    idField.value = id;
    receiptField.value = receipt;
    // The receipt leaves the address bar (and the history entry) once it is in the form.
    history.replaceState(null, '', location.pathname);
    lookUp(id, receipt);
  }
})();
