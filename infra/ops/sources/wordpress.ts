// A WordPress WXR export (Tools → Export): RSS 2.0 with the wp:, content:, excerpt: and dc: namespaces. Published
// posts become articles; drafts, pages and attachments are listed and left behind.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { importIdFor } from '../../../shared/domain/imported-article.ts';
import { edgeRequestFor, redirectKeyOf } from '../../../shared/site-paths.ts';
import type { Source, SourceEntry } from './source.ts';

type Node = Record<string, unknown>;

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return text((value as Node)['#text']);
  return String(value);
};
const list = (value: unknown): Node[] =>
  value === undefined
    ? []
    : (Array.isArray(value) ? value : [value]).filter((v): v is Node => typeof v === 'object' && v !== null);

const BLOCK_START =
  /^<(?:p|div|h[1-6]|ul|ol|li|blockquote|table|thead|tbody|tr|td|th|pre|figure|figcaption|hr|section|article|!--)[\s>/]/i;

/**
 * WordPress stores post_content without paragraphs: it adds them on display (wpautop). A minimal version of it:
 * blank-line-separated blocks that are not already block elements become paragraphs, single newlines line breaks.
 */
export function autop(content: string): string {
  const source = content.replace(/\r\n?/g, '\n').replace(/\[\/?caption[^\]]*\]/g, '');
  if (!/\n\s*\n/.test(source) && /^\s*</.test(source)) return source;
  return source
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => (BLOCK_START.test(block) ? block : `<p>${block.replace(/\n/g, '<br>\n')}</p>`))
    .join('\n');
}

/** `2019-03-15 10:20:00` UTC as ISO 8601, or undefined for WordPress' zero date. */
function gmtDate(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(value.trim());
  if (!match || value.startsWith('0000')) return undefined;
  return `${match[1]}T${match[2]}Z`;
}

export interface WordpressOptions {
  readonly file: string;
  readonly channels: ReadonlyMap<string, string>;
}

export function wordpressSource(options: WordpressOptions): Source {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => ['item', 'category', 'wp:postmeta', 'wp:author', 'wp:category'].includes(name),
  });
  const xml = parser.parse(readFileSync(options.file, 'utf8')) as Node;
  const channel = (xml.rss as Node | undefined)?.channel as Node | undefined;
  if (!channel) throw new Error(`${options.file}: not a WordPress export (no rss/channel)`);
  const siteBase = text(channel['wp:base_site_url']).trim() || text(channel.link).trim();
  const authors = new Map(
    list(channel['wp:author']).map((a) => [
      text(a['wp:author_login']).trim(),
      text(a['wp:author_display_name']).trim(),
    ]),
  );
  const items = list(channel.item);

  function* entries(): Iterable<SourceEntry> {
    for (const item of items) {
      const postId = text(item['wp:post_id']).trim();
      const ref = `post ${postId}`;
      const type = text(item['wp:post_type']).trim();
      if (type !== 'post') {
        yield { kind: 'skipped', ref, reason: `post type ${type || 'missing'}, not a post` };
        continue;
      }
      const status = text(item['wp:status']).trim();
      if (status !== 'publish') {
        yield { kind: 'skipped', ref, reason: `status ${status || 'unknown'}, not published` };
        continue;
      }
      if (!/^\d{1,12}$/.test(postId)) {
        yield { kind: 'failed', ref, reason: `wp:post_id "${postId}" is not a number` };
        continue;
      }
      const categories = list(item.category).filter((c) => c['@domain'] === 'category');
      const mapped = categories
        .map((c) => options.channels.get(text(c['@nicename'])) ?? options.channels.get(text(c).trim()))
        .find(Boolean);
      if (!mapped) {
        const names = categories.map((c) => text(c).trim()).join('、') || '(none)';
        yield { kind: 'skipped', ref, reason: `category ${names} has no channel in the map` };
        continue;
      }
      const meta = new Map(
        list(item['wp:postmeta']).map((m) => [
          text(m['wp:meta_key']).trim(),
          text(m['wp:meta_value']).trim(),
        ]),
      );
      const publishedAt = gmtDate(text(item['wp:post_date_gmt'])) ?? text(item['wp:post_date']).trim();
      const link = text(item.link).trim();
      const oldUrls = new Set<string>([`/?p=${postId}`]);
      if (link) oldUrls.add(redirectKeyOf(edgeRequestFor(link)));
      const login = text(item['dc:creator']).trim();
      yield {
        kind: 'article',
        article: {
          ref,
          data: {
            // Keyed by the old site as well as the post: two WordPress sites imported into one newsroom keep apart.
            id: importIdFor(`wordpress:${siteBase}:${postId}`),
            title: text(item.title).trim(),
            channel: mapped,
            author: authors.get(login) || login,
            source: meta.get('source') ?? meta.get('来源') ?? '',
            summary: text(item['excerpt:encoded']).trim(),
            publishedAt,
            views: meta.get('views') ?? meta.get('post_views_count') ?? '0',
          },
          body: autop(text(item['content:encoded'])),
          html: true,
          oldUrls: [...oldUrls],
          baseUrl: link ? new URL(link, 'http://old.invalid').pathname : '/',
        },
      };
    }
  }

  return {
    description: `WordPress export ${options.file} (${items.length} items)`,
    count: items.length,
    entries: entries(),
    uploadPath: '/wp-content/uploads/',
  };
}
