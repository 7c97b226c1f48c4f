// DynamoDB adapter that reads what readers can see: listings through the sparse byChannel index (one Query per
// channel, no bodies), and whole articles by id.

import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { channels } from '../channels.ts';
import { forEachLimited } from '../concurrency.ts';
import type { Article } from '../domain/article.ts';
import type { PublishedArticleReader } from '../ports.ts';
import { type Listing, toListing } from '../render/catalogue.ts';
import { ARTICLES_BY_CHANNEL, LISTING_ATTRIBUTES } from '../tables.ts';
import { fromItem } from './article-items.ts';

export function dynamoPublishedArticles(
  client: DynamoDBDocumentClient,
  tableName: string,
): PublishedArticleReader {
  const names = Object.fromEntries(LISTING_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  return {
    async listings() {
      const found: Listing[] = [];
      // An article's listChannel is its own channel, so every channel of the tree is one partition.
      await forEachLimited(channels.all, 4, async (channel) => {
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: ARTICLES_BY_CHANNEL,
              KeyConditionExpression: 'listChannel = :c',
              ExpressionAttributeValues: { ':c': channel.path },
              ExpressionAttributeNames: { ...names, '#s': 'status' },
              ProjectionExpression: [...Object.keys(names), '#s'].join(', '),
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const listing = toListing(fromItem(item));
            if (listing) found.push(listing);
          }
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      });
      return found;
    },
    async getMany(ids) {
      const articles = new Map<string, Article>();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((id) => ({ id }));
        for (let attempt = 0; keys && keys.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
          const result: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            const article = fromItem(item);
            articles.set(article.id, article);
          }
          keys = result.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return articles;
    },
  };
}
