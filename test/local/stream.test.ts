import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDynamoProxy } from '#infra/local/dynamo-proxy.ts';
import { StreamEmulator, type StreamSettings } from '#infra/local/stream.ts';
import { passesFilters } from '#infra/local/stream-filter.ts';
import { createLogger } from '#shared/log.ts';
import { renderStreamFilters, renderStreamSettings } from '#shared/stream-settings.ts';
import { articlesTable } from '#shared/tables.ts';

const quiet = createLogger({}, () => undefined);
const settings: StreamSettings = { ...renderStreamSettings, retryAttempts: 2 };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stream-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Consumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

function emulator(consumer: Consumer, overrides: Partial<StreamSettings> = {}) {
  return new StreamEmulator({
    settings: { ...settings, ...overrides },
    filters: renderStreamFilters,
    directory: dir,
    log: quiet,
    consumer,
    retryDelayMs: 1,
  });
}

const record = (
  id: string,
  status: string,
  oldStatus?: string,
): Parameters<StreamEmulator['publish']>[0] => ({
  eventName: oldStatus ? 'MODIFY' : 'INSERT',
  dynamodb: {
    Keys: { id: { S: id } },
    NewImage: { id: { S: id }, status: { S: status } },
    ...(oldStatus ? { OldImage: { id: { S: id }, status: { S: oldStatus } } } : {}),
  },
});

const ids = (records: DynamoDBRecord[]) => records.map((r) => r.dynamodb?.Keys?.id?.S);

