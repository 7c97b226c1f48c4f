// The page registry: one entry per page kind, with everything the pipeline needs to know about it: its id in the
// rebuild manifest, its bucket object (key, bytes, headers), what its bytes depend on, the article bodies it shows and
// the pages of its kind in a whole site. `satisfies PageKinds` fails to compile when a kind of PageRef has no entry,
// so a new page kind is its PageRef member and one entry here.
import { createHash } from 'node:crypto';
import type { Article } from '../domain/article.ts';
import type { UploadRecord } from '../domain/uploads.ts';
import { cacheControl } from '../headers.ts';
import { EDITOR_CONFIG_PATH, renderEditorConfig, renderEditorPage } from '../pages/editor-page.ts';
import { renderSearchPage } from '../pages/search-page.ts';
import { renderSubmissionStatusPage, SUBMISSION_STATUS_PATH } from '../pages/submission-status-page.ts';
import { renderSubmitPage } from '../pages/submit-page.ts';
import type { SiteObject } from '../ports.ts';
import { NOT_FOUND_KEY } from '../site-paths.ts';
import { type Catalogue, type FullCatalogue, type Listing, listingPath, SITE_LIST } from './catalogue.ts';
import type { HotRankings } from './hot-list.ts';
import { type RenderContext, SEARCH_PATH } from './layout.ts';
import {
  feedListings,
  type ListPage,
  legacyArchivePath,
  legacyArchiveTarget,
  listArchivePath,
  listIndexPath,
  listPageView,
  renderArticlePage,
  renderFeed,
  renderHomePage,
  renderLegacyArchivePage,
  renderListPage,
  renderNotFoundPage,
} from './pages.ts';
import {
  NEWS_SITEMAP_KEY,
  newsArticles,
  ROBOTS_KEY,
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderSitemapPart,
  SITEMAP_INDEX_KEY,
  sitemapPartArticles,
  sitemapPartKey,
  sitemapParts,
} from './sitemaps.ts';

export const HTML = 'text/html; charset=utf-8';
export const RSS = 'application/rss+xml; charset=utf-8';
export const XML = 'application/xml; charset=utf-8';

/** A page of the site; its `kind` names its entry in `pageKinds` below. */
export type PageRef =
  | { readonly kind: 'article'; readonly id: string }
  /** A list's index page, or its archive page for a month (`yyyy-mm`). */
  | { readonly kind: 'list'; readonly path: string; readonly page: ListPage }
  /** A numbered archive page of before issue 21, now a redirect to its month; written by full rebuilds only. */
  | { readonly kind: 'legacy-list'; readonly path: string; readonly page: number }
  | { readonly kind: 'home' }
  | { readonly kind: 'feed' }
  /** `/sitemap.xml`, the sitemap index; its children are `sitemap-part`s and the news sitemap. */
  | { readonly kind: 'sitemap' }
  | { readonly kind: 'sitemap-part'; readonly part: string }
  | { readonly kind: 'news-sitemap' }
  | { readonly kind: 'robots' }
  | { readonly kind: 'not-found' }
  /** The 投稿 page, the editor desk and its login config: static, written by every full rebuild. */
  | { readonly kind: 'submit' }
  /** 稿件查询 at /submit/status/: static; its answers come from GET /api/submissions/{id}. */
  | { readonly kind: 'submit-status' }
  /** 站内搜索 at /search/: static too; its results come from the index under /pagefind/. */
  | { readonly kind: 'search' }
  | { readonly kind: 'editor' }
  | { readonly kind: 'editor-config' };

export type PageKind = PageRef['kind'];
export type RefOf<K extends PageKind> = Extract<PageRef, { kind: K }>;

/** What a page is rendered from. */
export interface PageData {
  readonly catalogue: Catalogue;
  /** Full articles (with bodies) for the article pages to render. */
  readonly articles: ReadonlyMap<string, Article>;
  readonly views: ReadonlyMap<string, number>;
  /** Upload records for the photos of the articles being rendered, by upload id. */
  readonly photos?: ReadonlyMap<string, UploadRecord>;
  /** The stored 点击排行 rankings for the home and channel first pages; absent, their boxes are empty. */
  readonly hot?: HotRankings;
  /** The render's clock: the news sitemap lists the 48 hours before it. */
  readonly now: Date;
}

/** What a page's inputs digest is computed from, with the texts shared by many pages computed once per rebuild. */
export interface InputData {
  readonly catalogue: FullCatalogue;
  readonly views: ReadonlyMap<string, number>;
  readonly now: Date;
  /** From renderVersion(): the rendering every page shares. */
  readonly version: string;
  /** One listing as digest text (memoised). */
  readonly textOf: (listing: Listing) => string;
  /** A list's 点击排行 box as digest text ('-' without one). */
  readonly box: (path: string) => string;
  /** The digest of every listing of the site, newest-first slices of which home, feed and sitemap show. */
  readonly site: () => string;
}

