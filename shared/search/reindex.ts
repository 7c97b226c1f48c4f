// Keeping the search index current: render marks that published articles changed; every
// SEARCH_REINDEX_INTERVAL_SECONDS the search function looks at the mark and, when it moved since the index was
// built, builds the index again from every published article. The mark and the interval are the debounce: a burst
// of publishes costs one build, at most one build runs a minute, and a change is in the index within a minute
// (plus the build's own time).
import type { Logger } from '../log.ts';
import type { CacheInvalidator, PublishedArticleReader, SiteStore } from '../ports.ts';
import type { Listing } from '../render/catalogue.ts';
import type { Locale } from '../site-config.ts';
import type { BuiltIndex } from './pagefind-index.ts';
import { type PublishedIndex, publishSearchIndex } from './publish-index.ts';
import { type SearchRecord, searchRecord } from './records.ts';

/** Seconds between looks at the change mark: the EventBridge rule's rate in AWS, the local runtime's timer. */
export const SEARCH_REINDEX_INTERVAL_SECONDS = 60;

/** What the schedule sends the search function; `force` builds even when nothing was marked. */
export interface ReindexCommand {
  readonly command: 'reindex';
  readonly force?: boolean;
}

export const REINDEX_COMMAND: ReindexCommand = { command: 'reindex' };

export const isReindexCommand = (event: unknown): event is ReindexCommand =>
  typeof event === 'object' &&
  event !== null &&
  (event as { command?: unknown }).command === 'reindex' &&
  ['undefined', 'boolean'].includes(typeof (event as { force?: unknown }).force);

/** Render's side: "published articles changed" (a new publish, an edit, an unpublish, a rebuild). */
export interface SearchChangeMark {
  /** Moves the mark; each call leaves a value no earlier call left. */
  mark(): Promise<void>;
  /** The mark's current value; undefined when nothing was ever marked. */
  read(): Promise<string | undefined>;
}

/** The search function's side: which mark the published index was built after, and its keys. */
export interface SearchIndexState {
  read(): Promise<PublishedIndex | undefined>;
  write(state: PublishedIndex): Promise<void>;
}

export interface ReindexDeps {
  readonly articles: PublishedArticleReader;
  readonly mark: SearchChangeMark;
  readonly state: SearchIndexState;
  readonly store: SiteStore;
  readonly invalidator: CacheInvalidator;
  readonly build: (records: AsyncIterable<readonly SearchRecord[]>) => Promise<BuiltIndex>;
  readonly log: Logger;
  readonly locale?: Locale;
}

export type ReindexOutcome =
  | { readonly built: false; readonly reason: 'unchanged' }
  | {
      readonly built: true;
      readonly articles: number;
      readonly files: number;
      readonly bytes: number;
      readonly written: number;
      readonly removed: number;
      readonly invalidated: number;
      readonly ms: number;
    };

/** Article bodies read at once (one BatchGetItem holds 100 keys). */
const BODIES_PER_READ = 100;

/** Every published article as index records, a read's worth at a time (bodies never all sit in memory). */
async function* publishedRecords(
  articles: PublishedArticleReader,
  listings: readonly Listing[],
  locale: Locale | undefined,
): AsyncGenerator<SearchRecord[]> {
  for (let i = 0; i < listings.length; i += BODIES_PER_READ) {
    const part = listings.slice(i, i + BODIES_PER_READ);
    const bodies = await articles.getMany(part.map((l) => l.id));
    yield part.flatMap((listing) => {
      const article = bodies.get(listing.id);
      // Read after the listing: an article unpublished in between is left out, as the next build would.
      if (article?.status !== 'published') return [];
      return [searchRecord({ ...article, publishedAt: listing.publishedAt }, locale)];
    });
  }
}

/**
 * Builds and publishes the index when the mark moved since the last build (or `force`). The mark is read before
 * the articles: a change that lands during the build moves it again, and the next look builds once more.
 */
export async function reindexIfChanged(
  deps: ReindexDeps,
  options: { force?: boolean } = {},
): Promise<ReindexOutcome> {
  const [mark, state] = await Promise.all([deps.mark.read(), deps.state.read()]);
  if (!options.force && state && state.built === (mark ?? '')) return { built: false, reason: 'unchanged' };
  const started = Date.now();
  const listings = await deps.articles.listings();
  const index = await deps.build(publishedRecords(deps.articles, listings, deps.locale));
  const published = await publishSearchIndex(index.files, state, deps);
  await deps.state.write({ built: mark ?? '', keys: published.keys });
  const outcome: ReindexOutcome = {
    built: true,
    articles: index.records,
    files: index.files.length,
    bytes: index.files.reduce((sum, f) => sum + f.content.byteLength, 0),
    written: published.written.length,
    removed: published.removed.length,
    invalidated: published.invalidated.length,
    ms: Date.now() - started,
  };
  deps.log.info('search index built', outcome);
  return outcome;
}
