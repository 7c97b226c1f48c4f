// The search index split into parts: each part is one Pagefind index of at most SEARCH_PART_MAX_ARTICLES articles,
// built on its own (so a build's time and memory are bounded by the part, not by the archive or a busy year), and the
// browser merges them at query time with Pagefind's `mergeIndex`. A part is a year; a year with more articles than a
// part holds is cut into quarters, a quarter into months, a month into days (and a day into numbered runs). The
// newest part is the primary index at the index's root, with the engine, exactly where a single index lives; every
// older part sits in `<part>/` with its index files only (a merged index uses the primary's engine and WebAssembly),
// and `indexes.json` lists them with their years. A search merges only the parts it needs (docs/SEARCH.md, "Search
// scope"): by default the newest SEARCH_RECENT_PARTS, for a year that year's, for `year=all` every one.
import { shownTime } from '../render/dates.ts';
import type { BuiltIndex, IndexFile } from './pagefind-index.ts';
import { SEARCH_INDEX_PREFIX } from './publish-index.ts';

/** The manifest search.js reads to know which part indexes to merge into the primary one. */
export const SPLIT_MANIFEST = 'indexes.json';

/**
 * Parts a search merges when it names no year: the primary and the newest older ones, this many in all. A first
 * query's download grows with the parts it merges (about 22 KB a part at 2,500 seed-sized articles, measured in
 * docs/SEARCH.md), so a fixed count bounds it however old the archive is; older articles are a year filter or
 * 「搜索更早的文章」 away. The 4,000-article bench corpus (2 parts) and the sample site (2) are wholly in it.
 */
export const SEARCH_RECENT_PARTS = 4;

/** `?year=` value that searches every part. */
export const SEARCH_ALL_YEARS = 'all';

export interface ManifestPart {
  /** URL path of the part's index, e.g. `/pagefind/2022-q2/`. */
  readonly path: string;
  /** The year of every article in it (a part never spans two years). */
  readonly year: string;
}

export interface SplitManifest {
  /** The primary (newest) part's year: the primary is always searched. */
  readonly year: string;
  /** Every other part, newest first. */
  readonly parts: readonly ManifestPart[];
  /** How many of `parts` (the newest) a search that names no year merges: SEARCH_RECENT_PARTS less the primary. */
  readonly recent: number;
}

/**
 * Most articles in one part. Pagefind holds a whole index in memory while it builds: seed-sized Chinese articles
 * peaked at 7.8–8.0 GB for a year of ~9,750 (docs/SEARCH.md), about 0.8 MB an article, against the search function's
 * SEARCH_FUNCTION_MEMORY_MB. A part of this size stays well under it (measured in docs/SEARCH.md).
 */
export const SEARCH_PART_MAX_ARTICLES = 2_500;

/** The search function's memory (infra/stacks/stateless-stack.ts), which a part's build must stay under. */
export const SEARCH_FUNCTION_MEMORY_MB = 4096;

/** The year an article's index lives in: its shown (site time zone) publish year, as its `year` filter says. */
export const searchYear = (publishedAt: string): string => shownTime(publishedAt).slice(0, 4);

/** A part's year: its name starts with it (`2022`, `2022-q2`, `2022-04-15-2`). */
const partYear = (part: string): string => part.slice(0, 4);

/** How a period too large for one part is cut, from `YYYY-MM-DD hh:mm:ss` (shown time): quarters, months, days. */
const FINER: readonly ((shown: string) => string)[] = [
  (s) => `${s.slice(0, 4)}-q${Math.floor((Number(s.slice(5, 7)) - 1) / 3) + 1}`,
  (s) => s.slice(0, 7),
  (s) => s.slice(0, 10),
];

export interface SearchPart<T> {
  /** `2022`, or for a period cut finer `2022-q2`, `2022-04`, `2022-04-15`, `2022-04-15-2`: its folder name. */
  readonly name: string;
  readonly items: readonly T[];
}

/** Consecutive runs of `items` with the same key (they are in time order, so a period is one run). */
function runs<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const out: [string, T[]][] = [];
  for (const item of items) {
    const k = key(item);
    const last = out.at(-1);
    if (last?.[0] === k) last[1].push(item);
    else out.push([k, [item]]);
  }
  return out;
}

/**
 * Articles cut into index parts of at most `max`, oldest part first. Whether a period is cut finer depends only on
 * its own articles, so a publish, edit or unpublish changes the parts of its own period and no other.
 */
export function searchParts<T extends { readonly id: string; readonly publishedAt: string }>(
  items: readonly T[],
  max = SEARCH_PART_MAX_ARTICLES,
): SearchPart<T>[] {
  const dated = items
    .map((item) => ({ item, shown: shownTime(item.publishedAt) }))
    .sort((a, b) =>
      a.shown !== b.shown
        ? a.shown < b.shown
          ? -1
          : 1
        : a.item.id < b.item.id
          ? -1
          : a.item.id > b.item.id
            ? 1
            : 0,
    );
  type Dated = (typeof dated)[number];
  const parts: SearchPart<T>[] = [];
  const cut = (name: string, group: readonly Dated[], level: number): void => {
    const finer = FINER[level];
    if (group.length <= max) parts.push({ name, items: group.map((d) => d.item) });
    else if (finer) for (const [k, g] of runs(group, (d) => finer(d.shown))) cut(k, g, level + 1);
    else
      for (let i = 0; i < group.length; i += max)
        parts.push({ name: `${name}-${i / max + 1}`, items: group.slice(i, i + max).map((d) => d.item) });
  };
  for (const [year, group] of runs(dated, (d) => d.shown.slice(0, 4))) cut(year, group, 0);
  return parts;
}

/** What a merged part index needs: its entry, meta and chunks. The engine comes from the primary index. */
const isIndexData = (path: string): boolean =>
  path === 'pagefind-entry.json' || path.endsWith('.pf_meta') || /^(index|fragment|filter)\//.test(path);

/** A part's files where the site serves them: the primary (newest) part at the root, any other under `<part>/`. */
export function partFiles(part: string, index: BuiltIndex, primary: boolean): IndexFile[] {
  if (primary) return [...index.files];
  return index.files
    .filter((f) => isIndexData(f.path))
    .map((f) => ({ path: `${part}/${f.path}`, content: f.content }));
}

/** The manifest naming the primary part's year and the merged parts (newest first, as given) with theirs. */
export function manifestFile(primary: string, mergedNewestFirst: readonly string[]): IndexFile {
  const manifest: SplitManifest = {
    year: partYear(primary),
    parts: mergedNewestFirst.map((p) => ({ path: `/${SEARCH_INDEX_PREFIX}${p}/`, year: partYear(p) })),
    recent: Math.min(mergedNewestFirst.length, SEARCH_RECENT_PARTS - 1),
  };
  return { path: SPLIT_MANIFEST, content: new TextEncoder().encode(JSON.stringify(manifest)) };
}

/** Lays out part indexes (oldest first, as searchParts gives them) as one tree: the newest at the root. */
export function splitIndexFiles(parts: ReadonlyMap<string, BuiltIndex>): IndexFile[] {
  const [newest, ...older] = [...parts.keys()].reverse();
  if (newest === undefined) return [];
  const files = [...parts].flatMap(([part, index]) => partFiles(part, index, part === newest));
  files.push(manifestFile(newest, older));
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
