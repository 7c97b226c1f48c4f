// Sitemaps that follow the protocol at any archive size: `/sitemap.xml` is a sitemap index; its children are one
// file for the site's list pages and one per month of articles (split again past 50,000 URLs), so a publish
// rewrites only the newest month's last child and past children stay byte-identical. A Google News sitemap lists
// the last 48 hours. `/robots.txt` names the index.
import type { Catalogue, Listing } from './catalogue.ts';
import { SITE_LIST } from './catalogue.ts';
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

/** `2022-04` for an article first published in April 2022 in the site's time zone (the month in its URL). */
const monthOf = (listing: Pick<Listing, 'id' | 'publishedAt'>): string => {
  const path = pagePath(listing); // /yyyy/mmdd/id.html
  return `${path.slice(1, 5)}-${path.slice(6, 8)}`;
};

/** A month's n-th child (0-based): `2022-04`, then `2022-04-2`, `2022-04-3` … past 50,000 articles a month. */
const partName = (month: string, chunk: number): string => (chunk === 0 ? month : `${month}-${chunk + 1}`);

interface MonthParts {
  /** Articles per month, oldest first, in month order. */
  readonly months: ReadonlyMap<string, readonly Listing[]>;
  /** Child name → its articles, oldest first, in index order. */
  readonly parts: ReadonlyMap<string, readonly Listing[]>;
}

const partsCache = new WeakMap<Catalogue, MonthParts>();

function monthParts(catalogue: Catalogue): MonthParts {
  let cached = partsCache.get(catalogue);
  if (!cached) {
    const months = new Map<string, Listing[]>();
    for (const listing of catalogue.list(SITE_LIST)) {
      const month = monthOf(listing);
      let list = months.get(month);
      if (!list) {
        list = [];
        months.set(month, list);
      }
      list.push(listing);
    }
    const parts = new Map<string, Listing[]>();
    for (const month of [...months.keys()].sort()) {
      const list = months.get(month) ?? [];
      for (let chunk = 0; chunk * SITEMAP_MAX_URLS < list.length; chunk++)
        parts.set(
          partName(month, chunk),
          list.slice(chunk * SITEMAP_MAX_URLS, (chunk + 1) * SITEMAP_MAX_URLS),
        );
    }
    cached = { months, parts };
    partsCache.set(catalogue, cached);
  }
  return cached;
}

/** Every child sitemap of the catalogue, in index order: the list pages first, then months oldest first. */
export const sitemapParts = (catalogue: Catalogue): string[] => [
  PAGES_PART,
  ...monthParts(catalogue).parts.keys(),
];

/** The articles a month child lists (empty for the pages child or a child that does not exist). */
export const sitemapPartArticles = (catalogue: Catalogue, part: string): readonly Listing[] =>
  monthParts(catalogue).parts.get(part) ?? [];

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
    const listBefore = monthParts(before.catalogue).months.get(month) ?? [];
    const listAfter = monthParts(after.catalogue).months.get(month) ?? [];
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
  const all = catalogue.list(SITE_LIST);
  const newest = all[all.length - 1];
  const children = sitemapParts(catalogue).map((part) =>
    entry(
      `${context.siteUrl}/${sitemapPartKey(part)}`,
      part === PAGES_PART ? newest?.publishedAt : newestUpdate(sitemapPartArticles(catalogue, part)),
    ),
  );
  const news = entry(`${context.siteUrl}/${NEWS_SITEMAP_KEY}`, newest?.publishedAt);
  return `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="${SITEMAP_NS}">
${[...children, news].join('\n')}
</sitemapindex>
`;
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
  const all = catalogue.list(SITE_LIST);
  const shown: Listing[] = [];
  for (let i = all.length - 1; i >= 0 && shown.length < NEWS_MAX_URLS; i--) {
    const listing = all[i] as Listing;
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
