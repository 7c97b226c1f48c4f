// Article bodies from Markdown: markdown-it with raw HTML off, only safe link targets, lazy images from this site.
import MarkdownIt from 'markdown-it';
import { escapeHtml } from './escape.ts';
import { BODY_SIZES, type Photo, photoForSrc, pictureHtml } from './gallery.ts';

/** Body size bound, as for submissions: larger input is cut rather than parsed. */
export const MAX_BODY_CHARS = 100_000;

export interface BodyImage {
  readonly src: string;
  readonly alt: string;
}

export interface RenderedBody {
  readonly html: string;
  /** Images shown inline, in order: the gallery (高清组图) repeats them. */
  readonly images: readonly BodyImage[];
  /** The first paragraph as plain text, for descriptions. */
  readonly lead: string;
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ABSOLUTE_HTTP = /^(?:https?:)?\/\//i;

/** http(s), mailto and relative links survive; javascript:, data:, vbscript: and every other scheme do not. */
export const isSafeHref = (href: string): boolean => SAFE_LINK.test(href) || !HAS_SCHEME.test(href.trim());

/** Only images from this site are loaded: an image on another host would be a third-party request (and CSP blocks it). */
const isLocalImage = (src: string): boolean => !HAS_SCHEME.test(src) && !ABSOLUTE_HTTP.test(src);

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
md.validateLink = (url) => isSafeHref(url);

const LINK_REL = 'nofollow ugc noopener';

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  if (token) token.attrSet('rel', LINK_REL);
  return self.renderToken(tokens, idx, options);
};

// Aligned table columns: markdown-it writes `style="text-align:…"`, which the CSP (style-src 'self', no inline
// style) refuses, so the alignment becomes a class the stylesheet styles.
const ALIGNED = /^text-align:(left|center|right)$/;
for (const cell of ['th_open', 'td_open'] as const) {
  md.renderer.rules[cell] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    const align = ALIGNED.exec(String(token?.attrGet('style') ?? ''))?.[1];
    if (token && align) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      token.attrJoin('class', `align-${align}`);
    }
    return self.renderToken(tokens, idx, options);
  };
}

md.renderer.rules.image = (tokens, idx, options, env: unknown) => {
  const token = tokens[idx];
  if (!token) return '';
  const { images, photos } = env as { images: BodyImage[]; photos: readonly Photo[] };
  const src = String(token.attrGet('src') ?? '');
  const alt = String(
    token.children
      ? md.renderer.renderInlineAsText(token.children, options, env as Record<string, unknown>)
      : token.content,
  );
  // A contributor's photo: the responsive sizes processing made, with width and height so nothing shifts.
  const photo = photoForSrc(src, photos);
  if (photo) {
    const first = photo.variants[0];
    // The first photo of a body usually sits in the first screen and is the page's largest paint: loading it lazily
    // would hold the paint back until layout, so only the later ones are lazy.
    const leading = images.length === 0;
    if (first) images.push({ src: `/${first.jpeg}`, alt });
    return pictureHtml(photo, { alt, sizes: BODY_SIZES, lazy: !leading, fetchPriorityHigh: leading });
  }
  // An upload that is not (or not yet) a processed photo is never linked: quarantine is not served.
  if (src.startsWith('uploads/')) return escapeHtml(alt);
  if (!isLocalImage(src)) {
    // A remote image stays reachable as a plain link instead of being fetched from another host.
    return `<a href="${escapeHtml(src)}" rel="${LINK_REL}">${escapeHtml(alt || src)}</a>`;
  }
  images.push({ src, alt });
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" loading="lazy" decoding="async">`;
};

const LEAD_SOURCE_CHARS = 2000;
const BLANK_LINE = /\n\s*\n/g;
const NOT_PROSE = /^(#|>|[-*+] |\d+\. |!\[|```)/;

/** The first block of plain prose (not a heading, quote, list, image or code), read block by block from the top. */
function firstProse(source: string): string {
  BLANK_LINE.lastIndex = 0;
  let start = 0;
  while (start <= source.length) {
    const gap = BLANK_LINE.exec(source);
    const block = source.slice(start, gap ? gap.index : source.length).trim();
    if (block && !NOT_PROSE.test(block)) return block;
    if (!gap) return '';
    start = gap.index + gap[0].length;
  }
  return '';
}

const plainText = (markdown: string): string =>
  markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#~]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

export function renderBody(markdown: string, photos: readonly Photo[] = []): RenderedBody {
  const source = markdown.length > MAX_BODY_CHARS ? markdown.slice(0, MAX_BODY_CHARS) : markdown;
  const env = { images: [] as BodyImage[], photos };
  const bodyHtml = md.render(source, env);
  return { html: bodyHtml, images: env.images, lead: leadOf(source) };
}

/**
 * The opening paragraph as plain text, without rendering the body (the page's description, a feed entry's). The
 * link-stripping patterns rescan from every `[`, so a paragraph of 100,000 brackets took seconds: only the
 * paragraph's start is read.
 */
export const leadOf = (markdown: string): string =>
  plainText(
    firstProse(markdown.length > MAX_BODY_CHARS ? markdown.slice(0, MAX_BODY_CHARS) : markdown).slice(
      0,
      LEAD_SOURCE_CHARS,
    ),
  );

/** A description of at most `max` characters, cut on a character boundary with an ellipsis. */
export function excerpt(text: string, max = 120): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
