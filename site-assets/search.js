// @ts-check
// 站内搜索: reads ?q= (and ?channel=, ?year=) on /search/, searches the static index under /pagefind/ with
// Pagefind's engine (WebAssembly in a worker; the page's CSP allows 'wasm-unsafe-eval' for it, and only here), and
// lists the results: linked title, date, channel and a snippet with the words marked. Loaded with `defer`. Without a
// year in the URL it searches the newest parts of the index only; 「搜索更早的文章」 (or `year=all`) merges the rest.
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
  const scope = /** @type {HTMLElement} */ (document.querySelector('[data-search-scope]'));
  const olderButton = /** @type {HTMLElement} */ (document.querySelector('[data-search-older]'));
  if (!form || !status || !list || !more || !scope || !olderButton) return;
  /** `?year=` value that searches every part (SEARCH_ALL_YEARS in shared/search/split-index.ts). */
  const ALL = 'all';

  const PAGE = 10;
  /** Candidates whose text is loaded to fill one page at most; beyond that the rest waits for "more". */
  const CHECKS_PER_PAGE = 60;
  const MAX_QUERY = 100;
  const text = (name) => form.getAttribute(`data-text-${name}`) || '';

  const params = new URLSearchParams(location.search);
  const query = (params.get('q') || '').trim().slice(0, MAX_QUERY);
  const channel = params.get('channel') || '';
  let year = params.get('year') || '';
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

  /**
   * Which parts of the index to search (docs/SEARCH.md, "Search scope"). The newest part is the primary index and is
   * always searched; the manifest lists the others with their years. With no year in the URL only the newest
   * `manifest.recent` of them are merged, so a first query's download does not grow with the archive; `year=2018`
   * merges 2018's parts only, `year=all` every part. A site whose index is one piece has no manifest.
   * @param {{ year?: string, parts?: { path: string, year: string }[], recent?: number } | null} manifest
   */
  const scopeOf = (manifest) => {
    const parts = manifest?.parts || [];
    if (year === ALL) return { merge: parts, older: [] };
    if (year) return { merge: parts.filter((p) => p.year === year), older: [] };
    const recent = Math.max(0, manifest?.recent ?? parts.length);
    return { merge: parts.slice(0, recent), older: parts.slice(recent) };
  };

  /** Every year the archive holds, newest first, for the year filter (from the manifest: no index file is read). */
  const manifestYears = (manifest) => {
    const years = {};
    for (const y of [manifest.year, ...(manifest.parts || []).map((p) => p.year)]) if (y) years[y] = 1;
    return years;
  };

  /** The current search's candidates and how far they were checked; "more" goes on from there. */
  let candidates = /** @type {PagefindSearchResult[]} */ ([]);
  let checked = 0;
  let shown = 0;
  let recentOnly = false;

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
        ? text(recentOnly ? 'none-recent' : 'none').replace('{q}', query)
        : text(recentOnly ? 'found-recent' : 'found')
            .replace('{n}', rest ? `${shown}+` : String(shown))
            .replace('{q}', query),
    );
    more.hidden = !rest;
    scope.hidden = !recentOnly;
  };

  /** Searches the parts merged so far and lists the first page of results. */
  const searchMerged = async (pagefind) => {
    const filters = {};
    if (channel) filters.channel = channel;
    if (year && year !== ALL) filters.year = year;
    const search = await pagefind.search(query, { filters });
    candidates = search ? search.results : [];
    checked = 0;
    shown = 0;
    list.replaceChildren();
    await fill();
  };

  const run = async () => {
    const pagefind = /** @type {Pagefind} */ (await import(PAGEFIND));
    const manifest = await fetch('/pagefind/indexes.json').then(
      (r) => (r.ok ? r.json() : null),
      () => null,
    );
    const { merge, older } = scopeOf(manifest);
    recentOnly = older.length > 0;
    if (!recentOnly) {
      // Everything is in the default scope (or the URL chose a year or all): the first option means every year.
      const all = yearSelect?.querySelector(`option[value="${ALL}"]`);
      if (all && !year) all.remove();
      const first = yearSelect?.querySelector('option[value=""]');
      if (first && !year) first.textContent = text('all');
    }
    await Promise.all(merge.map((p) => pagefind.mergeIndex(p.path)));
    const [, available] = await Promise.all([
      searchMerged(pagefind),
      manifest
        ? manifestYears(manifest)
        : pagefind.filters().then(
            (f) => f.year || {},
            () => ({}),
          ),
    ]);
    addYears(available);
    // 搜索更早的文章: merges the parts left out (the engine and the recent parts are loaded already), searches again,
    // and puts the scope in the URL so the page can be linked as it now is.
    olderButton.addEventListener('click', () => {
      scope.hidden = true;
      say(text('loading'));
      Promise.all(older.map((p) => pagefind.mergeIndex(p.path)))
        .then(() => {
          recentOnly = false;
          year = ALL;
          if (yearSelect) yearSelect.value = ALL;
          const url = new URL(location.href);
          url.searchParams.set('year', ALL);
          history.replaceState(null, '', url);
          return searchMerged(pagefind);
        })
        .then(() => status.focus())
        .catch(failed);
    });
  };

  more.addEventListener('click', () => {
    fill().catch(failed);
  });
  const failed = () => say(text('failed'));
  run().catch(failed);
})();
