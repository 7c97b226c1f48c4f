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

/** Lays out per-year indexes as one tree under SEARCH_INDEX_PREFIX: the newest at the root, the others by year. */
export function splitIndexFiles(years: ReadonlyMap<string, BuiltIndex>): IndexFile[] {
  const order = [...years.keys()].sort().reverse();
  const [newest, ...older] = order;
  if (newest === undefined) return [];
  const files: IndexFile[] = [...(years.get(newest)?.files ?? [])];
  for (const year of older) {
    for (const f of years.get(year)?.files ?? []) {
      if (isIndexData(f.path)) files.push({ path: `${year}/${f.path}`, content: f.content });
    }
  }
  const manifest: SplitManifest = { merge: older.map((y) => `/${SEARCH_INDEX_PREFIX}${y}/`) };
  files.push({ path: SPLIT_MANIFEST, content: new TextEncoder().encode(JSON.stringify(manifest)) });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
