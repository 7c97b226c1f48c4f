// Every article's view total at once, for whole-site rebuilds. Kept apart from view-counts.ts (the per-article
// reads and the count path): VIEW_SHARDS BatchGet keys per article (128,000 keys for 4,000 articles) cost far more
// than reading the Counters table once.
import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { SiteViewCounts } from '../ports.ts';
import { dynamoViewCounts, viewShardKey } from './view-counts.ts';

/** `views#` — every view shard's partition key starts with it (derived, so there is one definition). */
const VIEWS_PREFIX = viewShardKey('', 0).pk.split('#')[0] ?? 'views';

/**
 * Sums every view shard in the Counters table, read by one Scan in `segments` parallel segments that returns only
 * view shards (the hot-list buckets are filtered out by DynamoDB). Articles without views are absent.
 */
export async function scanViewTotals(
  client: DynamoDBDocumentClient,
  tableName: string,
  segments = 4,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const scanSegment = async (segment: number) => {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await client.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: 'begins_with(pk, :views)',
          ExpressionAttributeValues: { ':views': `${VIEWS_PREFIX}#` },
          ProjectionExpression: 'pk, n',
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const [, id = ''] = String(item.pk).split('#');
        totals.set(id, (totals.get(id) ?? 0) + Number(item.n ?? 0));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  };
  await Promise.all(Array.from({ length: segments }, (_, s) => scanSegment(s)));
  return totals;
}

/** Render's reader: BatchGet of the shards for a few articles, one parallel Scan for all of them. */
export function dynamoSiteViewCounts(client: DynamoDBDocumentClient, tableName: string): SiteViewCounts {
  return { ...dynamoViewCounts(client, tableName), all: () => scanViewTotals(client, tableName) };
}
