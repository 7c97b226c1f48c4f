// The site's pages as pure functions of data: article, channel lists, home, 404 and the RSS feed (sitemaps: sitemaps.ts).
import { type Channel, channelName, channels } from '../channels.ts';
import type { Article } from '../domain/article.ts';
import type { UploadRecord } from '../domain/uploads.ts';
import { siteConfig } from '../site-config.ts';
import {
  type Catalogue,
  hasArchivePage,
  indexArticles,
  indexOlderMonth,
  type Listing,
  monthOf as monthOfListing,
  SITE_LIST,
} from './catalogue.ts';
import { pagePath, shownTime } from './dates.ts';
import { escapeHtml, escapeXml, jsonForScript } from './escape.ts';
import { galleryHtml, leadImage, readyPhotos } from './gallery.ts';
import { type HotRankings, hotBoxHtml, hotListings, NO_HOT_RANKINGS } from './hot-list.ts';
import { type Crumb, labelsFor, type RenderContext, renderPage, siteName } from './layout.ts';
import { excerpt, leadOf, renderBody } from './markdown.ts';

const localeOf = (context: RenderContext) => context.locale ?? siteConfig.defaultLocale;
const dateOnly = (iso: string) => shownTime(iso).slice(0, 10);

export const listIndexPath = (path: string): string => (path === SITE_LIST ? '/' : `/${path}/`);
/** A list's archive page for a month (`2022-04` → `/focus/2022/04/`). */
export const listArchivePath = (path: string, month: string): string =>
  `/${path}/${month.slice(0, 4)}/${month.slice(5, 7)}/`;
/** The numbered archive pages of before issue 21 (`/focus/page/3.html`), kept as redirects to their month. */
export const legacyArchivePath = (path: string, page: number): string => `/${path}/page/${page}.html`;

/** `2022-04` as readers say it: 2022年4月, April 2022. */
export const monthName = (month: string, locale: string): string =>
  new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

function channelCrumbs(context: RenderContext, trail: readonly Channel[], linkLast: boolean): Crumb[] {
  const locale = localeOf(context);
  return [
    { name: labelsFor(context).home, href: '/' },
    ...trail.map((c, i) =>
      i < trail.length - 1 || linkLast
        ? { name: channelName(c, locale), href: listIndexPath(c.path) }
        : { name: channelName(c, locale) },
    ),
  ];
}

const timeElement = (iso: string, text: string) =>
  `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)}</time>`;

function articleLink(listing: Listing | undefined, context: RenderContext): string {
  if (!listing) return escapeHtml(labelsFor(context).none);
  return `<a href="${escapeHtml(pagePath(listing))}">${escapeHtml(listing.title)}</a>`;
}

export interface ArticlePageInput {
  readonly article: Article & { readonly publishedAt: string };
  readonly views: number;
  readonly previous?: Listing | undefined;
  readonly next?: Listing | undefined;
  /** What processing recorded for the article's photos, by upload id (absent: no photos shown). */
  readonly photos?: ReadonlyMap<string, UploadRecord> | undefined;
}

