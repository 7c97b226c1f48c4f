// DynamoDB adapter for the ArticleStore port.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { listsContaining } from '../channels.ts';
import { type Article, type ArticleStatus, isArticleId } from '../domain/article.ts';
import { invalid } from '../domain/errors.ts';
import type { ChangeRecord } from '../domain/history.ts';
import type { ArticleStore } from '../ports.ts';
import { BULK_WRITE_MARKER } from '../stream-settings.ts';
import { ARTICLE_EXPIRY_ATTRIBUTE, ARTICLES_BY_STATUS, QUEUE_ATTRIBUTES } from '../tables.ts';
import {
  articleFromItem,
  LIST_COUNTER_ATTRIBUTE,
  listCounterId,
  queueRowFromItem,
  toItem,
} from './article-items.ts';
import { historyPuts } from './history-store.ts';

/** Attributes that come and go with the state: a transition removes whichever the new state does not carry. */
const TRANSIENT = [
  'publishedAt',
  'editor',
  'rejectReason',
  'editorSub',
  'approvedBy',
  'contact',
  'listChannel',
  'publishedKey',
  'scheduledAt',
  'scheduledBy',
  // A publish or an unpublish ends the submission's expiry.
  ARTICLE_EXPIRY_ATTRIBUTE,
  // A bulk import's marker goes with the first editorial change, so that change renders through the stream.
  BULK_WRITE_MARKER,
] as const;

interface StatusCursor {
  readonly id: string;
  readonly status: string;
  readonly statusKey: string;
}

const encodeCursor = (key: StatusCursor): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** What a cursor holds: the last row's byStatus key, of the list it was given for. */
const cursorSchema = (status: ArticleStatus) =>
  v.pipe(
    v.object({
      id: v.pipe(v.string(), v.check(isArticleId)),
      status: v.literal(status),
      statusKey: v.string(),
    }),
    v.check(({ id, statusKey }) => statusKey.endsWith(`#${id}`)),
  );

/** Cursors are opaque to clients but checked here: a forged or stale one is a 400, never a scan elsewhere. */
function decodeCursor(cursor: string, status: ArticleStatus): StatusCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const checked = v.safeParse(cursorSchema(status), value);
    if (checked.success) return checked.output;
  } catch {
    // fall through to the 400 below
  }
  throw invalid('The `next` cursor is not valid for this list.');
}

/** The lists a published article in `channel` is on: the site list ('') and the channel's trail. */
const listsOf = (channel: string): string[] => ['', ...listsContaining(channel)];

/**
 * The list counters' updates for a change from `before` to `after` (each the article's channel when published,
 * undefined when not): +1 on each list it joins, -1 on each it leaves. They go in the status change's transaction,
 * so a counter is always the number of published articles on its list (render pages by it: docs/ARCHIVE-SCALE.md).
 */
export function listCounterUpdates(
  tableName: string,
  before: string | undefined,
  after: string | undefined,
): {
  Update: {
    TableName: string;
    Key: Record<string, string>;
    UpdateExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, number>;
  };
}[] {
  const delta = new Map<string, number>();
  for (const path of before === undefined ? [] : listsOf(before)) delta.set(path, (delta.get(path) ?? 0) - 1);
  for (const path of after === undefined ? [] : listsOf(after)) delta.set(path, (delta.get(path) ?? 0) + 1);
  return [...delta].flatMap(([path, by]) =>
    by === 0
      ? []
      : [
          {
            Update: {
              TableName: tableName,
              Key: { id: listCounterId(path) },
              UpdateExpression: 'ADD #n :by',
              ExpressionAttributeNames: { '#n': LIST_COUNTER_ATTRIBUTE },
              ExpressionAttributeValues: { ':by': by },
            },
          },
        ],
  );
}

const publishedChannel = (
  article: Pick<Article, 'status' | 'publishedAt' | 'channel'>,
): string | undefined =>
  article.status === 'published' && article.publishedAt ? article.channel : undefined;

/** A condition that failed, alone or inside a transaction: another writer got there first. */
const lostRace = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException;

/**
 * `historyTable` is where a change's audit entry and saved copies go (shared/aws/history-store.ts); a store built
 * without it refuses changes that carry a record rather than dropping the record.
 */
