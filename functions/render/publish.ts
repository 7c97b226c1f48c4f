// A publish, an unpublish or an edit: the pages a batch of article changes affects, rendered from a catalogue read
// in bounded slices (docs/ARCHIVE-SCALE.md), written where their bytes changed, then one invalidation.

import { HEAD_COMPARISONS_UP_TO } from '#shared/aws/site-store.ts';
import type { Article } from '#shared/domain/article.ts';
import type { SiteStore } from '#shared/ports.ts';
import { type ArticleChange, type PageRef, pagesAffectedBy } from '#shared/render/affected.ts';
import type { SiteAssets } from '#shared/render/assets.ts';
import {
  buildCatalogue,
  type Catalogue,
  OutsideSlice,
  SITE_LIST,
  toListing,
} from '#shared/render/catalogue.ts';
import { photoIds, photosStillProcessing } from '#shared/render/gallery.ts';
import type { HotRankings } from '#shared/render/hot-list.ts';
import { monthsToRead, partialCatalogue } from '#shared/render/partial-catalogue.ts';
import { bodiesShownBy, type PublishOutcome, publishObjects, renderRef } from '#shared/render/site.ts';
import { NEWS_WINDOW_MS, writtenSitemapParts } from '#shared/render/sitemaps.ts';
import { siteConfig } from '#shared/site-config.ts';
import type { RenderDeps } from './deps.ts';
import { syncPhotoFiles } from './photo-files.ts';

const assetsWritten = new WeakSet<SiteAssets>();

/** Hashed assets go up before any page that names them; once per process, since their names are their content. */
export async function ensureAssets(deps: RenderDeps): Promise<string[]> {
  if (assetsWritten.has(deps.context.assets)) return [];
  const written: string[] = [];
  for (const asset of deps.context.assets.all) {
    if (await deps.store.put(asset)) written.push(asset.key);
  }
  assetsWritten.add(deps.context.assets);
  return written;
}

/** Pages that carry a 点击排行 box: home and the first page of each channel list. */
const showsHotBox = (ref: PageRef): boolean =>
  ref.kind === 'home' || (ref.kind === 'list' && ref.page === 'index');

/**
 * From this many article pages, and a quarter of the site, a render reads every count in one Scan: the shards of
 * 4,000 articles are 128,000 BatchGet keys (1,280 requests); the Scan reads only the shards that exist.
 */
const SCAN_COUNTS_FROM = 500;

/** The view counts of `ids`: shard by shard for a few, one Scan for every article when they are most of the site. */
async function countsFor(
  deps: RenderDeps,
  catalogue: Catalogue,
  ids: readonly string[],
): Promise<ReadonlyMap<string, number>> {
  if (ids.length === 0) return new Map();
  const mostOfTheSite = ids.length >= SCAN_COUNTS_FROM && ids.length * 4 >= catalogue.total(SITE_LIST);
  return mostOfTheSite ? deps.views.all() : deps.views.totals(ids);
}

/** The store for a render of `pages` pages: the bulk store when there are many. */
const storeFor = async (deps: RenderDeps, pages: number): Promise<SiteStore> =>
  pages > HEAD_COMPARISONS_UP_TO ? deps.bulkStore(false) : deps.store;

/** Article pages rendered without some of their photos: article id → upload ids that had no record yet. */
export type Waiting = ReadonlyMap<string, readonly string[]>;

export interface RenderOutcome extends PublishOutcome {
  readonly waiting: Waiting;
}

/** What a render may already hold: the stream's newest images, the rankings, every view count. */
export interface Known {
  readonly articles?: ReadonlyMap<string, Article>;
  readonly hot?: HotRankings;
  readonly views?: ReadonlyMap<string, number>;
  /** The store a multi-slice render chose once for all its slices. */
  readonly store?: SiteStore;
}

/**
 * Renders `refs` from `catalogue`, reading bodies and counts only for the article pages among them, and the
 * stored rankings (one small GET) only when a page with a box is among them and `hot` was not given.
 */
export async function renderAndPublish(
  deps: RenderDeps,
  catalogue: Catalogue,
  refs: readonly PageRef[],
  remove: readonly string[],
  known: Known = {},
): Promise<RenderOutcome> {
  const rankings = known.hot ?? (refs.some(showsHotBox) ? await deps.hot.rankings.read() : undefined);
  const ids = refs.flatMap((r) => (r.kind === 'article' ? [r.id] : []));
  const given = known.articles ?? new Map<string, Article>();
  const shown = new Set(refs.flatMap((r) => bodiesShownBy(r, catalogue)));
  const missing = [...shown].filter((id) => !given.has(id));
  const fetched = missing.length > 0 ? await deps.articles.getMany(missing) : new Map();
  const articles = new Map([...fetched, ...given]);
  const views = known.views ?? (await countsFor(deps, catalogue, ids));
  const uploadIds = ids.flatMap((id) => photoIds(articles.get(id)?.images));
  const photos = deps.photos && uploadIds.length > 0 ? await deps.photos.getMany(uploadIds) : undefined;
  const now = deps.hot.now?.() ?? new Date();
  const objects = refs.flatMap((ref) => {
    const object = renderRef(deps.context, ref, {
      catalogue,
      articles,
      views,
      now,
      ...(photos ? { photos } : {}),
      ...(rankings ? { hot: rankings } : {}),
    });
    return object ? [object] : [];
  });
  const outcome = await publishObjects(objects, remove, {
    ...deps,
    store: known.store ?? (await storeFor(deps, objects.length)),
  });
  const waiting: Waiting = new Map(
    ids.flatMap((id) => {
      const missing = photosStillProcessing(articles.get(id)?.images, photos);
      return missing.length > 0 ? [[id, missing] as const] : [];
    }),
  );
  return { ...outcome, waiting };
}