export function renderArticlePage(context: RenderContext, input: ArticlePageInput): string {
  const { article, views } = input;
  const t = labelsFor(context);
  const locale = localeOf(context);
  const trail = channels.get(article.channel)?.trail ?? [];
  const photos = readyPhotos(article.images, input.photos);
  const body = renderBody(article.body, photos);
  const lead = photos[0] ? leadImage(photos[0], context.siteUrl) : undefined;
  const description = excerpt(article.summary || body.lead || article.title);
  const path = pagePath(article);
  const labelled = (label: string, value: string) =>
    `<span class="meta-item">${escapeHtml(label)}:${escapeHtml(value)}</span>`;
  const meta = [
    `<span class="meta-item">${timeElement(article.publishedAt, shownTime(article.publishedAt))}</span>`,
    article.modifiedAt
      ? `<span class="meta-item">${escapeHtml(t.modifiedAt)}:${timeElement(article.modifiedAt, shownTime(article.modifiedAt))}</span>`
      : '',
    article.source ? labelled(t.source, article.source) : '',
    article.author ? labelled(t.author, article.author) : '',
    `<span class="meta-item">${escapeHtml(t.views)}:<span data-views-for="${escapeHtml(article.id)}">${views}</span></span>`,
    article.editor ? labelled(t.editor, article.editor) : '',
  ]
    .filter(Boolean)
    .join('\n');
  // Articles without an outside source are the site's own reporting, credited to the site as CMS pages do.
  const footLine = [
    labelled(t.articleSource, article.source || siteName(context)),
    article.editor ? labelled(t.editor, article.editor) : '',
  ]
    .filter(Boolean)
    .join('\n');
  const gallery =
    photos.length > 0
      ? galleryHtml(photos, t)
      : body.images.length > 0
        ? `<section class="gallery" aria-labelledby="gallery-title">
<h2 id="gallery-title">${escapeHtml(t.gallery)}</h2>
<ul>${body.images
            .map(
              (img) =>
                `<li><a href="${escapeHtml(img.src)}"><img src="${escapeHtml(img.src)}" alt="${escapeHtml(img.alt)}" loading="lazy" decoding="async"></a></li>`,
            )
            .join('')}</ul>
</section>`
        : '';
  const copyright = `<section class="copyright" aria-labelledby="copyright-title">
<h2 id="copyright-title">${escapeHtml(siteConfig.copyright.title[locale])}</h2>
${siteConfig.copyright.lines[locale].map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</section>`;
  const name = siteName(context);
  const corrections = article.corrections ?? [];
  const correctionBox =
    corrections.length > 0
      ? `<section class="correction" aria-labelledby="correction-title">
<h2 id="correction-title">${escapeHtml(t.correction)}</h2>
${corrections.map((c) => `<p>${timeElement(c.at, dateOnly(c.at))} ${escapeHtml(c.note)}</p>`).join('\n')}
</section>
`
      : '';
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description,
    datePublished: article.publishedAt,
    dateModified: article.modifiedAt ?? article.updatedAt,
    mainEntityOfPage: context.siteUrl + path,
    url: context.siteUrl + path,
    inLanguage: locale,
    articleSection: trail.map((c) => channelName(c, locale)).join(' > '),
    author: article.author
      ? { '@type': 'Person', name: article.author }
      : { '@type': 'Organization', name, url: `${context.siteUrl}/` },
    publisher: { '@type': 'Organization', name, url: `${context.siteUrl}/` },
    ...(article.editor ? { editor: { '@type': 'Person', name: article.editor } } : {}),
    ...(corrections.length > 0
      ? {
          correction: corrections.map((c) => ({
            '@type': 'CorrectionComment',
            text: c.note,
            datePublished: c.at,
          })),
        }
      : {}),
    ...(lead
      ? { image: [{ '@type': 'ImageObject', url: lead.url, width: lead.width, height: lead.height }] }
      : body.images.length > 0
        ? { image: body.images.map((i) => new URL(i.src, context.siteUrl + path).href) }
        : {}),
  };
  const main = `<article class="article" aria-labelledby="article-title">
<header class="article-head">
<h1 id="article-title">${escapeHtml(article.title)}</h1>
<p class="article-meta">
${meta}
</p>
</header>
${correctionBox}<div class="article-body">
${body.html}</div>
<footer class="article-foot">
${footLine ? `<p class="article-foot-line">\n${footLine}\n</p>\n` : ''}<nav class="prev-next" aria-label="${escapeHtml(`${t.previous} / ${t.next}`)}">
<p><span class="prev-next-label">${escapeHtml(t.previous)}:</span>${articleLink(input.previous, context)}</p>
<p><span class="prev-next-label">${escapeHtml(t.next)}:</span>${articleLink(input.next, context)}</p>
</nav>
${gallery}${copyright}
</footer>
</article>`;
  return renderPage(context, {
    title: article.title,
    description,
    path,
    main,
    breadcrumb: channelCrumbs(context, trail, true),
    section: trail[0]?.path ?? '',
    head: `${lead ? `<meta property="og:image" content="${escapeHtml(lead.url)}">\n<meta property="og:image:width" content="${lead.width}">\n<meta property="og:image:height" content="${lead.height}">\n` : ''}<script type="application/ld+json">${jsonForScript(jsonLd)}</script>\n`,
    scripts: ['views.js'],
  });
}

