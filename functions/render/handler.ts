// render: the Articles stream (and ops commands) → static pages in the site bucket → one batched invalidation.
// Parse records → pagesAffectedBy → render → write changed bytes only → invalidate what was written.
// `refresh-hot` (every HOT_REFRESH_INTERVAL_MINUTES) re-ranks the 点击排行 boxes and re-renders only the pages whose
// box changed.

import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as v from 'valibot';
import { lambdaAsyncInvoker } from '#shared/aws/async-invoker.ts';
import { cloudFrontInvalidator, noCdn } from '#shared/aws/cdn-invalidator.ts';
import { cloudFrontClient } from '#shared/aws/cloudfront-client.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { type HotRankingStore, s3HotRankings } from '#shared/aws/hot-rankings.ts';
import { s3PhotoFiles } from '#shared/aws/photo-files.ts';
import { s3PhotoWaits } from '#shared/aws/photo-waits.ts';
import { dynamoPublishedArticles } from '#shared/aws/published-articles.ts';
import { s3RebuildManifest } from '#shared/aws/rebuild-manifest.ts';
import { s3Client } from '#shared/aws/s3-client.ts';
import { s3SearchChangeMark } from '#shared/aws/search-state.ts';
import { HEAD_COMPARISONS_UP_TO, s3SiteStore, snapshotSiteStore } from '#shared/aws/site-store.ts';
import { type StateObject, s3StateObject } from '#shared/aws/state-object.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import { dynamoHotList, type HotListReader } from '#shared/aws/view-counts.ts';
import { dynamoSiteViewCounts } from '#shared/aws/view-totals.ts';
import { forEachLimited } from '#shared/concurrency.ts';
import type { Article } from '#shared/domain/article.ts';
import { MEDIA_PREFIX, mediaFilesOf } from '#shared/domain/uploads.ts';
import { REFRESH_HOT_COMMAND } from '#shared/domain/views.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { type Logger, logger, requestLogging } from '#shared/log.ts';
import type {
  CacheInvalidator,
  ListedSiteStore,
  PhotoFiles,
  PhotoWaitStore,
  PublishedArticleReader,
  RebuildManifestStore,
  SiteStore,
  SiteViewCounts,
  UploadRecordStore,
} from '#shared/ports.ts';
import { type ArticleChange, type PageRef, pagesAffectedBy } from '#shared/render/affected.ts';
import { loadSiteAssets, type SiteAssets } from '#shared/render/assets.ts';
import {
  buildCatalogue,
  type Catalogue,
  monthOf,
  OutsideSlice,
  SITE_LIST,
  toListing,
} from '#shared/render/catalogue.ts';
import { photoIds, photosStillProcessing } from '#shared/render/gallery.ts';
import { changedHotPaths, type HotRankings, hotRankings } from '#shared/render/hot-list.ts';
import type { RenderContext } from '#shared/render/layout.ts';
import { partialCatalogue } from '#shared/render/partial-catalogue.ts';
import { bodiesShownBy, type PublishOutcome, publishObjects, renderRef } from '#shared/render/site.ts';
import { NEWS_WINDOW_MS, SITEMAP_INDEX_KEY, writtenSitemapParts } from '#shared/render/sitemaps.ts';
import { parseRecord } from '#shared/render/stream-records.ts';
import type { SearchChangeMark } from '#shared/search/reindex.ts';
import { siteConfig } from '#shared/site-config.ts';
import { renderCodeDigest } from './code-version.ts';
import { rebuildPages } from './rebuild.ts';
import { type ContinuingRebuild, continuationOf, type RebuildSummary } from './rebuild-command.ts';

