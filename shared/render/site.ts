// Turns page references into bucket objects (key, bytes, Content-Type, Cache-Control), and writes them through
// the site-store port: only changed bytes are written, and only written keys are invalidated.
import { forEachLimited } from '../concurrency.ts';
import type { Article } from '../domain/article.ts';
import type { UploadRecord } from '../domain/uploads.ts';
import { cacheControl } from '../headers.ts';
import { EDITOR_CONFIG_PATH, renderEditorConfig, renderEditorPage } from '../pages/editor-page.ts';
import { renderSearchPage } from '../pages/search-page.ts';
import { renderSubmissionStatusPage, SUBMISSION_STATUS_PATH } from '../pages/submission-status-page.ts';
import { renderSubmitPage } from '../pages/submit-page.ts';
import type { CacheInvalidator, SiteObject, SiteStore } from '../ports.ts';
import { NOT_FOUND_KEY } from '../site-paths.ts';
import { legacyListKey, listKey, type PageRef } from './affected.ts';
import { type Catalogue, listingPath } from './catalogue.ts';
import type { HotRankings } from './hot-list.ts';
import { type RenderContext, SEARCH_PATH } from './layout.ts';
import {
  feedListings,
  renderArticlePage,
  renderFeed,
  renderHomePage,
  renderLegacyArchivePage,
  renderListPage,
  renderNotFoundPage,
} from './pages.ts';
import {
  NEWS_SITEMAP_KEY,
  ROBOTS_KEY,
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderSitemapPart,
  SITEMAP_INDEX_KEY,
  sitemapPartKey,
} from './sitemaps.ts';

export const HTML = 'text/html; charset=utf-8';
export const RSS = 'application/rss+xml; charset=utf-8';
export const XML = 'application/xml; charset=utf-8';

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

/**
 * The articles whose bodies a page shows: an article page its own; the feed the opening paragraph of each entry
 * that has no summary (at most FEED_ITEMS, whatever the archive's size).
 */
export function bodiesShownBy(ref: PageRef, catalogue: Catalogue): string[] {
  if (ref.kind === 'article') return [ref.id];
  if (ref.kind === 'feed') return feedListings(catalogue).flatMap((l) => (l.summary ? [] : [l.id]));
  return [];
}

/** Renders one page, or undefined when the page no longer exists (e.g. its article was unpublished meanwhile). */
export function renderRef(context: RenderContext, ref: PageRef, data: PageData): SiteObject | undefined {
  const { catalogue } = data;
  switch (ref.kind) {
    case 'article': {
      const listing = catalogue.get(ref.id);
      const article = data.articles.get(ref.id);
      if (!listing || !article || article.status !== 'published') return undefined;
      const { previous, next } = catalogue.neighbours(listing);
      const body = renderArticlePage(context, {
        article: { ...article, publishedAt: listing.publishedAt },
        views: data.views.get(ref.id) ?? 0,
        previous,
        next,
        photos: data.photos,
      });
      return { key: listingPath(listing).slice(1), body, contentType: HTML, cacheControl: cacheControl.page };
    }
    case 'list': {
      const body = renderListPage(context, catalogue, ref.path, ref.page, data.hot);
      return body === undefined
        ? undefined
        : { key: listKey(ref.path, ref.page), body, contentType: HTML, cacheControl: cacheControl.page };
    }
    case 'legacy-list': {
      const body = renderLegacyArchivePage(context, catalogue, ref.path, ref.page);
      return body === undefined
        ? undefined
        : {
            key: legacyListKey(ref.path, ref.page),
            body,
            contentType: HTML,
            cacheControl: cacheControl.page,
          };
    }
    case 'home':
      return {
        key: 'index.html',
        body: renderHomePage(context, catalogue, data.hot),
        contentType: HTML,
        cacheControl: cacheControl.page,
      };
    case 'feed':
      return {
        key: 'feed.xml',
        body: renderFeed(context, catalogue, data.articles),
        contentType: RSS,
        cacheControl: cacheControl.feed,
      };
    case 'sitemap':
      return {
        key: SITEMAP_INDEX_KEY,
        body: renderSitemapIndex(context, catalogue),
        contentType: XML,
        cacheControl: cacheControl.feed,
      };
    case 'sitemap-part': {
      const body = renderSitemapPart(context, catalogue, ref.part);
      return body === undefined
        ? undefined
        : { key: sitemapPartKey(ref.part), body, contentType: XML, cacheControl: cacheControl.feed };
    }
    case 'news-sitemap':
      return {
        key: NEWS_SITEMAP_KEY,
        body: renderNewsSitemap(context, catalogue, data.now),
        contentType: XML,
        cacheControl: cacheControl.feed,
      };
    case 'robots':
      return {
        key: ROBOTS_KEY,
        body: renderRobots(context),
        contentType: 'text/plain; charset=utf-8',
        cacheControl: cacheControl.feed,
      };
    case 'submit':
      return {
        key: 'submit/index.html',
        body: renderSubmitPage(context),
        contentType: HTML,
        cacheControl: cacheControl.page,
      };
    case 'submit-status':
      return {
        key: `${SUBMISSION_STATUS_PATH.slice(1)}index.html`,
        body: renderSubmissionStatusPage(context),
        contentType: HTML,
        cacheControl: cacheControl.page,
      };
    case 'search':
      return {
        key: `${SEARCH_PATH.slice(1)}index.html`,
        body: renderSearchPage(context),
        contentType: HTML,
        cacheControl: cacheControl.page,
      };
    case 'editor':
      return {
        key: 'admin/index.html',
        body: renderEditorPage(context),
        contentType: HTML,
        cacheControl: cacheControl.page,
      };
    case 'editor-config':
      return {
        key: EDITOR_CONFIG_PATH.slice(1),
        body: renderEditorConfig(context.editorLogin),
        contentType: 'application/json; charset=utf-8',
        cacheControl: cacheControl.page,
      };
    case 'not-found':
      return {
        key: NOT_FOUND_KEY,
        body: renderNotFoundPage(context),
        contentType: HTML,
        cacheControl: cacheControl.page,
      };
  }
}

export interface PublishOutcome {
  readonly rendered: number;
  readonly written: string[];
  readonly removed: string[];
}

/** Writes objects and removals, then invalidates exactly the keys that changed. */
export async function publishObjects(
  objects: readonly SiteObject[],
  removeKeys: readonly string[],
  ports: { store: SiteStore; invalidator: CacheInvalidator; concurrency?: number },
): Promise<PublishOutcome> {
  const written: string[] = [];
  const removed: string[] = [];
  const limit = ports.concurrency ?? 16;
  await forEachLimited(objects, limit, async (object) => {
    if (await ports.store.put(object)) written.push(object.key);
  });
  await forEachLimited(removeKeys, limit, async (key) => {
    if (await ports.store.remove(key)) removed.push(key);
  });
  written.sort();
  removed.sort();
  await ports.invalidator.invalidate([...written, ...removed].map((key) => `/${key}`));
  return { rendered: objects.length, written, removed };
}