/** What a list page shows of an article (its link, title and date): what decides whether the page changes. */
export const listEntryText = (l: Listing): string => `${pagePath(l)}\u0001${l.title}\u0001${l.publishedAt}`;

function listItems(items: readonly Listing[]): string {
  if (items.length === 0) return '';
  return `<ul class="article-list">
${items
  .map(
    (l) =>
      `<li><a href="${escapeHtml(pagePath(l))}">${escapeHtml(l.title)}</a> ${timeElement(l.publishedAt, dateOnly(l.publishedAt))}</li>`,
  )
  .join('\n')}
</ul>`;
}

/** Newest first. */
const newestFirst = (items: readonly Listing[]) => [...items].reverse();

/** The newest `n` articles of a list, oldest first. */
const newestOf = (catalogue: Catalogue, path: string, n: number): readonly Listing[] => {
  const total = catalogue.total(path);
  return catalogue.range(path, total - n, total);
};

/** A list's index page, or the archive page of a month (`yyyy-mm`). */
export type ListPage = 'index' | string;

/**
 * What a list page shows from the catalogue, as one string (undefined: the page does not exist): its entries and
 * the month its 较早 link goes to. Incremental renders compare it before and after a change, so a list page is
 * rendered exactly when it changes; the index page's 点击排行 box is decided apart (affected.ts).
 */
export function listPageView(catalogue: Catalogue, path: string, page: ListPage): string | undefined {
  if (page === 'index')
    return [
      indexOlderMonth(catalogue, path) ?? '-',
      ...indexArticles(catalogue, path).map(listEntryText),
    ].join('\n');
  if (!hasArchivePage(catalogue, path, page)) return undefined;
  return [
    catalogue.monthsAround(path, page).older ?? '-',
    ...catalogue.listMonth(path, page).map(listEntryText),
  ].join('\n');
}

/**
 * A channel list page: the index (the newest month, at least `pageSize` articles) or the archive page of a month
 * (docs/ARCHIVE-SCALE.md). The index carries the channel's 点击排行 box from `hot`; archive pages do not, so they
 * stay byte-identical as rankings move. Every page links to the index and to the month before it: never to a newer
 * month, which would change when a new month starts.
 */
export function renderListPage(
  context: RenderContext,
  catalogue: Catalogue,
  path: string,
  page: ListPage,
  hot: HotRankings = NO_HOT_RANKINGS,
): string | undefined {
  const channel = catalogue.channels.get(path);
  if (!channel) return undefined;
  if (page !== 'index' && !hasArchivePage(catalogue, path, page)) return undefined;
  const t = labelsFor(context);
  const locale = localeOf(context);
  const items =
    page === 'index'
      ? newestFirst(indexArticles(catalogue, path))
      : newestFirst(catalogue.listMonth(path, page));
  const name = channelName(channel, locale);
  const heading = page === 'index' ? name : `${name} · ${monthName(page, locale)}`;
  const children =
    channel.children.length > 0
      ? `<nav class="sub-channels" aria-label="${escapeHtml(name)}"><ul>${channel.children
          .map(
            (c) =>
              `<li><a href="${escapeHtml(listIndexPath(c.path))}">${escapeHtml(channelName(c, locale))}</a></li>`,
          )
          .join('')}</ul></nav>\n`
      : '';
  const older =
    page === 'index' ? indexOlderMonth(catalogue, path) : catalogue.monthsAround(path, page).older;
  const pager = [
    page !== 'index' ? `<a href="${escapeHtml(listIndexPath(path))}">${escapeHtml(t.latest)}</a>` : '',
    older
      ? `<a href="${escapeHtml(listArchivePath(path, older))}" rel="next">${escapeHtml(`${t.olderPage}:${monthName(older, locale)}`)}</a>`
      : '',
  ].filter(Boolean);
  const list = `<h1 class="list-title">${escapeHtml(heading)}</h1>
${children}${items.length > 0 ? listItems(items) : `<p class="empty">${escapeHtml(t.none)}</p>`}
${pager.length > 0 ? `<nav class="pager" aria-label="${escapeHtml(t.more)}">${pager.join('\n')}</nav>` : ''}`;
  const main =
    page === 'index'
      ? `<div class="with-hot">
<div class="with-hot-main">
${list}
</div>
${hotBoxHtml(context, hotListings(hot, catalogue, path))}
</div>`
      : list;
  return renderPage(context, {
    title: heading,
    description: `${siteName(context)} ${name}`,
    path: page === 'index' ? listIndexPath(path) : listArchivePath(path, page),
    main,
    breadcrumb: channelCrumbs(context, channel.trail, page !== 'index'),
    section: channel.trail[0]?.path ?? '',
  });
}

