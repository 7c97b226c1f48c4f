// A catalogue built from bounded slices of the lists instead of every listing, so that what a publish reads does
// not grow with the archive (docs/ARCHIVE-SCALE.md). It answers exactly what its slices cover and throws
// `OutsideSlice` for anything else, so a render either gets the bytes a full catalogue would give or falls back to
// reading every listing: it is never approximately right.
import { type ChannelIndex, channels as defaultChannels } from '../channels.ts';
import { siteConfig } from '../site-config.ts';
import {
  type Catalogue,
  compareOldestFirst,
  type Listing,
  monthOf,
  OutsideSlice,
  previousMonth,
  SITE_LIST,
} from './catalogue.ts';

/** One byChannel partition (a channel's own articles): the newest read, oldest first. */
export interface PartitionSlice {
  readonly items: readonly Listing[];
  /** True when the slice is the whole partition. */
  readonly complete: boolean;
}

/** What a render read instead of every listing. */
export interface CatalogueSlices {
  /** Per channel path, the newest articles of its own partition. */
  readonly partitions: ReadonlyMap<string, PartitionSlice>;
  /** The list counters (list path → how many articles it holds), kept with each status change. */
  readonly totals: ReadonlyMap<string, number>;
  /** Articles read by id as they are now: their listing, or null when not published (changed and ranked ids). */
  readonly byId: ReadonlyMap<string, Listing | null>;
  /** Whole months (`yyyy-mm`), every article first published in them, in any order. */
  readonly months: ReadonlyMap<string, readonly Listing[]>;
  /** The sitemap children as last written in `/sitemap.xml` (child name → lastmod), when it could be read. */
  readonly writtenParts?: ReadonlyMap<string, string | undefined>;
}

interface Window {
  /** The newest articles of a list or partition, oldest first, with no gap. */
  items: Listing[];
  /** The list's size; undefined when unknown (an incomplete slice without a counter). */
  total: number | undefined;
  complete: boolean;
}

interface State {
  readonly lists: Map<string, Window>;
  readonly own: Map<string, Window>;
  readonly known: Map<string, Listing | null>;
  readonly months: Map<string, Listing[]>;
}

const onList = (channel: string, path: string): boolean =>
  path === SITE_LIST || channel === path || channel.startsWith(`${path}/`);

/** Whether `listing` belongs inside `window` (a complete window holds everything; else only what is newer). */
const fits = (window: Window, listing: Listing): boolean => {
  const oldest = window.items[0];
  return window.complete || (oldest !== undefined && compareOldestFirst(listing, oldest) > 0);
};

const insertSorted = (items: Listing[], listing: Listing): void => {
  let i = items.length;
  while (i > 0 && compareOldestFirst(items[i - 1] as Listing, listing) > 0) i--;
  items.splice(i, 0, listing);
};

const removeId = (items: Listing[], id: string): boolean => {
  const i = items.findIndex((l) => l.id === id);
  if (i >= 0) items.splice(i, 1);
  return i >= 0;
};

/** Lists that hold an article of `channel`: the site list and the channel's trail. */
const listsOf = (channel: string, index: ChannelIndex): string[] => [
  SITE_LIST,
  ...(index.get(channel)?.trail.map((c) => c.path) ?? []),
];

function take(state: State, listing: Listing, index: ChannelIndex): void {
  for (const path of listsOf(listing.channel, index)) {
    const window = state.lists.get(path);
    if (!window) continue;
    if (fits(window, listing)) insertSorted(window.items, listing);
    if (window.total !== undefined) window.total++;
  }
  const own = state.own.get(listing.channel);
  if (own && fits(own, listing)) insertSorted(own.items, listing);
  const month = state.months.get(monthOf(listing));
  if (month) insertSorted(month, listing);
  state.known.set(listing.id, listing);
}

function drop(state: State, listing: Listing, index: ChannelIndex): void {
  for (const path of listsOf(listing.channel, index)) {
    const window = state.lists.get(path);
    if (!window) continue;
    removeId(window.items, listing.id);
    if (window.total !== undefined) window.total--;
  }
  const own = state.own.get(listing.channel);
  if (own) removeId(own.items, listing.id);
  const month = state.months.get(monthOf(listing));
  if (month) removeId(month, listing.id);
  state.known.set(listing.id, null);
}