/** A proxy in front of the test dynalite whose Articles records are delivered, unfiltered, into `seen`. */
async function capturing() {
  const seen: DynamoDBRecord[] = [];
  const stream = new StreamEmulator({
    settings,
    filters: [],
    directory: dir,
    log: quiet,
    consumer: async (event) => {
      seen.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  const proxy = await startDynamoProxy(requireEndpoint(), [
    { tableName: requireTable(), schema: articlesTable, publish: (r) => stream.publish(r) },
  ]);
  return { seen, stream, proxy, client: new DynamoDBClient({ endpoint: proxy.endpoint }) };
}

describe('stream emulation through the DynamoDB proxy', () => {
  it('emits INSERT, MODIFY and REMOVE with old and new images for the stream table only', async () => {
    const { seen, stream, proxy, client } = await capturing();
    const TableName = requireTable();
    const Key = { id: { S: 'aaaaaaaaaaaaaaaa' } };
    await client.send(
      new PutItemCommand({ TableName, Item: { ...Key, status: { S: 'pending' }, title: { S: '一' } } }),
    );
    await client.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET #s = :p',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': { S: 'published' } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName, Key }));
    // A failed conditional write changes nothing and emits nothing.
    await client
      .send(new DeleteItemCommand({ TableName, Key, ConditionExpression: 'attribute_exists(id)' }))
      .catch(() => undefined);
    await stream.idle();
    expect(seen.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(seen[0]?.dynamodb?.OldImage).toBeUndefined();
    expect(seen[0]?.dynamodb?.NewImage?.title).toEqual({ S: '一' });
    expect(seen[1]?.dynamodb?.OldImage?.status).toEqual({ S: 'pending' });
    expect(seen[1]?.dynamodb?.NewImage?.status).toEqual({ S: 'published' });
    expect(seen[2]?.dynamodb?.NewImage).toBeUndefined();
    expect(seen[2]?.dynamodb?.OldImage?.status).toEqual({ S: 'published' });
    expect(seen.every((r) => r.dynamodb?.StreamViewType === 'NEW_AND_OLD_IMAGES')).toBe(true);
    const sequence = seen.map((r) => r.dynamodb?.SequenceNumber ?? '');
    expect([...sequence].sort()).toEqual(sequence);
    client.destroy();
    await proxy.close();
    await stream.stop();
  });
});

describe('TransactWriteItems emulation in the DynamoDB proxy (dynalite has none)', () => {
  it('applies a ClientRequestToken once, refuses it with other items, and captures stream records', async () => {
    const { seen, stream, proxy, client } = await capturing();
    const TableName = requireTable();
    const Key = { id: { S: 'bbbbbbbbbbbbbbbb' } };
    const add = (ClientRequestToken: string, n = '1') =>
      client.send(
        new TransactWriteItemsCommand({
          ClientRequestToken,
          TransactItems: [
            {
              Update: {
                TableName,
                Key,
                UpdateExpression: 'ADD n :n',
                ExpressionAttributeValues: { ':n': { N: n } },
              },
            },
          ],
        }),
      );
    const count = async () =>
      Number((await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item?.n?.N);
    await add('token-one');
    await add('token-one');
    // A repeat that arrives while the first is still in flight is applied once too.
    await Promise.all([add('token-two'), add('token-two'), add('token-two')]);
    expect(await count()).toBe(2);
    await expect(add('token-one', '5')).rejects.toMatchObject({
      name: 'IdempotentParameterMismatchException',
    });
    expect(await count()).toBe(2);
    await stream.idle();
    expect(seen.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(seen[1]?.dynamodb?.NewImage?.n).toEqual({ N: '2' });
    client.destroy();
    await proxy.close();
    await stream.stop();
  });
});

describe('StreamEmulator delivery', () => {
  it('passes only records where the article is or was published', async () => {
    const delivered: DynamoDBRecord[] = [];
    const stream = emulator(async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    });
    stream.publish(record('1111111111111111', 'pending'));
    stream.publish(record('2222222222222222', 'published', 'pending'));
    stream.publish(record('3333333333333333', 'unpublished', 'published'));
    stream.publish(record('4444444444444444', 'rejected', 'pending'));
    await stream.idle();
    expect(ids(delivered)).toEqual(['2222222222222222', '3333333333333333']);
    await stream.stop();
  });

  it('batches up to the configured size and keeps per-item order', async () => {
    const batches: string[][] = [];
    const stream = emulator(
      async (event) => {
        batches.push(ids(event.Records) as string[]);
        return { batchItemFailures: [] };
      },
      { batchSize: 3 },
    );
    for (let i = 0; i < 7; i++)
      stream.publish(record('aaaaaaaaaaaaaaaa', 'published', i ? 'published' : 'pending'));
    await stream.idle();
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    await stream.stop();
  });

  it('retries from the first reported failure, then sends what still fails to the DLQ', async () => {
    const attempts = new Map<string, number>();
    const stream = emulator(async (event) => {
      const failures = [];
      for (const r of event.Records) {
        const id = r.dynamodb?.Keys?.id?.S ?? '';
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (id === 'bbbbbbbbbbbbbbbb') failures.push({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' });
      }
      return { batchItemFailures: failures };
    });
    stream.publish(record('aaaaaaaaaaaaaaaa', 'published', 'pending'));
    stream.publish(record('bbbbbbbbbbbbbbbb', 'published', 'pending'));
    stream.publish(record('cccccccccccccccc', 'published', 'pending'));
    await stream.idle();
    expect(attempts.get('aaaaaaaaaaaaaaaa')).toBe(1);
    // 1 delivery + 2 retries, bisected so the poison record ends up alone.
    expect(attempts.get('bbbbbbbbbbbbbbbb')).toBe(3);
    expect(attempts.get('cccccccccccccccc')).toBeGreaterThanOrEqual(2);
    expect(stream.stats.deadLettered).toBe(1);
    const dlq = readdirSync(path.join(dir, 'dlq'));
    expect(dlq).toHaveLength(1);
    const dead = JSON.parse(readFileSync(path.join(dir, 'dlq', dlq[0] ?? ''), 'utf8'));
    expect(ids(dead.records)).toEqual(['bbbbbbbbbbbbbbbb']);
    await stream.stop();
  });

  it('retries a batch whose consumer throws, and delivers once it recovers', async () => {
    let calls = 0;
    const delivered: DynamoDBRecord[] = [];
    const stream = emulator(async (event) => {
      calls++;
      if (calls === 1) throw new Error('S3 unavailable');
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    });
    stream.publish(record('aaaaaaaaaaaaaaaa', 'published', 'pending'));
    await stream.idle();
    expect(calls).toBe(2);
    expect(ids(delivered)).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(stream.stats.deadLettered).toBe(0);
    await stream.stop();
  });

  it('replays journaled records that were never delivered, after a restart', async () => {
    const first = emulator(
      async () => {
        throw new Error('process about to die');
      },
      { retryAttempts: 100 },
    );
    first.publish(record('aaaaaaaaaaaaaaaa', 'published', 'pending'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    await first.stop();

    const delivered: DynamoDBRecord[] = [];
    const second = emulator(async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    });
    await second.idle();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await second.idle();
    expect(ids(delivered)).toEqual(['aaaaaaaaaaaaaaaa']);
    await second.stop();

    const third = emulator(async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    });
    await third.idle();
    expect(delivered).toHaveLength(1);
    await third.stop();
  });
});

function requireEndpoint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) throw new Error('test setup did not start dynalite');
  return endpoint;
}
function requireTable(): string {
  const table = process.env.ARTICLES_TABLE;
  if (!table) throw new Error('test setup did not name the Articles table');
  return table;
}

describe('render stream filter', () => {
  const image = (status: string, bulk = false) => ({
    status: { S: status },
    ...(bulk ? { _bulk: { S: 'run' } } : {}),
  });
  const pass = (r: object) => passesFilters(r, renderStreamFilters);

  it('passes publish, edit, unpublish and delete of published articles', () => {
    expect(pass({ dynamodb: { NewImage: image('published'), OldImage: image('pending') } })).toBe(true);
    expect(pass({ dynamodb: { NewImage: image('published'), OldImage: image('published') } })).toBe(true);
    expect(pass({ dynamodb: { NewImage: image('unpublished'), OldImage: image('published') } })).toBe(true);
    expect(pass({ dynamodb: { OldImage: image('published') } })).toBe(true);
  });

  it('drops changes that never touch a published article', () => {
    expect(pass({ dynamodb: { NewImage: image('pending') } })).toBe(false);
    expect(pass({ dynamodb: { NewImage: image('rejected'), OldImage: image('pending') } })).toBe(false);
  });

  it('drops bulk-import writes, which are rendered by one coalesced command', () => {
    expect(pass({ dynamodb: { NewImage: image('published', true) } })).toBe(false);
    expect(
      pass({ dynamodb: { NewImage: image('published', true), OldImage: image('published', true) } }),
    ).toBe(false);
    // An editor's change removes the marker and renders as usual.
    expect(pass({ dynamodb: { NewImage: image('unpublished'), OldImage: image('published', true) } })).toBe(
      true,
    );
  });

  it('passes a photo whose processing finished, for the pages that wait for it, and no other upload record', () => {
    const upload = (state: string) => ({ kind: { S: 'upload' }, state: { S: state } });
    expect(pass({ dynamodb: { NewImage: upload('ready') } })).toBe(true);
    expect(pass({ dynamodb: { NewImage: upload('rejected') } })).toBe(false);
    expect(pass({ dynamodb: { OldImage: upload('ready') } })).toBe(false);
  });
});
