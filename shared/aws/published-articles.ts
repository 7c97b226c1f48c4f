// DynamoDB adapter that reads what readers can see: listings through the sparse byChannel index (one Query per
// channel, no bodies), and whole articles by id.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { channels } from '../channels.ts';
import { forEachLimited } from '../concurrency.ts';
import type { Article } from '../domain/article.ts';
import type { PublishedArticleReader } from '../ports.ts';
import { type Listing, monthOf, SITE_LIST, toListing } from '../render/catalogue.ts';
import type { CatalogueSlices, PartitionSlice } from '../render/partial-catalogue.ts';
import { ARTICLES_BY_CHANNEL, LISTING_ATTRIBUTES } from '../tables.ts';
import {
  articleFromItem,
  LIST_COUNTER_ATTRIBUTE,
  listCounterId,
  listingArticleFromItem,
} from './article-items.ts';
import { batchGetAll } from './dynamo-batch.ts';

/** Partitions read at once. */
const PARTITIONS_AT_ONCE = 4;
/** Past the newest slice, a partition is read on in pages of this many until the news window is covered. */
const PAGE_ITEMS = 200;
/** At most this many articles per partition beyond the newest slice, whatever the news window holds. */
const MAX_RECENT = 1_000;
const DAY_MS = 86_400_000;

/** byChannel key bounds that hold every article of `month` (yyyy-mm in the site's time zone), with a day's margin. */
const monthBounds = (month: string): [string, string] => {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return [
    new Date(Date.UTC(year, mm - 1, 1) - DAY_MS).toISOString(),
    new Date(Date.UTC(year, mm, 1) + DAY_MS).toISOString(),
  ];
};

/** Every page of a Query's items, following LastEvaluatedKey to the end. */
async function* queryPages(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

export function dynamoPublishedArticles(
  client: DynamoDBDocumentClient,
  tableName: string,
): PublishedArticleReader {
  const names = Object.fromEntries(LISTING_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  const projection = {
    ExpressionAttributeNames: { ...names, '#s': 'status' },
    ProjectionExpression: [...Object.keys(names), '#s'].join(', '),
  };
  const listingsOf = (items: readonly Record<string, unknown>[] = []): Listing[] =>
    items.flatMap((item) => toListing(listingArticleFromItem(item)) ?? []);
  /** The items of `ids`, strongly consistent. */
  const batchGet = (
    ids: readonly string[],
    options: {
      projection?: { ExpressionAttributeNames: Record<string, string>; ProjectionExpression: string };
    },
  ) =>
    batchGetAll(
      client,
      tableName,
      ids.map((id) => ({ id })),
      {
        consistentRead: true,
        ...(options.projection
          ? {
              projectionExpression: options.projection.ProjectionExpression,
              expressionAttributeNames: options.projection.ExpressionAttributeNames,
            }
          : {}),
      },
    );
  const counterPaths = [SITE_LIST, ...channels.all.map((c) => c.path)];
  const readTotals = async (): Promise<Map<string, number>> => {
    const totals = new Map<string, number>();
    for (const item of await batchGet(counterPaths.map(listCounterId), {})) {
      const total = item[LIST_COUNTER_ATTRIBUTE];
      if (typeof total === 'number') totals.set(String(item.id).slice('list#'.length), total);
    }
    return totals;
  };
  return {
    listTotals: readTotals,
    async setListTotals(seen, counted) {
      // An absent counter counts 0: a site with no articles needs none written.
      const wrong = counterPaths.filter((path) => (seen.get(path) ?? 0) !== (counted.get(path) ?? 0));
      const set = await Promise.all(
        wrong.map(async (path) => {
          const was = seen.get(path);
          try {
            // Only if no status change moved the counter since `seen` was read (before the listings were).
            await client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: { id: listCounterId(path) },
                UpdateExpression: 'SET #n = :count',
                ConditionExpression: was === undefined ? 'attribute_not_exists(#n)' : '#n = :was',
                ExpressionAttributeNames: { '#n': LIST_COUNTER_ATTRIBUTE },
                ExpressionAttributeValues: {
                  ':count': counted.get(path) ?? 0,
                  ...(was === undefined ? {} : { ':was': was }),
                },
              }),
            );
            return true;
          } catch (error) {
            if (error instanceof ConditionalCheckFailedException) return false;
            throw error;
          }
        }),
      );
      return set.filter(Boolean).length;
    },
    async slices(request) {
      const cutoff = request.since.getTime();
      const partitions = new Map<string, PartitionSlice>();
      const months = new Map<string, Listing[]>(request.months.map((m) => [m, []]));
      const [totals, byIdItems] = await Promise.all([
        readTotals(),
        batchGet(request.ids, { projection }),
        forEachLimited(channels.all, PARTITIONS_AT_ONCE, async (channel) => {
          // The newest of the partition, then on until the news window (48 hours) is covered.
          const items: Listing[] = [];
          let ExclusiveStartKey: Record<string, unknown> | undefined;
          let complete = false;
          for (;;) {
            const page = await client.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: ARTICLES_BY_CHANNEL,
                KeyConditionExpression: 'listChannel = :c',
                ExpressionAttributeValues: { ':c': channel.path },
                ...projection,
                ScanIndexForward: false,
                Limit: items.length === 0 ? request.newest + 1 : PAGE_ITEMS,
                ExclusiveStartKey,
              }),
            );
            items.push(...listingsOf(page.Items));
            ExclusiveStartKey = page.LastEvaluatedKey;
            if (!ExclusiveStartKey) {
              complete = true;
              break;
            }
            const oldest = items.at(-1);
            if (items.length > request.newest && oldest && Date.parse(oldest.publishedAt) <= cutoff) break;
            if (items.length >= request.newest + MAX_RECENT) break;
          }
          partitions.set(channel.path, { items, complete });
        }),
        forEachLimited(
          request.months.flatMap((month) => channels.all.map((channel) => ({ month, channel }))),
          PARTITIONS_AT_ONCE,
          async ({ month, channel }) => {
            const [from, to] = monthBounds(month);
            const pages = queryPages(client, {
              TableName: tableName,
              IndexName: ARTICLES_BY_CHANNEL,
              KeyConditionExpression: 'listChannel = :c AND publishedKey BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':c': channel.path, ':from': from, ':to': to },
              ...projection,
            });
            for await (const items of pages)
              for (const listing of listingsOf(items))
                if (monthOf(listing) === month) months.get(month)?.push(listing);
          },
        ),
      ]);
      const byId = new Map<string, Listing | null>(request.ids.map((id) => [id, null]));
      for (const listing of listingsOf(byIdItems)) byId.set(listing.id, listing);
      return { partitions, totals, byId, months } satisfies Omit<CatalogueSlices, 'writtenParts'>;
    },
    async listings() {
      const found: Listing[] = [];
      // An article's listChannel is its own channel, so every channel of the tree is one partition.
      await forEachLimited(channels.all, 4, async (channel) => {
        const pages = queryPages(client, {
          TableName: tableName,
          IndexName: ARTICLES_BY_CHANNEL,
          KeyConditionExpression: 'listChannel = :c',
          ExpressionAttributeValues: { ':c': channel.path },
          ExpressionAttributeNames: { ...names, '#s': 'status' },
          ProjectionExpression: [...Object.keys(names), '#s'].join(', '),
        });
        for await (const items of pages) found.push(...listingsOf(items));
      });
      return found;
    },
    async getMany(ids) {
      const articles = new Map<string, Article>();
      for (const item of await batchGet(ids, {})) {
        const article = articleFromItem(item);
        articles.set(article.id, article);
      }
      return articles;
    },
  };
}
