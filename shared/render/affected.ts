// Incremental re-rendering: which pages a batch of article changes affects, as a pure function of the changes
// and the catalogue. A publish touches the article, its neighbours (site-wide), the index page of each list it is
// on, home, feed, the sitemap index with the article's month and the news sitemap; an archive page (one per list
// and month) only when a new month starts or an older article changes, moves or goes.
import { listsContaining } from '../channels.ts';
import type { Article } from '../domain/article.ts';
import { LISTING_ATTRIBUTES } from '../tables.ts';
import {
  type Catalogue,
  type FullCatalogue,
  type Listing,
  listingPath,
  monthOf,
  newestMonthOf,
  SITE_LIST,
  toListing,
} from './catalogue.ts';
import type { HotRankings } from './hot-list.ts';
import {
  entryOf,
  legacyArchivePageCount,
  legacyListKey,
  listKey,
  type PageRef,
  pageKinds,
} from './page-kinds.ts';
import { FEED_ITEMS, HOME_LATEST, HOME_PER_CHANNEL, listPageView } from './pages.ts';
import { NEWS_WINDOW_MS, sitemapPartsAffected } from './sitemaps.ts';

/** One stream record as render sees it: the article before and after (either may be absent). */
export interface ArticleChange {
  readonly id: string;
  readonly before?: Article | undefined;
  readonly after?: Article | undefined;
}

export type { PageRef };

export interface AffectedPages {
  /** Pages to render, each once. */
  readonly render: readonly PageRef[];
  /** Bucket keys to delete (unpublished articles, archive pages that no longer exist). */
  readonly remove: readonly string[];
  /** The catalogue after the batch, which the pages are rendered from. */
  readonly catalogue: Catalogue;
}

/** A page's id in the rebuild manifest. */
export const refId = (ref: PageRef): string => entryOf(ref).id(ref);

export { legacyArchivePageCount, legacyListKey, listKey };

const sameListing = (a: Listing, b: Listing): boolean =>
  LISTING_ATTRIBUTES.every((k) => k === 'updatedAt' || a[k] === b[k]);

const isOnList = (listing: Listing, path: string): boolean =>
  path === SITE_LIST || listing.channel === path || listing.channel.startsWith(`${path}/`);

/** Whether the feed (the newest FEED_ITEMS of the whole site) lists the article. */
const inFeed = (catalogue: Catalogue, id: string): boolean => {
  const total = catalogue.total(SITE_LIST);
  return catalogue.range(SITE_LIST, total - FEED_ITEMS, total).some((l) => l.id === id);
};

/** Whether `listing` is among the newest `count` of the list at `path`. */
const amongNewest = (catalogue: Catalogue, path: string, listing: Listing, count: number): boolean => {
  const position = catalogue.position(path, listing.id);
  return position >= 0 && position >= catalogue.total(path) - count;
};

/** Whether the stored 点击排行 box of the list at `path` (SITE_LIST: home) names the article in either window. */
const inHotBox = (hot: HotRankings, path: string, id: string): boolean => {
  const box = hot.get(path);
  return box !== undefined && (box['24h'].includes(id) || box['7d'].includes(id));
};

/**
 * What an edit of a published article needs to know besides the catalogue to leave out pages that do not show it:
 * the stored rankings (home and each index page carry a 点击排行 box) and the render's clock (the news sitemap lists
 * the last 48 hours). Without them, home, the index pages and the news sitemap are rendered, as for a publish.
 */
export interface EditContext {
  readonly hot?: HotRankings | undefined;
  readonly now?: Date | undefined;
}

/** Home shows the newest of the site, the newest of each top channel, and its box. */
const shownOnHome = (catalogue: Catalogue, listing: Listing, hot: HotRankings): boolean => {
  const top = listsContaining(listing.channel, catalogue.channels).find((path) => !path.includes('/'));
  return (
    amongNewest(catalogue, SITE_LIST, listing, HOME_LATEST) ||
    (top !== undefined && amongNewest(catalogue, top, listing, HOME_PER_CHANNEL)) ||
    inHotBox(hot, SITE_LIST, listing.id)
  );
};

/**
 * The list pages that may change when an article of `months` joins, leaves or changes in the list: those months'
 * pages, the page after each (its 较早 link names the month before it), and the newest month before and after
 * (the index page shows it; the one it replaces becomes an archive page).
 */
function candidateMonths(
  before: Catalogue,
  after: Catalogue,
  path: string,
  months: readonly string[],
): Set<string> {
  const candidates = new Set<string>(months);
  for (const catalogue of [before, after]) {
    const newest = newestMonthOf(catalogue, path);
    if (newest) candidates.add(newest);
    for (const month of months) {
      const { newer } = catalogue.monthsAround(path, month);
      if (newer) candidates.add(newer);
    }
  }
  return candidates;
}

/** The first and last state of each article within the batch, in batch order. */
export function foldChanges(changes: readonly ArticleChange[]): ArticleChange[] {
  const byId = new Map<string, { before?: Article | undefined; after?: Article | undefined }>();
  for (const change of changes) {
    const seen = byId.get(change.id);
    if (seen) seen.after = change.after;
    else byId.set(change.id, { before: change.before, after: change.after });
  }
  return [...byId].map(([id, c]) => ({ id, before: c.before, after: c.after }));
}

