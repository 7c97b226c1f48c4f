// Sitemaps that follow the protocol at any archive size: `/sitemap.xml` is a sitemap index; its children are one
// file for the site's list pages and one per month of articles (split again past 50,000 URLs), so a publish
// rewrites only the newest month's last child and past children stay byte-identical. A Google News sitemap lists
// the last 48 hours. `/robots.txt` names the index.
import type { Catalogue, Listing } from './catalogue.ts';
import { monthOf, SITE_LIST } from './catalogue.ts';
import { pagePath } from './dates.ts';
import { escapeXml } from './escape.ts';
import { type RenderContext, siteName } from './layout.ts';
import { listIndexPath } from './pages.ts';

export const SITEMAP_INDEX_KEY = 'sitemap.xml';
export const NEWS_SITEMAP_KEY = 'sitemaps/news.xml';
export const ROBOTS_KEY = 'robots.txt';
/** The child that lists home and the channel index pages. */
export const PAGES_PART = 'pages';

/** The protocol's limits per file (sitemaps.org): 50,000 URLs and 50 MB uncompressed. */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;
/** Google News: articles of the last two days, at most 1,000 URLs. */
export const NEWS_WINDOW_MS = 48 * 3_600_000;
export const NEWS_MAX_URLS = 1_000;

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

/** Bucket key of a child sitemap. */
export const sitemapPartKey = (part: string): string => `sitemaps/${part}.xml`;

/** A month's n-th child (0-based): `2022-04`, then `2022-04-2`, `2022-04-3` … past 50,000 articles a month. */
const partName = (month: string, chunk: number): string => (chunk === 0 ? month : `${month}-${chunk + 1}`);

/** The month and chunk of a month child's name, or undefined for another name. */
const parsePart = (part: string): { month: string; chunk: number } | undefined => {
  const match = /^(\d{4}-\d{2})(?:-(\d+))?$/.exec(part);
  if (!match?.[1]) return undefined;
  return { month: match[1], chunk: match[2] ? Number(match[2]) - 1 : 0 };
};

/** The children of one month, in index order. */
const monthPartNames = (month: string, articles: number): string[] =>
  Array.from({ length: Math.ceil(articles / SITEMAP_MAX_URLS) }, (_, chunk) => partName(month, chunk));

/** Every child sitemap of the catalogue, in index order: the list pages first, then months oldest first. */
export const sitemapParts = (catalogue: Catalogue): string[] => [
  PAGES_PART,
  ...catalogue.months().flatMap((month) => monthPartNames(month, catalogue.month(month).length)),
];

/** The articles a month child lists (empty for the pages child or a child that does not exist). */
export const sitemapPartArticles = (catalogue: Catalogue, part: string): readonly Listing[] => {
  const parsed = parsePart(part);
  if (!parsed) return [];
  const { month, chunk } = parsed;
  return catalogue.month(month).slice(chunk * SITEMAP_MAX_URLS, (chunk + 1) * SITEMAP_MAX_URLS);
};

/**
 * The children that change when `before` becomes `after` (either may be absent), and the children that no longer
 * exist. An article keeps its month (its URL never changes), so only its month's children can change: the one it
 * sits in when it stays in place, else every child from its position to the month's end, since an insertion or a
 * removal shifts the later articles by one.
 */
export function sitemapPartsAffected(
  before: { catalogue: Catalogue; listing?: Listing | undefined },
  after: { catalogue: Catalogue; listing?: Listing | undefined },
): { render: string[]; remove: string[] } {
  const render = new Set<string>();
  const remove = new Set<string>();
  const months = new Set([before.listing, after.listing].flatMap((l) => (l ? [monthOf(l)] : [])));
  for (const month of months) {
    const listBefore = before.catalogue.month(month);
    const listAfter = after.catalogue.month(month);
    const at = (list: readonly Listing[], listing?: Listing) =>
      listing ? list.findIndex((l) => l.id === listing.id) : -1;
    const pb = at(listBefore, before.listing);
    const pa = at(listAfter, after.listing);
    const chunksBefore = Math.ceil(listBefore.length / SITEMAP_MAX_URLS);
    const chunksAfter = Math.ceil(listAfter.length / SITEMAP_MAX_URLS);
    const inPlace = pb === pa && listBefore.length === listAfter.length;
    const first = Math.min(...[pb, pa].filter((p) => p >= 0).map((p) => Math.floor(p / SITEMAP_MAX_URLS)));
    const last = inPlace ? first : chunksAfter - 1;
    for (let chunk = first; chunk <= last; chunk++) render.add(partName(month, chunk));
    for (let chunk = chunksAfter; chunk < chunksBefore; chunk++)
      remove.add(sitemapPartKey(partName(month, chunk)));
  }
  return { render: [...render], remove: [...remove] };
}

const isoTime = (iso: string): string => new Date(iso).toISOString();

/** The newest `updatedAt` among `listings` (an edit changes a child's lastmod, a view count does not). */
const newestUpdate = (listings: readonly Listing[]): string | undefined => {
  let newest: string | undefined;
  let newestMs = -Infinity;
  for (const l of listings) {
    const ms = Date.parse(l.updatedAt);
    if (ms > newestMs) {
      newestMs = ms;
      newest = l.updatedAt;
    }
  }
  return newest;
};

