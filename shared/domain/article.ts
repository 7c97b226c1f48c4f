// The article as the system of record holds it, and the states it moves through.
import type { ImageRef } from './uploads.ts';

export type ArticleStatus = 'pending' | 'published' | 'rejected' | 'unpublished';

export interface Contact {
  readonly name?: string;
  readonly email?: string;
}

export interface Article {
  readonly id: string;
  readonly status: ArticleStatus;
  readonly title: string;
  /** Markdown. */
  readonly body: string;
  readonly author: string;
  readonly source: string;
  readonly channel: string;
  readonly summary: string;
  /** Photos for the 高清组图 gallery (upload keys and captions); what processing made of them is in upload records. */
  readonly images?: readonly ImageRef[];
  /** Private: stored for the editors, never rendered, never logged. */
  readonly contact?: Contact;
  /** ISO 8601 with offset. */
  readonly submittedAt: string;
  readonly updatedAt: string;
  /** Set on first publish and never changed afterwards: the permanent URL derives from it. */
  readonly publishedAt?: string;
  readonly editor?: string;
  readonly rejectReason?: string;
  /** Its URLs on the site it was imported from (redirect keys, e.g. `/a/news/20220415/35.html`, `/?p=12`). */
  readonly oldUrls?: readonly string[];
  /** Monotonic revision for conditional writes. */
  readonly revision: number;
}

/** Ids are 16 lower-case hex characters, like the seed's `2a8c6bce1fad40bb`. */
export const ARTICLE_ID_PATTERN = /^[0-9a-f]{16}$/;

export const isArticleId = (value: string): boolean => ARTICLE_ID_PATTERN.test(value);
