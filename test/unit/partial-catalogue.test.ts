// The partial catalogue (bounded slices of the lists, what a publish reads) against the full one: for each kind of
// change, the same pages are affected and every page renders to the same bytes; and a change it cannot place
// (deep in the archive, or without a counter) throws OutsideSlice instead of rendering something else.
import { describe, expect, it } from 'vitest';
import { channels, listsContaining } from '#shared/channels.ts';
import type { Article } from '#shared/domain/article.ts';
import { type ArticleChange, pagesAffectedBy, refId } from '#shared/render/affected.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import {
  buildCatalogue,
  type Catalogue,
  type FullCatalogue,
  type Listing,
  monthOf,
  OutsideSlice,
  SITE_LIST,
} from '#shared/render/catalogue.ts';
import { NO_HOT_RANKINGS } from '#shared/render/hot-list.ts';
import { type CatalogueSlices, monthsToRead, partialCatalogue } from '#shared/render/partial-catalogue.ts';
import { renderRef } from '#shared/render/site.ts';
import { NEWS_WINDOW_MS, renderSitemapIndex, writtenSitemapParts } from '#shared/render/sitemaps.ts';
import { hexId, seedArticle } from '../support/render-fixtures.ts';

const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
const LEAVES = channels.all.filter((c) => c.children.length === 0).map((c) => c.path);
// Late in March: at 5,000 articles the month holds about 970, more than any list's newest slices, so the index
// pages must take the month from the month read (as at bench:scale's rate), not from the slices.
const NOW = new Date('2026-03-28T12:00:00.000Z');
const SLICE = 60;

const listing = (n: number, at: number): Listing => ({
  id: hexId(n),
  title: `第 ${n} 篇`,
  summary: n % 3 === 0 ? '' : `摘要 ${n}`,
  channel: LEAVES[n % LEAVES.length] ?? 'opinion',
  author: n % 2 === 0 ? '记者' : '',
  source: '',
  editor: 'admin',
  publishedAt: new Date(at).toISOString(),
  updatedAt: new Date(at).toISOString(),
});

/** `count` articles, one every 40 minutes back from NOW (so 72 in the 48-hour news window). */
const archive = (count: number): Listing[] =>
  Array.from({ length: count }, (_, i) => listing(i + 1, NOW.getTime() - (count - i) * 2_400_000));

const article = (l: Listing): Article => ({
  ...seedArticle,
  ...l,
  body: `正文 ${l.id}。`,
  status: 'published',
});

/** What shared/aws/published-articles.ts `slices` reads, from an in-memory table. */
function slicesOf(
  all: readonly Listing[],
  changes: readonly ArticleChange[],
  counters = true,
  moreMonths: readonly string[] = [],
): CatalogueSlices {
  const full = buildCatalogue(all);
  const cutoff = NOW.getTime() - NEWS_WINDOW_MS;
  const partitions = new Map(
    channels.all.map((c) => {
      const own = full.list(c.path).filter((l) => l.channel === c.path);
      let n = Math.min(own.length, SLICE + 1);
      while (n < own.length && Date.parse((own[own.length - n] as Listing).publishedAt) > cutoff) n++;
      return [c.path, { items: own.slice(own.length - n), complete: n === own.length }] as const;
    }),
  );
  const totals = new Map(
    counters ? [SITE_LIST, ...channels.all.map((c) => c.path)].map((p) => [p, full.total(p)] as const) : [],
  );
  const byId = new Map(changes.map((c) => [c.id, full.get(c.id) ?? null] as const));
  // The months functions/render/handler.ts reads: the changes' months, the clock's, and the month before each.
  const changed = changes
    .flatMap((c) => [c.before, c.after])
    .flatMap((a) => (a ? [{ id: a.id, publishedAt: a.publishedAt ?? '' }] : []));
  const months = new Map(
    [...monthsToRead(changed, NOW), ...moreMonths].map((m) => [m, full.month(m)] as const),
  );
  const writtenParts = writtenSitemapParts(context, renderSitemapIndex(context, full));
  return { partitions, totals, byId, months, ...(writtenParts ? { writtenParts } : {}) };
}