export interface PageEntry<K extends PageKind> {
  /** Its id in the rebuild manifest; unique across kinds. */
  readonly id: (ref: RefOf<K>) => string;
  /** Its bucket object, or undefined when the page no longer exists (its article was unpublished meanwhile). */
  readonly render: (context: RenderContext, ref: RefOf<K>, data: PageData) => SiteObject | undefined;
  /** What its bytes depend on besides `data.version` (test/unit/page-inputs.test.ts checks every kind). */
  readonly inputs: (ref: RefOf<K>, data: InputData) => string;
  /** The articles whose bodies it shows (read before rendering); none when absent. */
  readonly bodies?: (ref: RefOf<K>, catalogue: Catalogue) => string[];
  /** The pages of this kind in a whole site, for a full rebuild. */
  readonly site: (catalogue: FullCatalogue) => RefOf<K>[];
}

type PageKinds = { readonly [K in PageKind]: PageEntry<K> };

export const digest = (text: string): string => createHash('sha1').update(text).digest('base64url');

const page = (key: string, body: string, contentType = HTML): SiteObject => ({
  key,
  body,
  contentType,
  cacheControl: contentType === HTML ? cacheControl.page : cacheControl.feed,
});

/** A page that shows nothing but the shared rendering: one per site, rendered from the context alone. */
function fixedPage<K extends PageKind>(
  kind: K,
  key: string,
  body: (context: RenderContext) => string,
  contentType: string,
  cache: string,
): PageEntry<K> {
  return {
    id: () => kind,
    render: (context) => ({ key, body: body(context), contentType, cacheControl: cache }),
    inputs: () => kind,
    site: () => [{ kind } as RefOf<K>],
  };
}

/** Bucket key (no leading slash) of a list page. */
export const listKey = (path: string, page: ListPage): string =>
  `${(page === 'index' ? listIndexPath(path) : listArchivePath(path, page)).slice(1)}index.html`;

/** Bucket key of a numbered archive page of before issue 21. */
export const legacyListKey = (path: string, page: number): string => legacyArchivePath(path, page).slice(1);

/**
 * How many numbered archive pages a list had before issue 21 (blocks of `pageSize` from the oldest, all but the
 * newest block), so a rebuild knows which old addresses to keep answering.
 */
export const legacyArchivePageCount = (total: number, pageSize: number): number =>
  total === 0 ? 0 : Math.ceil(total / pageSize) - 1;

/**
 * Every page kind, in the order a full rebuild renders them: the site-wide pages first (the editorial pages lead
 * every rebuild), then the lists, then the articles.
 */
