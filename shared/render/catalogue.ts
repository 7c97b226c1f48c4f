// What readers can see, without bodies: every published article's listing, ordered per channel list. Lists,
// neighbours, home, feed and sitemap are all computed from it, so they always agree with each other.
import { type Channel, type ChannelIndex, channels as defaultChannels } from '../channels.ts';
import type { Article } from '../domain/article.ts';
import { siteConfig } from '../site-config.ts';
import { pagePath } from './dates.ts';

/** A published article as lists show it. */
export interface Listing {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly channel: string;
  readonly author: string;
  readonly source: string;
  readonly editor: string;
  readonly publishedAt: string;
  readonly updatedAt: string;
}

export function toListing(article: Article): Listing | undefined {
  if (article.status !== 'published' || !article.publishedAt) return undefined;
  return {
    id: article.id,
    title: article.title,
    summary: article.summary ?? '',
    channel: article.channel,
    author: article.author ?? '',
    source: article.source ?? '',
    editor: article.editor ?? '',
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
  };
}

export const listingPath = (listing: Pick<Listing, 'id' | 'publishedAt'>): string => pagePath(listing);

/** Oldest first by the publish instant (offsets may differ, so not by string), then by id. */
export const compareOldestFirst = (a: Listing, b: Listing): number =>
  Date.parse(a.publishedAt) - Date.parse(b.publishedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The site root is the list of everything, with the empty path. */
export const SITE_LIST = '';

/** `2022-04` for an article first published in April 2022 in the site's time zone (the month in its URL). */
export const monthOf = (listing: Pick<Listing, 'id' | 'publishedAt'>): string => {
  let month = months.get(listing);
  if (month === undefined) {
    const path = pagePath(listing); // /yyyy/mmdd/id.html
    month = `${path.slice(1, 5)}-${path.slice(6, 8)}`;
    months.set(listing, month);
  }
  return month;
};
/**
 * Each listing's month, kept with the listing object: lists by month group whole lists (120,000 listings in the
 * sitemap test), past the size of the time formatting's own memo, and catalogues share their listing objects.
 */
const months = new WeakMap<object, string>();

/**
 * Thrown by a partial catalogue (one built from slices of the lists, see `partialCatalogue`) when asked for
 * something outside what it read; the caller then reads every listing and asks a full catalogue instead.
 */
export class OutsideSlice extends Error {
  /** A whole month (`yyyy-mm`) that, read as well, would answer: the caller may read it and try again. */
  readonly month: string | undefined;
  constructor(what: string, month?: string) {
    super(`outside the catalogue's slices: ${what}`);
    this.name = 'OutsideSlice';
    this.month = month;
  }
}

export interface Catalogue {
  readonly channels: ChannelIndex;
  readonly pageSize: number;
  get(id: string): Listing | undefined;
  /** How many articles a list holds (the channel and its descendants); `SITE_LIST` counts all. */
  total(path: string): number;
  /** The articles at positions `from` … `to - 1` of a list, oldest first (clamped to the list). */
  range(path: string, from: number, to: number): readonly Listing[];
  /** 0-based position in the list, oldest first, or -1. */
  position(path: string, id: string): number;
  /** The articles published just before (previous) and after (next) it on the whole site. */
  neighbours(listing: Listing): { previous?: Listing; next?: Listing };
  /** Months (`yyyy-mm`, the month in the articles' URLs) that have articles, oldest first. */
  months(): readonly string[];
  /** Whether `month(m)` can answer (a partial catalogue reads only the months a change is in). */
  holdsMonth(month: string): boolean;
  /** The articles first published in `month`, oldest first. */
  month(month: string): readonly Listing[];
  /** The articles of a list first published in `month`, oldest first (its archive page, or its index page's). */
  listMonth(path: string, month: string): readonly Listing[];
  /** The nearest months before and after `month` in which the list has articles (`month` itself need not). */
  monthsAround(path: string, month: string): { older?: string; newer?: string };
  /**
   * A partial catalogue's sitemap children (name → lastmod) as last written, for the months it did not read; a full
   * catalogue has none.
   */
  readonly writtenParts?: ReadonlyMap<string, string | undefined>;
  /** A copy with `remove` ids gone and `put` listings added or replaced. */
  with(changes: { remove?: Iterable<string>; put?: Iterable<Listing> }): Catalogue;
}

/** A catalogue of every published listing, which can also hand out whole lists (rebuilds, page-input digests). */
export interface FullCatalogue extends Catalogue {
  /** The articles on a channel list (the channel and its descendants), oldest first. `SITE_LIST` lists all. */
  list(path: string): readonly Listing[];
  /** The months in which a list has articles, oldest first. */
  listMonths(path: string): readonly string[];
  with(changes: { remove?: Iterable<string>; put?: Iterable<Listing> }): FullCatalogue;
}

const onList = (channel: string, path: string): boolean =>
  path === SITE_LIST || channel === path || channel.startsWith(`${path}/`);

export function buildCatalogue(
  listings: Iterable<Listing>,
  options: { channels?: ChannelIndex; pageSize?: number } = {},
): FullCatalogue {
  const channelIndex = options.channels ?? defaultChannels;
  const pageSize = options.pageSize ?? siteConfig.pageSize;
  const byId = new Map<string, Listing>();
  for (const l of listings) byId.set(l.id, l);
  const sorted = [...byId.values()].sort(compareOldestFirst);
  const lists = new Map<string, Listing[]>();
  const listOf = (path: string): Listing[] => {
    let list = lists.get(path);
    if (!list) {
      list = path === SITE_LIST ? sorted : sorted.filter((l) => onList(l.channel, path));
      lists.set(path, list);
    }
    return list;
  };
  const positions = new Map<string, Map<string, number>>();
  const position = (path: string, id: string): number => {
    let map = positions.get(path);
    if (!map) {
      map = new Map(listOf(path).map((l, i) => [l.id, i]));
      positions.set(path, map);
    }
    return map.get(id) ?? -1;
  };
  const listMonthMaps = new Map<string, Map<string, Listing[]>>();
  const listMonthMap = (path: string): Map<string, Listing[]> => {
    let map = listMonthMaps.get(path);
    if (!map) {
      map = new Map();
      for (const listing of listOf(path)) {
        const month = monthOf(listing);
        const items = map.get(month);
        if (items) items.push(listing);
        else map.set(month, [listing]);
      }
      listMonthMaps.set(path, map);
    }
    return map;
  };
  let byMonth: Map<string, Listing[]> | undefined;
  const monthMap = (): Map<string, Listing[]> => {
    if (!byMonth) {
      const grouped = new Map<string, Listing[]>();
      for (const listing of sorted) {
        const month = monthOf(listing);
        let list = grouped.get(month);
        if (!list) {
          list = [];
          grouped.set(month, list);
        }
        list.push(listing);
      }
      byMonth = new Map([...grouped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return byMonth;
  };
  const catalogue: FullCatalogue = {
    channels: channelIndex,
    pageSize,
    get: (id) => byId.get(id),
    list: listOf,
    total: (path) => listOf(path).length,
    range: (path, from, to) => listOf(path).slice(Math.max(0, from), Math.max(0, to)),
    position,
    neighbours(listing) {
      // 上一篇/下一篇 run through the whole site by first-publish time (docs/EDITING.md: why not within the channel).
      const i = position(SITE_LIST, listing.id);
      if (i < 0) return {};
      const list = listOf(SITE_LIST);
      const previous = list[i - 1];
      const next = list[i + 1];
      return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
    },
    months: () => [...monthMap().keys()],
    holdsMonth: () => true,
    month: (month) => monthMap().get(month) ?? [],
    listMonth: (path, month) => listMonthMap(path).get(month) ?? [],
    // A list's articles are in time order, so its months are too.
    listMonths: (path) => [...listMonthMap(path).keys()],
    monthsAround(path, month) {
      const months = [...listMonthMap(path).keys()];
      const older = months.filter((m) => m < month).at(-1);
      const newer = months.find((m) => m > month);
      return { ...(older ? { older } : {}), ...(newer ? { newer } : {}) };
    },
    with(changes) {
      const next = new Map(byId);
      for (const id of changes.remove ?? []) next.delete(id);
      for (const l of changes.put ?? []) next.set(l.id, l);
      return buildCatalogue(next.values(), { channels: channelIndex, pageSize });
    },
  };
  return catalogue;
}

/**
 * Channel list pagination by month of first publication (docs/ARCHIVE-SCALE.md, "Archive pages by month"):
 * - the index page (`/{channel}/`) shows the list's newest month, and at least the newest `pageSize` articles;
 * - archive page `/{channel}/{yyyy}/{mm}/` holds the list's articles of that month, for every month with articles
 *   except the newest (which the index page shows).
 * An article's month never changes, so an edit, a move to another channel or an unpublish changes one archive page
 * per list, and nothing is ever renumbered. A publish changes the index page, plus the page of the month before when
 * it is the first of a new month.
 */
export const newestMonthOf = (catalogue: Catalogue, path: string): string | undefined => {
  const total = catalogue.total(path);
  const [newest] = catalogue.range(path, total - 1, total);
  return newest ? monthOf(newest) : undefined;
};

/** Whether the list has an archive page for `month` (a month with articles, older than its newest). */
export const hasArchivePage = (catalogue: Catalogue, path: string, month: string): boolean => {
  const newest = newestMonthOf(catalogue, path);
  return newest !== undefined && month < newest && catalogue.listMonth(path, month).length > 0;
};

/** The articles the list's index page shows, oldest first: its newest month, and at least `pageSize`. */
export const indexArticles = (catalogue: Catalogue, path: string): readonly Listing[] => {
  const newest = newestMonthOf(catalogue, path);
  if (newest === undefined) return [];
  // The month as a month (a partial catalogue's window may hold less of it than a month slice does).
  const month = catalogue.listMonth(path, newest);
  if (month.length >= catalogue.pageSize) return month;
  const total = catalogue.total(path);
  return catalogue.range(path, total - catalogue.pageSize, total);
};

/** The month of the page the index page's 较早 link goes to: the newest month that has an archive page. */
export const indexOlderMonth = (catalogue: Catalogue, path: string): string | undefined => {
  const newest = newestMonthOf(catalogue, path);
  return newest === undefined ? undefined : catalogue.monthsAround(path, newest).older;
};

/** `2022-04` → the month before, `2022-03`. */
export const previousMonth = (month: string): string => {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return mm === 1 ? `${year - 1}-12` : `${year}-${String(mm - 1).padStart(2, '0')}`;
};

export function channelTrail(catalogue: Catalogue, path: string): readonly Channel[] {
  return catalogue.channels.get(path)?.trail ?? [];
}