/**
 * Where a numbered archive page of before issue 21 (`/{channel}/page/N.html`, blocks of `pageSize` from the
 * oldest) now is: the month page of the newest article it held, or the index page when that month is the newest.
 */
export function legacyArchiveTarget(catalogue: Catalogue, path: string, page: number): string {
  const size = catalogue.pageSize;
  const [newest] = catalogue.range(path, page * size - 1, page * size);
  const month = newest ? monthOfListing(newest) : undefined;
  return month && hasArchivePage(catalogue, path, month) ? listArchivePath(path, month) : listIndexPath(path);
}

/** A numbered archive page of before: a page that sends readers (and crawlers) on to `legacyArchiveTarget`. */
export function renderLegacyArchivePage(
  context: RenderContext,
  catalogue: Catalogue,
  path: string,
  page: number,
): string | undefined {
  const channel = catalogue.channels.get(path);
  if (!channel) return undefined;
  const t = labelsFor(context);
  const target = legacyArchiveTarget(catalogue, path, page);
  const name = channelName(channel, localeOf(context));
  return renderPage(context, {
    title: name,
    description: `${siteName(context)} ${name}`,
    // The canonical URL is where the list now is: with the refresh, crawlers treat the old address as moved.
    path: target,
    head: `<meta http-equiv="refresh" content="0; url=${escapeHtml(target)}">\n`,
    main: `<h1 class="list-title">${escapeHtml(name)}</h1>
<p>${escapeHtml(t.movedTo)}<a href="${escapeHtml(target)}">${escapeHtml(context.siteUrl + target)}</a></p>`,
    breadcrumb: channelCrumbs(context, channel.trail, true),
    section: channel.trail[0]?.path ?? '',
  });
}

export const HOME_LATEST = 10;
export const HOME_PER_CHANNEL = 6;

/** Home: the latest articles, the site-wide 点击排行 box from `hot`, then each channel's newest. */
export function renderHomePage(
  context: RenderContext,
  catalogue: Catalogue,
  hot: HotRankings = NO_HOT_RANKINGS,
): string {
  const t = labelsFor(context);
  const locale = localeOf(context);
  const latest = newestFirst(newestOf(catalogue, SITE_LIST, HOME_LATEST));
  const sections = catalogue.channels.roots
    .map((c) => {
      const items = newestFirst(newestOf(catalogue, c.path, HOME_PER_CHANNEL));
      const name = channelName(c, locale);
      return `<section class="home-channel" aria-labelledby="home-${escapeHtml(c.path)}">
<h2 id="home-${escapeHtml(c.path)}"><a href="${escapeHtml(listIndexPath(c.path))}">${escapeHtml(name)}</a></h2>
${items.length > 0 ? listItems(items) : `<p class="empty">${escapeHtml(t.none)}</p>`}
<p class="more"><a href="${escapeHtml(listIndexPath(c.path))}">${escapeHtml(`${t.more} ${name}`)}</a></p>
</section>`;
    })
    .join('\n');
  const name = siteName(context);
  // Reading order (and the phone's single column): latest, most read, channels; desktop puts the box beside both.
  const main = `<h1 class="visually-hidden">${escapeHtml(name)}</h1>
<div class="home-layout">
<section class="home-latest" aria-labelledby="home-latest">
<h2 id="home-latest">${escapeHtml(t.latest)}</h2>
${latest.length > 0 ? listItems(latest) : `<p class="empty">${escapeHtml(t.none)}</p>`}
</section>
${hotBoxHtml(context, hotListings(hot, catalogue, SITE_LIST))}
<div class="home-grid">
${sections}
</div>
</div>`;
  return renderPage(context, {
    title: name,
    description: siteConfig.description[locale],
    path: '/',
    main,
    section: '',
  });
}

