// BatchGetItem and BatchWriteItem for any number of keys or writes: cut into the largest requests DynamoDB takes, a
// few in flight, and what DynamoDB leaves unprocessed (throughput, or 16 MB of answer) sent again after a growing
// pause, as the DynamoDB guide asks. Every caller batches through here.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../concurrency.ts';

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;
/** A put or a delete; any object type is an item (an interface has no index signature). */
export type WriteRequest = { PutRequest: { Item: object } } | { DeleteRequest: { Key: object } };

/** DynamoDB's limits per request. */
export const BATCH_GET_KEYS = 100;
export const BATCH_WRITE_REQUESTS = 25;
/** Tries of the same leftovers before giving up: the pauses add up to about 15 s. */
const MAX_ATTEMPTS = 20;

/** The pause before try `attempt` (0 is the first, sent at once): 50 ms doubling to 1 s. */
export const retryPause = (attempt: number): number =>
  attempt === 0 ? 0 : Math.min(1000, 25 * 2 ** attempt);

export interface BatchOptions {
  /** Requests in flight at once (default 1). */
  readonly inFlight?: number;
  /** Waits `ms` (tests make it instant). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface BatchGetOptions extends BatchOptions {
  readonly consistentRead?: boolean;
  readonly projectionExpression?: string;
  readonly expressionAttributeNames?: Record<string, string>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Sends `first`, then whatever each answer leaves, until nothing is left. */
async function untilProcessed<T>(
  first: T[],
  send: (pending: T[]) => Promise<T[] | undefined>,
  sleep: (ms: number) => Promise<void>,
  what: string,
): Promise<void> {
  let pending: T[] | undefined = first;
  for (let attempt = 0; pending && pending.length > 0; attempt++) {
    if (attempt === MAX_ATTEMPTS) {
      throw new Error(`${what}: ${pending.length} still unprocessed after ${MAX_ATTEMPTS} tries`);
    }
    if (attempt > 0) await sleep(retryPause(attempt));
    pending = await send(pending);
  }
}

/** Every item of `keys` in `tableName` that exists (in no particular order); a key given twice is read once. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: BatchGetOptions = {},
): Promise<Item[]> {
  // BatchGetItem refuses a request that names one key twice.
  const unique = [...new Map(keys.map((key) => [JSON.stringify(key), key])).values()];
  const found: Item[] = [];
  const read = {
    ...(options.consistentRead ? { ConsistentRead: true } : {}),
    ...(options.projectionExpression ? { ProjectionExpression: options.projectionExpression } : {}),
    ...(options.expressionAttributeNames
      ? { ExpressionAttributeNames: options.expressionAttributeNames }
      : {}),
  };
  await forEachLimited(chunks(unique, BATCH_GET_KEYS), options.inFlight ?? 1, (chunk) =>
    untilProcessed(
      chunk,
      async (pending) => {
        const result: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...read } } }),
        );
        found.push(...(result.Responses?.[tableName] ?? []));
        return result.UnprocessedKeys?.[tableName]?.Keys;
      },
      options.sleep ?? pause,
      `BatchGetItem on ${tableName}`,
    ),
  );
  return found;
}

/** Applies every put and delete of `requests` to `tableName`, 25 to a request. */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchOptions = {},
): Promise<void> {
  await forEachLimited(chunks(requests, BATCH_WRITE_REQUESTS), options.inFlight ?? 1, (chunk) =>
    untilProcessed(
      chunk,
      async (pending) => {
        const result: BatchWriteCommandOutput = await client.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }),
        );
        return result.UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
      },
      options.sleep ?? pause,
      `BatchWriteItem on ${tableName}`,
    ),
  );
}
