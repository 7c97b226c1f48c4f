// The rebuild manifest skips a page when its inputs digest is unchanged, so that must imply identical bytes. These
// tests render a whole site before and after each kind of change and check it page by page.
import { describe, expect, it } from 'vitest';
import type { Article } from '#shared/domain/article.ts';
import { allPages, refId } from '#shared/render/affected.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { buildCatalogue, type Listing, toListing } from '#shared/render/catalogue.ts';
import type { HotRankings } from '#shared/render/hot-list.ts';
import { pageInputDigests, renderVersion } from '#shared/render/page-inputs.ts';
import { renderRef } from '#shared/render/site.ts';
import { hexId, history } from '../support/render-fixtures.ts';

const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };

interface Site {
  readonly articles: readonly Article[];
  readonly views: ReadonlyMap<string, number>;
  readonly hot: HotRankings;
}

/** The render's clock: the news sitemap's window ends here. */
const NOW = new Date('2022-04-16T00:00:00.000Z');

/** Every page of the site: refId → [inputs digest, bytes]. */
function renderSite(site: Site, code = 'code-1'): Map<string, [string, string]> {
  const catalogue = buildCatalogue(site.articles.map(toListing).filter((l): l is Listing => Boolean(l)));
  const byId = new Map(site.articles.map((a) => [a.id, a]));
  const inputsOf = pageInputDigests({
    catalogue,
    views: site.views,
    hot: site.hot,
    now: NOW,
    version: renderVersion(context, code),
  });
  const pages = new Map<string, [string, string]>();
  for (const ref of allPages(catalogue)) {
    const object = renderRef(context, ref, {
      catalogue,
      articles: byId,
      views: site.views,
      hot: site.hot,
      now: NOW,
    });
    if (object) pages.set(refId(ref), [inputsOf(ref), String(object.body)]);
  }
  return pages;
}

/** Pages whose digest stayed the same must keep their bytes; returns the pages whose digest changed. */
function compare(before: Site, after: Site): string[] {
  const a = renderSite(before);
  const b = renderSite(after);
  const changed: string[] = [];
  for (const [ref, [digest, bytes]] of b) {
    const old = a.get(ref);
    if (old && old[0] === digest) expect(bytes, `${ref} kept its digest but not its bytes`).toBe(old[1]);
    else changed.push(ref);
  }
  return changed;
}

const articles = history(60, ['focus/public-welfare', 'news/politics', 'focus']);
const base: Site = {
  articles,
  views: new Map(articles.map((a, i) => [a.id, i * 3])),
  hot: new Map([['', { '24h': [hexId(5), hexId(9)], '7d': [hexId(9)] }]]),
};
const edit = (index: number, change: Partial<Article>): Article[] =>
  articles.map((a, i) => (i === index ? { ...a, ...change, updatedAt: '2026-01-01T00:00:00.000Z' } : a));

describe('page input digests', () => {
  it('are the same for the same site, and change every page when the code does', () => {
    expect(compare(base, base)).toEqual([]);
    const a = renderSite(base, 'code-1');
    const b = renderSite(base, 'code-2');
    for (const [ref, [digest]] of b) expect(digest).not.toBe(a.get(ref)?.[0]);
  });

  it('a new view count changes that article page only', () => {
    const id = hexId(30);
    const changed = compare(base, { ...base, views: new Map([...base.views, [id, 1000]]) });
    expect(changed).toEqual([`article:${id}`]);
  });

  it('an edited body (a new updatedAt) changes the article page and what lists its listing', () => {
    const changed = compare(base, { ...base, articles: edit(30, { body: '改过的正文。' }) });
    expect(changed).toContain(`article:${hexId(31)}`);
    expect(changed).not.toContain(`article:${hexId(1)}`);
    expect(changed.length).toBeLessThan(20);
  });

  it('a new title reaches the neighbours, lists, home, feed and sitemap, and nothing else', () => {
    const changed = compare(base, { ...base, articles: edit(58, { title: '新标题' }) });
    expect(changed).toEqual(expect.arrayContaining(['home', 'feed', 'sitemap', `article:${hexId(59)}`]));
    expect(changed).not.toContain(`article:${hexId(10)}`);
  });

  it('a new article and a changed 点击排行 box keep the digests honest', () => {
    const added = history(61, ['focus/public-welfare', 'news/politics', 'focus']);
    compare(base, { ...base, articles: added });
    const changed = compare(base, { ...base, hot: new Map([['', { '24h': [hexId(9)], '7d': [] }]]) });
    expect(changed).toEqual(['home']);
  });
});