function catalogueOf(
  state: State,
  channelIndex: ChannelIndex,
  pageSize: number,
  writtenParts: ReadonlyMap<string, string | undefined> | undefined,
): Catalogue {
  const windowOf = (path: string): Window => {
    const window = state.lists.get(path);
    if (!window) throw new OutsideSlice(`list ${path}`);
    return window;
  };
  const totalOf = (path: string): number => {
    const total = windowOf(path).total;
    if (total === undefined) throw new OutsideSlice(`size of list ${path}`);
    return total;
  };
  const get = (id: string): Listing | undefined => {
    if (!state.known.has(id)) throw new OutsideSlice(`article ${id}`);
    return state.known.get(id) ?? undefined;
  };
  return {
    channels: channelIndex,
    pageSize,
    ...(writtenParts ? { writtenParts } : {}),
    get,
    total: totalOf,
    range(path, from, to) {
      const total = totalOf(path);
      const { items } = windowOf(path);
      const start = total - items.length;
      const a = Math.max(0, from);
      const b = Math.min(total, to);
      if (b <= a) return [];
      if (a < start) throw new OutsideSlice(`positions ${a}…${b - 1} of list ${path}`);
      return items.slice(a - start, b - start);
    },
    position(path, id) {
      const listing = get(id);
      if (!listing || !onList(listing.channel, path)) return -1;
      const { items } = windowOf(path);
      const i = items.findIndex((l) => l.id === id);
      if (i < 0) throw new OutsideSlice(`position of ${id} in list ${path}`);
      return totalOf(path) - items.length + i;
    },
    neighbours(listing) {
      // Site-wide, as in the full catalogue: the site list's window, which has no gap, holds them or the render reads more.
      const site = state.lists.get(SITE_LIST);
      const i = site ? site.items.findIndex((l) => l.id === listing.id) : -1;
      if (!site || i < 0 || (i === 0 && !site.complete))
        throw new OutsideSlice(`neighbours of ${listing.id}`);
      const previous = site.items[i - 1];
      const next = site.items[i + 1];
      return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
    },
    months() {
      if (!writtenParts) throw new OutsideSlice('the months of the sitemap index');
      const months = new Set(
        [...writtenParts.keys()].flatMap((part) => (/^\d{4}-\d{2}/.test(part) ? [part.slice(0, 7)] : [])),
      );
      for (const [month, items] of state.months) {
        if (items.length > 0) months.add(month);
        else months.delete(month);
      }
      return [...months].sort();
    },
    holdsMonth: (month) => state.months.has(month),
    month(month) {
      const items = state.months.get(month);
      if (!items) throw new OutsideSlice(`month ${month}`);
      return items;
    },
    listMonth(path, month) {
      const window = windowOf(path);
      const oldest = window.items[0];
      // The window holds every article newer than its oldest, so all of a month that began after it.
      if (window.complete || (oldest && monthOf(oldest) < month))
        return window.items.filter((l) => monthOf(l) === month);
      if (window.total === 0) return [];
      const items = state.months.get(month);
      if (!items) throw new OutsideSlice(`month ${month} of list ${path}`, month);
      return items.filter((l) => onList(l.channel, path));
    },
    monthsAround(path, month) {
      const window = windowOf(path);
      const { items } = window;
      const olderIn = items.findLast((l) => monthOf(l) < month);
      let older = olderIn ? monthOf(olderIn) : undefined;
      if (!older && !window.complete && window.total !== 0) {
        // Before the window: whole months read, walked back one calendar month at a time.
        for (let m = previousMonth(month); ; m = previousMonth(m)) {
          const read = state.months.get(m);
          if (!read) throw new OutsideSlice(`the month before ${month} in list ${path}`, m);
          if (read.some((l) => onList(l.channel, path))) {
            older = m;
            break;
          }
        }
      }
      const oldest = items[0];
      if (!window.complete && window.total !== 0 && (!oldest || monthOf(oldest) > month))
        throw new OutsideSlice(`the month after ${month} in list ${path}`);
      const newerIn = items.find((l) => monthOf(l) > month);
      const newer = newerIn ? monthOf(newerIn) : undefined;
      return { ...(older ? { older } : {}), ...(newer ? { newer } : {}) };
    },
    with(changes) {
      const next: State = {
        lists: new Map([...state.lists].map(([p, w]) => [p, { ...w, items: [...w.items] }])),
        own: new Map([...state.own].map(([p, w]) => [p, { ...w, items: [...w.items] }])),
        known: new Map(state.known),
        months: new Map([...state.months].map(([m, items]) => [m, [...items]])),
      };
      for (const id of changes.remove ?? []) {
        if (!next.known.has(id)) throw new OutsideSlice(`article ${id}`);
        const listing = next.known.get(id);
        if (listing) drop(next, listing, channelIndex);
      }
      for (const listing of changes.put ?? []) {
        const previous = next.known.get(listing.id);
        if (previous === undefined && !next.known.has(listing.id))
          throw new OutsideSlice(`article ${listing.id}`);
        if (previous) drop(next, previous, channelIndex);
        take(next, listing, channelIndex);
      }
      return catalogueOf(next, channelIndex, pageSize, writtenParts);
    },
  };
}

