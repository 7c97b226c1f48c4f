// 点击排行: the rankings per page, what changed, their stored form, and the box's HTML on home and channel pages.
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import type { Article } from '#shared/domain/article.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { buildCatalogue, type Listing, toListing } from '#shared/render/catalogue.ts';
import { pagePath } from '#shared/render/dates.ts';
import {
  changedHotPaths,
  type HotRankings,
  hotBoxHtml,
  hotListings,
  hotRankings,
  NO_HOT_RANKINGS,
  parseHotRankings,
  serializeHotRankings,
} from '#shared/render/hot-list.ts';
import { renderHomePage, renderListPage } from '#shared/render/pages.ts';
import { hexId, history, SEED_ID, seedArticle } from '../support/render-fixtures.ts';

const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
// Odd articles in focus/public-welfare, even ones in news/politics; the seed in focus/public-welfare.
const site: Article[] = [...history(44, ['focus/public-welfare', 'news/politics']), seedArticle];
const catalogue = buildCatalogue(site.map(toListing).filter((l): l is Listing => Boolean(l)));
const href = (id: string) => pagePath(catalogue.get(id) ?? { id, publishedAt: '' });

/** The box of a page: heading texts and, per window, the links in order. */
function box(html: string) {
  const aside = /<aside class="hot"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? '';
  const window = (w: string) =>
    new RegExp(`aria-labelledby="hot-${w}">([\\s\\S]*?)</section>`).exec(aside)?.[1] ?? '';
  const links = (w: string) =>
    [...window(w).matchAll(/<li><a href="([^"]+)">([^<]*)<\/a><\/li>/g)].map((m) => ({
      href: m[1],
      title: m[2],
    }));
  return {
    aside,
    headings: [...aside.matchAll(/<h[23][^>]*>([^<]*)<\/h[23]>/g)].map((m) => m[1]),
    day: links('24h'),
    week: links('7d'),
  };
}

const scores = (entries: [number | string, number][]) =>
  new Map(entries.map(([id, n]) => [typeof id === 'number' ? hexId(id) : id, n]));

describe('hotRankings', () => {
  const rankings = hotRankings(catalogue, {
    '24h': scores([
      [1, 50],
      [2, 80],
      [3, 50],
      [SEED_ID, 10],
      ['ffffffffffffffff', 999],
    ]),
    '7d': scores([
      [2, 5],
      [4, 0],
    ]),
  });

  it('ranks home over every published article, ties by id, unknown ids and zero scores left out', () => {
    expect(rankings.get('')).toEqual({ '24h': [hexId(2), hexId(1), hexId(3), SEED_ID], '7d': [hexId(2)] });
  });

  it('ranks a channel page among its own articles and its sub-channels’, and leaves empty boxes out', () => {
    expect(rankings.get('focus')).toEqual({ '24h': [hexId(1), hexId(3), SEED_ID], '7d': [] });
    expect(rankings.get('focus/public-welfare')).toEqual(rankings.get('focus'));
    expect(rankings.get('news/politics')).toEqual({ '24h': [hexId(2)], '7d': [hexId(2)] });
    expect(rankings.has('law')).toBe(false);
    expect(rankings.has('focus/investigation')).toBe(false);
  });

  it('keeps at most HOT_LIST_LENGTH (10) per window', () => {
    const many = hotRankings(catalogue, {
      '24h': new Map(site.map((a, i) => [a.id, 100 - i])),
      '7d': new Map(),
    });
    expect(many.get('')?.['24h']).toEqual(site.slice(0, 10).map((a) => a.id));
  });
});

describe('changedHotPaths and the stored form', () => {
  const before: HotRankings = new Map([
    ['', { '24h': ['a', 'b'], '7d': ['a'] }],
    ['news', { '24h': ['b'], '7d': [] }],
  ]);

  it('names the paths whose ids or order changed in either window, and paths that appear or go', () => {
    expect(changedHotPaths(before, before)).toEqual([]);
    const after: HotRankings = new Map([
      ['', { '24h': ['b', 'a'], '7d': ['a'] }],
      ['news', { '24h': ['b'], '7d': [] }],
      ['law', { '24h': [], '7d': ['c'] }],
    ]);
    expect(changedHotPaths(before, after)).toEqual(['', 'law']);
    expect(changedHotPaths(before, NO_HOT_RANKINGS)).toEqual(['', 'news']);
  });

  it('serialises equal rankings to equal bytes whatever the insertion order, and reads them back', () => {
    const reordered: HotRankings = new Map([...before].reverse());
    expect(serializeHotRankings(reordered)).toBe(serializeHotRankings(before));
    expect(parseHotRankings(serializeHotRankings(before))).toEqual(before);
  });

  it('reads anything unreadable as no rankings', () => {
    expect(parseHotRankings('not json')).toEqual(NO_HOT_RANKINGS);
    expect(parseHotRankings('null')).toEqual(NO_HOT_RANKINGS);
    expect(parseHotRankings('{"boxes":{"":{"24h":[1]}}}')).toEqual(new Map());
  });
});

