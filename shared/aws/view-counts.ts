// DynamoDB adapter for view counts (点击量). Each article's count is split over VIEW_SHARDS items with distinct
// partition keys, so one viral article never concentrates its writes on one partition. See docs/VIEW-COUNTS.md.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ViewCountReader } from '../ports.ts';

export const VIEW_SHARDS = 16;

export const viewShardKey = (id: string, shard: number) => ({
  pk: `views#${id}#${shard.toString().padStart(2, '0')}`,
  sk: 'n',
});

/** Sums every shard of every id, 100 keys per BatchGetItem, retrying unprocessed keys. */
export function dynamoViewCounts(client: DynamoDBDocumentClient, tableName: string): ViewCountReader {
  return {
    async totals(ids) {
      const totals = new Map<string, number>(ids.map((id) => [id, 0]));
      const keys = ids.flatMap((id) => Array.from({ length: VIEW_SHARDS }, (_, s) => viewShardKey(id, s)));
      for (let i = 0; i < keys.length; i += 100) {
        let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
          const result: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({
              RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: 'pk, n' } },
            }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            const id = String(item.pk).split('#')[1] ?? '';
            totals.set(id, (totals.get(id) ?? 0) + Number(item.n ?? 0));
          }
          pending = result.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return totals;
    },
  };
}
