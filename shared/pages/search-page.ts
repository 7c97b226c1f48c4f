// 站内搜索 at /search/: a form (words, channel, year) that also works as a plain GET, so `/search/?q=信访` is a link
// to a result page. site-assets/search.js reads the query, searches the index under /pagefind/ in the browser and
// lists the results; the texts it shows come from shared/labels.ts through data attributes, never from the script.
import { channelName, channels } from '../channels.ts';
import { escapeHtml } from '../render/escape.ts';
import {
  labelsFor,
  type RenderContext,
  renderPage,
  SEARCH_PATH,
  SEARCH_QUERY_MAX,
  siteName,
} from '../render/layout.ts';
import { SEARCH_ALL_YEARS } from '../search/split-index.ts';
import { siteConfig } from '../site-config.ts';

export const SEARCH_SCRIPT = 'search.js';

export function renderSearchPage(context: RenderContext): string {
  const locale = context.locale ?? siteConfig.defaultLocale;
  const t = labelsFor(context);
  // The filter's values are the names the index records carry (shared/search/records.ts): root channels.
  const channelOptions = channels.roots
    .map((c) => {
      const name = escapeHtml(channelName(c, locale));
      return `<option value="${name}">${name}</option>`;
    })
    .join('');
  const data = {
    found: t.searchFound,
    none: t.searchNone,
    'found-recent': t.searchFoundRecent,
    'none-recent': t.searchNoneRecent,
    all: t.searchAll,
    prompt: t.searchPrompt,
    loading: t.searchLoading,
    failed: t.searchFailed,
  };
  const dataAttributes = Object.entries(data)
    .map(([name, value]) => `data-text-${name}="${escapeHtml(value)}"`)
    .join(' ');
  const main = `<h1>${escapeHtml(t.searchTitle)}</h1>
<form class="search-form" data-search ${dataAttributes} role="search" action="${SEARCH_PATH}" method="get">
<div class="search-words">
<label for="search-q">${escapeHtml(t.search)}</label>
<input id="search-q" type="search" name="q" maxlength="${SEARCH_QUERY_MAX}" enterkeyhint="search">
<button type="submit">${escapeHtml(t.search)}</button>
</div>
<div class="search-filters">
<label for="search-channel">${escapeHtml(t.searchChannel)}</label>
<select id="search-channel" name="channel"><option value="">${escapeHtml(t.searchAll)}</option>${channelOptions}</select>
<label for="search-year">${escapeHtml(t.searchYear)}</label>
<select id="search-year" name="year"><option value="">${escapeHtml(t.searchRecent)}</option><option value="${SEARCH_ALL_YEARS}">${escapeHtml(t.searchAllYears)}</option></select>
</div>
</form>
<noscript><p class="search-status">${escapeHtml(t.searchNeedsScript)}</p></noscript>
<p class="search-status" data-search-status role="status" aria-live="polite" tabindex="-1"></p>
<p class="search-scope" data-search-scope hidden><button type="button" class="search-older" data-search-older>${escapeHtml(t.searchOlder)}</button></p>
<ol class="search-results" data-search-results></ol>
<p class="search-more-row"><button type="button" class="search-more" data-search-more hidden>${escapeHtml(t.searchMore)}</button></p>`;
  return renderPage(context, {
    title: t.searchTitle,
    description: `${t.searchTitle} - ${siteName(context)}`,
    path: SEARCH_PATH,
    main,
    breadcrumb: [{ name: t.home, href: '/' }, { name: t.searchTitle }],
    scripts: [SEARCH_SCRIPT],
  });
}
