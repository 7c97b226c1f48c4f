// The one batch helper (shared/aws/dynamo-batch.ts) against dynalite. dynalite answers every batch in full, so the
// client below passes only part of each request on and reports the rest unprocessed, as DynamoDB does when a
// partition is busy: what comes back must be every item once, after growing pauses.
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { batchGetAll, batchWriteAll, retryPause } from '#shared/aws/dynamo-batch.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { requireEnv } from '#shared/env.ts';
import { resetTables, scanAll } from '../support/tables.ts';

const { ARTICLES_TABLE: table } = requireEnv('ARTICLES_TABLE');

afterEach(async () => {
  await resetTables();
});

/**
 * A document client on dynalite that, for its first `busyCalls` batch calls, sends on only the first `keep` keys or
 * writes of each request and answers the rest as unprocessed. Counts calls and the keys or writes each carried.
 */
function busyClient(busyCalls: number, keep = 7) {
  const sent: number[] = [];
  const send = async (command: unknown) => {
    const busy = sent.length < busyCalls;
    if (command instanceof BatchGetCommand) {
      const [name, request] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
      const keys = request?.Keys ?? [];
      sent.push(keys.length);
      const passed = busy ? keys.slice(0, keep) : keys;
      const rest = busy ? keys.slice(keep) : [];
      const answer =
        passed.length === 0
          ? {}
          : await documentClient.send(
              new BatchGetCommand({ RequestItems: { [name as string]: { ...request, Keys: passed } } }),
            );
      return {
        ...answer,
        UnprocessedKeys: rest.length > 0 ? { [name as string]: { ...request, Keys: rest } } : {},
      };
    }
    if (command instanceof BatchWriteCommand) {
      const [name, requests = []] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
      sent.push(requests.length);
      const passed = busy ? requests.slice(0, keep) : requests;
      const rest = busy ? requests.slice(keep) : [];
      await documentClient.send(new BatchWriteCommand({ RequestItems: { [name as string]: passed } }));
      return { UnprocessedItems: rest.length > 0 ? { [name as string]: rest } : {} };
    }
    throw new Error('only batches here');
  };
  return { client: { send } as unknown as DynamoDBDocumentClient, sent };
}

const pauses: number[] = [];
const sleep = async (ms: number) => {
  pauses.push(ms);
};
afterEach(() => {
  pauses.length = 0;
});

const itemsFor = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    id: `batch-${tag}-${String(i).padStart(3, '0')}`,
    status: 'draft',
  }));

describe('batchWriteAll', () => {
  it('writes every item, 25 to a request, sending the unprocessed ones again after growing pauses', async () => {
    const items = itemsFor(60, 'w');
    const { client, sent } = busyClient(6);
    await batchWriteAll(
      client,
      table,
      items.map((Item) => ({ PutRequest: { Item } })),
      { sleep },
    );
    const stored = (await scanAll(table)).map((i) => i.id).sort();
    expect(stored).toEqual(items.map((i) => i.id));
    expect(Math.max(...sent)).toBe(25);
    // First request: 25 sent, 7 kept, 18 left; then 18 → 11 → 4; the fourth try carries the 4 that were left.
    expect(sent.slice(0, 4)).toEqual([25, 18, 11, 4]);
    expect(pauses.slice(0, 3)).toEqual([retryPause(1), retryPause(2), retryPause(3)]);
    expect(retryPause(1)).toBeLessThan(retryPause(3));
  });

  it('deletes as well as puts', async () => {
    const items = itemsFor(30, 'd');
    await batchWriteAll(
      documentClient,
      table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
    const { client } = busyClient(3);
    await batchWriteAll(
      client,
      table,
      items.slice(0, 20).map(({ id }) => ({ DeleteRequest: { Key: { id } } })),
      { sleep },
    );
    expect((await scanAll(table)).map((i) => i.id).sort()).toEqual(items.slice(20).map((i) => i.id));
  });
});

describe('batchGetAll', () => {
  it('reads every existing item once, 100 keys to a request, retrying unprocessed keys', async () => {
    const items = itemsFor(230, 'g');
    await batchWriteAll(
      documentClient,
      table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
    const keys = [
      ...items.map(({ id }) => ({ id })),
      { id: 'batch-g-missing' },
      // A key given twice is asked for once (BatchGetItem refuses a request that names one twice).
      { id: 'batch-g-000' },
    ];
    const { client, sent } = busyClient(10, 40);
    const found = await batchGetAll(client, table, keys, {
      consistentRead: true,
      projectionExpression: 'id',
      inFlight: 2,
      sleep,
    });
    expect(found.map((i) => i.id).sort()).toEqual(items.map((i) => i.id));
    // The projection reached DynamoDB: only the key came back.
    expect(found.every((i) => Object.keys(i).join() === 'id')).toBe(true);
    expect(Math.max(...sent)).toBe(100);
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThan(231);
    expect(pauses.length).toBeGreaterThan(0);
  });

  it('gives up with a message that says how many keys were left, instead of trying forever', async () => {
    const { client } = busyClient(Number.POSITIVE_INFINITY, 0);
    await expect(batchGetAll(client, table, [{ id: 'a' }, { id: 'b' }], { sleep })).rejects.toThrow(
      `BatchGetItem on ${table}: 2 still unprocessed after 20 tries`,
    );
  });
});