const entry = (loc: string, lastmod: string | undefined): string =>
  `<sitemap><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${isoTime(lastmod)}</lastmod>` : ''}</sitemap>`;

/** `/sitemap.xml`: the index of every child and of the news sitemap. */
export function renderSitemapIndex(context: RenderContext, catalogue: Catalogue): string {
  const total = catalogue.total(SITE_LIST);
  const newest = catalogue.range(SITE_LIST, total - 1, total)[0];
  const written = catalogue.writtenParts;
  const children = [
    entry(`${context.siteUrl}/${sitemapPartKey(PAGES_PART)}`, newest?.publishedAt),
    ...catalogue.months().flatMap((month) => {
      // A partial catalogue holds only the months a change is in; the others' entries are as last written.
      if (written && !catalogue.holdsMonth(month))
        return [...written]
          .filter(([part]) => parsePart(part)?.month === month)
          .map(([part, lastmod]) => entry(`${context.siteUrl}/${sitemapPartKey(part)}`, lastmod));
      return monthPartNames(month, catalogue.month(month).length).map((part) =>
        entry(
          `${context.siteUrl}/${sitemapPartKey(part)}`,
          newestUpdate(sitemapPartArticles(catalogue, part)),
        ),
      );
    }),
  ];
  const news = entry(`${context.siteUrl}/${NEWS_SITEMAP_KEY}`, newest?.publishedAt);
  return `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="${SITEMAP_NS}">
${[...children, news].join('\n')}
</sitemapindex>
`;
}

/**
 * The month children an index lists (name → lastmod as written), read back from its own bytes so that a publish
 * can rewrite the index without reading every month; undefined when `xml` is not an index this module wrote.
 */
export function writtenSitemapParts(
  context: RenderContext,
  xml: string | undefined,
): Map<string, string | undefined> | undefined {
  if (!xml?.includes(`<sitemapindex xmlns="${SITEMAP_NS}">`)) return undefined;
  const prefix = `${context.siteUrl}/sitemaps/`;
  const parts = new Map<string, string | undefined>();
  for (const match of xml.matchAll(
    /<sitemap><loc>([^<]*)<\/loc>(?:<lastmod>([^<]*)<\/lastmod>)?<\/sitemap>/g,
  )) {
    const loc = (match[1] ?? '').replaceAll('&amp;', '&');
    if (!loc.startsWith(prefix)) return undefined;
    const part = loc.slice(prefix.length).replace(/\.xml$/, '');
    if (parsePart(part)) parts.set(part, match[2]);
  }
  return parts;
}

const urlEntry = (loc: string, lastmod?: string): string =>
  `<url><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${isoTime(lastmod)}</lastmod>` : ''}</url>`;

/** One child: the list pages (home and every channel's first page), or one month's articles, oldest first. */
export function renderSitemapPart(
  context: RenderContext,
  catalogue: Catalogue,
  part: string,
): string | undefined {
  let urls: string[];
  if (part === PAGES_PART) {
    urls = [
      urlEntry(`${context.siteUrl}/`),
      ...catalogue.channels.all.map((c) => urlEntry(context.siteUrl + listIndexPath(c.path))),
    ];
  } else {
    const articles = sitemapPartArticles(catalogue, part);
    if (articles.length === 0) return undefined;
    urls = articles.map((l) => urlEntry(context.siteUrl + pagePath(l), l.updatedAt));
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="${SITEMAP_NS}">
${urls.join('\n')}
</urlset>
`;
}

/** Google News wants the language as ISO 639 with `zh-cn` / `zh-tw` for Chinese. */
const newsLanguage = (context: RenderContext): string => (context.locale ?? 'zh-CN').toLowerCase();

/** The articles the news sitemap lists at `now`: first published in the 48 hours before it, newest first. */
export function newsArticles(catalogue: Catalogue, now: Date): Listing[] {
  const from = now.getTime() - NEWS_WINDOW_MS;
  const shown: Listing[] = [];
  // One at a time from the newest: a partial catalogue holds the 48 hours and a little more, not the whole list.
  for (let i = catalogue.total(SITE_LIST) - 1; i >= 0 && shown.length < NEWS_MAX_URLS; i--) {
    const listing = catalogue.range(SITE_LIST, i, i + 1)[0] as Listing;
    const at = Date.parse(listing.publishedAt);
    if (at <= from) break;
    if (at <= now.getTime()) shown.push(listing);
  }
  return shown;
}

/** `/sitemaps/news.xml`: the Google News sitemap (news:publication name and language, date, title). */
export function renderNewsSitemap(context: RenderContext, catalogue: Catalogue, now: Date): string {
  const name = escapeXml(siteName(context));
  const language = newsLanguage(context);
  const urls = newsArticles(catalogue, now).map(
    (l) =>
      `<url><loc>${escapeXml(context.siteUrl + pagePath(l))}</loc><news:news><news:publication><news:name>${name}</news:name><news:language>${language}</news:language></news:publication><news:publication_date>${isoTime(l.publishedAt)}</news:publication_date><news:title>${escapeXml(l.title)}</news:title></news:news></url>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">
${urls.join('\n')}
</urlset>
`;
}

/** `/robots.txt`: everything public may be crawled, the desk and the API not; the sitemap index is named. */
export const renderRobots = (context: RenderContext): string =>
  `User-agent: *
Disallow: /admin/
Disallow: /api/

Sitemap: ${context.siteUrl}/${SITEMAP_INDEX_KEY}
`;
