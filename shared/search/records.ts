// What the search index holds for one published article: its URL, its text (title, summary, body without
// markup) and what a result shows (title, date, channel), with the filters the search page offers (channel, year).
import { channelName, channels } from '../channels.ts';
import type { Article } from '../domain/article.ts';
import { pagePath, shownTime } from '../render/dates.ts';
import { renderBody } from '../render/markdown.ts';
import { type Locale, siteConfig } from '../site-config.ts';

export interface SearchRecord {
  readonly url: string;
  readonly content: string;
  /** ISO 639-1, as Pagefind expects: `zh` makes it segment Chinese words when it indexes. */
  readonly language: string;
  readonly meta: { readonly title: string; readonly date: string; readonly channel: string };
  readonly filters: { readonly channel: string[]; readonly year: string[] };
}

/** The filters a search can narrow by; the search page's controls carry the same names. */
export const SEARCH_FILTERS = ['channel', 'year'] as const;

export const searchLanguage = (locale: Locale): string => locale.split('-')[0] ?? locale;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The body's text as readers see it: rendered from Markdown (so link targets and markup are not indexed). */
export function bodyText(markdown: string): string {
  return renderBody(markdown)
    .html.replace(/<\/(p|h[1-6]|li|blockquote)>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** The index record of a published article (`publishedAt` is its first-publish time, which its URL carries). */
export function searchRecord(
  article: Article & { readonly publishedAt: string },
  locale: Locale = siteConfig.defaultLocale,
): SearchRecord {
  const trail = channels.get(article.channel)?.trail ?? [];
  const shown = shownTime(article.publishedAt);
  const root = trail[0];
  return {
    url: pagePath(article),
    content: [article.title, article.summary ?? '', bodyText(article.body)].filter(Boolean).join('\n'),
    language: searchLanguage(locale),
    meta: {
      title: article.title,
      date: shown.slice(0, 10),
      channel: trail.map((c) => channelName(c, locale)).join(' > '),
    },
    filters: {
      channel: root ? [channelName(root, locale)] : [],
      year: [shown.slice(0, 4)],
    },
  };
}
