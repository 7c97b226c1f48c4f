// The search index split by year: each year's articles are one Pagefind index, built on its own (a few thousand
// articles, minutes of CPU: within a Lambda's 15 minutes where a 100,000-article archive in one index is not), and
// the browser merges them at query time with Pagefind's `mergeIndex`. The newest year is the primary index at the
// index's root, with the engine, exactly where a single index lives; every older year sits in `<year>/` with its
// index files only (a merged index uses the primary's engine and WebAssembly), and `indexes.json` lists them.
import { shownTime } from '../render/dates.ts';
import type { BuiltIndex, IndexFile } from './pagefind-index.ts';
import { SEARCH_INDEX_PREFIX } from './publish-index.ts';

/** The manifest search.js reads to know which year indexes to merge into the primary one. */
export const SPLIT_MANIFEST = 'indexes.json';

export interface SplitManifest {
  /** URL paths of the merged (older) years' indexes, newest first. */
  readonly merge: readonly string[];
}

/** The year an article's index lives in: its shown (site time zone) publish year, as its `year` filter says. */
export const searchYear = (publishedAt: string): string => shownTime(publishedAt).slice(0, 4);

/** What a merged year index needs: its entry, meta and chunks. The engine comes from the primary index. */
const isIndexData = (path: string): boolean =>
  path === 'pagefind-entry.json' || path.endsWith('.pf_meta') || /^(index|fragment|filter)\//.test(path);

/** A year's files where the site serves them: the primary (newest) year at the root, any other under `<year>/`. */
export function yearFiles(year: string, index: BuiltIndex, primary: boolean): IndexFile[] {
  if (primary) return [...index.files];
  return index.files
    .filter((f) => isIndexData(f.path))
    .map((f) => ({ path: `${year}/${f.path}`, content: f.content }));
}

/** The manifest naming the merged years (newest first). */
export function manifestFile(mergedYears: readonly string[]): IndexFile {
  const merge = [...mergedYears]
    .sort()
    .reverse()
    .map((y) => `/${SEARCH_INDEX_PREFIX}${y}/`);
  const manifest: SplitManifest = { merge };
  return { path: SPLIT_MANIFEST, content: new TextEncoder().encode(JSON.stringify(manifest)) };
}

/** Lays out per-year indexes as one tree under SEARCH_INDEX_PREFIX: the newest at the root, the others by year. */
export function splitIndexFiles(years: ReadonlyMap<string, BuiltIndex>): IndexFile[] {
  const [newest, ...older] = [...years.keys()].sort().reverse();
  if (newest === undefined) return [];
  const files = [...years].flatMap(([year, index]) => yearFiles(year, index, year === newest));
  files.push(manifestFile(older));
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
