// DynamoDB adapter for view counts (点击量). Each article's count is split over VIEW_SHARDS items with distinct
// partition keys, so one viral article never concentrates its writes on one partition. See docs/VIEW-COUNTS.md.

import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CountedView, daysFor, HotTally, hotScores } from '../domain/views.ts';
import { logger as defaultLogger, type Logger } from '../log.ts';
import type { HotListReader, ViewCounter, ViewCountReader } from '../ports.ts';
import { batchGetAll } from './dynamo-batch.ts';

/**
 * 10,000 views/s on one article spread over 32 keys is 313 writes/s per key. A guarded view is a one-item
 * transaction, which costs 2 write units: 625 WCU/s per key, under DynamoDB's 1,000 per partition.
 */
export const VIEW_SHARDS = 32;
/** Daily hot-list buckets are spread over this many partition keys per day. */
export const HOT_SHARDS = 8;
/** Daily buckets outlive the 7-day window by a little, then DynamoDB's TTL deletes them for free. */
export const HOT_BUCKET_TTL_DAYS = 9;
/** The Counters attribute that the table's TTL reads (epoch seconds). */
export const EXPIRES_AT = 'expiresAt';

const pad2 = (n: number) => n.toString().padStart(2, '0');

export const viewShardKey = (id: string, shard: number) => ({
  pk: `views#${id}#${pad2(shard)}`,
  sk: 'n',
});

/**
 * An article's total: the sum of its shards as some instance last read them, kept so that `GET /api/views` reads one
 * key per id instead of VIEW_SHARDS. Its own prefix, so the shard Scan (view-totals.ts) never sums it in.
 */
export const viewTotalKey = (id: string) => ({ pk: `viewtotal#${id}`, sk: 'n' });

/** An instance writes an article's total at most once per this many ms; later views are written when it has passed. */
export const TOTAL_WRITE_INTERVAL_MS = 2_000;

/**
 * What a view token decides: the transaction's ClientRequestToken (at most 36 printable characters) and the shard,
 * both from a hash of article id and token, so a retry of the same view is the same request.
 */
export function viewGuard(id: string, token: string): { readonly request: string; readonly shard: number } {
  const digest = createHash('sha256').update(`${id}:${token}`).digest();
  return { request: digest.toString('base64url').slice(0, 36), shard: (digest[0] ?? 0) % VIEW_SHARDS };
}

/** One daily bucket entry: the partition is the day and a shard, the sort key the article. */
export const hotBucketKey = (day: string, shard: number, id: string) => ({
  pk: `hot#${day}#${pad2(shard)}`,
  sk: id,
});

/** The key choice: a uniformly random shard per write, so the load on each key is total / shards. */
export const chooseShard = (random: () => number, shards: number): number =>
  Math.min(shards - 1, Math.floor(random() * shards));

