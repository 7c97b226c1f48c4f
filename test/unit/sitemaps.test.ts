// Sitemaps at archive scale: the index, its children, the news sitemap and robots.txt, checked with a real XML
// parser at 120,000 articles, and which children a publish or an unpublish rewrites.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { pagesAffectedBy, refId } from '#shared/render/affected.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { buildCatalogue, type Catalogue, type Listing } from '#shared/render/catalogue.ts';
import { renderRef } from '#shared/render/site.ts';
import {
  NEWS_MAX_URLS,
  NEWS_SITEMAP_KEY,
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderSitemapPart,
  SITEMAP_MAX_BYTES,
  SITEMAP_MAX_URLS,
  sitemapPartKey,
  sitemapParts,
} from '#shared/render/sitemaps.ts';
import { hexId, seedArticle } from '../support/render-fixtures.ts';

const SITE = 'https://news.example.cn';
const context = { siteUrl: SITE, assets: loadSiteAssets() };
const CHANNELS = ['focus/public-welfare', 'news/politics', 'law/cases'];

const listing = (n: number, publishedAt: string): Listing => ({
  id: hexId(n),
  title: `第 ${n} 篇`,
  summary: '',
  channel: CHANNELS[n % CHANNELS.length] ?? 'focus/public-welfare',
  author: '',
  source: '',
  editor: 'admin',
  publishedAt,
  updatedAt: publishedAt,
});

/**
 * 120,000 articles: 60,000 in March 2023 alone (one a minute from the 1st, so past 50,000 that month splits), and
 * 60,000 spread over the ten years before it.
 */
function archive(): Listing[] {
  const all: Listing[] = [];
  const march = Date.UTC(2023, 2, 1);
  for (let i = 0; i < 60_000; i++) all.push(listing(i + 1, new Date(march + i * 40_000).toISOString()));
  const start = Date.UTC(2013, 0, 1);
  const step = Math.floor((Date.UTC(2023, 1, 1) - start) / 60_000);
  for (let i = 0; i < 60_000; i++) all.push(listing(60_001 + i, new Date(start + i * step).toISOString()));
  return all;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'url' || name === 'sitemap',
});
const parse = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Record<string, Record<string, unknown>>;
};

describe('sitemaps of a 120,000-article archive', () => {
  const catalogue = buildCatalogue(archive());
  const parts = sitemapParts(catalogue);
  const bodies = new Map(parts.map((part) => [part, renderSitemapPart(context, catalogue, part) ?? '']));

  it('the index lists every child and the news sitemap, in the sitemap namespace', () => {
    const index = parse(renderSitemapIndex(context, catalogue)).sitemapindex ?? {};
    expect(index['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = (index.sitemap as { loc: string; lastmod?: string }[]).map((s) => s.loc);
    expect(locs).toEqual([
      ...parts.map((part) => `${SITE}/${sitemapPartKey(part)}`),
      `${SITE}/${NEWS_SITEMAP_KEY}`,
    ]);
    // Ten years of months, the list pages, and March 2023 split in two.
    expect(parts).toContain('2023-03');
    expect(parts).toContain('2023-03-2');
    expect(parts.length).toBeGreaterThan(120);
    console.log(`sitemaps: ${parts.length} children for ${catalogue.list('').length} articles`);
  });

  it('no child exceeds 50,000 URLs or 50 MB, and every article is listed exactly once', () => {
    const seen = new Set<string>();
    let largest = { urls: 0, bytes: 0 };
    for (const [part, xml] of bodies) {
      const set = parse(xml).urlset ?? {};
      expect(set['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
      const urls = (set.url as { loc: string }[]).map((u) => u.loc);
      const bytes = Buffer.byteLength(xml);
      expect(urls.length, part).toBeLessThanOrEqual(SITEMAP_MAX_URLS);
      expect(bytes, part).toBeLessThanOrEqual(SITEMAP_MAX_BYTES);
      largest = { urls: Math.max(largest.urls, urls.length), bytes: Math.max(largest.bytes, bytes) };
      for (const url of urls) {
        expect(seen.has(url), url).toBe(false);
        seen.add(url);
      }
    }
    // Every article, home and every channel's first page.
    expect(seen.size).toBe(120_000 + 1 + catalogue.channels.all.length);
    console.log(`sitemaps: largest child ${largest.urls} URLs, ${(largest.bytes / 1e6).toFixed(2)} MB`);
  });

  it("a publish rewrites only the newest month's last child; every past child stays byte-identical", () => {
    const fresh = listing(200_001, '2023-03-31T12:00:00.000Z');
    const article = { ...seedArticle, ...fresh, status: 'published' as const };
    const affected = pagesAffectedBy(
      [{ id: fresh.id, before: { ...article, status: 'pending' }, after: article }],
      catalogue,
    );
    const sitemapRefs = affected.render.map(refId).filter((r) => r.startsWith('sitemap-part'));
    expect(sitemapRefs).toEqual(['sitemap-part:2023-03-2']);
    const changed = sitemapParts(affected.catalogue).filter(
      (part) => renderSitemapPart(context, affected.catalogue, part) !== bodies.get(part),
    );
    expect(changed).toEqual(['2023-03-2']);
  });

  it('an unpublish in a split month re-renders its child and the later ones of that month only', () => {
    const victim = catalogue.list('').find((l) => l.publishedAt.startsWith('2023-03-05')) as Listing;
    const article = { ...seedArticle, ...victim, status: 'published' as const };
    const affected = pagesAffectedBy(
      [{ id: victim.id, before: article, after: { ...article, status: 'unpublished' } }],
      catalogue,
    );
    const refs = affected.render.map(refId).filter((r) => r.startsWith('sitemap-part'));
    expect(refs.sort()).toEqual(['sitemap-part:2023-03', 'sitemap-part:2023-03-2']);
    const changed = sitemapParts(affected.catalogue).filter(
      (part) => renderSitemapPart(context, affected.catalogue, part) !== bodies.get(part),
    );
    expect(changed.sort()).toEqual(['2023-03', '2023-03-2']);
  });
});

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
