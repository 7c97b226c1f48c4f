// A WordPress WXR export (Tools → Export): RSS 2.0 with the wp:, content:, excerpt: and dc: namespaces. Published
// posts become articles; drafts, pages and attachments are listed and left behind. The file is read as a stream
// (saxes, a SAX parser): each <item> is handed on when its closing tag is read, so a ten-year export of hundreds of
// megabytes is never held whole; what is held is the item being read.
import { SaxesParser } from 'saxes';
import { importIdFor } from '../../../shared/domain/imported-article.ts';
import { NAMED_ENTITIES } from '../../../shared/migration/html-to-markdown.ts';
import { edgeRequestFor, redirectKeyOf } from '../../../shared/site-paths.ts';
import type { Source, SourceEntry } from './source.ts';
import { fileChunks, textChunks } from './table-files.ts';

/** One <item> as the source reads it: its leaf elements' text, its categories and its custom fields. */
export interface WxrItem {
  /** Text of each child element (`title`, `wp:post_id`, `content:encoded` …), the first of a name. */
  readonly fields: ReadonlyMap<string, string>;
  readonly categories: readonly {
    readonly domain: string;
    readonly nicename: string;
    readonly name: string;
  }[];
  readonly meta: readonly { readonly key: string; readonly value: string }[];
}

const TOLERATED =
  /(undefined entity|disallowed character\.|disallowed character in entity name|malformed character entity|the string "\]\]>" is disallowed)/;

/** What the export says of its site, before its items (WordPress writes the authors and categories first). */
export interface WxrChannel {
  baseSiteUrl: string;
  link: string;
  readonly authors: Map<string, string>;
}

/**
 * WXR fed in pieces of any size (`write`, then `end` once); each returns the items whose closing tag it read. Text
 * and CDATA are joined as the tree parser joined them; entities are the XML ones plus the common HTML ones the
 * bodies' converter knows (an unknown one is kept as written, as before).
 */
export class WxrReader {
  readonly channel: WxrChannel = { baseSiteUrl: '', link: '', authors: new Map() };
  #sawChannel = false;
  readonly #parser = new SaxesParser();
  readonly #stack: string[] = [];
  #capture: { text: string } | undefined;
  #item:
    | {
        fields: Map<string, string>;
        categories: WxrItem['categories'][number][];
        meta: WxrItem['meta'][number][];
      }
    | undefined;
  #category: { domain: string; nicename: string } | undefined;
  #pair: { key: string; value: string } | undefined;
  #items: WxrItem[] = [];