async function readShards(
  client: DynamoDBDocumentClient,
  tableName: string,
  ids: readonly string[],
): Promise<Map<string, number[]>> {
  const shards = new Map<string, number[]>(ids.map((id) => [id, new Array<number>(VIEW_SHARDS).fill(0)]));
  const keys = ids.flatMap((id) => Array.from({ length: VIEW_SHARDS }, (_, s) => viewShardKey(id, s)));
  // Several BatchGetItem requests in flight: a rebuild reads thousands of articles' shards.
  const items = await batchGetAll(client, tableName, keys, { projectionExpression: 'pk, n', inFlight: 8 });
  for (const item of items) {
    const [, id = '', shard = ''] = String(item.pk).split('#');
    const values = shards.get(id);
    if (values) values[Number(shard)] = Number(item.n ?? 0);
  }
  return shards;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The total items of `ids`, one key each (0 for an id without one), 100 keys per BatchGetItem. */
async function readTotals(
  client: DynamoDBDocumentClient,
  tableName: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const totals = new Map<string, number>(ids.map((id) => [id, 0]));
  const items = await batchGetAll(client, tableName, ids.map(viewTotalKey), {
    projectionExpression: 'pk, n',
  });
  for (const item of items) {
    const id = String(item.pk).slice('viewtotal#'.length);
    if (totals.has(id)) totals.set(id, Number(item.n ?? 0));
  }
  return totals;
}

/** Sums every shard of every id, 100 keys per BatchGetItem, retrying unprocessed keys. */
export function dynamoViewCounts(client: DynamoDBDocumentClient, tableName: string): ViewCountReader {
  return {
    async totals(ids) {
      const shards = await readShards(client, tableName, ids);
      return new Map([...shards].map(([id, values]) => [id, sum(values)]));
    },
  };
}

export interface ViewCounterOptions {
  readonly countersTable: string;
  readonly articlesTable: string;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** How long this instance trusts "published" before asking Articles again. */
  readonly publishedTtlMs?: number;
  /** How long this instance reuses the other shards' values when it answers with a count. */
  readonly snapshotTtlMs?: number;
  /** How often at most this instance writes one article's total. */
  readonly totalIntervalMs?: number;
  readonly tally?: HotTally;
  readonly log?: Logger;
}

export interface DynamoViewCounter extends ViewCounter {
  /**
   * Writes the hot-list tally out now, and the totals that wait for their interval; returns how many bucket entries
   * were written.
   */
  flushHotTally(): Promise<number>;
}

const MAX_CACHED_IDS = 5_000;
/** DynamoDB's idempotency window for a ClientRequestToken. */
const TOKEN_WINDOW_MS = 10 * 60_000;

/**
 * The write side. Per counted view: one UpdateItem ADD on a random shard, or, when the client sent a view token, a
 * one-item TransactWriteItems on the token's shard that DynamoDB makes idempotent. Two per-instance caches keep the hot paths off single keys: "published" for
 * `publishedTtlMs` (a viral article would otherwise put 10,000 GetItems/s on one Articles key), and a snapshot of
 * the other shards for `snapshotTtlMs` (instead of VIEW_SHARDS reads per view).
 */
export function dynamoViewCounter(
  client: DynamoDBDocumentClient,
  options: ViewCounterOptions,
): DynamoViewCounter {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const publishedTtlMs = options.publishedTtlMs ?? 30_000;
  const snapshotTtlMs = options.snapshotTtlMs ?? 2_000;
  const totalIntervalMs = options.totalIntervalMs ?? TOTAL_WRITE_INTERVAL_MS;
  const tally = options.tally ?? new HotTally(10_000, 500, now().getTime());
  const log = options.log ?? defaultLogger;
  const table = options.countersTable;

  const publishedUntil = new Map<string, number>();
  const snapshots = new Map<string, { shards: number[]; readAt: number }>();
  /** The view tokens (as transaction tokens) this instance counted, and when. */
  const countedTokens = new Map<string, number>();
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= MAX_CACHED_IDS) map.clear();
    map.set(key, value);
  };

  async function freshShards(id: string, at: number): Promise<number[]> {
    const cached = snapshots.get(id);
    if (cached && at - cached.readAt < snapshotTtlMs) return cached.shards;
    const shards = (await readShards(client, table, [id])).get(id) ?? [];
    remember(snapshots, id, { shards, readAt: at });
    return shards;
  }

  /**
   * Totals: what this instance last wrote per article, and when; a view that comes sooner than the interval after
   * that schedules one trailing write, which reads the shards afresh. The write only raises the total
   * (`n < :n`), so instances that read the shards at different moments never lower it.
   */
  const totalsWritten = new Map<
    string,
    { sum: number; at: number; trailing?: ReturnType<typeof setTimeout> }
  >();

  async function writeTotal(id: string, total: number): Promise<void> {
    if (total <= 0) return;
    try {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: viewTotalKey(id),
          UpdateExpression: 'SET n = :n',
          ConditionExpression: 'attribute_not_exists(n) OR n < :n',
          ExpressionAttributeValues: { ':n': total },
        }),
      );
    } catch (error) {
      // Another instance wrote a higher total meanwhile: nothing to do. Any other failure leaves the total to the
      // article's next view; the shards, which POST answers and render read, are exact either way.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException')
        log.warn('view total not written', { id, error });
    }
  }

  async function trailingTotal(id: string): Promise<void> {
    const state = totalsWritten.get(id);
    if (state?.trailing) clearTimeout(state.trailing);
    const shards = (await readShards(client, table, [id])).get(id) ?? [];
    const at = now().getTime();
    remember(snapshots, id, { shards, readAt: at });
    const total = sum(shards);
    remember(totalsWritten, id, { sum: total, at });
    await writeTotal(id, total);
  }

  async function noteTotal(id: string, total: number, at: number): Promise<void> {
    const state = totalsWritten.get(id);
    if (state && total <= state.sum) return;
    if (!state || at - state.at >= totalIntervalMs) {
      if (state?.trailing) clearTimeout(state.trailing);
      remember(totalsWritten, id, { sum: state?.sum ?? 0, at });
      await writeTotal(id, total);
      const current = totalsWritten.get(id);
      if (current) current.sum = Math.max(current.sum, total);
      return;
    }
    if (state.trailing) return;
    state.trailing = setTimeout(
      () => {
        state.trailing = undefined;
        void trailingTotal(id).catch((error: unknown) => log.warn('view total not written', { id, error }));
      },
      Math.max(0, state.at + totalIntervalMs - at),
    );
    state.trailing.unref?.();
  }

  async function flushHotTally(): Promise<number> {
    const pendingTotals = [...totalsWritten].flatMap(([id, state]) => (state.trailing ? [id] : []));
    await Promise.all(pendingTotals.map((id) => trailingTotal(id)));
    const at = now();
    const entries = tally.drain(at);
    if (entries.length === 0) return 0;
    const results = await Promise.allSettled(
      entries.map(({ day, id, n }) =>
        client.send(
          new UpdateCommand({
            TableName: table,
            Key: hotBucketKey(day, chooseShard(random, HOT_SHARDS), id),
            UpdateExpression: 'ADD n :n SET #exp = if_not_exists(#exp, :exp)',
            ExpressionAttributeNames: { '#exp': EXPIRES_AT },
            ExpressionAttributeValues: {
              ':n': n,
              ':exp': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + HOT_BUCKET_TTL_DAYS * 86_400,
            },
          }),
        ),
      ),
    );
    const failed = entries.filter((_, i) => results[i]?.status === 'rejected');
    if (failed.length > 0) {
      tally.restore(failed);
      log.warn('hot-list tally not fully written; kept for the next flush', { failed: failed.length });
    }
    return entries.length - failed.length;
  }

  return {
    async isPublished(id) {
      const at = now().getTime();
      if ((publishedUntil.get(id) ?? 0) > at) return true;
      // Only `status`: the views role may read no other attribute of an article (see the stack's policy).
      const result = await client.send(
        new GetCommand({
          TableName: options.articlesTable,
          Key: { id },
          ProjectionExpression: '#status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      );
      const published = result.Item?.status === 'published';
      if (published) remember(publishedUntil, id, at + publishedTtlMs);
      else publishedUntil.delete(id);
      return published;
    },

    async count(id, token): Promise<CountedView> {
      const at = now();
      // With a view token, the increment is a one-item transaction whose ClientRequestToken derives from the token:
      // DynamoDB applies a repeat of it within 10 minutes once, so a retried report is one write and never counts
      // twice. The shard derives from the token too, so the repeat is the identical request it must be.
      const guard = token ? viewGuard(id, token) : undefined;
      // A repeat that reaches the instance that counted the original (the usual case: a warm instance) is
      // answered from its snapshot without writing; DynamoDB catches the repeats that reach another instance.
      if (guard && (countedTokens.get(guard.request) ?? 0) > at.getTime() - TOKEN_WINDOW_MS)
        return { id, views: sum(await freshShards(id, at.getTime())), counted: false };
      const shard = guard ? guard.shard : chooseShard(random, VIEW_SHARDS);
      const cached = snapshots.get(id);
      const fresh = cached !== undefined && at.getTime() - cached.readAt < snapshotTtlMs;
      const increment = {
        TableName: table,
        Key: viewShardKey(id, shard),
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
      };
      let written: number | undefined;
      if (guard) {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: increment }],
            ClientRequestToken: guard.request,
          }),
        );
        remember(countedTokens, guard.request, at.getTime());
      } else {
        const result = await client.send(new UpdateCommand({ ...increment, ReturnValues: 'UPDATED_NEW' }));
        written = Number(result.Attributes?.n ?? 0);
      }
      // The answer comes from this instance's snapshot of the shards. A snapshot read before this write is bumped
      // by it; a transaction returns no new value, and DynamoDB does not say when it was a repeat, so for a retry
      // that reached another instance the shown count may run one ahead until the snapshot is read again. The
      // stored count is exact.
      const shards = await freshShards(id, at.getTime());
      if (written !== undefined) shards[shard] = Math.max(shards[shard] ?? 0, written);
      else if (fresh) shards[shard] = (shards[shard] ?? 0) + 1;

      await noteTotal(id, sum(shards), at.getTime());
      tally.add(id, at);
      if (tally.due(at)) {
        await flushHotTally().catch((error: unknown) => {
          log.warn('hot-list flush failed', { error });
        });
      }
      return { id, views: sum(shards), counted: true };
    },

    totals: (ids) => readTotals(client, table, ids),

    flushHotTally,
  };
}

export function dynamoHotList(client: DynamoDBDocumentClient, tableName: string): HotListReader {
  async function readBucket(pk: string, into: Map<string, number>): Promise<void> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'sk, n',
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const id = String(item.sk);
        into.set(id, (into.get(id) ?? 0) + Number(item.n ?? 0));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  const buckets: HotListReader['buckets'] = async (days) => {
    const result = new Map<string, Map<string, number>>();
    await Promise.all(
      days.map(async (day) => {
        const counts = new Map<string, number>();
        for (let shard = 0; shard < HOT_SHARDS; shard++)
          await readBucket(hotBucketKey(day, shard, '').pk, counts);
        result.set(day, counts);
      }),
    );
    return result;
  };

  return {
    buckets,
    async scores(window, now) {
      return hotScores(await buckets(daysFor(window, now)), window, now);
    },
  };
}
