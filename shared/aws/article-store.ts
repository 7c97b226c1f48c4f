// DynamoDB adapter for the ArticleStore port.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Article } from '../domain/article.ts';
import type { ArticleStore } from '../ports.ts';
import { fromItem, toItem } from './article-items.ts';

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
  };
}
