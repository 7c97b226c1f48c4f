// Upload records live in the Articles table as `upload#<uuid>` items. They carry no `status`, `statusKey`,
// `listChannel` or `publishedKey`, so they are in neither index; the render stream filter passes a ready one, for
// pages rendered while it was processing (shared/stream-settings.ts). The images function may only write keys that
// start with `upload#` (IAM LeadingKeys).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import {
  rejectionReasons,
  UPLOAD_CLAIM_STALE_MS,
  UPLOAD_ITEM_KIND,
  UPLOAD_ITEM_PREFIX,
  type UploadRecord,
} from '../domain/uploads.ts';
import type { UploadRecordStore } from '../ports.ts';
import { readItem, storedNumber, storedObject, storedString } from '../schema.ts';

/** What processing recorded, as read back; v.object leaves the item's own keys (id, kind) behind. */
const uploadRecordSchema = v.variant(
  'state',
  [
    v.object(
      {
        uploadId: storedString(),
        state: v.literal('ready'),
        width: storedNumber(),
        height: storedNumber(),
        variants: v.array(
          v.object(
            {
              width: storedNumber(),
              height: storedNumber(),
              webp: storedString(),
              jpeg: storedString(),
            },
            storedObject('must be a variant'),
          ),
          'must be a list of variants',
        ),
        processedAt: storedString(),
      },
      storedObject(),
    ),
    v.object(
      {
        uploadId: storedString(),
        state: v.literal('rejected'),
        reason: v.picklist(rejectionReasons, 'must be a rejection reason'),
        message: storedString(),
        processedAt: storedString(),
      },
      storedObject(),
    ),
  ],
  'must be ready or rejected',
);

export const uploadItemId = (uploadId: string): string => `${UPLOAD_ITEM_PREFIX}${uploadId}`;
/** The processing claim: its own item beside the record, without `kind`, so no reader or stream filter sees it. */
const claimItemId = (uploadId: string): string => `${uploadItemId(uploadId)}#claim`;

/** Reads in flight at once: an article has at most 20 photos, a rebuild slice a few hundred. */
const CONCURRENT_READS = 16;

export function dynamoUploadRecords(client: DynamoDBDocumentClient, tableName: string): UploadRecordStore {
  return {
    async put(record) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { id: uploadItemId(record.uploadId), kind: UPLOAD_ITEM_KIND, ...record },
        }),
      );
    },

    async claim(uploadId, now) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              id: claimItemId(uploadId),
              claimedAt: now.getTime(),
              // The Articles table's TTL removes the claim a day later.
              expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
            },
            ConditionExpression: 'attribute_not_exists(id) OR claimedAt < :stale',
            ExpressionAttributeValues: { ':stale': now.getTime() - UPLOAD_CLAIM_STALE_MS },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    // GetItem rather than BatchGetItem: review and render already hold GetItem on the table, so reading photos
    // needs no wider grant, and the read costs the same per item.
    async getMany(uploadIds) {
      const records = new Map<string, UploadRecord>();
      const queue = [...new Set(uploadIds)];
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const { Item } = await client.send(
            new GetCommand({ TableName: tableName, Key: { id: uploadItemId(id) }, ConsistentRead: true }),
          );
          if (Item?.kind === UPLOAD_ITEM_KIND)
            records.set(id, readItem(uploadRecordSchema, Item, 'upload record', ['id']));
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, queue.length) }, worker));
      return records;
    },
  };
}
