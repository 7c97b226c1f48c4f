// Keeping the search index current: render marks that published articles changed; every
// SEARCH_REINDEX_INTERVAL_SECONDS the search function looks at the mark and, when it moved since the index was
// built, builds the index again from every published article. The mark and the interval are the debounce: a burst
// of publishes costs one build, at most one build runs a minute, and a change is in the index within a minute
// (plus the build's own time).

import { createHash } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { CacheInvalidator, PublishedArticleReader, SiteStore } from '../ports.ts';
import type { Listing } from '../render/catalogue.ts';
import type { Locale } from '../site-config.ts';
import type { BuiltIndex, IndexFile } from './pagefind-index.ts';
import {
  indexObjects,
  type PublishedIndex,
  publishSearchIndex,
  type YearIndexState,
} from './publish-index.ts';
import { type SearchRecord, searchRecord } from './records.ts';
import { manifestFile, partFiles, SEARCH_PART_MAX_ARTICLES, searchParts, searchYear } from './split-index.ts';

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
      /** Articles indexed by this look (those of the parts it built). */
      readonly articles: number;
      /** Part indexes (a year, or a finer period of a busy year) built, and kept as they were (articles unchanged). */
      readonly parts: number;
      readonly partsKept: number;
      /** True when the look ran out of time before every changed part was built; the next look goes on. */
      readonly partial: boolean;
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

/** What a part's index is built from: its articles' ids and update times (and the locale of their records). */
function partFingerprint(listings: readonly Listing[], locale: Locale | undefined): string {
  const hash = createHash('sha256').update(locale ?? '');
  for (const l of [...listings].sort((a, b) => (a.id < b.id ? -1 : 1)))
    hash.update(`\n${l.id} ${l.updatedAt}`);
  return hash.digest('base64url').slice(0, 22);
}

/** No new part's build starts after this long, so a look stays well inside a Lambda's 15 minutes. */
export const SEARCH_BUILD_BUDGET_MS = 6 * 60_000;

/**
 * Builds and publishes the index when the mark moved since the last build (or `force`). The mark is read before
 * the articles: a change that lands during the build moves it again, and the next look builds once more.
 *
 * The index is split into parts of at most `maxPerPart` articles (shared/search/split-index.ts): a year, or a
 * finer period of a busy year. Only the parts whose articles changed are built again, each on its own (the newest
 * first, as the primary index), so a change costs one part's build, and neither a 100,000-article archive nor a busy
 * year ever has to fit one build's time or memory. When the parts to build outlast `budgetMs`, the look publishes the
 * parts it built and leaves the mark unbuilt: the next look builds the rest.
 */
export async function reindexIfChanged(
  deps: ReindexDeps,
  options: { force?: boolean; budgetMs?: number; maxPerPart?: number } = {},
): Promise<ReindexOutcome> {
  const [mark, state] = await Promise.all([deps.mark.read(), deps.state.read()]);
  if (!options.force && state && state.built === (mark ?? '')) return { built: false, reason: 'unchanged' };
  const started = Date.now();
  const byPart = new Map<string, readonly Listing[]>();
  const all = await deps.articles.listings();
  for (const part of searchParts(all, options.maxPerPart ?? SEARCH_PART_MAX_ARTICLES).reverse())
    byPart.set(part.name, part.items);
  // With nothing published the primary index is still built, empty, so the page's engine and entry are there.
  if (byPart.size === 0) byPart.set(searchYear(new Date().toISOString()), []);
  const order = [...byPart.keys()];
  // Never undefined (byPart is never empty); the fallback only satisfies the type.
  const newest = order[0] ?? searchYear(new Date().toISOString());
  const parts: Record<string, YearIndexState> = {};
  const files: IndexFile[] = [];
  const keep: string[] = [];
  let articles = 0;
  let builtParts = 0;
  let keptParts = 0;
  let partial = false;
  for (const part of order) {
    const listings = byPart.get(part) ?? [];
    const fingerprint = partFingerprint(listings, deps.locale);
    const primary = part === newest;
    const before = state?.years?.[part];
    // A part keeps its files when its articles and its place (root or merged) are as they were.
    const usable = before && before.primary === primary;
    if (usable && before.fingerprint === fingerprint && !options.force) {
      parts[part] = before;
      keep.push(...before.keys);
      keptParts++;
      continue;
    }
    if (builtParts > 0 && Date.now() - started > (options.budgetMs ?? SEARCH_BUILD_BUDGET_MS)) {
      // Out of time: the part's old files (if any) stay served, and the next look builds it (a fingerprint that
      // matches nothing, so a forced build is finished too).
      partial = true;
      if (usable) {
        parts[part] = { ...before, fingerprint: '' };
        keep.push(...before.keys);
      }
      continue;
    }
    const index = await deps.build(publishedRecords(deps.articles, listings, deps.locale));
    const laid = partFiles(part, index, primary);
    files.push(...laid);
    parts[part] = { fingerprint, primary, keys: indexObjects(laid).map((o) => o.key) };
    articles += index.records;
    builtParts++;
  }
  // Merged parts newest first: the order the browser merges them in.
  files.push(
    manifestFile(
      newest,
      order.filter((p) => p !== newest && parts[p] !== undefined),
    ),
  );
  const published = await publishSearchIndex(files, state, deps, keep);
  await deps.state.write({ ...(partial ? {} : { built: mark ?? '' }), keys: published.keys, years: parts });
  const outcome: ReindexOutcome = {
    built: true,
    articles,
    parts: builtParts,
    partsKept: keptParts,
    partial,
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.content.byteLength, 0),
    written: published.written.length,
    removed: published.removed.length,
    invalidated: published.invalidated.length,
    ms: Date.now() - started,
  };
  deps.log.info('search index built', outcome);
  return outcome;
}