export interface RenderDeps {
  readonly articles: PublishedArticleReader;
  readonly views: SiteViewCounts;
  readonly store: SiteStore;
  readonly invalidator: CacheInvalidator;
  readonly context: RenderContext;
  readonly log: Logger;
  /** 点击排行: the daily view buckets, the rankings the pages show, and the clock the windows slide on. */
  readonly hot: {
    readonly scores: Pick<HotListReader, 'scores'>;
    readonly rankings: HotRankingStore;
    readonly now?: () => Date;
  };
  /** Upload records for articles' photos (高清组图); without it pages show no photos. */
  readonly photos?: UploadRecordStore;
  /**
   * Makes photos public with the articles that show them and private again when those are unpublished; without it
   * photo files are left where they are.
   */
  readonly photoFiles?: PhotoFiles;
  /** Pages rendered and written at once during a rebuild. */
  readonly concurrency?: number;
  /**
   * For renders of many pages: a store that compares against one listing of the bucket instead of a HEAD per
   * page; `force` writes every page without listing.
   */
  readonly bulkStore: (force: boolean) => Promise<ListedSiteStore>;
  /** What each page was last rendered from; a rebuild skips the pages it says would not change. */
  readonly manifest: RebuildManifestStore;
  /** Digest of the running render code (code-version.ts). */
  readonly codeVersion: () => string;
  /** Article pages rendered without photos still being processed, re-rendered when those arrive. */
  readonly photoWaits: PhotoWaitStore;
  /**
   * Sends a rebuild command to this same function without waiting (in AWS an asynchronous self-invocation), so a
   * rebuild started by the deploy-time trigger goes on after the trigger's run. Absent locally, where
   * `rebuildUntilDone` sends the runs.
   */
  readonly continueRebuild?: (command: ContinuingRebuild) => Promise<void>;
  /** Tells the search function that published articles changed (shared/search/reindex.ts). */
  readonly searchMark: SearchChangeMark;
  /**
   * `/sitemap.xml` as last written: a publish rewrites the entries of the months it reads and keeps the others'.
   * Without it every publish reads every listing.
   */
  readonly sitemapIndex?: Pick<StateObject, 'read'>;
}

export type RenderCommand =
  | {
      readonly command: 'rebuild';
      readonly force?: boolean;
      readonly verify?: boolean;
      /** Sent by the deploy-time trigger: an unfinished run invokes the function again until the rebuild is done. */
      readonly untilDone?: boolean;
      readonly run?: number;
      readonly deployment?: Readonly<Record<string, string>>;
    }
  | { readonly command: 'render-articles'; readonly ids: readonly string[] }
  | typeof REFRESH_HOT_COMMAND;

/** What a render command answers. */
export interface RenderSummary {
  readonly rendered: number;
  readonly written: number;
  readonly removed: number;
}

/** The ops and deploy-time commands render takes besides stream batches; any other event is a stream batch. */
const renderCommandSchema = v.variant('command', [
  v.looseObject({
    command: v.literal('rebuild'),
    force: v.optional(v.boolean()),
    verify: v.optional(v.boolean()),
    untilDone: v.optional(v.boolean()),
    run: v.optional(v.number()),
    deployment: v.optional(v.record(v.string(), v.string())),
  }),
  v.looseObject({ command: v.literal('render-articles'), ids: v.array(v.string()) }),
  v.looseObject({ command: v.literal(REFRESH_HOT_COMMAND.command) }),
]);

export const isRenderCommand = (event: unknown): event is RenderCommand => v.is(renderCommandSchema, event);

const assetsWritten = new WeakSet<SiteAssets>();

/** Hashed assets go up before any page that names them; once per process, since their names are their content. */
async function ensureAssets(deps: RenderDeps): Promise<string[]> {
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
type Waiting = ReadonlyMap<string, readonly string[]>;

interface RenderOutcome extends PublishOutcome {
  readonly waiting: Waiting;
}

/** What a render may already hold: the stream's newest images, the rankings, every view count. */
interface Known {
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
async function renderAndPublish(
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

/** Upload ids of the photos an article shows while it is published; none otherwise. */
const shownPhotos = (article: Article | undefined): string[] =>
  article?.status === 'published' ? photoIds(article.images) : [];

/**
 * Photos follow their articles (docs in README, "Photos"): each photo of an article that is published after the
 * change is made public, and each photo that an article showed before and no longer shows (unpublished, deleted, or
 * dropped from it) is made private again, unless another change of the batch still shows it. Only processed photos
 * have files; one still processing is published when it arrives (renderPhotoArrivals renders its article again).
 */
async function syncPhotoFiles(
  changes: readonly ArticleChange[],
  deps: RenderDeps,
  step: 'publish' | 'withdraw',
): Promise<string[]> {
  const files = deps.photoFiles;
  if (!files || !deps.photos) return [];
  const shown = new Set(changes.flatMap((c) => shownPhotos(c.after)));
  const ids =
    step === 'publish'
      ? [...shown]
      : [...new Set(changes.flatMap((c) => shownPhotos(c.before)))].filter((id) => !shown.has(id));
  if (ids.length === 0) return [];
  const records = await deps.photos.getMany(ids);
  const changed: string[] = [];
  await forEachLimited([...records.values()], 4, async (record) => {
    if (record.state !== 'ready') return;
    const media = mediaFilesOf(record.variants);
    if (await (step === 'publish' ? files.publish(media) : files.withdraw(media)))
      changed.push(record.uploadId);
  });
  if (changed.length > 0)
    deps.log.info(step === 'publish' ? 'photos made public' : 'photos made private', { uploads: changed });
  // A request before the publish may have left a 404 in CloudFront's cache (one minute), and a withdrawn photo must
  // leave it at once: one wildcard path per photo.
  return changed.map((id) => `/${MEDIA_PREFIX}${id}/*`);
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
async function sliceCatalogue(
  deps: RenderDeps,
  changes: readonly ArticleChange[],
  ids: readonly string[],
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
      months: [...new Set(listings.map(monthOf))],
      ids: [...new Set([...changes.map((c) => c.id), ...ids])],
    }),
    listings.length > 0 ? deps.sitemapIndex?.read() : undefined,
  ]);
  const writtenParts = writtenSitemapParts(deps.context, index);
  return partialCatalogue({ ...slices, ...(writtenParts ? { writtenParts } : {}) });
}

