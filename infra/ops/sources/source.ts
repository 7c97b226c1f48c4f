// What every import source (Markdown files, a WordPress export, DedeCMS tables) yields: one entry per old item,
// either an article in the importer's front-matter shape or the reason it is not imported. The write path
// (infra/ops/import.ts) is the same for all of them.
import { readFileSync } from 'node:fs';
import { siteConfig } from '../../../shared/site-config.ts';

export interface SourceArticle {
  /** How messages name the item: a file path, `post 12`, `aid 35`. */
  readonly ref: string;
  /** Front-matter fields: title, channel, author, source, publishedAt, views, summary, editor, id. */
  readonly data: Record<string, string>;
  readonly body: string;
  /** The body is HTML from the old CMS, to be turned into Markdown (and its images brought along). */
  readonly html: boolean;
  /** The old site's URLs for it, root-relative (`/a/news/20220415/35.html`, `/?p=12`). */
  readonly oldUrls: readonly string[];
  /** Where the old site's body URLs resolve from: the article's old address. */
  readonly baseUrl?: string;
}

export type SourceEntry =
  | { readonly kind: 'article'; readonly article: SourceArticle }
  /** Not meant to be imported (a draft, an unmapped category): listed, not an error. */
  | { readonly kind: 'skipped'; readonly ref: string; readonly reason: string }
  | { readonly kind: 'failed'; readonly ref: string; readonly reason: string };

export interface Source {
  readonly description: string;
  /** How many entries `entries` yields. */
  readonly count: number;
  /**
   * Read lazily: iterating does the per-item work (reading a file, parsing a row or an XML item from a stream), so a
   * source holds about one entry at a time whatever its export's size. Returning the iterator early closes it.
   */
  readonly entries: Iterable<SourceEntry>;
  /** The old site's upload folder as bodies reference it (`/uploads/`, `/wp-content/uploads/`): `--media` holds a copy. */
  readonly uploadPath?: string;
  /** Importing DedeCMS articles turns on the edge's computed rule for their URLs (shared/site-paths.ts). */
  readonly dedecmsRule?: boolean;
}

/** Every channel path of the site config. */
export function channelPaths(): Set<string> {
  const paths = new Set<string>();
  for (const channel of siteConfig.channels) {
    paths.add(channel.slug);
    for (const child of channel.children ?? []) paths.add(`${channel.slug}/${child.slug}`);
  }
  return paths;
}

/**
 * The operator's channel mapping: a JSON object from the old category (WordPress slug or name, DedeCMS typeid or
 * typedir) to a channel path of the site config. A mapping to a channel the site does not have is refused up front.
 */
export function readChannelMap(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`channel map ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`channel map ${file}: must be a JSON object like {"12": "law/cases"}`);
  }
  const known = channelPaths();
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' || !known.has(value)) {
      throw new Error(
        `channel map ${file}: "${key}" maps to ${JSON.stringify(value)}, which is not a channel (${[...known].join(', ')})`,
      );
    }
    map.set(key, value);
  }
  return map;
}
