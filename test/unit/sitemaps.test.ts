// Sitemaps: a month that empties, the news sitemap and robots.txt, checked with a real XML parser. The index and its
// children at 120,000 articles, and which children a publish or an unpublish rewrites: test/scale/sitemaps.test.ts.
import { describe, expect, it } from 'vitest';
import { pagesAffectedBy } from '#shared/render/affected.ts';
import { buildCatalogue, type Catalogue } from '#shared/render/catalogue.ts';
import { renderRef } from '#shared/render/site.ts';
import {
  NEWS_MAX_URLS,
  NEWS_SITEMAP_KEY,
  renderNewsSitemap,
  renderRobots,
  sitemapParts,
} from '#shared/render/sitemaps.ts';
import { hexId, seedArticle } from '../support/render-fixtures.ts';
import { context, listing, parse, SITE } from '../support/sitemaps.ts';

describe('a month that empties', () => {
  it('removes its child', () => {
    const only = listing(1, '2020-06-01T00:00:00.000Z');
    const catalogue = buildCatalogue([only, listing(2, '2021-01-01T00:00:00.000Z')]);
    const article = { ...seedArticle, ...only, status: 'published' as const };
    const affected = pagesAffectedBy([{ id: only.id, before: article }], catalogue);
    expect(affected.remove).toContain('sitemaps/2020-06.xml');
    expect(sitemapParts(affected.catalogue)).not.toContain('2020-06');
  });
});

describe('the news sitemap', () => {
  const now = new Date('2024-05-10T12:00:00.000Z');
  // One article every 2 minutes for the 3 days before now (2,160), and one scheduled after now.
  const recent = Array.from({ length: 2_160 }, (_, i) =>
    listing(i + 1, new Date(now.getTime() - (i + 1) * 120_000).toISOString()),
  );
  const catalogue: Catalogue = buildCatalogue([...recent, listing(9_999, '2024-05-10T13:00:00.000Z')]);
  const xml = renderNewsSitemap(context, catalogue, now);

  it('lists at most 1,000 articles of the last 48 hours, newest first, with the news: fields', () => {
    const set = parse(xml).urlset ?? {};
    expect(set['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    expect(set['@_xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    const urls = set.url as {
      loc: string;
      'news:news': {
        'news:publication': { 'news:name': string; 'news:language': string };
        'news:publication_date': string;
        'news:title': string;
      };
    }[];
    expect(urls).toHaveLength(NEWS_MAX_URLS);
    expect(urls[0]?.loc).toBe(`${SITE}/2024/0510/${hexId(1)}.html`);
    const dates = urls.map((u) => Date.parse(u['news:news']['news:publication_date']));
    expect(dates.every((d) => d > now.getTime() - 48 * 3_600_000 && d <= now.getTime())).toBe(true);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(urls[0]?.['news:news']['news:publication']).toEqual({
      'news:name': '法治周刊新媒体',
      'news:language': 'zh-cn',
    });
    expect(urls[0]?.['news:news']['news:title']).toBe('第 1 篇');
  });

  it('drops what is older than 48 hours', () => {
    const later = renderNewsSitemap(context, catalogue, new Date(now.getTime() + 47.9 * 3_600_000));
    const urls = (parse(later).urlset?.url as unknown[] | undefined) ?? [];
    // Of the 2,160 recent ones only those within 48 h of the later clock remain, plus the one after `now`.
    expect(urls.length).toBeLessThan(10);
    expect(urls.length).toBeGreaterThan(0);
  });

  it("is a page of the site, rendered with the render's clock", () => {
    const object = renderRef(
      context,
      { kind: 'news-sitemap' },
      { catalogue, articles: new Map(), views: new Map(), now },
    );
    expect(object?.key).toBe(NEWS_SITEMAP_KEY);
    expect(object?.contentType).toBe('application/xml; charset=utf-8');
    expect(object?.body).toBe(xml);
  });
});

describe('robots.txt', () => {
  it('names the sitemap index and keeps crawlers out of the desk and the API', () => {
    const robots = renderRobots(context);
    expect(robots).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).toMatch(/^Disallow: \/admin\/$/m);
    expect(robots).toMatch(/^Disallow: \/api\/$/m);
  });
});
