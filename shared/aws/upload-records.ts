// Upload records live in the Articles table as `upload#<uuid>` items. They carry no `status`, `statusKey`,
// `listChannel` or `publishedKey`, so they are in neither index and the render stream filter (status = published)
// never passes them; the images function may only write keys that start with `upload#` (IAM LeadingKeys).
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { UPLOAD_ITEM_PREFIX, type UploadRecord } from '../domain/uploads.ts';
import type { UploadRecordStore } from '../ports.ts';

export const uploadItemId = (uploadId: string): string => `${UPLOAD_ITEM_PREFIX}${uploadId}`;

export function dynamoUploadRecords(client: DynamoDBDocumentClient, tableName: string): UploadRecordStore {
  return {
    async put(record) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { id: uploadItemId(record.uploadId), kind: 'upload', ...record },
        }),
      );
    },

    async getMany(uploadIds) {
      const records = new Map<string, UploadRecord>();
      const unique = [...new Set(uploadIds)];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = unique
          .slice(i, i + 100)
          .map((id) => ({ id: uploadItemId(id) }));
        // BatchGet may hand back unprocessed keys under load; ask again for exactly those.
        for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
          const page: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
          );
          for (const item of page.Responses?.[tableName] ?? []) {
            const { id: _id, kind: _kind, ...record } = item;
            const typed = record as UploadRecord;
            records.set(typed.uploadId, typed);
          }
          keys = page.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return records;
    },
  };
}