  constructor(name: string) {
    const parser = this.#parser;
    Object.assign(parser.ENTITIES, NAMED_ENTITIES);
    parser.on('error', (error) => {
      // Character-level faults are kept as written, as the tree parser used before kept them (WordPress exports
      // what its posts hold, control characters and stray entities included); a broken structure stops the run.
      if (TOLERATED.test(error.message)) return;
      throw new Error(`${name}: not well-formed XML: ${error.message}`);
    });
    parser.on('opentag', (node) => this.#open(node.name, node.attributes as Record<string, string>));
    parser.on('closetag', (node) => this.#close(node.name));
    const onText = (text: string) => {
      if (this.#capture) this.#capture.text += text;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
  }

  write(piece: string): WxrItem[] {
    this.#parser.write(piece);
    return this.#take();
  }

  end(): WxrItem[] {
    this.#parser.close();
    return this.#take();
  }

  /** An <rss><channel> was read. */
  get sawChannel(): boolean {
    return this.#sawChannel;
  }

  #take(): WxrItem[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  #open(name: string, attributes: Record<string, string>): void {
    const stack = this.#stack;
    stack.push(name);
    const depth = stack.length;
    const inChannel = stack[0] === 'rss' && stack[1] === 'channel';
    if (!inChannel) return;
    if (depth === 2) this.#sawChannel = true;
    else if (depth === 3) {
      if (name === 'item') this.#item = { fields: new Map(), categories: [], meta: [] };
      else if (name === 'wp:author') this.#pair = { key: '', value: '' };
      else if (name === 'wp:base_site_url' || name === 'link') this.#capture = { text: '' };
    } else if (depth === 4 && this.#item) {
      this.#capture = { text: '' };
      if (name === 'category')
        this.#category = { domain: attributes.domain ?? '', nicename: attributes.nicename ?? '' };
      else if (name === 'wp:postmeta') {
        this.#capture = undefined;
        this.#pair = { key: '', value: '' };
      }
    } else if (depth === 4 && this.#pair && (name === 'wp:author_login' || name === 'wp:author_display_name'))
      this.#capture = { text: '' };
    else if (depth === 5 && this.#item && this.#pair && (name === 'wp:meta_key' || name === 'wp:meta_value'))
      this.#capture = { text: '' };
  }

  #close(name: string): void {
    const depth = this.#stack.length;
    this.#stack.pop();
    const captured = this.#capture?.text;
    if (depth === 3) {
      if (name === 'item' && this.#item) {
        this.#items.push(this.#item);
        this.#item = undefined;
      } else if (name === 'wp:author' && this.#pair) {
        this.channel.authors.set(this.#pair.key.trim(), this.#pair.value.trim());
        this.#pair = undefined;
      } else if (name === 'wp:base_site_url' && captured !== undefined) this.channel.baseSiteUrl = captured;
      else if (name === 'link' && captured !== undefined) this.channel.link = captured;
      this.#capture = undefined;
    } else if (depth === 4 && this.#item) {
      if (name === 'category' && this.#category && captured !== undefined)
        this.#item.categories.push({ ...this.#category, name: captured });
      else if (name === 'wp:postmeta' && this.#pair) this.#item.meta.push(this.#pair);
      else if (captured !== undefined && !this.#item.fields.has(name)) this.#item.fields.set(name, captured);
      this.#category = undefined;
      if (name === 'wp:postmeta') this.#pair = undefined;
      this.#capture = undefined;
    } else if (depth === 4 && this.#pair && captured !== undefined) {
      if (name === 'wp:author_login') this.#pair.key = captured;
      else this.#pair.value = captured;
      this.#capture = undefined;
    } else if (depth === 5 && this.#item && this.#pair && captured !== undefined) {
      if (name === 'wp:meta_key') this.#pair.key = captured;
      else this.#pair.value = captured;
      this.#capture = undefined;
    }
  }
}

const ITEM_OPEN = Buffer.from('<item');
const CHANNEL_OPEN = Buffer.from('<channel');

/**
 * How many <item> elements the file has, and whether it has a <channel>, by a byte scan (no parse): the progress
 * bar's total, and a file that is no WXR refused before anything is imported. A post whose CDATA holds the text
 * `<item>` counts twice here and once in the import.
 */
export function scanWxr(file: string): { items: number; channel: boolean } {
  let items = 0;
  let channel = false;
  // The last bytes of the previous chunk, for a tag split between two: as long as `<item`, so none is counted twice.
  let carry = Buffer.alloc(0);
  let channelCarry = Buffer.alloc(0);
  for (const chunk of fileChunks(file)) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    for (let at = bytes.indexOf(ITEM_OPEN); at >= 0; at = bytes.indexOf(ITEM_OPEN, at + 1)) {
      const next = bytes[at + ITEM_OPEN.length];
      if (next === undefined) break;
      if (next === 0x3e || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d) items++;
    }
    carry = Buffer.from(bytes.subarray(Math.max(0, bytes.length - ITEM_OPEN.length)));
    if (!channel) {
      const around = Buffer.concat([channelCarry, chunk]);
      channel = around.includes(CHANNEL_OPEN);
      channelCarry = Buffer.from(around.subarray(Math.max(0, around.length - CHANNEL_OPEN.length)));
    }
  }
  return { items, channel };
}

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
  const { items: count, channel: hasChannel } = scanWxr(options.file);
  if (!hasChannel) throw new Error(`${options.file}: not a WordPress export (no rss/channel)`);

  function* items(reader: WxrReader): Generator<WxrItem> {
    for (const piece of textChunks(options.file, 'utf8')) yield* reader.write(piece);
    yield* reader.end();
    if (!reader.sawChannel) throw new Error(`${options.file}: not a WordPress export (no rss/channel)`);
  }

  function* entries(): Iterable<SourceEntry> {
    const reader = new WxrReader(options.file);
    for (const item of items(reader)) yield entryOf(item, reader.channel);
  }

  function entryOf(item: WxrItem, channel: WxrChannel): SourceEntry {
    const field = (name: string) => item.fields.get(name) ?? '';
    const postId = field('wp:post_id').trim();
    const ref = `post ${postId}`;
    const type = field('wp:post_type').trim();
    if (type !== 'post')
      return { kind: 'skipped', ref, reason: `post type ${type || 'missing'}, not a post` };
    const status = field('wp:status').trim();
    if (status !== 'publish')
      return { kind: 'skipped', ref, reason: `status ${status || 'unknown'}, not published` };
    if (!/^\d{1,12}$/.test(postId))
      return { kind: 'failed', ref, reason: `wp:post_id "${postId}" is not a number` };
    const categories = item.categories.filter((c) => c.domain === 'category');
    const mapped = categories
      .map((c) => options.channels.get(c.nicename) ?? options.channels.get(c.name.trim()))
      .find(Boolean);
    if (!mapped) {
      const names = categories.map((c) => c.name.trim()).join('、') || '(none)';
      return { kind: 'skipped', ref, reason: `category ${names} has no channel in the map` };
    }
    const meta = new Map(item.meta.map((m) => [m.key.trim(), m.value.trim()]));
    const publishedAt = gmtDate(field('wp:post_date_gmt')) ?? field('wp:post_date').trim();
    const link = field('link').trim();
    const oldUrls = new Set<string>([`/?p=${postId}`]);
    if (link) oldUrls.add(redirectKeyOf(edgeRequestFor(link)));
    const login = field('dc:creator').trim();
    const siteBase = channel.baseSiteUrl.trim() || channel.link.trim();
    return {
      kind: 'article',
      article: {
        ref,
        data: {
          // Keyed by the old site as well as the post: two WordPress sites imported into one newsroom keep apart.
          id: importIdFor(`wordpress:${siteBase}:${postId}`),
          title: field('title').trim(),
          channel: mapped,
          author: channel.authors.get(login) || login,
          source: meta.get('source') ?? meta.get('来源') ?? '',
          summary: field('excerpt:encoded').trim(),
          publishedAt,
          views: meta.get('views') ?? meta.get('post_views_count') ?? '0',
        },
        body: autop(field('content:encoded')),
        html: true,
        oldUrls: [...oldUrls],
        baseUrl: link ? new URL(link, 'http://old.invalid').pathname : '/',
      },
    };
  }

  return {
    description: `WordPress export ${options.file} (${count} items)`,
    count,
    entries: entries(),
    uploadPath: '/wp-content/uploads/',
  };
}