export function dynamoArticleStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  historyTable?: string,
): ArticleStore {
  const getItem = async (id: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }))).Item;
  const historyOf = (record: ChangeRecord, articleId: string) => {
    if (!historyTable) throw new Error('This article store has no history table for the change record.');
    return historyPuts(historyTable, articleId, record);
  };

  return {
    async insert(article: Article, extra = {}, record?: ChangeRecord) {
      // Extra attributes are prefixed with "_" so they never leak back into the model.
      const hidden = Object.fromEntries(Object.entries(extra).map(([k, v]) => [`_${k}`, v]));
      const put = {
        TableName: tableName,
        Item: { ...toItem(article), ...hidden },
        ConditionExpression: 'attribute_not_exists(id)',
      };
      const counters = listCounterUpdates(tableName, undefined, publishedChannel(article));
      try {
        if (record || counters.length > 0)
          await client.send(
            new TransactWriteCommand({
              TransactItems: [{ Put: put }, ...counters, ...(record ? historyOf(record, article.id) : [])],
            }),
          );
        else await client.send(new PutCommand(put));
        return { inserted: true };
      } catch (error) {
        if (!lostRace(error)) throw error;
        const existing = await getItem(article.id);
        if (!existing) throw error;
        return { inserted: false, existing: articleFromItem(existing) };
      }
    },
    async get(id) {
      const item = await getItem(id);
      return item ? articleFromItem(item) : undefined;
    },
    async getAttribute(id, name) {
      const item = await getItem(id);
      const value = item?.[`_${name}`];
      return typeof value === 'string' ? value : undefined;
    },
    async transition(next, expected, record) {
      // UpdateItem rather than PutItem: hidden "_" attributes (idempotency fingerprints) survive the change.
      const { id, ...attributes } = toItem(next);
      const names: Record<string, string> = { '#expectedStatus': 'status', '#expectedRevision': 'revision' };
      const values: Record<string, unknown> = {
        ':expectedStatus': expected.status,
        ':expectedRevision': expected.revision,
      };
      const sets: string[] = [];
      Object.entries(attributes).forEach(([name, value], i) => {
        if (value === undefined) return;
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        sets.push(`#s${i} = :s${i}`);
      });
      const removes = TRANSIENT.filter(
        (name) => (attributes as Record<string, unknown>)[name] === undefined,
      ).map((name, i) => {
        names[`#r${i}`] = name;
        return `#r${i}`;
      });
      const update = {
        TableName: tableName,
        Key: { id },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression:
          'attribute_exists(id) AND #expectedStatus = :expectedStatus AND #expectedRevision = :expectedRevision',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      const counters = listCounterUpdates(
        tableName,
        expected.status === 'published' ? (expected.channel ?? next.channel) : undefined,
        publishedChannel(next),
      );
      try {
        // The article's update comes first: the local emulation applies items in order, so a lost race there
        // writes no history or counter either (DynamoDB itself applies all or none).
        if (record || counters.length > 0)
          await client.send(
            new TransactWriteCommand({
              TransactItems: [{ Update: update }, ...counters, ...(record ? historyOf(record, id) : [])],
            }),
          );
        else await client.send(new UpdateCommand(update));
        return true;
      } catch (error) {
        if (lostRace(error)) return false;
        throw error;
      }
    },
    async listByStatus(status, { limit, next }) {
      const names = Object.fromEntries(QUEUE_ATTRIBUTES.map((name, i) => [`#p${i}`, name]));
      // One extra item tells whether another page exists, so `next` is only given when it leads somewhere.
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: ARTICLES_BY_STATUS,
          KeyConditionExpression: '#p1 = :status',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':status': status },
          ProjectionExpression: Object.keys(names).join(', '),
          // Newest change first; the 待发布 queue soonest due first.
          ScanIndexForward: status === 'scheduled',
          Limit: limit + 1,
          ...(next ? { ExclusiveStartKey: { ...decodeCursor(next, status) } } : {}),
        }),
      );
      const items = result.Items ?? [];
      const rows = items.slice(0, limit).map(queueRowFromItem);
      const more = items.length > limit && rows.at(-1);
      return {
        items: rows.map(({ listing, statusKey }) =>
          // A scheduled article's sort key starts with its due time (article-items.ts).
          status === 'scheduled' ? { ...listing, scheduledAt: statusKey.split('#')[0] ?? '' } : listing,
        ),
        ...(more ? { next: encodeCursor({ id: more.listing.id, status, statusKey: more.statusKey }) } : {}),
      };
    },
  };
}
