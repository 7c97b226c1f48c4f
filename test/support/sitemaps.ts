// Sitemap test fixtures: the site's address and render context, a listing per number, and a parse that first checks
// the XML is well-formed. Shared by test/unit/sitemaps.test.ts and the archive-scale test/scale/sitemaps.test.ts.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import { loadSiteAssets } from '#shared/render/assets.ts';
import type { Listing } from '#shared/render/catalogue.ts';
import { hexId } from './render-fixtures.ts';

export const SITE = 'https://news.example.cn';
export const context = { siteUrl: SITE, assets: loadSiteAssets() };
const CHANNELS = ['focus/public-welfare', 'news/politics', 'law/cases'];

export const listing = (n: number, publishedAt: string): Listing => ({
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

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'url' || name === 'sitemap',
});
export const parse = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Record<string, Record<string, unknown>>;
};
