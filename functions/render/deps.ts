// What render works with, as ports, and the production wiring of them (environment read once, clients built once).

import { cloudFrontInvalidator, noCdn } from '#shared/aws/cdn-invalidator.ts';
import { cloudFrontClient } from '#shared/aws/cloudfront-client.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';

import { s3HotRankings } from '#shared/aws/hot-rankings.ts';
import { s3PhotoFiles } from '#shared/aws/photo-files.ts';
import { s3PhotoWaits } from '#shared/aws/photo-waits.ts';
import { dynamoPublishedArticles } from '#shared/aws/published-articles.ts';
import { s3RebuildManifest } from '#shared/aws/rebuild-manifest.ts';
import { s3RebuildRuns } from '#shared/aws/rebuild-runs.ts';
import { s3Client } from '#shared/aws/s3-client.ts';
import { s3SearchChangeMark } from '#shared/aws/search-state.ts';
import { s3SiteStore, snapshotSiteStore } from '#shared/aws/site-store.ts';
import { s3StateObject } from '#shared/aws/state-object.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import { dynamoHotList } from '#shared/aws/view-counts.ts';
import { dynamoSiteViewCounts } from '#shared/aws/view-totals.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { type Logger, logger } from '#shared/log.ts';
import type {
  CacheInvalidator,
  HotListReader,
  HotRankingStore,
  ListedSiteStore,
  PhotoFiles,
  PhotoWaitStore,
  PublishedArticleReader,
  RebuildManifestStore,
  RebuildRunStore,
  SiteStore,
  SiteViewCounts,
  StateObject,
  UploadRecordStore,
} from '#shared/ports.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import type { RenderContext } from '#shared/render/layout.ts';
import { SITEMAP_INDEX_KEY } from '#shared/render/sitemaps.ts';
import type { SearchChangeMark } from '#shared/search/reindex.ts';
import { renderCodeDigest } from './code-version.ts';

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
  /** The plans and parts of fanned-out rebuilds (fan-out.ts). */
  readonly rebuildRuns: RebuildRunStore;
  /** Digest of the running render code (code-version.ts). */
  readonly codeVersion: () => string;
  /** Article pages rendered without photos still being processed, re-rendered when those arrive. */
  readonly photoWaits: PhotoWaitStore;
  /** Tells the search function that published articles changed (shared/search/reindex.ts). */
  readonly searchMark: SearchChangeMark;
  /**
   * `/sitemap.xml` as last written: a publish rewrites the entries of the months it reads and keeps the others'.
   * Without it every publish reads every listing.
   */
  readonly sitemapIndex?: Pick<StateObject, 'read'>;
}

const env = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE', 'SITE_BUCKET');
const distributionId = optionalEnv('DISTRIBUTION_ID');
/** Absolute URLs (canonical, feed, sitemap, JSON-LD). Locally the gateway's default address. */
const siteUrl = (optionalEnv('SITE_URL') ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const loginDomain = optionalEnv('EDITOR_LOGIN_DOMAIN');
const loginClientId = optionalEnv('EDITOR_CLIENT_ID');
const editorLogin =
  loginDomain && loginClientId ? { domain: loginDomain, clientId: loginClientId } : undefined;

let defaultDeps: RenderDeps | undefined;

/** The deps of the deployed function (and of the local runtime, which sets the same variables). */
export const productionDeps = (): RenderDeps => {
  if (defaultDeps) return defaultDeps;
  defaultDeps = {
    articles: dynamoPublishedArticles(documentClient, env.ARTICLES_TABLE),
    views: dynamoSiteViewCounts(documentClient, env.COUNTERS_TABLE),
    photos: dynamoUploadRecords(documentClient, env.ARTICLES_TABLE),
    photoFiles: s3PhotoFiles(s3Client, env.SITE_BUCKET),
    store: s3SiteStore(s3Client, env.SITE_BUCKET),
    bulkStore: (force) => snapshotSiteStore(s3Client, env.SITE_BUCKET, force),
    manifest: s3RebuildManifest(s3Client, env.SITE_BUCKET),
    rebuildRuns: s3RebuildRuns(s3Client, env.SITE_BUCKET),
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
  };
  return defaultDeps;
};
