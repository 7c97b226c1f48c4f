// DynamoDB adapter for the ArticleStore port.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Article, type ArticleStatus, isArticleId } from '../domain/article.ts';
import { badRequest } from '../http/errors.ts';
import type { ArticleListing, ArticleStore } from '../ports.ts';
import { BULK_WRITE_MARKER } from '../stream-settings.ts';
import { ARTICLE_EXPIRY_ATTRIBUTE, ARTICLES_BY_STATUS, QUEUE_ATTRIBUTES } from '../tables.ts';
import { fromItem, toItem } from './article-items.ts';

/** Attributes that come and go with the state: a transition removes whichever the new state does not carry. */
const TRANSIENT = [
  'publishedAt',
  'editor',
  'rejectReason',
  'contact',
  'listChannel',
  'publishedKey',
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

/** Cursors are opaque to clients but checked here: a forged or stale one is a 400, never a scan elsewhere. */
function decodeCursor(cursor: string, status: ArticleStatus): StatusCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const { id, status: s, statusKey } = value as Record<string, unknown>;
    if (
      typeof id === 'string' &&
      isArticleId(id) &&
      s === status &&
      typeof statusKey === 'string' &&
      statusKey.endsWith(`#${id}`)
    )
      return { id, status, statusKey };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('The `next` cursor is not valid for this list.');
}

export function dynamoArticleStore(client: DynamoDBDocumentClient, tableName: string): ArticleStore {
  const getItem = async (id: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }))).Item;

  return {
    async insert(article: Article, extra = {}) {
      // Extra attributes are prefixed with "_" so they never leak back into the model.
      const hidden = Object.fromEntries(Object.entries(extra).map(([k, v]) => [`_${k}`, v]));
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...toItem(article), ...hidden },
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
        return { inserted: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = await getItem(article.id);
        if (!existing) throw error;
        return { inserted: false, existing: fromItem(existing) };
      }
    },
    async get(id) {
      const item = await getItem(id);
      return item ? fromItem(item) : undefined;
    },
    async getAttribute(id, name) {
      const item = await getItem(id);
      const value = item?.[`_${name}`];
      return typeof value === 'string' ? value : undefined;
    },
    async transition(next, expected) {
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
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression:
              'attribute_exists(id) AND #expectedStatus = :expectedStatus AND #expectedRevision = :expectedRevision',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
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
          ScanIndexForward: false,
          Limit: limit + 1,
          ...(next ? { ExclusiveStartKey: { ...decodeCursor(next, status) } } : {}),
        }),
      );
      const items = result.Items ?? [];
      const page = items.slice(0, limit);
      const last = page.at(-1);
      const more = items.length > limit && last;
      return {
        items: page.map((item) => fromItem(item) as ArticleListing),
        ...(more
          ? { next: encodeCursor({ id: String(last.id), status, statusKey: String(last.statusKey) }) }
          : {}),
      };
    },
  };
}
