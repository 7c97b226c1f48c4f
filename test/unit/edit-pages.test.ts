// How many pages an edit of a published article re-renders (issue 21, goal ≤ 8), counted as the render benchmark
// counts them (`npm run bench:render`): the same 4,000-article corpus and the same three edits
// (test/support/edit-scenario.ts). A page is written when its bytes differ from the page before the edit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '#shared/domain/article.ts';
import { allPages, type PageRef, pagesAffectedBy, refId } from '#shared/render/affected.ts';
import { buildCatalogue, type Catalogue, type Listing, toListing } from '#shared/render/catalogue.ts';
import { type HotRankings, NO_HOT_RANKINGS } from '#shared/render/hot-list.ts';
import { renderRef } from '#shared/render/site.ts';
import { writeSeedCorpus } from '../bench/corpus.ts';
import { benchContext, readArticles } from '../bench/render-files.ts';
import { articleToEdit, EDIT_AT, type EditStep, editSteps } from '../support/edit-scenario.ts';

const COUNT = 4000;
const now = new Date(EDIT_AT);
const views = new Map<string, number>();
let dir = '';
let articles: Article[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'edit-pages-'));
  writeSeedCorpus(dir, COUNT);
  articles = readArticles(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Counted {
  readonly rendered: string[];
  readonly written: string[];
}

/** Runs the benchmark's three edits, each from the last, and counts what each renders and writes. */
function countEdits(hot: HotRankings = NO_HOT_RANKINGS): Map<EditStep['name'], Counted> {
  const context = benchContext();
  let site: Catalogue = buildCatalogue(articles.map(toListing).filter((l): l is Listing => Boolean(l)));
  let live = new Map(articles.map((a) => [a.id, a]));
  const counted = new Map<EditStep['name'], Counted>();
  for (const { name, before, after } of editSteps(articleToEdit(live.values()))) {
    const edit = pagesAffectedBy([{ id: after.id, before, after }], site, { hot, now });
    const next = new Map([...live, [after.id, after]]);
    const render = (ref: PageRef, catalogue: Catalogue, byId: ReadonlyMap<string, Article>) =>
      renderRef(context, ref, { catalogue, articles: byId, views, now, hot });
    const written = edit.render.filter((ref) => {
      const was = render(ref, site, live);
      const is = render(ref, edit.catalogue, next);
      return is !== undefined && is.body !== was?.body;
    });
    counted.set(name, {
      rendered: edit.render.filter((ref) => render(ref, edit.catalogue, next)).map(refId),
      written: written.map(refId),
    });
    site = edit.catalogue;
    live = next;
  }
  return counted;
}

describe('pages re-rendered by an edit of a published article (4,000 articles, as bench:render counts)', () => {
  it('a correction renders the page and its sitemap entries; a new title adds the neighbours and one archive page per list', () => {
    const counted = countEdits();
    const correction = counted.get('correction');
    const title = counted.get('title');
    expect(correction?.rendered).toHaveLength(3);
    expect(correction?.rendered.filter((r) => r.startsWith('article:'))).toHaveLength(1);
    expect(title?.rendered).toHaveLength(7);
    // The article, its two neighbours, the archive page that lists it in 聚焦 > 公益 and in 聚焦; no home, no index
    // page: none of them shows it.
    expect(title?.rendered.filter((r) => r.startsWith('article:'))).toHaveLength(3);
    // Archive pages go by month: the article's month in each of its lists.
    expect(title?.rendered.filter((r) => r.startsWith('list:')).sort()).toEqual([
      'list:focus/public-welfare:2021-04',
      'list:focus:2021-04',
    ]);
    expect(title?.rendered).not.toContain('home');
    for (const step of [correction, title]) {
      expect(step?.rendered.length).toBeLessThanOrEqual(8);
      expect(step?.written.length).toBeLessThanOrEqual(step?.rendered.length ?? 0);
    }
  });

  it('a channel change: the page, one month page of each of the four lists, the sitemap files', () => {
    const move = countEdits().get('channel change');
    const articlesRendered = move?.rendered.filter((r) => r.startsWith('article:')) ?? [];
    // The article only: 上一篇/下一篇 run through the whole site, so its neighbours and their links to it stay.
    expect(articlesRendered).toHaveLength(1);
    // No index page: the article is in no list's newest month or page, and in no box.
    expect(move?.rendered.some((r) => r.endsWith(':index'))).toBe(false);
    expect(move?.rendered).not.toContain('home');
    // Archive pages go by month, and the article keeps its month: taking it out of 聚焦 > 公益 (and 聚焦) and putting
    // it into 法治 > 案例 (and 法治) changes that month's page of each of the four lists, and no other list page.
    const lists = move?.rendered.filter((r) => r.startsWith('list:')) ?? [];
    expect(lists.sort()).toEqual([
      'list:focus/public-welfare:2021-04',
      'list:focus:2021-04',
      'list:law/cases:2021-04',
      'list:law:2021-04',
    ]);
    // The sitemap index and the month's child are rendered (the article's lastmod); here they are not written, as
    // the scenario's edits all carry the same time. 7 in all, within the goal of 8, both channels' lists counted.
    expect(move?.rendered.filter((r) => r.startsWith('sitemap')).sort()).toEqual([
      'sitemap',
      'sitemap-part:2021-04',
    ]);
    expect(move?.rendered).toHaveLength(7);
    expect(move?.rendered.length).toBeLessThanOrEqual(8);
    expect(move?.written).toHaveLength(5);
  });

  it('an unpublish in the middle of the archive changes its month page in each list, and every list page stays right', () => {
    const edited = articleToEdit(articles);
    const all = buildCatalogue(articles.map(toListing).filter((l): l is Listing => Boolean(l)));
    const gone = pagesAffectedBy([{ id: edited.id, before: edited }], all, { hot: NO_HOT_RANKINGS, now });
    const lists = gone.render.filter((r) => r.kind === 'list').map(refId);
    // The index pages are rendered for any unpublish; of the archive, only the article's month.
    expect(lists.filter((r) => !r.endsWith(':index')).sort()).toEqual([
      'list:focus/public-welfare:2021-04',
      'list:focus:2021-04',
    ]);
    // Every list page rendered from scratch after the unpublish is what the pages left in place and re-rendered say.
    const after = buildCatalogue(
      articles
        .filter((a) => a.id !== edited.id)
        .map(toListing)
        .filter((l): l is Listing => Boolean(l)),
    );
    const context = benchContext();
    const page = (ref: PageRef, catalogue: Catalogue) =>
      renderRef(context, ref, { catalogue, articles: new Map(), views, now, hot: NO_HOT_RANKINGS })?.body;
    const rendered = new Set(gone.render.map(refId));
    for (const ref of allPages(after)) {
      if (ref.kind !== 'list') continue;
      const expected = page(ref, after);
      if (rendered.has(refId(ref))) expect(page(ref, gone.catalogue), refId(ref)).toBe(expected);
      else expect(page(ref, all), refId(ref)).toBe(expected);
    }
  });

  it('renders home and an index page when their 点击排行 box lists the article', () => {
    const edited = articleToEdit(articles);
    const box = { '24h': [edited.id], '7d': [] };
    const hot: HotRankings = new Map([
      ['', box],
      ['focus/public-welfare', box],
    ]);
    const title = countEdits(hot).get('title');
    expect(title?.rendered).toContain('home');
    expect(title?.rendered).toContain('list:focus/public-welfare:index');
    expect(title?.written).toEqual(expect.arrayContaining(['home', 'list:focus/public-welfare:index']));
    expect(title?.rendered).not.toContain('list:focus:index');
  });
});
