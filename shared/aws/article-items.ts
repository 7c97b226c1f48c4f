// Mapping between the Article model and its DynamoDB item, including the derived index keys.

import * as v from 'valibot';
import { type Article, articleStatuses } from '../domain/article.ts';
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

/** A listing's projection (some attributes of an item): the model's attributes without the derived keys. */
export function fromItem(item: Record<string, unknown>): Article {
  const article: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!DERIVED.has(key) && !key.startsWith('_')) article[key] = value;
  }
  return article as unknown as Article;
}

const isDate = (value: string): boolean => !Number.isNaN(Date.parse(value));
const text = v.optional(v.string());
const editorRef = v.optional(v.object({ name: v.string(), sub: v.string() }));

/**
 * A whole article item as read back (GetItem, a stream image): the attributes every reader relies on are checked,
 * the rest of the model passes through. A published article has its text, channel and a publish time that parses.
 */
export const articleItemSchema = v.pipe(
  v.looseObject({
    id: v.string('image has no id'),
    status: v.picklist(articleStatuses, 'image has no known status'),
    revision: v.optional(v.number()),
    title: text,
    body: text,
    author: text,
    source: text,
    channel: text,
    summary: text,
    submittedAt: text,
    updatedAt: text,
    publishedAt: v.optional(v.pipe(v.string(), v.check(isDate, 'publishedAt is not a date'))),
    scheduledAt: text,
    editor: text,
    updatedBy: editorRef,
    lastEditor: editorRef,
    approvedBy: editorRef,
    scheduledBy: editorRef,
    images: v.optional(v.array(v.looseObject({ key: v.string(), caption: v.optional(v.string()) }))),
  }),
  v.check(
    (a) =>
      a.status !== 'published' ||
      (a.title !== undefined &&
        a.body !== undefined &&
        a.channel !== undefined &&
        a.publishedAt !== undefined),
    'published image lacks title, body, channel or publishedAt',
  ),
);

/** The article an item holds; throws, naming the first problem, when the item is not one. */
export function articleFromItem(item: unknown): Article {
  const result = v.safeParse(articleItemSchema, item);
  if (!result.success) throw new Error(result.issues[0]?.message ?? 'not an article item');
  return fromItem(result.output);
}