describe('the 点击排行 box', () => {
  const rankings: HotRankings = new Map([
    ['', { '24h': [hexId(2), SEED_ID, hexId(1)], '7d': [hexId(1)] }],
    ['focus', { '24h': [SEED_ID, hexId(1)], '7d': [] }],
  ]);

  it('has a heading, a sub-heading per window and an ordered list of titled links in rank order', () => {
    const html = hotBoxHtml(context, hotListings(rankings, catalogue, ''));
    const b = box(html);
    expect(b.aside).toMatch(
      /^<aside class="hot" aria-labelledby="hot-title">\n<h2 id="hot-title">点击排行<\/h2>/,
    );
    expect(b.headings).toEqual(['点击排行', '24 小时', '7 天']);
    expect(html.match(/<ol class="hot-list">/g)).toHaveLength(2);
    expect(b.day).toEqual([
      { href: href(hexId(2)), title: `第 2 篇:${seedArticle.title}` },
      { href: href(SEED_ID), title: seedArticle.title },
      { href: href(hexId(1)), title: `第 1 篇:${seedArticle.title}` },
    ]);
    expect(b.week).toEqual([{ href: href(hexId(1)), title: `第 1 篇:${seedArticle.title}` }]);
  });

  it('says 暂无 for an empty window and escapes titles', () => {
    const hostile = { ...seedArticle, title: '<b>"标题"</b> & 更多' };
    const c = buildCatalogue([toListing(hostile)].filter((l): l is Listing => Boolean(l)));
    const html = hotBoxHtml(context, hotListings(new Map([['', { '24h': [SEED_ID], '7d': [] }]]), c, ''));
    expect(html).toContain('&lt;b&gt;&quot;标题&quot;&lt;/b&gt; &amp; 更多</a>');
    expect(html).toContain('<p class="empty">暂无</p>');
    expect(html).not.toContain('<b>');
  });

  it('shows only articles still published and still on the page’s list', () => {
    const smaller = catalogue.with({ remove: [hexId(2)] });
    expect(hotListings(rankings, smaller, '')['24h'].map((l) => l.id)).toEqual([SEED_ID, hexId(1)]);
    // A stale ranking that names a news article on the focus page does not show it there.
    const stale = new Map([['focus', { '24h': [hexId(2), SEED_ID], '7d': [] }]]);
    expect(hotListings(stale, catalogue, 'focus')['24h'].map((l) => l.id)).toEqual([SEED_ID]);
  });

  it('is on home and channel first pages, not on archive pages; same inputs give the same bytes', () => {
    const home = renderHomePage(context, catalogue, rankings);
    expect(home).toBe(renderHomePage(context, catalogue, new Map(rankings)));
    expect(box(home).day.map((l) => l.href)).toEqual([hexId(2), SEED_ID, hexId(1)].map(href));
    // Reading order: latest, then the box, then the channels.
    expect(home.indexOf('home-latest')).toBeLessThan(home.indexOf('class="hot"'));
    expect(home.indexOf('class="hot"')).toBeLessThan(home.indexOf('home-grid'));
    const focus = renderListPage(context, catalogue, 'focus', 'index', rankings) ?? '';
    expect(box(focus).day.map((l) => l.href)).toEqual([SEED_ID, hexId(1)].map(href));
    const archive = renderListPage(context, catalogue, 'focus/public-welfare', '2022-01', rankings) ?? '';
    expect(archive).toContain('<h1');
    expect(archive).not.toContain('class="hot"');
    expect(renderListPage(context, catalogue, 'focus/public-welfare', '2022-01')).toBe(archive);
    // No inline style or script: the strict CSP would refuse them.
    expect(box(home).aside).not.toMatch(/style=|<script|on[a-z]+=/);
  });

  it('passes html-validate on home and a channel page with full boxes', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    const full = hotRankings(catalogue, {
      '24h': new Map(site.map((a, i) => [a.id, 100 - i])),
      '7d': new Map(site.map((a, i) => [a.id, i + 1])),
    });
    for (const html of [
      renderHomePage(context, catalogue, full),
      renderListPage(context, catalogue, 'focus', 'index', full) ?? '',
    ]) {
      const report = await validator.validateString(html);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    }
  });
});
