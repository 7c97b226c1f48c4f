// Mapping between the Article model and its DynamoDB item, including the derived index keys.
import type { Article } from '../domain/article.ts';
import { siteConfig } from '../site-config.ts';
import { ARTICLE_EXPIRY_ATTRIBUTE as EXPIRES_AT } from '../tables.ts';

export type ArticleItem = Article & {
  readonly listChannel?: string;
  readonly publishedKey?: string;
  readonly statusKey: string;
  /** Epoch seconds at which DynamoDB's TTL deletes a submission nobody published (articlesTable's TTL attribute). */
  readonly expiresAt?: number;
};

/** Submissions nobody published (pending, approved by 初审, rejected) expire `siteConfig.retentionDays` after their last change. */
export function expiryOf(article: Pick<Article, 'status' | 'updatedAt'>): number | undefined {
  const days =
    article.status === 'pending' || article.status === 'approved'
      ? siteConfig.retentionDays.pending
      : article.status === 'rejected'
        ? siteConfig.retentionDays.rejected
        : undefined;
  const changed = Date.parse(article.updatedAt);
  return days === undefined || Number.isNaN(changed) ? undefined : Math.floor(changed / 1000) + days * 86_400;
}

/**
 * The byChannel sort key: the UTC instant, so that string order is time order whatever offset `publishedAt` was
 * written with (imports keep `+08:00`), then the id.
 */
export const publishedKeyOf = (publishedAt: string, id: string): string => {
  const at = new Date(publishedAt);
  return `${Number.isNaN(at.getTime()) ? publishedAt : at.toISOString()}#${id}`;
};

/** Counter item of a list (`SITE_LIST` is ''): how many published articles it holds, kept with each status change. */
export const listCounterId = (path: string): string => `list#${path}`;
export const LIST_COUNTER_ATTRIBUTE = 'total';

/** Index keys and the expiry derive from the article, so they can never disagree with it. */
export function toItem(article: Article): ArticleItem {
  const published = article.status === 'published' && article.publishedAt;
  const expiresAt = expiryOf(article);
  return {
    ...article,
    // The 待发布 queue is ordered by due time, and its sort key carries that time (byStatus holds no scheduledAt).
    statusKey: `${article.status === 'scheduled' && article.scheduledAt ? article.scheduledAt : article.updatedAt}#${article.id}`,
    ...(published
      ? { listChannel: article.channel, publishedKey: publishedKeyOf(article.publishedAt, article.id) }
      : {}),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

const DERIVED = new Set(['listChannel', 'publishedKey', 'statusKey', EXPIRES_AT]);

export function fromItem(item: Record<string, unknown>): Article {
  const article: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!DERIVED.has(key) && !key.startsWith('_')) article[key] = value;
  }
  return article as unknown as Article;
}