export const pageKinds = {
  home: {
    id: () => 'home',
    render: (context, _ref, data) => page('index.html', renderHomePage(context, data.catalogue, data.hot)),
    inputs: (_ref, data) => ['home', data.site(), data.box(SITE_LIST)].join('\n'),
    site: () => [{ kind: 'home' }],
  },
  feed: {
    id: () => 'feed',
    render: (context, _ref, data) =>
      page('feed.xml', renderFeed(context, data.catalogue, data.articles), RSS),
    inputs: (_ref, data) => ['feed', data.site()].join('\n'),
    bodies: (_ref, catalogue) => feedListings(catalogue).flatMap((l) => (l.summary ? [] : [l.id])),
    site: () => [{ kind: 'feed' }],
  },
  sitemap: {
    id: () => 'sitemap',
    render: (context, _ref, data) =>
      page(SITEMAP_INDEX_KEY, renderSitemapIndex(context, data.catalogue), XML),
    inputs: (_ref, data) => ['sitemap', data.site()].join('\n'),
    site: () => [{ kind: 'sitemap' }],
  },
  'news-sitemap': {
    id: () => 'news-sitemap',
    render: (context, _ref, data) =>
      page(NEWS_SITEMAP_KEY, renderNewsSitemap(context, data.catalogue, data.now), XML),
    inputs: (_ref, data) =>
      ['news-sitemap', ...newsArticles(data.catalogue, data.now).map(data.textOf)].join('\n'),
    site: () => [{ kind: 'news-sitemap' }],
  },
  robots: fixedPage('robots', ROBOTS_KEY, renderRobots, 'text/plain; charset=utf-8', cacheControl.feed),
  'sitemap-part': {
    id: (ref) => `sitemap-part:${ref.part}`,
    render: (context, ref, data) => {
      const body = renderSitemapPart(context, data.catalogue, ref.part);
      return body === undefined ? undefined : page(sitemapPartKey(ref.part), body, XML);
    },
    inputs: (ref, data) =>
      ['sitemap-part', ref.part, ...sitemapPartArticles(data.catalogue, ref.part).map(data.textOf)].join(
        '\n',
      ),
    site: (catalogue) => sitemapParts(catalogue).map((part) => ({ kind: 'sitemap-part', part })),
  },
  'not-found': fixedPage('not-found', NOT_FOUND_KEY, renderNotFoundPage, HTML, cacheControl.page),
  /** The 投稿 page, the editor desk and its login config: static, written by every full rebuild. */
  submit: fixedPage('submit', 'submit/index.html', renderSubmitPage, HTML, cacheControl.page),
  'submit-status': fixedPage(
    'submit-status',
    `${SUBMISSION_STATUS_PATH.slice(1)}index.html`,
    renderSubmissionStatusPage,
    HTML,
    cacheControl.page,
  ),
  search: fixedPage('search', `${SEARCH_PATH.slice(1)}index.html`, renderSearchPage, HTML, cacheControl.page),
  editor: fixedPage('editor', 'admin/index.html', renderEditorPage, HTML, cacheControl.page),
  'editor-config': fixedPage(
    'editor-config',
    EDITOR_CONFIG_PATH.slice(1),
    (context) => renderEditorConfig(context.editorLogin),
    'application/json; charset=utf-8',
    cacheControl.page,
  ),
  list: {
    id: (ref) => `list:${ref.path}:${ref.page}`,
    render: (context, ref, data) => {
      const body = renderListPage(context, data.catalogue, ref.path, ref.page, data.hot);
      return body === undefined ? undefined : page(listKey(ref.path, ref.page), body);
    },
    inputs: (ref, data) =>
      [
        'list',
        ref.path,
        ref.page,
        listPageView(data.catalogue, ref.path, ref.page) ?? '-',
        ref.page === 'index' ? data.box(ref.path) : '-',
      ].join('\n'),
    site: (catalogue) =>
      catalogue.channels.all.flatMap(({ path }) => [
        { kind: 'list', path, page: 'index' } as const,
        // Every month but the newest, which the index page shows.
        ...catalogue
          .listMonths(path)
          .slice(0, -1)
          .map((month) => ({ kind: 'list', path, page: month }) as const),
      ]),
  },
  'legacy-list': {
    id: (ref) => `legacy-list:${ref.path}:${ref.page}`,
    render: (context, ref, data) => {
      const body = renderLegacyArchivePage(context, data.catalogue, ref.path, ref.page);
      return body === undefined ? undefined : page(legacyListKey(ref.path, ref.page), body);
    },
    inputs: (ref, data) =>
      [
        'legacy-list',
        ref.path,
        String(ref.page),
        legacyArchiveTarget(data.catalogue, ref.path, ref.page),
      ].join('\n'),
    site: (catalogue) =>
      catalogue.channels.all.flatMap(({ path }) =>
        Array.from(
          { length: legacyArchivePageCount(catalogue.list(path).length, catalogue.pageSize) },
          (_, i) => ({ kind: 'legacy-list', path, page: i + 1 }) as const,
        ),
      ),
  },
  article: {
    id: (ref) => `article:${ref.id}`,
    render: (context, ref, data) => {
      const listing = data.catalogue.get(ref.id);
      const article = data.articles.get(ref.id);
      if (!listing || !article || article.status !== 'published') return undefined;
      const { previous, next } = data.catalogue.neighbours(listing);
      const body = renderArticlePage(context, {
        article: { ...article, publishedAt: listing.publishedAt },
        views: data.views.get(ref.id) ?? 0,
        previous,
        next,
        photos: data.photos,
      });
      return page(listingPath(listing).slice(1), body);
    },
    inputs: (ref, data) => {
      const listing = data.catalogue.get(ref.id);
      if (!listing) return `article-gone\n${ref.id}`;
      const { previous, next } = data.catalogue.neighbours(listing);
      return [
        'article',
        data.textOf(listing),
        previous ? data.textOf(previous) : '-',
        next ? data.textOf(next) : '-',
        String(data.views.get(ref.id) ?? 0),
      ].join('\n');
    },
    bodies: (ref) => [ref.id],
    site: (catalogue) => catalogue.list(SITE_LIST).map((listing) => ({ kind: 'article', id: listing.id })),
  },
} satisfies PageKinds;

/** The entry of `ref`'s kind, typed for that ref (TypeScript cannot follow the kind through the index by itself). */
export const entryOf = <K extends PageKind>(ref: RefOf<K>): PageEntry<K> =>
  (pageKinds as PageKinds)[ref.kind as K];
