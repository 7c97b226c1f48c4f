// Sitemaps at archive scale: the index and its children, checked with a real XML parser at 120,000 articles, and
// which children a publish or an unpublish rewrites. Pure code, but seconds of it: the servers lane runs it.
import { describe, expect, it } from 'vitest';
import { pagesAffectedBy, refId } from '#shared/render/affected.ts';
import { buildCatalogue, type Listing } from '#shared/render/catalogue.ts';
import {
  NEWS_SITEMAP_KEY,
  renderSitemapIndex,
  renderSitemapPart,
  SITEMAP_MAX_BYTES,
  SITEMAP_MAX_URLS,
  sitemapPartKey,
  sitemapParts,
} from '#shared/render/sitemaps.ts';
import { seedArticle } from '../support/render-fixtures.ts';
import { context, listing, parse, SITE } from '../support/sitemaps.ts';

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
