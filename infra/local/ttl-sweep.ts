// The local stand-in for DynamoDB's Time to Live, which dynalite lacks: every so often it deletes the items of a
// table whose TTL attribute lies in the past (pending and rejected submissions, view tokens, old hot-list
// buckets). Deletes go through the proxy, so a deleted article reaches the stream as a REMOVE record, as TTL
// deletions do in AWS. AWS deletes within a few days of expiry; an hour is as good a promise locally.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '../../shared/log.ts';
import type { TableSchema } from '../../shared/tables.ts';
import { startPeriodic } from './periodic.ts';

export const TTL_SWEEP_INTERVAL_MS = 3_600_000;

export interface TtlTable {
  readonly tableName: string;
  readonly schema: TableSchema;
}

/** Deletes every expired item of `tables` once; returns how many it deleted. */
export async function sweepExpired(
  client: DynamoDBClient,
  tables: readonly TtlTable[],
  now: Date = new Date(),
): Promise<number> {
  let deleted = 0;
  const seconds = String(Math.floor(now.getTime() / 1000));
  for (const { tableName, schema } of tables) {
    const ttl = schema.timeToLiveAttribute;
    if (!ttl) continue;
    const keys = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
    const names = { '#ttl': ttl, ...Object.fromEntries(keys.map((k, i) => [`#k${i}`, k])) };
    let ExclusiveStartKey: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page: ScanCommandOutput = await client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: '#ttl < :now',
          ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':now': { N: seconds } },
          ExclusiveStartKey,
        }),
      );
      for (const Key of page.Items ?? []) {
        try {
          // An item changed since the scan (e.g. published) keeps its life.
          await client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key,
              ConditionExpression: '#ttl < :now',
              ExpressionAttributeNames: { '#ttl': ttl },
              ExpressionAttributeValues: { ':now': { N: seconds } },
            }),
          );
          deleted++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return deleted;
}

/** Sweeps now and then every `intervalMs`; `stop` waits for a sweep in progress. */
export function startTtlSweep(options: {
  readonly endpoint: string;
  readonly tables: readonly TtlTable[];
  readonly log: Logger;
  readonly intervalMs?: number;
}): { stop(): Promise<void> } {
  const client = new DynamoDBClient({ endpoint: options.endpoint });
  const periodic = startPeriodic({
    seconds: (options.intervalMs ?? TTL_SWEEP_INTERVAL_MS) / 1000,
    log: options.log,
    what: 'TTL sweep',
    task: async () => {
      const deleted = await sweepExpired(client, options.tables);
      if (deleted > 0) options.log.info('expired items deleted', { deleted });
    },
  });
  void periodic.run();
  return {
    async stop() {
      await periodic.stop();
      client.destroy();
    },
  };
}
