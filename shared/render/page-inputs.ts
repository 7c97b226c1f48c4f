// What a page's bytes depend on, as one digest per page, so a whole-site rebuild can tell which pages would come
// out the same without reading bodies or rendering them. Rendering is deterministic: the same digest gives the same
// bytes. Anything a page shows must be in its digest; test/ops/page-inputs.test.ts renders before and after
// changes and checks that pages with an unchanged digest are byte-identical.
import { createHash } from 'node:crypto';
import { LISTING_ATTRIBUTES } from '../tables.ts';
import type { PageRef } from './affected.ts';
import { type FullCatalogue, type Listing, SITE_LIST } from './catalogue.ts';
import type { HotRankings } from './hot-list.ts';
import type { RenderContext } from './layout.ts';
import { legacyArchiveTarget, listPageView } from './pages.ts';
import { newsArticles, sitemapPartArticles } from './sitemaps.ts';

/**
 * Bump to re-render every page on the next rebuild when rendering changed in a way the code digest cannot see
 * (it covers the renderer's source files and dependency versions, see functions/render/code-version.ts).
 */
export const RENDER_VERSION = 1;

const digest = (text: string): string => createHash('sha1').update(text).digest('base64url');

const listingText = (listing: Listing | undefined): string =>
  listing ? LISTING_ATTRIBUTES.map((a) => listing[a]).join('\u0001') : '-';

/** The rendering that every page shares: code, site address, asset names, locale, editor login. */
export function renderVersion(context: RenderContext, code: string): string {
  return digest(
    JSON.stringify({
      RENDER_VERSION,
      code,
      siteUrl: context.siteUrl,
      locale: context.locale ?? null,
      editorLogin: context.editorLogin ?? null,
      assets: context.assets.all.map((a) => a.key),
    }),
  );
}

export interface PageInputData {
  readonly catalogue: FullCatalogue;
  readonly views: ReadonlyMap<string, number>;
  readonly hot: HotRankings;
  /** The rebuild's clock: the news sitemap shows the 48 hours before it. */
  readonly now: Date;
  /** From renderVersion(). */
  readonly version: string;
}

/**
 * Digests of a site's pages by refId-compatible ref. Built once per rebuild: the whole-catalogue digest (home,
 * feed and sitemap show newest-first slices, counts and every URL) is computed once, not per page.
 */
export function pageInputDigests(data: PageInputData): (ref: PageRef) => string {
  const { catalogue, views, hot, now, version } = data;
  const texts = new Map<string, string>();
  const textOf = (listing: Listing): string => {
    let text = texts.get(listing.id);
    if (text === undefined) {
      text = listingText(listing);
      texts.set(listing.id, text);
    }
    return text;
  };
  const box = (path: string): string => {
    const entry = hot.get(path);
    if (!entry) return '-';
    // The box shows the ranked articles' titles and links, so their listings are inputs too.
    const shown = (ids: readonly string[]) => ids.map((id) => listingText(catalogue.get(id))).join('\u0002');
    return `${shown(entry['24h'])}\u0003${shown(entry['7d'])}`;
  };
  let wholeSite: string | undefined;
  const site = (): string => {
    wholeSite ??= digest(catalogue.list(SITE_LIST).map(textOf).join('\n'));
    return wholeSite;
  };
  return (ref) => {
    switch (ref.kind) {
      case 'article': {
        const listing = catalogue.get(ref.id);
        if (!listing) return digest(`${version}\narticle-gone\n${ref.id}`);
        const { previous, next } = catalogue.neighbours(listing);
        return digest(
          [
            version,
            'article',
            textOf(listing),
            previous ? textOf(previous) : '-',
            next ? textOf(next) : '-',
            String(views.get(ref.id) ?? 0),
          ].join('\n'),
        );
      }
      case 'list':
        return digest(
          [
            version,
            'list',
            ref.path,
            ref.page,
            listPageView(catalogue, ref.path, ref.page) ?? '-',
            ref.page === 'index' ? box(ref.path) : '-',
          ].join('\n'),
        );
      case 'legacy-list':
        return digest(
          [
            version,
            ref.kind,
            ref.path,
            String(ref.page),
            legacyArchiveTarget(catalogue, ref.path, ref.page),
          ].join('\n'),
        );
      case 'home':
        return digest([version, 'home', site(), box(SITE_LIST)].join('\n'));
      case 'feed':
      case 'sitemap':
        return digest([version, ref.kind, site()].join('\n'));
      case 'sitemap-part':
        return digest(
          [version, ref.kind, ref.part, ...sitemapPartArticles(catalogue, ref.part).map(textOf)].join('\n'),
        );
      case 'news-sitemap':
        return digest([version, ref.kind, ...newsArticles(catalogue, now).map(textOf)].join('\n'));
      case 'robots':
      case 'not-found':
      case 'submit':
      case 'submit-status':
      case 'search':
      case 'editor':
      case 'editor-config':
        return digest([version, ref.kind].join('\n'));
    }
  };
}
