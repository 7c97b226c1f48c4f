// 点击排行: which articles each page's most-read box lists, and the box's HTML. Pure: the scores come from the
// daily view buckets (shared/aws/view-counts.ts `dynamoHotList`), the stored rankings from the site bucket
// (shared/aws/hot-rankings.ts). docs/VIEW-COUNTS.md explains when the boxes are refreshed.
import { listsContaining } from '../channels.ts';
import { HOT_LIST_LENGTH, type HotWindow, rankHot } from '../domain/views.ts';
import { type Catalogue, type Listing, SITE_LIST } from './catalogue.ts';
import { pagePath } from './dates.ts';
import { escapeHtml } from './escape.ts';
import { labelsFor, type RenderContext } from './layout.ts';

export const HOT_WINDOWS: readonly HotWindow[] = ['24h', '7d'];

/** What one page's box lists: article ids, most read first, per window. */
export type HotBox = Readonly<Record<HotWindow, readonly string[]>>;

/**
 * Every page's box by list path: `SITE_LIST` ('') is the home page, a channel path its first list page. A path
 * without an entry has an empty box. It is an input of rendering like the catalogue: the same articles and the
 * same rankings give the same bytes.
 */
export type HotRankings = ReadonlyMap<string, HotBox>;

export const NO_HOT_RANKINGS: HotRankings = new Map();

/** Whether `listing` is on the list at `path` (the site list holds everything; a channel list its subtree). */
const onList = (listing: Listing, path: string, catalogue: Catalogue): boolean =>
  path === SITE_LIST || listsContaining(listing.channel, catalogue.channels).includes(path);

/**
 * The rankings of home (all published articles) and of every channel's first page (the channel's own list, i.e.
 * the channel and its sub-channels), from the window scores. Boxes with nothing in either window are left out.
 */
export function hotRankings(
  catalogue: Catalogue,
  scores: Readonly<Record<HotWindow, ReadonlyMap<string, number>>>,
  limit = HOT_LIST_LENGTH,
): Map<string, HotBox> {
  const paths = [SITE_LIST, ...catalogue.channels.all.map((c) => c.path)];
  const rankings = new Map<string, HotBox>();
  for (const path of paths) {
    const eligible = (id: string) => {
      const listing = catalogue.get(id);
      return listing !== undefined && onList(listing, path, catalogue);
    };
    const box = {
      '24h': rankHot(scores['24h'], eligible, limit).map((e) => e.id),
      '7d': rankHot(scores['7d'], eligible, limit).map((e) => e.id),
    };
    if (box['24h'].length > 0 || box['7d'].length > 0) rankings.set(path, box);
  }
  return rankings;
}

const sameOrder = (a: readonly string[] = [], b: readonly string[] = []): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** The list paths whose box lists other articles, or the same in another order (pages show no scores). */
export function changedHotPaths(before: HotRankings, after: HotRankings): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths]
    .filter((path) => HOT_WINDOWS.some((w) => !sameOrder(before.get(path)?.[w], after.get(path)?.[w])))
    .sort();
}

/** Stored form: paths sorted, so equal rankings are equal bytes. */
export function serializeHotRankings(rankings: HotRankings): string {
  const boxes = Object.fromEntries(
    [...rankings]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, box]) => [path, { '24h': [...box['24h']], '7d': [...box['7d']] }]),
  );
  return `${JSON.stringify({ boxes })}\n`;
}

const isIdList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((id) => typeof id === 'string');

/** Reads the stored form; anything unreadable counts as no rankings (the next refresh rewrites it). */
export function parseHotRankings(text: string): HotRankings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return NO_HOT_RANKINGS;
  }
  const boxes = (parsed as { boxes?: unknown } | null)?.boxes;
  if (typeof boxes !== 'object' || boxes === null) return NO_HOT_RANKINGS;
  const rankings = new Map<string, HotBox>();
  for (const [path, box] of Object.entries(boxes)) {
    const b = box as Partial<Record<HotWindow, unknown>> | null;
    if (b && isIdList(b['24h']) && isIdList(b['7d'])) rankings.set(path, { '24h': b['24h'], '7d': b['7d'] });
  }
  return rankings;
}

/**
 * The listings a page's box shows now: the stored ids that are still published and still on the page's list
 * (an article unpublished or moved since the last refresh drops out at once, without waiting for the next one).
 */
export function hotListings(
  rankings: HotRankings,
  catalogue: Catalogue,
  path: string,
): Record<HotWindow, Listing[]> {
  const box = rankings.get(path);
  const shown = (ids: readonly string[] = []) =>
    ids.flatMap((id) => {
      const listing = catalogue.get(id);
      return listing && onList(listing, path, catalogue) ? [listing] : [];
    });
  return { '24h': shown(box?.['24h']), '7d': shown(box?.['7d']) };
}

/**
 * The 点击排行 box: a heading and, per window, an ordered list of links (rank = list position). It is always
 * there, empty or not, so the page's layout does not depend on the ranking.
 */
export function hotBoxHtml(
  context: RenderContext,
  listings: Readonly<Record<HotWindow, readonly Listing[]>>,
) {
  const t = labelsFor(context);
  const windows = HOT_WINDOWS.map((w) => {
    const id = `hot-${w}`;
    const items = listings[w];
    const body =
      items.length > 0
        ? `<ol class="hot-list">
${items.map((l) => `<li><a href="${escapeHtml(pagePath(l))}">${escapeHtml(l.title)}</a></li>`).join('\n')}
</ol>`
        : `<p class="empty">${escapeHtml(t.hotEmpty)}</p>`;
    return `<section class="hot-window" aria-labelledby="${id}">
<h3 id="${id}">${escapeHtml(w === '24h' ? t.hot24h : t.hot7d)}</h3>
${body}
</section>`;
  });
  return `<aside class="hot" aria-labelledby="hot-title">
<h2 id="hot-title">${escapeHtml(t.hot)}</h2>
${windows.join('\n')}
</aside>`;
}
