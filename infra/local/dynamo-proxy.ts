// A thin HTTP proxy in front of dynalite that turns successful writes to stream-enabled tables into DynamoDB
// stream records with old and new images, and that emulates TransactWriteItems (which dynalite lacks) with its
// ClientRequestToken idempotency. Handlers talk to it exactly as they would talk to DynamoDB.
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { TableSchema } from '../../shared/tables.ts';
import type { RunningServer } from './aws-servers.ts';

type Item = Record<string, AttributeValue>;
type Key = Record<string, AttributeValue>;

/** A captured stream record, before the stream gives it its sequence number. */
export type StreamRecordInput = Omit<DynamoDBRecord, 'dynamodb'> & {
  dynamodb: NonNullable<DynamoDBRecord['dynamodb']>;
};

export interface StreamTable {
  readonly tableName: string;
  readonly schema: TableSchema;
  /** Receives each record; the write is answered once every returned promise has settled (journaled). */
  readonly publish: (record: StreamRecordInput) => void | Promise<void>;
}

interface Touch {
  readonly table: StreamTable;
  readonly key: Key;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

function keyOf(schema: TableSchema, item: Item): Key {
  const key: Key = {};
  const pk = item[schema.partitionKey.name];
  if (pk) key[schema.partitionKey.name] = pk;
  if (schema.sortKey) {
    const sk = item[schema.sortKey.name];
    if (sk) key[schema.sortKey.name] = sk;
  }
  return key;
}

/** Every item a write request may change, for the tables that have a stream. */
function touchedItems(
  operation: string,
  body: Record<string, unknown>,
  tables: Map<string, StreamTable>,
): Touch[] {
  const touches: Touch[] = [];
  const add = (tableName: unknown, key: Key | undefined) => {
    const table = tables.get(String(tableName));
    if (table && key) touches.push({ table, key });
  };
  const fromPut = (tableName: unknown, item: unknown) => {
    const table = tables.get(String(tableName));
    if (table) add(tableName, keyOf(table.schema, item as Item));
  };
  switch (operation) {
    case 'PutItem':
      fromPut(body.TableName, body.Item);
      break;
    case 'UpdateItem':
    case 'DeleteItem':
      add(body.TableName, body.Key as Key);
      break;
    case 'BatchWriteItem':
      for (const [tableName, requests] of Object.entries(
        (body.RequestItems ?? {}) as Record<string, unknown[]>,
      )) {
        for (const r of requests as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Key } }[]) {
          if (r.PutRequest) fromPut(tableName, r.PutRequest.Item);
          if (r.DeleteRequest) add(tableName, r.DeleteRequest.Key);
        }
      }
      break;
  }
  return touches;
}

const keyString = (t: Touch) => `${t.table.tableName}\u0000${JSON.stringify(t.key)}`;

const approximateSize = (item: Item | undefined) => (item ? Buffer.byteLength(JSON.stringify(item)) : 0);