/** The pages the change affects and their bytes, from `catalogue`. */
function rendered(changes: readonly ArticleChange[], catalogue: Catalogue) {
  const affected = pagesAffectedBy(changes, catalogue);
  const articles = new Map(
    changes.flatMap((c) => (c.after?.status === 'published' ? [[c.id, c.after] as const] : [])),
  );
  for (const ref of affected.render)
    if (ref.kind === 'article' && !articles.has(ref.id)) {
      const l = affected.catalogue.get(ref.id);
      if (l) articles.set(ref.id, article(l));
    }
  // The feed shows the opening paragraph of entries without a summary: those bodies, as render reads them.
  const total = affected.catalogue.total(SITE_LIST);
  for (const l of affected.catalogue.range(SITE_LIST, total - 20, total))
    if (!articles.has(l.id)) articles.set(l.id, article(l));
  const pages = new Map(
    affected.render.map((ref) => [
      refId(ref),
      renderRef(context, ref, {
        catalogue: affected.catalogue,
        articles,
        views: new Map(),
        now: NOW,
        hot: NO_HOT_RANKINGS,
      })?.body,
    ]),
  );
  return { refs: [...pages.keys()].sort(), remove: affected.remove, pages };
}

function compare(all: readonly Listing[], changes: readonly ArticleChange[]) {
  const full: FullCatalogue = buildCatalogue(all);
  const expected = rendered(changes, full);
  // As functions/render/handler.ts does: a month the slices lack is read and the render tried again.
  const moreMonths: string[] = [];
  const actual = (() => {
    for (;;) {
      try {
        return rendered(changes, partialCatalogue(slicesOf(all, changes, true, moreMonths)));
      } catch (error) {
        if (!(error instanceof OutsideSlice) || !error.month || moreMonths.length >= 2) throw error;
        moreMonths.push(error.month);
      }
    }
  })();
  expect(actual.refs).toEqual(expected.refs);
  expect(actual.remove).toEqual(expected.remove);
  for (const [id, body] of expected.pages) expect(actual.pages.get(id), id).toEqual(body);
  return expected;
}

describe('a partial catalogue renders what the full one renders', () => {
  for (const size of [150, 5_000]) {
    const all = archive(size);
    const newest = all[all.length - 1] as Listing;

    it(`a publish of a new article (${size} articles)`, () => {
      const fresh = listing(size + 1, NOW.getTime() - 60_000);
      const { refs } = compare([...all, fresh], [{ id: fresh.id, after: article(fresh) }]);
      expect(refs).toContain('home');
      expect(refs).toContain(`article:${fresh.id}`);
    });

    it(`the first publish of a month, which closes the month before (${size} articles)`, () => {
      // The same site 28 days earlier, so that its newest articles are of February (site time): the first
      // publish of March turns February into an archive page in each of its lists.
      const earlier = (l: Listing): Listing => {
        const at = new Date(Date.parse(l.publishedAt) - 28 * 86_400_000).toISOString();
        return { ...l, publishedAt: at, updatedAt: at };
      };
      const february = all.map(earlier);
      expect(monthOf(february.at(-1) as Listing)).toBe('2026-02');
      const fresh = listing(size + 1, NOW.getTime() - 60_000);
      const { refs } = compare([...february, fresh], [{ id: fresh.id, after: article(fresh) }]);
      for (const path of listsContaining(fresh.channel)) expect(refs).toContain(`list:${path}:2026-02`);
    });

    it(`an unpublish of the newest article (${size} articles)`, () => {
      compare(all.slice(0, -1), [{ id: newest.id, before: article(newest) }]);
    });

    it(`a title edit of the newest article (${size} articles)`, () => {
      const retitled = { ...newest, title: '新标题', updatedAt: NOW.toISOString() };
      compare(
        [...all.slice(0, -1), retitled],
        [{ id: newest.id, before: article(newest), after: article(retitled) }],
      );
    });
  }

  it('an unpublish deep in a large archive is outside the slices: the render reads every listing', () => {
    const all = archive(5_000);
    const old = all[100] as Listing;
    const rest = all.filter((l) => l.id !== old.id);
    const partial = partialCatalogue(slicesOf(rest, [{ id: old.id, before: article(old) }]));
    expect(() => pagesAffectedBy([{ id: old.id, before: article(old) }], partial)).toThrow(OutsideSlice);
  });

  it('without list counters a large list has no size: the render reads every listing', () => {
    const all = archive(5_000);
    const fresh = listing(5_001, NOW.getTime() - 60_000);
    const changes = [{ id: fresh.id, after: article(fresh) }];
    const partial = partialCatalogue(slicesOf([...all, fresh], changes, false));
    expect(() => pagesAffectedBy(changes, partial)).toThrow(OutsideSlice);
  });
});
