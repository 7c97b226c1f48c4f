// The ports the domain and handlers depend on. Adapters in shared/aws implement them; tests use the same adapters
// against dynalite and s3rver.
import type { Article, ArticleStatus } from './domain/article.ts';
import type { AuditEntry, ChangeRecord, Revision, RevisionSummary } from './domain/history.ts';
import type { UploadRecord } from './domain/uploads.ts';
import type { CountedView, HotWindow } from './domain/views.ts';
import type { HotRankings } from './render/hot-list.ts';

export type InsertOutcome =
  | { readonly inserted: true }
  | { readonly inserted: false; readonly existing: Article };

export interface ArticleStore {
  /**
   * Writes a new article unless its id is taken; when taken, returns what is stored instead. With a `record`, its
   * audit entry and saved copy are written in the same transaction.
   */
  insert(article: Article, extra?: Record<string, string>, record?: ChangeRecord): Promise<InsertOutcome>;
  get(id: string): Promise<Article | undefined>;
  /** Reads one stored attribute that is not part of the Article model (e.g. an idempotency fingerprint). */
  getAttribute(id: string, name: string): Promise<string | undefined>;
  /**
   * Writes `next` only while the stored article still has the `expected` status and revision (a conditional
   * write), so of two editors deciding at once exactly one succeeds. False when the condition failed. With a
   * `record`, its audit entry and saved copies are written in the same transaction, or nothing is, and so are the
   * list counters when the article joins or leaves a published list (`channel`: the stored one, if it may change).
   */
  transition(
    next: Article,
    expected: { status: ArticleStatus; revision: number; channel?: string },
    record?: ChangeRecord,
  ): Promise<boolean>;
  /** One page of articles in `status`, most recently changed first. `next` is an opaque cursor for the page after. */
  listByStatus(
    status: ArticleStatus,
    options: { limit: number; next?: string | undefined },
  ): Promise<ArticlePage>;
}

/** Reads an article's history (shared/domain/history.ts); writes go with the change, through ArticleStore. */
export interface HistoryReader {
  /** Saved copies, oldest first, without their text. */
  revisions(id: string): Promise<RevisionSummary[]>;
  revision(id: string, revision: number): Promise<Revision | undefined>;
  /** The audit trail, oldest first. */
  entries(id: string): Promise<AuditEntry[]>;
}

/** A queue entry: the article without its body and private contact, which a list never needs. */
export type ArticleListing = Omit<Article, 'body' | 'contact'>;

export interface ArticlePage {
  readonly items: ArticleListing[];
  readonly next?: string;
}

/** Reads view counts (点击量). The Counters adapter implements it; render uses it to print counts into pages. */
export interface ViewCountReader {
  totals(ids: readonly string[]): Promise<Map<string, number>>;
}

/** What render reads counts through: a few articles' totals, or every article's at once for a site-wide render. */
export interface SiteViewCounts extends ViewCountReader {
  /** Every article's total (articles never viewed are absent), read in one pass over the counters. */
  all(): Promise<Map<string, number>>;
}