export function renderNotFoundPage(context: RenderContext): string {
  const t = labelsFor(context);
  return renderPage(context, {
    title: t.notFoundTitle,
    description: t.notFoundBody,
    path: '/404.html',
    noindex: true,
    main: `<h1>${escapeHtml(t.notFoundTitle)}</h1>
<p>${escapeHtml(t.notFoundBody)}</p>
<p><a href="/">${escapeHtml(t.home)}</a></p>`,
  });
}

export const FEED_ITEMS = 20;

const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** An entry changed after its first publication (an edit, a correction, a republish) says when. */
const updatedSincePublished = (l: Listing): boolean =>
  new Date(l.updatedAt).getTime() > new Date(l.publishedAt).getTime();

/** The feed's entries, newest first: the newest slice, whatever the archive's size. */
export const feedListings = (catalogue: Catalogue): Listing[] =>
  newestFirst(newestOf(catalogue, SITE_LIST, FEED_ITEMS));

/**
 * The RSS feed. Each entry carries what feed readers show: title, link, date, the channel as its category, the
 * author when there is one, and a description (the summary, else the opening paragraph of the body in `articles`).
 */
export function renderFeed(
  context: RenderContext,
  catalogue: Catalogue,
  articles: ReadonlyMap<string, Article> = new Map(),
): string {
  const locale = localeOf(context);
  const items = feedListings(catalogue);
  const name = siteName(context);
  const lastBuild = items[0] ? `<lastBuildDate>${rfc822(items[0].publishedAt)}</lastBuildDate>\n` : '';
  const descriptionOf = (l: Listing): string => {
    if (l.summary) return l.summary;
    const body = articles.get(l.id)?.body;
    return body ? excerpt(leadOf(body)) : '';
  };
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${escapeXml(name)}</title>
<link>${escapeXml(`${context.siteUrl}/`)}</link>
<description>${escapeXml(siteConfig.description[locale])}</description>
<language>${locale.toLowerCase()}</language>
<atom:link href="${escapeXml(`${context.siteUrl}/feed.xml`)}" rel="self" type="application/rss+xml"/>
${lastBuild}${items
  .map((l) => {
    const url = context.siteUrl + pagePath(l);
    const channel = catalogue.channels.get(l.channel);
    const description = descriptionOf(l);
    return `<item>
<title>${escapeXml(l.title)}</title>
<link>${escapeXml(url)}</link>
<guid isPermaLink="true">${escapeXml(url)}</guid>
<pubDate>${rfc822(l.publishedAt)}</pubDate>
${updatedSincePublished(l) ? `<atom:updated>${escapeXml(new Date(l.updatedAt).toISOString())}</atom:updated>\n` : ''}${l.author ? `<dc:creator>${escapeXml(l.author)}</dc:creator>\n` : ''}${channel ? `<category>${escapeXml(channel.trail.map((c) => channelName(c, locale)).join(' > '))}</category>\n` : ''}${description ? `<description>${escapeXml(description)}</description>\n` : ''}</item>`;
  })
  .join('\n')}
</channel>
</rss>
`;
}
