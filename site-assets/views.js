// @ts-check
// 点击量: reports one view per page load and shows the live count. Loaded with `defer` as a hashed file (no inline
// script, so the CSP stays strict). Without JavaScript the page keeps the count from its last render.
// The article to count is the element with `data-views-count`, or the page's only `[data-views-for]` element;
// any other `[data-views-for="ID"]` elements (lists) are only filled in, from GET /api/views?ids=….
(() => {
  const elements = Array.from(document.querySelectorAll('[data-views-for]'));
  if (elements.length === 0 || !window.fetch) return;
  const idPattern = /^[0-9a-f]{16}$/;
  const counted =
    document.querySelector('[data-views-for][data-views-count]') ||
    (elements.length === 1 ? elements[0] : null);
  const countedId = counted ? counted.getAttribute('data-views-for') : null;

  const show = (id, views) => {
    if (typeof views !== 'number' || !Number.isFinite(views)) return;
    for (const el of elements) if (el.getAttribute('data-views-for') === id) el.textContent = String(views);
  };

  // One random id per page load: a retry of the same report sends it again and is not counted twice.
  const viewToken = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  const report = (id) => {
    const token = viewToken();
    const send = (retriesLeft) =>
      fetch(`/api/views/${id}`, {
        method: 'POST',
        keepalive: true,
        credentials: 'omit',
        headers: { 'x-view-id': token },
      })
        .then((response) => {
          if (response.status >= 500 && retriesLeft > 0) throw new Error('retry');
          return response.ok ? response.json() : null;
        })
        .then((body) => body && show(id, body.views))
        .catch(() => {
          if (retriesLeft > 0) setTimeout(() => send(retriesLeft - 1), 2000);
        });
    send(1);
  };

  const fillLists = () => {
    const ids = [...new Set(elements.map((el) => el.getAttribute('data-views-for')))].filter(
      (id) => id !== countedId && idPattern.test(id),
    );
    // At most 40 ids per request (MAX_IDS_PER_READ in shared/domain/views.ts: what one list page shows).
    for (let i = 0; i < ids.length; i += 40) {
      fetch(`/api/views?ids=${ids.slice(i, i + 40).join(',')}`, { credentials: 'omit' })
        .then((response) => (response.ok ? response.json() : null))
        .then((body) => {
          if (body?.views) for (const [id, views] of Object.entries(body.views)) show(id, views);
        })
        .catch(() => undefined);
    }
  };

  const start = () => {
    if (countedId && idPattern.test(countedId)) report(countedId);
    fillLists();
  };

  // A prerendered page has not been seen yet: count it only if and when the reader actually opens it.
  // `prerendering` (Speculation Rules) is newer than TypeScript's DOM types; 'prerender' is the older spelling.
  const hidden = /** @type {Document & { prerendering?: boolean }} */ (document);
  if (hidden.prerendering || /** @type {string} */ (document.visibilityState) === 'prerender') {
    document.addEventListener('prerenderingchange', start, { once: true });
  } else {
    start();
  }
})();