/**
 * Newest articles read per channel partition for a partial catalogue: the index page, the archive page a publish
 * fills, and the block before it, so an insertion among the newest still finds every page it shifts.
 */
export const SLICE_ARTICLES = 3 * siteConfig.pageSize;

/**
 * A catalogue of what the pages of `changes` (and the ranked `ids`) can show, read in bounded slices: its size
 * follows the publishing rate, not the archive (docs/ARCHIVE-SCALE.md).
 */
export async function sliceCatalogue(
  deps: RenderDeps,
  changes: readonly ArticleChange[],
  ids: readonly string[],
  moreMonths: readonly string[] = [],
): Promise<Catalogue> {
  const now = deps.hot.now?.() ?? new Date();
  const listings = changes.flatMap((c) =>
    [c.before, c.after].flatMap((a) => {
      const listing = a ? toListing(a) : undefined;
      return listing ? [listing] : [];
    }),
  );
  const [slices, index] = await Promise.all([
    deps.articles.slices({
      newest: SLICE_ARTICLES,
      since: new Date(now.getTime() - NEWS_WINDOW_MS),
      months: [...new Set([...monthsToRead(listings, now), ...moreMonths])],
      ids: [...new Set([...changes.map((c) => c.id), ...ids])],
    }),
    listings.length > 0 ? deps.sitemapIndex?.read() : undefined,
  ]);
  const writtenParts = writtenSitemapParts(deps.context, index);
  return partialCatalogue({ ...slices, ...(writtenParts ? { writtenParts } : {}) });
}

/** How many times a partial render reads one more whole month it was short of before it reads every listing. */
const MONTH_RETRIES = 2;

/**
 * Runs `render` on a partial catalogue; when the pages need a month it did not read (the first publish of a month
 * closes the month before, whose 较早 link names the one before that), it reads that month too and tries again; when
 * they need more than slices can hold (a change deep in the archive, a missing counter), on a full one. The partial
 * run throws before it writes anything.
 */
export async function withCatalogue<T>(
  deps: RenderDeps,
  slices: (moreMonths: readonly string[]) => Promise<Catalogue>,
  render: (catalogue: Catalogue) => Promise<T>,
): Promise<T> {
  const moreMonths: string[] = [];
  for (;;) {
    try {
      return await render(await slices(moreMonths));
    } catch (error) {
      if (!(error instanceof OutsideSlice)) throw error;
      const { month } = error;
      if (month !== undefined && !moreMonths.includes(month) && moreMonths.length < MONTH_RETRIES) {
        deps.log.info('render reads one more month', { reason: error.message });
        moreMonths.push(month);
        continue;
      }
      deps.log.info('render reads every listing', { reason: error.message });
      return render(buildCatalogue(await deps.articles.listings()));
    }
  }
}

export async function renderChanges(
  changes: readonly ArticleChange[],
  deps: RenderDeps,
): Promise<RenderOutcome> {
  // The stream's newest image is what the page must show, so it is used instead of a read that could be older.
  const known = new Map(
    changes.flatMap((c) => (c.after?.status === 'published' ? [[c.id, c.after] as const] : [])),
  );
  // Rankings decide the hot boxes, and for an edit of a published article whether home and an index page show it.
  const hot = await deps.hot.rankings.read();
  const ranked = [...hot.values()].flatMap((box) => [...box['24h'], ...box['7d']]);
  const now = deps.hot.now?.() ?? new Date();
  // Photos go public before the pages that show them are written, and private after the pages that showed them.
  const published = await syncPhotoFiles(changes, deps, 'publish');
  const outcome = await withCatalogue(
    deps,
    (moreMonths) => sliceCatalogue(deps, changes, ranked, moreMonths),
    (catalogue) => {
      const affected = pagesAffectedBy(changes, catalogue, { hot, now });
      return renderAndPublish(deps, affected.catalogue, affected.render, affected.remove, {
        articles: known,
        hot,
      });
    },
  );
  const withdrawn = await syncPhotoFiles(changes, deps, 'withdraw');
  if (published.length + withdrawn.length > 0)
    await deps.invalidator.invalidate([...published, ...withdrawn]);
  return outcome;
}

export const NOTHING: PublishOutcome = { rendered: 0, written: [], removed: [] };

/** Two renders' outcomes as one. */
export const combined = (a: PublishOutcome, b: PublishOutcome): PublishOutcome => ({
  rendered: a.rendered + b.rendered,
  written: [...a.written, ...b.written],
  removed: [...a.removed, ...b.removed],
});
