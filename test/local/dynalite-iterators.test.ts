// dynalite's queries close their LevelDB iterators (infra/local/dynalite-iterators.ts). Before, none was ever
// closed: 2,000 queries with a Limit left 4,000 iterators open, and the process grew by about 22 KB per query.

import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { AbstractIterator } from 'abstract-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startDynalite } from '#infra/local/aws-servers.ts';

interface Closable {
  close(...args: unknown[]): Promise<void>;
}
const common = Object.getPrototypeOf(AbstractIterator.prototype) as Closable;
const realClose = common.close;
let closed = 0;
let server: RunningServer;
let client: DynamoDBClient;
const TableName = 'iterators';

beforeAll(async () => {
  // Counts the closes of real iterators; the close itself still runs.
  common.close = function countedClose(this: Closable, ...args: unknown[]) {
    closed++;
    return realClose.apply(this, args);
  };
  server = await startDynalite();
  client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 30; i++)
    await client.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, sk: { S: String(i).padStart(3, '0') } } }),
    );
});
afterAll(async () => {
  client.destroy();
  await server.close();
  common.close = realClose;
});

describe('dynalite iterators', () => {
  it('are closed after queries cut short by a Limit, queries read to the end, and scans', async () => {
    const before = closed;
    const QUERIES = 40;
    for (let i = 0; i < QUERIES; i++) {
      const page = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :a',
          ExpressionAttributeValues: { ':a': { S: 'a' } },
          ...(i % 2 === 0 ? { Limit: 5 } : {}),
        }),
      );
      expect(page.Items?.length).toBe(i % 2 === 0 ? 5 : 30);
    }
    await client.send(new ScanCommand({ TableName, Limit: 3 }));
    // Closing is asynchronous: give the last streams a moment to finish.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed - before).toBeGreaterThanOrEqual(QUERIES + 1);
  });
});