/**
 * The whole months a render reads: the month of each changed article (its sitemap child, and its archive page in
 * each list) and the month of `now` (the index pages show their list's newest month), each with the month before
 * (the archive page a new month's first article closes, and the month the 较早 links name). Two to four months,
 * whatever the archive's size.
 */
export const monthsToRead = (
  listings: readonly Pick<Listing, 'id' | 'publishedAt'>[],
  now: Date,
): string[] => {
  const months = new Set([...listings.map(monthOf), monthOf({ id: '', publishedAt: now.toISOString() })]);
  return [...new Set([...months].flatMap((m) => [previousMonth(m), m]))].sort();
};

/**
 * The catalogue the slices describe. A list's window is the newest run of its partitions' slices that has no gap
 * (down to the newest of the oldest articles read in each incomplete partition); its size is the counter, or the
 * window's own length when every partition was read whole. Articles read by id correct an index that lags them.
 */
export function partialCatalogue(
  slices: CatalogueSlices,
  options: { channels?: ChannelIndex; pageSize?: number } = {},
): Catalogue {
  const channelIndex = options.channels ?? defaultChannels;
  const pageSize = options.pageSize ?? siteConfig.pageSize;
  const own = new Map<string, Window>();
  for (const channel of channelIndex.all) {
    const slice = slices.partitions.get(channel.path);
    if (!slice) continue;
    own.set(channel.path, {
      items: [...slice.items].sort(compareOldestFirst),
      total: slice.complete ? slice.items.length : undefined,
      complete: slice.complete,
    });
  }
  const months = new Map([...slices.months].map(([m, items]) => [m, [...items].sort(compareOldestFirst)]));
  // The index may lag the table: what was read by id (strongly consistent) wins over the partitions and months.
  for (const [id, listing] of slices.byId) {
    for (const window of own.values()) removeId(window.items, id);
    for (const items of months.values()) removeId(items, id);
    if (!listing) continue;
    const window = own.get(listing.channel);
    if (window && fits(window, listing)) insertSorted(window.items, listing);
    months.get(monthOf(listing))?.push(listing);
  }
  for (const items of months.values()) items.sort(compareOldestFirst);
  const lists = new Map<string, Window>();
  for (const path of [SITE_LIST, ...channelIndex.all.map((c) => c.path)]) {
    const parts = [...own].filter(([channel]) => onList(channel, path)).map(([, w]) => w);
    const incomplete = parts.filter((w) => !w.complete);
    // Every partition under the list must have been read for the window to say anything.
    const read = channelIndex.all.filter((c) => onList(c.path, path)).every((c) => own.has(c.path));
    if (!read) continue;
    let cut: Listing | undefined;
    for (const w of incomplete) {
      const oldest = w.items[0];
      if (oldest && (!cut || compareOldestFirst(oldest, cut) > 0)) cut = oldest;
    }
    const items = parts
      .flatMap((w) => w.items)
      .filter((l) => !cut || compareOldestFirst(l, cut) >= 0)
      .sort(compareOldestFirst);
    const complete = incomplete.length === 0;
    const counted = slices.totals.get(path);
    const total = complete
      ? items.length
      : counted !== undefined && counted >= items.length
        ? counted
        : undefined;
    lists.set(path, { items, total, complete });
  }
  const known = new Map<string, Listing | null>();
  for (const items of [...[...lists.values(), ...own.values()].map((w) => w.items), ...months.values()])
    for (const listing of items) known.set(listing.id, listing);
  for (const [id, listing] of slices.byId) known.set(id, listing);
  return catalogueOf({ lists, own, known, months }, channelIndex, pageSize, slices.writtenParts);
}
