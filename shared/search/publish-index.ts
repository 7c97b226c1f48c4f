// Puts a built search index in the site bucket: only the files that changed are written, files the new index no
// longer names are deleted, and what was written or deleted is invalidated at once.

import { forEachLimited } from '../concurrency.ts';
import { cacheControl } from '../headers.ts';
import type { CacheInvalidator, SiteObject, SiteStore } from '../ports.ts';
import type { IndexFile } from './pagefind-index.ts';

/** Bucket prefix (and URL path, `/pagefind/`) of the search index. */
export const SEARCH_INDEX_PREFIX = 'pagefind/';

/** Index chunks are named by their content: the same name always holds the same bytes (a part's index included). */
const isContentNamed = (path: string): boolean =>
  /^([\w-]+\/)?(index|fragment|filter)\//.test(path) || path.endsWith('.pf_meta');

const contentTypeOf = (path: string): string =>
  path.endsWith('.js')
    ? 'text/javascript; charset=utf-8'
    : path.endsWith('.json')
      ? 'application/json; charset=utf-8'
      : 'application/octet-stream';

export function indexObjects(files: readonly IndexFile[]): SiteObject[] {
  return files.map((f) => ({
    key: SEARCH_INDEX_PREFIX + f.path,
    body: f.content,
    contentType: contentTypeOf(f.path),
    // The entry file and the engine keep their names from build to build, so browsers revalidate them.
    cacheControl: isContentNamed(f.path) ? cacheControl.immutable : cacheControl.page,
  }));
}

/** One part's index as last published (the index is split into parts: shared/search/split-index.ts). */
export interface YearIndexState {
  /** Of the part's published articles (ids and update times) when its index was built. */
  readonly fingerprint: string;
  /** Whether it was built as the primary (newest) index, at the index's root. */
  readonly primary: boolean;
  readonly keys: readonly string[];
}

/** What the last publish left in the bucket (stored beside the site, see shared/aws/search-state.ts). */
export interface PublishedIndex {
  /** The change marker the index was built after; absent before the first build (or while a build is partial). */
  readonly built?: string;
  /** Every key of the index, to delete those a later index no longer names. */
  readonly keys: readonly string[];
  /**
   * Per part (keyed by its name: a year, or a finer period of a busy year), what its index was built from; absent in
   * state written before the split. The field keeps the name it had when every part was a year, so that state stays
   * readable.
   */
  readonly years?: Readonly<Record<string, YearIndexState>>;
}

export interface IndexPublishOutcome {
  /** Every key of the new index. */
  readonly keys: string[];
  readonly written: string[];
  readonly removed: string[];
  /** The paths of the one invalidation sent (none when nothing a CDN could hold changed). */
  readonly invalidated: string[];
}

/** More changed paths than this are invalidated as `/pagefind/*`, one path. */
const INVALIDATE_SINGLY_UP_TO = 20;
const WRITES_IN_FLIGHT = 16;

/**
 * Writes `files` and deletes what the previous index had that neither `files` nor `keep` names (`keep`: keys of
 * year indexes not rebuilt this time, which stay as they are).
 */
export async function publishSearchIndex(
  files: readonly IndexFile[],
  previous: PublishedIndex | undefined,
  ports: { store: SiteStore; invalidator: CacheInvalidator },
  keep: readonly string[] = [],
): Promise<IndexPublishOutcome> {
  const objects = indexObjects(files);
  const keys = [...new Set([...objects.map((o) => o.key), ...keep])].sort();
  const before = new Set(previous?.keys ?? []);
  // A content-named chunk the last index had is in the bucket with these bytes already.
  const toWrite = objects.filter(
    (o) => !(before.has(o.key) && isContentNamed(o.key.slice(SEARCH_INDEX_PREFIX.length))),
  );
  const now = new Set(keys);
  const stale = [...before].filter((key) => !now.has(key)).sort();
  const written: string[] = [];
  const removed: string[] = [];
  // New chunks first, then the files that name them (the entry file last), so a browser never reads an entry
  // whose chunks are not there yet; stale chunks go once nothing names them.
  const entryLast = (o: { key: string }) => (o.key.endsWith('pagefind-entry.json') ? 1 : 0);
  const ordered = [...toWrite].sort((a, b) => entryLast(a) - entryLast(b));
  const [first, last] = [ordered.filter((o) => !entryLast(o)), ordered.filter(entryLast)];
  for (const group of [first, last]) {
    await forEachLimited(group, WRITES_IN_FLIGHT, async (object) => {
      if (await ports.store.put(object)) written.push(object.key);
    });
  }
  await forEachLimited(stale, WRITES_IN_FLIGHT, async (key) => {
    if (await ports.store.remove(key)) removed.push(key);
  });
  written.sort();
  removed.sort();
  // Only keys a CDN may hold: those rewritten in place and those deleted. A new chunk was never served.
  const changed = [...written.filter((key) => before.has(key)), ...removed].map((key) => `/${key}`);
  const invalidated = changed.length > INVALIDATE_SINGLY_UP_TO ? [`/${SEARCH_INDEX_PREFIX}*`] : changed;
  if (invalidated.length > 0) await ports.invalidator.invalidate(invalidated);
  return { keys, written, removed, invalidated };
}