/**
 * Runs `render` on a partial catalogue; when the pages need more than its slices hold (a change deep in the
 * archive, a missing counter), on a full one. The partial run throws before it writes anything.
 */
async function withCatalogue<T>(
  deps: RenderDeps,
  slices: () => Promise<Catalogue>,
  render: (catalogue: Catalogue) => Promise<T>,
): Promise<T> {
  try {
    return await render(await slices());
  } catch (error) {
    if (!(error instanceof OutsideSlice)) throw error;
    deps.log.info('render reads every listing', { reason: error.message });
    return render(buildCatalogue(await deps.articles.listings()));
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
    () => sliceCatalogue(deps, changes, ranked),
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

const NOTHING: PublishOutcome = { rendered: 0, written: [], removed: [] };

/** Two renders' outcomes as one. */
const combined = (a: PublishOutcome, b: PublishOutcome): PublishOutcome => ({
  rendered: a.rendered + b.rendered,
  written: [...a.written, ...b.written],
  removed: [...a.removed, ...b.removed],
});

/** A wait is forgotten after a week: a photo whose upload never reached processing would keep its page waiting. */
const PHOTO_WAIT_MS = 7 * 86_400_000;
/** Photos that arrive while their pages are being re-rendered are followed this many times, then left to the next. */
const PHOTO_ROUNDS = 3;

/**
 * Records that these pages wait for photos, and returns the photos among them that were processed meanwhile: a
 * photo whose record was written between the render's read and this write found no page waiting for it.
 */
async function recordPhotoWaits(deps: RenderDeps, waiting: Waiting): Promise<string[]> {
  if (waiting.size === 0 || !deps.photos) return [];
  const now = deps.hot.now?.() ?? new Date();
  await deps.photoWaits.update((waits) => {
    for (const [id, wait] of waits)
      if (now.getTime() - Date.parse(wait.since) > PHOTO_WAIT_MS) waits.delete(id);
    for (const [id, uploads] of waiting)
      waits.set(id, { uploads, since: waits.get(id)?.since ?? now.toISOString() });
    return true;
  });
  const uploads = [...new Set([...waiting.values()].flat())];
  return [...(await deps.photos.getMany(uploads)).keys()];
}

/** Re-renders the article pages that waited for any of `arrived` (processed photos), and what they affect. */
async function renderPhotoArrivals(
  deps: RenderDeps,
  arrived: readonly string[],
  round = 1,
): Promise<PublishOutcome> {
  if (arrived.length === 0) return NOTHING;
  let due: string[] = [];
  await deps.photoWaits.update((waits) => {
    due = [...waits].flatMap(([id, wait]) => (wait.uploads.some((u) => arrived.includes(u)) ? [id] : []));
    for (const id of due) waits.delete(id);
    return due.length > 0;
  });
  if (due.length === 0) return NOTHING;
  const articles = await deps.articles.getMany(due);
  const changes = [...articles.values()].flatMap((a) =>
    a.status === 'published' ? [{ id: a.id, before: a, after: a }] : [],
  );
  const outcome = await renderChanges(changes, deps);
  const late = await recordPhotoWaits(deps, outcome.waiting);
  deps.log.info('pages re-rendered with their processed photos', { articles: changes.map((c) => c.id) });
  return round >= PHOTO_ROUNDS
    ? outcome
    : combined(outcome, await renderPhotoArrivals(deps, late, round + 1));
}

/** Renders `changes`; pages shown without photos still processing are re-rendered when those arrive. */
async function renderChangesAndWait(
  changes: readonly ArticleChange[],
  deps: RenderDeps,
): Promise<PublishOutcome> {
  const outcome = await renderChanges(changes, deps);
  return combined(outcome, await renderPhotoArrivals(deps, await recordPhotoWaits(deps, outcome.waiting)));
}

/**
 * 点击排行: ranks home and every channel's first page from the daily view buckets and re-renders only the pages
 * whose box would list other articles or another order than the stored rankings say, and the news sitemap. The rankings are stored after
 * the pages are written, so a run that fails part-way is redone in full by the next one.
 */
export async function refreshHotLists(deps: RenderDeps): Promise<PublishOutcome & { changed: string[] }> {
  const now = deps.hot.now?.() ?? new Date();
  const [day, week, before] = await Promise.all([
    deps.hot.scores.scores('24h', now),
    deps.hot.scores.scores('7d', now),
    deps.hot.rankings.read(),
  ]);
  // Only the articles viewed in the windows are ranked: their listings are read, not every listing.
  const scored = [...new Set([...day.keys(), ...week.keys()])];
  return withCatalogue(
    deps,
    () => sliceCatalogue(deps, [], scored),
    async (catalogue) => {
      const after = hotRankings(catalogue, { '24h': day, '7d': week });
      const changed = changedHotPaths(before, after);
      const boxes = changed.flatMap((path): PageRef[] =>
        path === SITE_LIST
          ? [{ kind: 'home' }]
          : catalogue.channels.get(path)
            ? [{ kind: 'list', path, page: 'index' }]
            : [],
      );
      // The news sitemap slides with the clock too: articles older than 48 hours leave it within one interval,
      // even when nothing is published (it is written only when its bytes change).
      const outcome = await renderAndPublish(deps, catalogue, [...boxes, { kind: 'news-sitemap' }], [], {
        hot: after,
      });
      if (changed.length > 0) await deps.hot.rankings.write(after);
      return { ...outcome, changed };
    },
  );
}

/** A rebuild stops taking slices this long before the function times out (at most half its time), to finish. */
const REBUILD_STOPS_BEFORE_TIMEOUT_MS = 20_000;

/** Aborts when a rebuild must stop taking slices to finish its writes and its manifest within `context`'s time. */
function beforeTimeout(
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
): AbortSignal | undefined {
  const remaining = context?.getRemainingTimeInMillis();
  if (remaining === undefined) return undefined;
  const delay = Math.floor(remaining - Math.min(REBUILD_STOPS_BEFORE_TIMEOUT_MS, remaining / 2));
  return delay > 0 ? AbortSignal.timeout(delay) : AbortSignal.abort();
}

/** After a run of the deploy-time rebuild: sends the next run if it is unfinished, or says why it stops. */
async function continueRebuild(
  deps: RenderDeps,
  command: ContinuingRebuild,
  summary: RebuildSummary,
): Promise<void> {
  const next = continuationOf(command, summary);
  if ('stop' in next) {
    if (next.stop !== 'done')
      deps.log.error('rebuild stopped unfinished', { reason: next.stop, run: command.run ?? 1 });
    return;
  }
  if (!deps.continueRebuild) {
    deps.log.warn('rebuild unfinished and this render cannot continue itself: send it again', {
      run: command.run ?? 1,
    });
    return;
  }
  await deps.continueRebuild(next.next);
  deps.log.info('rebuild continues in a new run', { run: next.next.run });
}

export async function renderStream(
  event: DynamoDBStreamEvent | RenderCommand,
  deps: RenderDeps,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<DynamoDBBatchResponse | RenderSummary | RebuildSummary> {
  if (isRenderCommand(event) && event.command === 'rebuild') {
    const started = Date.now();
    const signal = beforeTimeout(context);
    const outcome = await rebuildPages(deps, {
      force: event.force === true,
      verify: event.verify === true,
      ...(signal ? { signal } : {}),
    });
    const summary: RebuildSummary = {
      pages: outcome.pages,
      rendered: outcome.rendered,
      written: outcome.written.length + outcome.assetsWritten,
      removed: 0,
      interrupted: outcome.interrupted,
    };
    // Pages that changed may be imported or edited articles: the search index is built again on its next look.
    if (outcome.written.length > 0) await deps.searchMark.mark();
    deps.log.info('render command done', {
      command: event.command,
      ...summary,
      ...(event.run ? { run: event.run } : {}),
      ms: Date.now() - started,
    });
    if (event.untilDone === true) await continueRebuild(deps, { ...event, untilDone: true }, summary);
    return summary;
  }
  const assets = await ensureAssets(deps);
  if (isRenderCommand(event)) {
    const started = Date.now();
    const outcome =
      event.command === REFRESH_HOT_COMMAND.command
        ? await refreshHotLists(deps)
        : await renderChangesAndWait(
            [...(await deps.articles.getMany(event.ids)).values()].map((a) => ({ id: a.id, after: a })),
            deps,
          );
    if (event.command === 'render-articles') await deps.searchMark.mark();
    const summary = {
      rendered: outcome.rendered,
      written: outcome.written.length + assets.length,
      removed: outcome.removed.length,
    };
    const boxes = 'changed' in outcome ? { changedBoxes: outcome.changed } : {};
    deps.log.info('render command done', {
      command: event.command,
      ...summary,
      ...boxes,
      ms: Date.now() - started,
    });
    return summary;
  }
  const parsed = (event.Records ?? []).map(parseRecord);
  const batchItemFailures = parsed.flatMap((p) => {
    if (p.ok) return [];
    deps.log.error('unreadable stream record', { sequenceNumber: p.sequenceNumber, reason: p.reason });
    return [{ itemIdentifier: p.sequenceNumber }];
  });
  const changes = parsed.flatMap((p) => (p.ok && 'change' in p ? [p.change] : []));
  const processed = parsed.flatMap((p) => (p.ok && 'processedPhoto' in p ? [p.processedPhoto] : []));
  if (changes.length > 0 || processed.length > 0) {
    const edited = changes.length > 0 ? await renderChangesAndWait(changes, deps) : NOTHING;
    // After the pages: a publish is on the site before search can find it, and an unpublish leaves search next.
    if (changes.length > 0) await deps.searchMark.mark();
    const outcome = combined(edited, await renderPhotoArrivals(deps, processed));
    deps.log.info('batch rendered', {
      records: parsed.length,
      failed: batchItemFailures.length,
      processedPhotos: processed.length,
      rendered: outcome.rendered,
      written: outcome.written.length,
      removed: outcome.removed.length,
    });
  }
  return { batchItemFailures };
}

const env = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE', 'SITE_BUCKET');
const distributionId = optionalEnv('DISTRIBUTION_ID');
/** Absolute URLs (canonical, feed, sitemap, JSON-LD). Locally the gateway's default address. */
const siteUrl = (optionalEnv('SITE_URL') ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/** Set by the Lambda runtime: the function invokes itself to continue a deploy-time rebuild. */
const ownName = optionalEnv('AWS_LAMBDA_FUNCTION_NAME');
const loginDomain = optionalEnv('EDITOR_LOGIN_DOMAIN');
const loginClientId = optionalEnv('EDITOR_CLIENT_ID');
const editorLogin =
  loginDomain && loginClientId ? { domain: loginDomain, clientId: loginClientId } : undefined;

let defaultDeps: RenderDeps | undefined;
export const productionDeps = (): RenderDeps => {
  defaultDeps ??= {
    articles: dynamoPublishedArticles(documentClient, env.ARTICLES_TABLE),
    views: dynamoSiteViewCounts(documentClient, env.COUNTERS_TABLE),
    photos: dynamoUploadRecords(documentClient, env.ARTICLES_TABLE),
    photoFiles: s3PhotoFiles(s3Client, env.SITE_BUCKET),
    store: s3SiteStore(s3Client, env.SITE_BUCKET),
    bulkStore: (force) => snapshotSiteStore(s3Client, env.SITE_BUCKET, force),
    manifest: s3RebuildManifest(s3Client, env.SITE_BUCKET),
    photoWaits: s3PhotoWaits(s3Client, env.SITE_BUCKET),
    searchMark: s3SearchChangeMark(s3Client, env.SITE_BUCKET),
    sitemapIndex: s3StateObject(s3Client, env.SITE_BUCKET, SITEMAP_INDEX_KEY),
    codeVersion: renderCodeDigest,
    hot: {
      scores: dynamoHotList(documentClient, env.COUNTERS_TABLE),
      rankings: s3HotRankings(s3Client, env.SITE_BUCKET),
    },
    invalidator: distributionId ? cloudFrontInvalidator(cloudFrontClient, distributionId) : noCdn,
    context: { siteUrl, assets: loadSiteAssets(), ...(editorLogin ? { editorLogin } : {}) },
    log: logger,
    ...(ownName ? { continueRebuild: lambdaAsyncInvoker(ownName) } : {}),
  };
  return defaultDeps;
};

export const handler = middy<DynamoDBStreamEvent | RenderCommand, unknown>()
  .use(requestLogging())
  .handler((event, context) => renderStream(event, productionDeps(), context));
