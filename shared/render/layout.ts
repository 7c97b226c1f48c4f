// The page layout every HTML page shares: head, skip link, header (site name, channels, 投稿), breadcrumb, footer.
// Other pages (/submit/, /admin/) render with it too, so the whole site has one look and one CSS file.
import { channelName, channels } from '../channels.ts';
import { type Labels, labels } from '../labels.ts';
import { type Locale, siteConfig } from '../site-config.ts';
import type { SiteAssets } from './assets.ts';
import { escapeHtml } from './escape.ts';

export const SUBMIT_PATH = '/submit/';
export const FEED_PATH = '/feed.xml';
/** 站内搜索; `?q=` carries the words, so a search can be linked. */
export const SEARCH_PATH = '/search/';

/** Longest query the box takes; the search page cuts a longer `?q=` to it as well. */
export const SEARCH_QUERY_MAX = 100;

export interface Crumb {
  readonly name: string;
  /** Omitted for the current page. */
  readonly href?: string;
}

export interface PageShell {
  /** The page's own title; the site name is appended. Pass the site name alone for the home page. */
  readonly title: string;
  readonly description: string;
  /** Site-relative path of the canonical URL, e.g. `/2022/0415/2a8c6bce1fad40bb.html`. */
  readonly path: string;
  /** Already-built HTML for `<main>`. */
  readonly main: string;
  readonly breadcrumb?: readonly Crumb[];
  /** Root channel path to mark as current in the navigation. */
  readonly section?: string;
  /** Extra head elements (already-built HTML), e.g. JSON-LD. */
  readonly head?: string;
  /** Logical names of scripts from site-assets/ to load with `defer`. */
  readonly scripts?: readonly string[];
  /** `noindex` for pages that should not be in search results (404, editor pages). */
  readonly noindex?: boolean;
}

export interface RenderContext {
  /** Absolute origin without a trailing slash, e.g. `https://news.example.cn`. */
  readonly siteUrl: string;
  readonly assets: SiteAssets;
  readonly locale?: Locale;
  /** The Cognito managed login for the editor desk, where there is one (AWS); locally the desk takes a token. */
  readonly editorLogin?: { readonly domain: string; readonly clientId: string };
}

export const labelsFor = (context: RenderContext): Labels =>
  labels[context.locale ?? siteConfig.defaultLocale];
export const siteName = (context: RenderContext): string =>
  siteConfig.name[context.locale ?? siteConfig.defaultLocale];

function breadcrumbHtml(context: RenderContext, crumbs: readonly Crumb[]): string {
  const t = labelsFor(context);
  const items = crumbs
    .map((c) =>
      c.href
        ? `<li><a href="${escapeHtml(c.href)}">${escapeHtml(c.name)}</a></li>`
        : `<li><span aria-current="page">${escapeHtml(c.name)}</span></li>`,
    )
    .join('');
  return `<nav class="breadcrumb" aria-label="${escapeHtml(t.breadcrumb)}"><ol>${items}</ol></nav>`;
}

export function renderPage(context: RenderContext, page: PageShell): string {
  const locale = context.locale ?? siteConfig.defaultLocale;
  const t = labelsFor(context);
  const name = siteName(context);
  const title = page.title === name ? name : `${page.title} - ${name}`;
  const css = context.assets.url('site.css');
  const scripts = (page.scripts ?? [])
    .map((s) => context.assets.url(s))
    .filter((url): url is string => Boolean(url))
    .map((url) => `<script src="${escapeHtml(url)}" defer></script>`)
    .join('');
  const nav = channels.roots
    .map((c) => {
      const current = page.section === c.path ? ' aria-current="true"' : '';
      return `<li><a href="/${escapeHtml(c.path)}/"${current}>${escapeHtml(channelName(c, locale))}</a></li>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(page.description)}">
${page.noindex ? '<meta name="robots" content="noindex">\n' : ''}<link rel="canonical" href="${escapeHtml(context.siteUrl + page.path)}">
<link rel="icon" href="data:,">
${css ? `<link rel="stylesheet" href="${escapeHtml(css)}">\n` : ''}<link rel="alternate" type="application/rss+xml" title="${escapeHtml(name)}" href="${FEED_PATH}">
${scripts ? `${scripts}\n` : ''}${page.head ?? ''}</head>
<body>
<a class="skip-link" href="#main">${escapeHtml(t.skipToContent)}</a>
<header class="site-header">
<div class="site-header-inner">
<a class="site-name" href="/">${escapeHtml(name)}</a>
<form class="site-search" role="search" action="${SEARCH_PATH}" method="get">
<label class="visually-hidden" for="site-search-q">${escapeHtml(t.searchTitle)}</label>
<input id="site-search-q" type="search" name="q" placeholder="${escapeHtml(t.searchPlaceholder)}" enterkeyhint="search" maxlength="${SEARCH_QUERY_MAX}">
<button type="submit">${escapeHtml(t.search)}</button>
</form>
<a class="submit-link" href="${SUBMIT_PATH}">${escapeHtml(t.submit)}</a>
</div>
<nav class="site-nav" aria-label="${escapeHtml(name)}"><ul><li><a href="/"${page.section === '' ? ' aria-current="true"' : ''}>${escapeHtml(t.home)}</a></li>${nav}</ul></nav>
</header>
<div class="page">
${page.breadcrumb ? breadcrumbHtml(context, page.breadcrumb) : ''}
<main id="main" tabindex="-1">
${page.main}
</main>
</div>
<footer class="site-footer">
<p><a href="/">${escapeHtml(name)}</a> · <a href="${SUBMIT_PATH}">${escapeHtml(t.submit)}</a> · <a href="${FEED_PATH}">${escapeHtml(t.feed)}</a></p>
<p class="site-footer-note">${escapeHtml(siteConfig.description[locale])}</p>
</footer>
</body>
</html>
`;
}