export async function startDynamoProxy(
  upstream: string,
  streamTables: readonly StreamTable[],
  port = 0,
): Promise<RunningServer> {
  const tables = new Map(streamTables.map((t) => [t.tableName, t]));
  const direct = new DynamoDBClient({ endpoint: upstream });
  const upstreamUrl = new URL(upstream);
  // Writes to one item are serialised, so each record's old image is exactly the previous record's new image.
  const locks = new Map<string, Promise<void>>();

  const readItem = async (t: Touch): Promise<Item | undefined> =>
    (
      await direct.send(
        new GetItemCommand({ TableName: t.table.tableName, Key: t.key, ConsistentRead: true }),
      )
    ).Item;

  type Forwarded = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };
  const forward = (headers: IncomingMessage['headers'], body: Buffer) =>
    new Promise<Forwarded>((resolve, reject) => {
      const out = httpRequest(
        {
          hostname: upstreamUrl.hostname,
          port: upstreamUrl.port,
          method: 'POST',
          path: '/',
          headers: { ...headers, host: upstreamUrl.host, 'content-length': String(body.byteLength) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const withLocks = async <T>(keys: string[], work: () => Promise<T>): Promise<T> => {
    const unique = [...new Set(keys)].sort();
    const previous = unique.map((k) => locks.get(k) ?? Promise.resolve());
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const k of unique) locks.set(k, mine);
    await Promise.all(previous);
    try {
      return await work();
    } finally {
      release();
      for (const k of unique) if (locks.get(k) === mine) locks.delete(k);
    }
  };

  /** One DynamoDB request, forwarded; writes to stream tables are captured with their old and new images. */
  const perform = async (operation: string, headers: IncomingMessage['headers'], body: Buffer) => {
    let touches: Touch[] = [];
    if (WRITE_OPERATIONS.has(operation)) {
      try {
        touches = touchedItems(operation, JSON.parse(body.toString('utf8')), tables);
      } catch {
        touches = [];
      }
    }
    return touches.length === 0
      ? await forward(headers, body)
      : await withLocks(touches.map(keyString), async () => {
          const before = await Promise.all(touches.map(readItem));
          const response = await forward(headers, body);
          if (response.status === 200) {
            const after = await Promise.all(touches.map(readItem));
            const published = touches.map((t, i) => {
              const oldImage = before[i];
              const newImage = after[i];
              if (JSON.stringify(oldImage) === JSON.stringify(newImage)) return undefined;
              return t.table.publish({
                eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
                eventVersion: '1.1',
                eventSource: 'aws:dynamodb',
                awsRegion: process.env.AWS_REGION ?? 'us-east-1',
                eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${t.table.tableName}/stream/local`,
                dynamodb: {
                  ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
                  Keys: t.key as never,
                  ...(newImage ? { NewImage: newImage as never } : {}),
                  ...(oldImage ? { OldImage: oldImage as never } : {}),
                  SizeBytes: approximateSize(newImage) + approximateSize(oldImage),
                  StreamViewType: 'NEW_AND_OLD_IMAGES',
                },
              });
            });
            await Promise.all(published);
          }
          return response;
        });
  };

  // dynalite has no transactions. TransactWriteItems is emulated for what this codebase sends: each Put, Update or
  // Delete is applied in order, and a ClientRequestToken seen in the last 10 minutes with the same items is
  // answered without applying them again, as DynamoDB does. Unlike DynamoDB, a failure part-way leaves earlier
  // items applied; ConditionCheck is refused rather than faked.
  // Every counted view with an X-View-Id is such a transaction, so at hundreds of views a second the tokens of 10
  // minutes are a lot of memory: each keeps only a digest of its items and, once applied, no outcome (success is
  // always the same empty answer); and past MAX_TOKENS the oldest are forgotten early. A repeat comes within
  // seconds (the page script's retries), far inside either bound.
  const transactions = new Map<string, { items: string; at: number; done?: Promise<Forwarded> }>();
  const IDEMPOTENCY_MS = 10 * 60_000;
  const MAX_TOKENS = 100_000;
  const digest = (items: unknown) => createHash('sha256').update(JSON.stringify(items)).digest('base64url');
  const reply = (status: number, payload: object): Forwarded => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(payload)),
  });
  const error = (status: number, type: string, message: string) =>
    reply(status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  const operations = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' } as const;

  const apply = async (headers: IncomingMessage['headers'], items: Record<string, unknown>[]) => {
    for (const item of items) {
      const kind = (Object.keys(item) as (keyof typeof operations)[]).find((k) => k in operations);
      const params = kind ? item[kind] : undefined;
      if (!kind || !params)
        return error(400, 'ValidationException', 'Only Put, Update and Delete are emulated.');
      const operation = operations[kind];
      const result = await perform(
        operation,
        { ...headers, 'x-amz-target': `DynamoDB_20120810.${operation}` },
        Buffer.from(JSON.stringify(params)),
      );
      if (result.status !== 200) {
        const reason = JSON.parse(result.body.toString('utf8')) as { __type?: string };
        return reason.__type?.endsWith('ConditionalCheckFailedException')
          ? error(400, 'TransactionCanceledException', 'Transaction cancelled: [ConditionalCheckFailed]')
          : result;
      }
    }
    return reply(200, {});
  };

  const transact = async (headers: IncomingMessage['headers'], body: Buffer): Promise<Forwarded> => {
    const request = JSON.parse(body.toString('utf8')) as {
      TransactItems?: Record<string, unknown>[];
      ClientRequestToken?: string;
    };
    const items = request.TransactItems ?? [];
    const token = request.ClientRequestToken;
    if (!token) return apply(headers, items);
    const at = Date.now();
    // Oldest first (insertion order): forget the tokens past the window, or past the count bound.
    for (const [key, entry] of transactions) {
      if (at - entry.at <= IDEMPOTENCY_MS && transactions.size < MAX_TOKENS) break;
      transactions.delete(key);
    }
    const fingerprint = digest(items);
    const seen = transactions.get(token);
    if (seen) {
      if (seen.items !== fingerprint)
        return error(400, 'IdempotentParameterMismatchException', 'The token was used with other items.');
      // A repeat (even one that arrives while the first is in flight) has the first one's outcome, applied once.
      return seen.done ?? reply(200, {});
    }
    const entry: { items: string; at: number; done?: Promise<Forwarded> } = {
      items: fingerprint,
      at,
      done: apply(headers, items),
    };
    transactions.set(token, entry);
    const result = await (entry.done as Promise<Forwarded>);
    // A transaction that failed used nothing up: a retry with the same token may apply it.
    if (result.status !== 200) transactions.delete(token);
    else delete entry.done;
    return result;
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const result =
        operation === 'TransactWriteItems'
          ? await transact(req.headers, body)
          : await perform(operation, req.headers, body);
      res.writeHead(result.status, result.headers);
      res.end(result.body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: String(error),
        }),
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: async () => {
      direct.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
