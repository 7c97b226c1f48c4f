// Table and index key schemas, defined once for the CDK stack and the local runtime.

export type AttributeType = 'S' | 'N';

export interface KeySchema {
  readonly partitionKey: { readonly name: string; readonly type: AttributeType };
  readonly sortKey?: { readonly name: string; readonly type: AttributeType };
}

export interface IndexSchema extends KeySchema {
  readonly indexName: string;
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
export const ARTICLES_BY_STATUS = 'byStatus';

/**
 * Articles: the system of record. `byChannel` is sparse: only published articles carry `listChannel`,
 * so the index lists exactly what readers can see, newest first by `publishedKey`.
 * `byStatus` serves the editor queues, newest first by `statusKey`.
 */
export const articlesTable: TableSchema = {
  logicalName: 'Articles',
  partitionKey: { name: 'id', type: 'S' },
  stream: true,
  indexes: [
    {
      indexName: ARTICLES_BY_CHANNEL,
      partitionKey: { name: 'listChannel', type: 'S' },
      sortKey: { name: 'publishedKey', type: 'S' },
    },
    {
      indexName: ARTICLES_BY_STATUS,
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'statusKey', type: 'S' },
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

export const tables = [articlesTable, countersTable] as const;