/** One object of the static site: a page, the feed, the sitemap or a hashed asset. */
export interface SiteObject {
  /** Bucket key without a leading slash, e.g. `2022/0415/2a8c6bce1fad40bb.html`. */
  readonly key: string;
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** The site bucket. Writes are skipped when the stored bytes are the same, so unchanged pages are not invalidated. */
export interface SiteStore {
  /** True when the object was written, false when identical bytes were already there. */
  put(object: SiteObject): Promise<boolean>;
  /** True when an object was there and has been deleted. */
  remove(key: string): Promise<boolean>;
}

/**
 * Contributors' processed photos: private until an article that shows them is published (shared/domain/uploads.ts,
 * PRIVATE_PHOTOS_PREFIX). Files are the public `media/…` keys of one photo, the largest JPEG last (`mediaFilesOf`).
 */
export interface PhotoFiles {
  /** Makes one photo's files public; false when they already were. */
  publish(files: readonly string[]): Promise<boolean>;
  /** Makes them private again; false when none was public. */
  withdraw(files: readonly string[]): Promise<boolean>;
}

/** An article page rendered while some of its photos were still being processed. */
export interface PhotoWait {
  /** Upload ids with no processing record yet when the page was rendered. */
  readonly uploads: readonly string[];
  /** When the page was first rendered without them (ISO 8601); waits are forgotten after a week. */
  readonly since: string;
}

/** Which article pages wait for photos, so that a photo's processing re-renders the pages that show it. */
export interface PhotoWaitStore {
  /** Waits by article id; none is an empty map. */
  read(): Promise<Map<string, PhotoWait>>;
  /**
   * Applies `change` to the stored waits so that no concurrent update is lost (it may be applied more than once,
   * to newer waits). `change` returns false to leave them as they are.
   */
  update(change: (waits: Map<string, PhotoWait>) => boolean): Promise<void>;
}

/** A site store that has listed the bucket once: it compares by MD5 and knows each object's ETag. */
export interface ListedSiteStore extends SiteStore {
  /** The object's ETag (the MD5 of its bytes) as listed, or as S3 answered a write through this store. */
  etagOf(key: string): string | undefined;
}

/** One page in the rebuild manifest. */
export interface ManifestEntry {
  /** Bucket key of the page. */
  readonly key: string;
  /** Digest of the page's inputs (shared/render/page-inputs.ts). */
  readonly inputs: string;
  /** MD5 (hex) of the bytes written, as S3 reports it in the listing's ETag. */
  readonly etag: string;
}

/** Entries by refId (shared/render/affected.ts). */
export type RebuildManifest = Map<string, ManifestEntry>;

/** The manifest as stored: its pages, and whether a forced rebuild is under way. */
export interface RebuildManifestState {
  readonly pages: RebuildManifest;
  /**
   * When the forced rebuild under way started: it forgot every entry then, so the pages without one are those it has
   * still to write (whatever the bucket holds). Absent when no forced rebuild is unfinished.
   */
  readonly forcedSince?: string;
}

/** Where a rebuild records what each page was last rendered from, so the next one skips pages that would not change. */
export interface RebuildManifestStore {
  /** The recorded pages; none (or an unreadable or older format) is an empty map. */
  read(): Promise<RebuildManifestState>;
  write(state: RebuildManifestState): Promise<void>;
}

/** The CDN in front of the bucket. A no-op where there is none (local mode). */
export interface CacheInvalidator {
  /** Site paths with a leading slash, e.g. `/focus/public-welfare/index.html`. */
  invalidate(paths: readonly string[]): Promise<void>;
}

/** Published articles as render reads them. */
export interface PublishedArticleReader {
  /** Every published article without its body (see shared/render/catalogue.ts `Listing`). */
  listings(): Promise<import('./render/catalogue.ts').Listing[]>;
  /** Whole articles by id (strongly consistent reads); missing ids are absent. */
  getMany(ids: readonly string[]): Promise<Map<string, Article>>;
  /**
   * What a render reads instead of every listing (shared/render/partial-catalogue.ts): the newest `newest` articles
   * of each channel's own partition and on to `since` (the news window), the list counters, the `ids` as they are
   * now, and every article of `months`. Its size follows the publishing rate, not the archive's size.
   */
  slices(request: {
    readonly newest: number;
    readonly since: Date;
    readonly months: readonly string[];
    readonly ids: readonly string[];
  }): Promise<Omit<import('./render/partial-catalogue.ts').CatalogueSlices, 'writtenParts'>>;
  /** The list counters (list path → published articles on it; `''` is the site). */
  listTotals(): Promise<Map<string, number>>;
  /**
   * Sets each counter that differs from `counted` (a count of every listing, read after `seen` was), unless a status
   * change moved it since `seen`; returns how many were set. Rebuilds recount: imports and seeds write no counters.
   */
  setListTotals(seen: ReadonlyMap<string, number>, counted: ReadonlyMap<string, number>): Promise<number>;
}

/** What image processing recorded per upload; the images function writes, submit/review/render read. */
export interface UploadRecordStore {
  put(record: UploadRecord): Promise<void>;
  /**
   * Claims the processing of one upload: true for the first caller, false while another claim is younger than
   * UPLOAD_CLAIM_STALE_MS (a crashed processing's claim goes stale, so its retry can claim again).
   */
  claim(uploadId: string, now: Date): Promise<boolean>;
  /** Records by upload id; ids without a record yet (still processing) are absent from the map. */
  getMany(uploadIds: readonly string[]): Promise<Map<string, UploadRecord>>;
}

/** Editors' display names for access tokens, which carry no `preferred_username` claim. */
export interface EditorProfiles {
  /** The account's `preferred_username`, read with the editor's own access token; undefined when unset. */
  displayName(accessToken: string, sub: string): Promise<string | undefined>;
}

/** Sends review a ScheduledPublish at a given time: EventBridge Scheduler in AWS, a timer in the local runtime. */
export interface PublishScheduler {
  /** Creates, or replaces, the article's one schedule. `at` is ISO 8601. */
  set(job: import('./domain/scheduling.ts').ScheduledPublish, at: string): Promise<void>;
  /** Deletes the article's schedule; none is not an error. */
  cancel(id: string): Promise<void>;
}

/**
 * The working files of a fanned-out rebuild (functions/render/fan-out.ts), one folder per run: the plan every slice
 * renders from, and one part per slice that the run's finish merges into the manifest. Text in, text out.
 */
export interface RebuildRunStore {
  writePlan(run: string, plan: string): Promise<void>;
  /** undefined when the run has no plan (it had nothing to render, or it was finished and removed). */
  readPlan(run: string): Promise<string | undefined>;
  writePart(run: string, from: number, part: string): Promise<void>;
  /** Every part written for the run, in no particular order. */
  readParts(run: string): Promise<string[]>;
  /** Deletes the run's plan and parts. */
  remove(run: string): Promise<void>;
}

export interface PhotoPreviewGrants {
  /** A new grant for `uploads` until `expiresAt`; its token. */
  grant(uploads: readonly string[], expiresAt: Date): Promise<string>;
  /** Whether the grant `token` covers `upload` at `now`. */
  allows(token: string, upload: string, now: Date): Promise<boolean>;
}

export interface HotRankingStore {
  /** The rankings the pages were last rendered with; none yet is an empty map. */
  read(): Promise<HotRankings>;
  write(rankings: HotRankings): Promise<void>;
}

export interface StateObject {
  /** The object's text; undefined when there is none yet. */
  read(): Promise<string | undefined>;
  write(json: string): Promise<void>;
  /**
   * A read-modify-write that a concurrent writer cannot undo: the write is conditional on the ETag that was read
   * (or on there being no object yet), and on a conflict it reads and applies `change` again. `change` returns the
   * new text, or undefined to leave the object as it is.
   */
  update(change: (text: string | undefined) => string | undefined): Promise<void>;
}

/** What render needs for the 点击排行 box: scores over the daily buckets of a window. */
export interface HotListReader {
  /** Bucket contents per day: day → (article id → views that day). */
  buckets(days: readonly string[]): Promise<Map<string, Map<string, number>>>;
  scores(window: HotWindow, now: Date): Promise<Map<string, number>>;
}

/** The write side of the Counters table, as the views function needs it. */
export interface ViewCounter {
  /** Whether `id` is a published article; only those are counted. */
  isPublished(id: string): Promise<boolean>;
  /**
   * Counts one view of a published article. With a token, a second call with the same token within the guard's
   * memory does not count again and returns the current count.
   */
  count(id: string, token: string | undefined): Promise<CountedView>;
  /**
   * Current counts without counting, for HEAD, bots, prefetches and `GET /api/views`: each article's total item, one
   * key per id (it may trail the shards by a moment; see docs/VIEW-COUNTS.md).
   */
  totals(ids: readonly string[]): Promise<Map<string, number>>;
}

/** What a contributor's receipt lookup reads of an article (shared/domain/receipts.ts). */
export type ReceiptLookupStore = Pick<ArticleStore, 'get' | 'getAttribute'>;
