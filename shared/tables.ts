// Table and index key schemas, defined once for the CDK stack and the local runtime.

export type AttributeType = 'S' | 'N';

export interface KeySchema {
  readonly partitionKey: { readonly name: string; readonly type: AttributeType };
  readonly sortKey?: { readonly name: string; readonly type: AttributeType };
}

export interface IndexSchema extends KeySchema {
  readonly indexName: string;
  /**
   * The non-key attributes the index holds (DynamoDB's INCLUDE projection); the table's and the index's keys are
   * always there. An article body is up to 100,000 characters: an index that held it would copy it on every write
   * and read it on every list query.
   */
  readonly attributes: readonly string[];
}

export interface TableSchema extends KeySchema {
  /** Logical name: the CDK construct id and the local table name. */
  readonly logicalName: string;
  readonly stream: boolean;
  readonly indexes: readonly IndexSchema[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item. */
  readonly timeToLiveAttribute?: string;
}

export const ARTICLES_BY_CHANNEL = 'byChannel';
/** Epoch seconds after which DynamoDB deletes a pending or rejected submission (shared/aws/article-items.ts). */
export const ARTICLE_EXPIRY_ATTRIBUTE = 'expiresAt';
export const ARTICLES_BY_STATUS = 'byStatus';

/** What a list page, the feed and the sitemap need of a published article: all that `byChannel` holds. */
export const LISTING_ATTRIBUTES = [
  'id',
  'title',
  'summary',
  'channel',
  'author',
  'source',
  'editor',
  'publishedAt',
  'updatedAt',
] as const;

/** What an editor's queue shows: all that `byStatus` holds. Not the body, and never the contributor's contact. */
export const QUEUE_ATTRIBUTES = [
  'id',
  'status',
  'statusKey',
  'title',
  'author',
  'source',
  'channel',
  'summary',
  'submittedAt',
  'updatedAt',
  'publishedAt',
  'editor',
  'rejectReason',
  'revision',
] as const;

/** An index's INCLUDE list: the wanted attributes less the keys, which every index holds anyway. */
const nonKey = (wanted: readonly string[], keys: readonly string[]) =>
  [...new Set(wanted)].filter((a) => !keys.includes(a));

/**
 * Articles: the system of record. `byChannel` is sparse: only published articles carry `listChannel`,
 * so the index lists exactly what readers can see, newest first by `publishedKey`.
 * `byStatus` serves the editor queues, newest first by `statusKey`.
 * Pending and rejected submissions expire (`siteConfig.retentionDays`); TTL deletions reach the stream as REMOVE
 * records of unpublished states, which the render filter drops.
 */
export const articlesTable: TableSchema = {
  logicalName: 'Articles',
  partitionKey: { name: 'id', type: 'S' },
  stream: true,
  timeToLiveAttribute: ARTICLE_EXPIRY_ATTRIBUTE,
  indexes: [
    {
      indexName: ARTICLES_BY_CHANNEL,
      partitionKey: { name: 'listChannel', type: 'S' },
      sortKey: { name: 'publishedKey', type: 'S' },
      attributes: nonKey([...LISTING_ATTRIBUTES, 'status'], ['id', 'listChannel', 'publishedKey']),
    },
    {
      indexName: ARTICLES_BY_STATUS,
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'statusKey', type: 'S' },
      attributes: nonKey(QUEUE_ATTRIBUTES, ['id', 'status', 'statusKey']),
    },
  ],
};

/** Counters: view counts and daily buckets, apart from Articles so view traffic never reaches its stream. */
export const countersTable: TableSchema = {
  logicalName: 'Counters',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  stream: false,
  indexes: [],
  // View tokens (retry guard) and daily hot-list buckets expire; the count shards carry no expiry.
  timeToLiveAttribute: 'expiresAt',
};

/**
 * History: each article's audit trail (`log#<revision>`) and the saved copies of its text (`rev#<revision>`), under
 * the article's id. Written only with PutItem if absent, in the transaction that changes the article; no function may
 * update or delete an item (test/infra/least-privilege.test.ts). It has no stream, so nothing here reaches render.
 */
export const historyTable: TableSchema = {
  logicalName: 'History',
  partitionKey: { name: 'articleId', type: 'S' },
  sortKey: { name: 'entry', type: 'S' },
  stream: false,
  indexes: [],
};

export const tables = [articlesTable, countersTable, historyTable] as const;
