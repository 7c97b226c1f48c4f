// DynamoDB adapter for the preview's photo grants (shared/domain/photo-previews.ts): one item per preview, naming the
// uploads it may show, deleted by the table's TTL after it expires.
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PHOTO_PREVIEW_ITEM_PREFIX } from '../domain/photo-previews.ts';
import type { PhotoPreviewGrants } from '../ports.ts';
import { ARTICLE_EXPIRY_ATTRIBUTE } from '../tables.ts';

export function dynamoPhotoPreviews(client: DynamoDBDocumentClient, tableName: string): PhotoPreviewGrants {
  return {
    async grant(uploads, expiresAt) {
      const token = randomBytes(24).toString('base64url');
      // UpdateItem creates the item: the review role has no PutItem on Articles.
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: `${PHOTO_PREVIEW_ITEM_PREFIX}${token}` },
          UpdateExpression: 'SET uploads = :uploads, #exp = :exp',
          ConditionExpression: 'attribute_not_exists(id)',
          ExpressionAttributeNames: { '#exp': ARTICLE_EXPIRY_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':uploads': [...uploads],
            ':exp': Math.floor(expiresAt.getTime() / 1000),
          },
        }),
      );
      return token;
    },

    async allows(token, upload, now) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { id: `${PHOTO_PREVIEW_ITEM_PREFIX}${token}` },
          ProjectionExpression: 'uploads, #exp',
          ExpressionAttributeNames: { '#exp': ARTICLE_EXPIRY_ATTRIBUTE },
        }),
      );
      const item = result.Item;
      // DynamoDB deletes expired items within days, not at once: the expiry is checked here.
      if (!item || Number(item[ARTICLE_EXPIRY_ATTRIBUTE] ?? 0) * 1000 <= now.getTime()) return false;
      return Array.isArray(item.uploads) && item.uploads.includes(upload);
    },
  };
}
