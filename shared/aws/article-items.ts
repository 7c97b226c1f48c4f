// Mapping between the Article model and its DynamoDB item, including the derived index keys.

import * as v from 'valibot';
import { type Article, articleStatuses } from '../domain/article.ts';
import type { ArticleListing } from '../ports.ts';
import { readItem, storedEditor, storedNumber, storedObject, storedString } from '../schema.ts';
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

/** The model's attributes of a checked item, without the derived keys and the hidden `_` ones. */
function fromItem(item: Record<string, unknown>): Article {
  const article: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!DERIVED.has(key) && !key.startsWith('_')) article[key] = value;
  }
  // Checked by the schema it was read through: what a reader relies on is there, the rest passes through.
  return article as unknown as Article;
}

const isDate = (value: string): boolean => !Number.isNaN(Date.parse(value));
const text = v.optional(storedString());
const editorRef = v.optional(storedEditor());

/** The attributes of an article item, whole or projected: each is checked where it is present. */
const articleAttributes = {
  id: storedString(),
  status: v.picklist(articleStatuses, 'must be an article status'),
  revision: v.optional(storedNumber()),
  title: text,
  body: text,
  author: text,
  source: text,
  channel: text,
  summary: text,
  submittedAt: text,
  updatedAt: text,
  publishedAt: v.optional(v.pipe(storedString(), v.check(isDate, 'must be a date'))),
  scheduledAt: text,
  editor: text,
  rejectReason: text,
  updatedBy: editorRef,
  lastEditor: editorRef,
  approvedBy: editorRef,
  scheduledBy: editorRef,
  images: v.optional(
    v.array(
      v.looseObject(
        { key: storedString(), caption: v.optional(storedString()) },
        storedObject('must be a photo'),
      ),
      'must be a list of photos',
    ),
  ),
};

const articleObject = v.looseObject(articleAttributes, storedObject());
type ArticleAttributes = v.InferOutput<typeof articleObject>;

/** A published article is shown: these attributes must be there. */
const publishedHas = (names: readonly (keyof ArticleAttributes & string)[]) =>
  v.check<ArticleAttributes, string>(
    (item) => item.status !== 'published' || names.every((name) => item[name] !== undefined),
    `a published article needs ${names.join(', ')}`,
  );

/**
 * A whole article item as read back (GetItem, BatchGetItem, a stream image): the attributes every reader relies on
 * are checked, the rest of the model passes through. A published article has its text, channel and a publish time.
 */
const articleItemSchema = v.pipe(articleObject, publishedHas(['title', 'body', 'channel', 'publishedAt']));

/** A byChannel listing (LISTING_ATTRIBUTES and status): what lists, the feed and the sitemap are built from. */
export const listingItemSchema = v.pipe(
  articleObject,
  publishedHas(['title', 'channel', 'publishedAt', 'updatedAt']),
);

/** A byStatus queue row (QUEUE_ATTRIBUTES): the desk sends its revision back, and pages on its sort key. */
export const queueItemSchema = v.looseObject(
  {
    ...articleAttributes,
    statusKey: storedString(),
    revision: storedNumber(),
    updatedAt: storedString(),
  },
  storedObject(),
);

/** The article a whole item holds (GetItem, BatchGetItem, a stream image). */
export const articleFromItem = (item: unknown): Article =>
  fromItem(readItem(articleItemSchema, item, 'article item', ['id']));

/** The article of a byChannel projection (or the same attributes read by id): what its listing is made from. */
export const listingArticleFromItem = (item: unknown): Article =>
  fromItem(readItem(listingItemSchema, item, 'listing item', ['id']));

/** A desk queue's row from a byStatus projection, with its sort key (the 待发布 queue's due time leads it). */
export function queueRowFromItem(item: unknown): { listing: ArticleListing; statusKey: string } {
  const row = readItem(queueItemSchema, item, 'queue item', ['id']);
  return { listing: fromItem(row), statusKey: row.statusKey };
}