/**
 * `loaded` is the catalogue as read (an index may lag the stream); the changed articles are overlaid on it, so
 * the before and after views agree with the records whatever the index had caught up with.
 */
export function pagesAffectedBy(
  changes: readonly ArticleChange[],
  loaded: Catalogue,
  edit: EditContext = {},
): AffectedPages {
  const folded = foldChanges(changes).map((c) => ({
    id: c.id,
    before: c.before ? toListing(c.before) : undefined,
    after: c.after ? toListing(c.after) : undefined,
  }));
  const ids = folded.map((c) => c.id);
  const overlay = (pick: 'before' | 'after') =>
    loaded.with({
      remove: ids,
      put: folded.map((c) => c[pick]).filter((l): l is Listing => Boolean(l)),
    });
  const before = overlay('before');
  const after = overlay('after');

  const render = new Map<string, PageRef>();
  const remove = new Set<string>();
  const add = (ref: PageRef) => render.set(refId(ref), ref);
  const addArticle = (listing: Listing | undefined) => {
    if (listing && after.get(listing.id)) add({ kind: 'article', id: listing.id });
  };

  for (const { id, before: b, after: a } of folded) {
    if (!b && !a) continue;
    // An edit of a published article (published before and after) renders home, an index page or the news sitemap
    // only where they show it, when the rankings and the clock say so; a publish or an unpublish always does.
    const { hot, now } = edit;
    const edited = b !== undefined && a !== undefined;
    const onHome = (): boolean =>
      !edited || !hot || shownOnHome(before, b, hot) || shownOnHome(after, a, hot);
    // The index page's 点击排行 box shows titles: it is rendered when the box may list the article, whatever else.
    const inBox = (path: string): boolean => !hot || inHotBox(hot, path, id);
    const recent = (l: Listing) =>
      now !== undefined && Date.parse(l.publishedAt) > now.getTime() - NEWS_WINDOW_MS;
    add({ kind: 'sitemap' });
    if (!edited || now === undefined || recent(b) || recent(a)) add({ kind: 'news-sitemap' });
    const parts = sitemapPartsAffected({ catalogue: before, listing: b }, { catalogue: after, listing: a });
    for (const part of parts.render) add({ kind: 'sitemap-part', part });
    for (const key of parts.remove) remove.add(key);
    if (a) add({ kind: 'article', id });
    if (b && (!a || listingPath(a) !== listingPath(b))) remove.add(listingPath(b).slice(1));
    if (a && b && sameListing(a, b)) {
      // Same place everywhere (a body edit, a correction): the feed, if it lists the entry, shows its updated time.
      if (a.updatedAt !== b.updatedAt && inFeed(after, id)) add({ kind: 'feed' });
      continue;
    }

    if (onHome()) add({ kind: 'home' });
    // The feed lists the newest entries only: an older article's change leaves it as it is.
    if ((b && inFeed(before, id)) || (a && inFeed(after, id))) add({ kind: 'feed' });
    // The neighbours' pages link to the article by its title: they change when it comes or goes, when its title
    // changes, or when its neighbours do; a move to another channel or a new summary leaves them as they are.
    const nb = b ? before.neighbours(b) : {};
    const na = a ? after.neighbours(a) : {};
    const sameLinks =
      edited &&
      b.title === a.title &&
      listingPath(b) === listingPath(a) &&
      nb.previous?.id === na.previous?.id &&
      nb.next?.id === na.next?.id;
    if (!sameLinks) for (const n of [nb.previous, nb.next, na.previous, na.next]) addArticle(n);
    const paths = new Set([
      ...(b ? listsContaining(b.channel, after.channels) : []),
      ...(a ? listsContaining(a.channel, after.channels) : []),
    ]);
    for (const path of paths) {
      // A list page is rendered when what it shows changes (listPageView), and removed when it no longer exists.
      const months = [b, a].flatMap((l) => (l && isOnList(l, path) ? [monthOf(l)] : []));
      // A publish or an unpublish always renders it (as before the archive went by month); an edit when it shows
      // something else (an entry, its 较早 month) or its box may list the article.
      if (
        !edited ||
        inBox(path) ||
        listPageView(before, path, 'index') !== listPageView(after, path, 'index')
      )
        add({ kind: 'list', path, page: 'index' });
      for (const month of candidateMonths(before, after, path, months)) {
        const was = listPageView(before, path, month);
        const is = listPageView(after, path, month);
        if (is === undefined) {
          if (was !== undefined) remove.add(listKey(path, month));
        } else if (is !== was) add({ kind: 'list', path, page: month });
      }
    }
  }
  for (const key of remove) {
    // A key that is rendered again in the same batch (e.g. unpublished then republished) is not removed.
    if (
      [...render.values()].some(
        (r) =>
          r.kind === 'article' && after.get(r.id) && listingPath(after.get(r.id) as Listing).slice(1) === key,
      )
    )
      remove.delete(key);
  }
  return { render: [...render.values()], remove: [...remove].sort(), catalogue: after };
}

/** Every page of the site, for a full rebuild, in the page registry's order. */
export const allPages = (catalogue: FullCatalogue): PageRef[] =>
  Object.values(pageKinds).flatMap((kind): PageRef[] => kind.site(catalogue));
