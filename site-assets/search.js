// @ts-check
// 站内搜索: reads ?q= (and ?channel=, ?year=) on /search/, searches the static index under /pagefind/ with
// Pagefind's engine (WebAssembly in a worker; the page's CSP allows 'wasm-unsafe-eval' for it, and only here), and
// lists the results: linked title, date, channel and a snippet with the words marked. Loaded with `defer`.
//
// Pagefind segments Chinese when it indexes (jieba) and splits the query with the browser's Intl.Segmenter, and the
// two do not always agree (Pagefind issue #1237): its candidates are loose (信访 may come back as 信 + 访). Each
// candidate is therefore kept only when its title or text holds every word of the query as typed, and the snippet
// is cut around those words. docs/SEARCH.md has the measurements.
(() => {
  /** Pagefind's browser API, written by the search function beside its index (a path, so tsc does not resolve it). */
  const PAGEFIND = '/pagefind/pagefind.js';
  const form = /** @type {HTMLFormElement} */ (document.querySelector('form[data-search]'));
  const status = /** @type {HTMLElement} */ (document.querySelector('[data-search-status]'));
  const list = /** @type {HTMLElement} */ (document.querySelector('[data-search-results]'));
  const more = /** @type {HTMLElement} */ (document.querySelector('[data-search-more]'));
  if (!form || !status || !list || !more) return;

  const PAGE = 10;
  /** Candidates whose text is loaded to fill one page at most; beyond that the rest waits for "more". */
  const CHECKS_PER_PAGE = 60;
  const MAX_QUERY = 100;
  const text = (name) => form.getAttribute(`data-text-${name}`) || '';

  const params = new URLSearchParams(location.search);
  const query = (params.get('q') || '').trim().slice(0, MAX_QUERY);
  const channel = params.get('channel') || '';
  const year = params.get('year') || '';
  const input = /** @type {HTMLInputElement} */ (form.querySelector('input[name="q"]'));
  const channelSelect = /** @type {HTMLSelectElement} */ (form.querySelector('select[name="channel"]'));
  const yearSelect = /** @type {HTMLSelectElement} */ (form.querySelector('select[name="year"]'));
  if (input) input.value = query;
  const headerInput = /** @type {HTMLInputElement} */ (
    document.querySelector('.site-search input[name="q"]')
  );
  if (headerInput) headerInput.value = query;
  if (channelSelect) channelSelect.value = channel;

  // A filter change searches again at once; the words need the button (or Enter).
  for (const select of [channelSelect, yearSelect]) {
    if (select) select.addEventListener('change', () => form.requestSubmit());
  }

  const addYears = (years) => {
    if (!yearSelect) return;
    const known = new Set(Array.from(yearSelect.options, (o) => o.value));
    for (const y of Object.keys(years).sort().reverse()) {
      if (known.has(y)) continue;
      const option = document.createElement('option');
      option.value = y;
      option.textContent = y;
      yearSelect.append(option);
    }
    yearSelect.value = year;
  };

  const say = (message) => {
    status.textContent = message;
  };

  if (!query) {
    say(text('prompt'));
    if (input) input.focus();
    return;
  }
  say(text('loading'));

  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);

  const holdsEveryWord = (data) => {
    const haystack = `${data.meta?.title || ''}\n${data.content || ''}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  };

  /** The text around the first word found, with every word marked, as DOM nodes (never HTML strings). */
  const snippet = (content) => {
    const lower = content.toLowerCase();
    let first = -1;
    for (const w of words) {
      const at = lower.indexOf(w);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    const start = Math.max(0, first - 30);
    const end = Math.min(content.length, start + 110);
    const part = content.slice(start, end).replace(/\s+/g, ' ');
    const lowerPart = part.toLowerCase();
    const fragment = document.createDocumentFragment();
    if (start > 0) fragment.append('…');
    let i = 0;
    while (i < part.length) {
      let next = -1;
      let word = '';
      for (const w of words) {
        const at = lowerPart.indexOf(w, i);
        if (at >= 0 && (next < 0 || at < next || (at === next && w.length > word.length))) {
          next = at;
          word = w;
        }
      }
      if (next < 0) {
        fragment.append(part.slice(i));
        break;
      }
      if (next > i) fragment.append(part.slice(i, next));
      const mark = document.createElement('mark');
      mark.textContent = part.slice(next, next + word.length);
      fragment.append(mark);
      i = next + word.length;
    }
    if (end < content.length) fragment.append('…');
    return fragment;
  };

  const show = (data) => {
    const item = document.createElement('li');
    item.className = 'search-result';
    const heading = document.createElement('h2');
    const link = document.createElement('a');
    link.href = data.url;
    link.textContent = data.meta?.title || data.url;
    heading.append(link);
    const meta = document.createElement('p');
    meta.className = 'search-meta';
    if (data.meta?.date) {
      const time = document.createElement('time');
      time.dateTime = data.meta.date;
      time.textContent = data.meta.date;
      meta.append(time);
    }
    if (data.meta?.channel) {
      const where = document.createElement('span');
      where.textContent = data.meta.channel;
      meta.append(where);
    }
    const excerpt = document.createElement('p');
    excerpt.className = 'search-snippet';
    excerpt.append(snippet(data.content || ''));
    item.append(heading, meta, excerpt);
    list.append(item);
  };

  const run = async () => {
    const pagefind = /** @type {Pagefind} */ (await import(PAGEFIND));
    // The index is split into parts (docs/SEARCH.md): the newest part is the primary index, the older ones are merged
    // into it. A site whose index is one piece has no manifest.
    const manifest = await fetch('/pagefind/indexes.json').then(
      (r) => (r.ok ? r.json() : { merge: [] }),
      () => ({ merge: [] }),
    );
    await Promise.all((manifest.merge || []).map((path) => pagefind.mergeIndex(path)));
    const filters = {};
    if (channel) filters.channel = channel;
    if (year) filters.year = year;
    const [search, available] = await Promise.all([
      pagefind.search(query, { filters }),
      pagefind.filters().catch(() => /** @type {Record<string, Record<string, number>>} */ ({})),
    ]);
    addYears(available.year || {});
    const candidates = search ? search.results : [];
    let checked = 0;
    let shown = 0;
    const fill = async () => {
      more.hidden = true;
      const target = shown + PAGE;
      const limit = checked + CHECKS_PER_PAGE;
      while (shown < target && checked < candidates.length && checked < limit) {
        const batch = candidates.slice(checked, Math.min(checked + PAGE, limit));
        checked += batch.length;
        const loaded = await Promise.all(batch.map((r) => r.data()));
        for (const data of loaded) {
          if (holdsEveryWord(data)) {
            show(data);
            shown++;
          }
        }
      }
      const rest = checked < candidates.length;
      say(
        shown === 0 && !rest
          ? text('none').replace('{q}', query)
          : text('found')
              .replace('{n}', rest ? `${shown}+` : String(shown))
              .replace('{q}', query),
      );
      more.hidden = !rest;
    };
    more.addEventListener('click', () => {
      fill().catch(failed);
    });
    await fill();
  };

  const failed = () => say(text('failed'));
  run().catch(failed);
})();
