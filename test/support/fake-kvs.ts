// A small CloudFront KeyValueStore (the `cloudfront-keyvaluestore` REST API) on a local port, for tests that point
// the real SDK client at it through `endpoint`: DescribeKeyValueStore, ListKeys and UpdateKeys, with the store's
// ETag checked on every write (If-Match), the service's limits enforced, and SigV4a required on each request.
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FakeKvs {
  /**
   * What the SDK client needs to reach the fake: its `endpoint`, and a request handler whose agent resolves every
   * host to this machine. The client's endpoint rules put the store's account id in front of the endpoint's host
   * (`http://123456789012.kvs.test:port`), which no resolver here knows.
   */
  readonly clientConfig: { endpoint: string; requestHandler: { httpAgent: Agent } };
  readonly arn: string;
  /** The store's keys and values, as the service holds them. */
  readonly items: Map<string, string>;
  readonly etag: () => string;
  /** Every request, as `METHOD path` (ListKeys and UpdateKeys with their batch sizes), for assertions. */
  readonly calls: string[];
  /** The next `n` UpdateKeys calls find the store changed under them (another writer): their If-Match is stale. */
  interleaveWrites(n: number): void;
  close(): Promise<void>;
}

/** Service limits (CloudFront quotas, the UpdateKeys API). */
export const kvsLimits = {
  keysPerUpdate: 50,
  updatePayloadBytes: 3 * 1024 * 1024,
  keyBytes: 512,
  valueBytes: 1024,
  storeBytes: 5 * 1024 * 1024,
  listPage: 50,
} as const;

const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/0f0e0d0c-1111-2222-3333-444455556666';

export async function startFakeKvs(initial: Record<string, string> = {}): Promise<FakeKvs> {
  const items = new Map(Object.entries(initial));
  let version = 1;
  let interleave = 0;
  const calls: string[] = [];
  const etag = () => `ETAG${version}`;
  const size = () => [...items].reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

  const fail = (res: ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ Message: message }));
  };
  const answer = (res: ServerResponse, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://kvs');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // The service takes SigV4a only (a multi-region signature over region set "*").
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('AWS4-ECDSA-P256-SHA256 ') || req.headers['x-amz-region-set'] !== '*') {
      fail(res, 403, 'AccessDeniedException', `not signed with SigV4a: ${auth.split(' ')[0] ?? 'none'}`);
      return;
    }
    const match = /^\/key-value-stores\/([^/]+)(\/keys)?$/.exec(url.pathname);
    if (!match || decodeURIComponent(match[1] ?? '') !== ARN) {
      calls.push(`${req.method} ${url.pathname}`);
      fail(res, 404, 'ResourceNotFoundException', 'Key value store not found');
      return;
    }
    const keysPath = match[2] === '/keys';
    if (req.method === 'GET' && !keysPath) {
      calls.push('DescribeKeyValueStore');
      answer(
        res,
        {
          ItemCount: items.size,
          TotalSizeInBytes: size(),
          KvsARN: ARN,
          Created: 1_700_000_000,
          LastModified: 1_700_000_000,
          Status: 'READY',
        },
        { etag: etag() },
      );
      return;
    }
    if (req.method === 'GET' && keysPath) {
      const max = Math.min(
        kvsLimits.listPage,
        Number(url.searchParams.get('MaxResults') ?? kvsLimits.listPage),
      );
      const sorted = [...items.keys()].sort();
      const after = url.searchParams.get('NextToken');
      const start = after ? sorted.findIndex((k) => k > after) : 0;
      const page = start < 0 ? [] : sorted.slice(start, start + max);
      calls.push(`ListKeys ${page.length}`);
      const last = page.at(-1);
      answer(res, {
        Items: page.map((Key) => ({ Key, Value: items.get(Key) })),
        ...(last !== undefined && start + max < sorted.length ? { NextToken: last } : {}),
      });
      return;
    }
    if (req.method === 'POST' && keysPath) {
      const input = JSON.parse(body.toString('utf8') || '{}') as {
        Puts?: { Key: string; Value: string }[];
        Deletes?: { Key: string }[];
      };
      const puts = input.Puts ?? [];
      const deletes = input.Deletes ?? [];
      calls.push(`UpdateKeys ${puts.length}+${deletes.length}`);
      if (interleave > 0) {
        interleave--;
        version++;
      }
      if (req.headers['if-match'] !== etag()) {
        fail(res, 409, 'ConflictException', 'Pre-Condition failed: the ETag does not match');
        return;
      }
      if (puts.length + deletes.length > kvsLimits.keysPerUpdate) {
        fail(res, 400, 'ValidationException', `at most ${kvsLimits.keysPerUpdate} keys per request`);
        return;
      }
      if (body.byteLength > kvsLimits.updatePayloadBytes) {
        fail(res, 400, 'ValidationException', 'payload over 3 MB');
        return;
      }
      for (const p of puts) {
        if (
          Buffer.byteLength(p.Key) > kvsLimits.keyBytes ||
          Buffer.byteLength(p.Value) > kvsLimits.valueBytes
        ) {
          fail(res, 400, 'ValidationException', `key or value too long: ${p.Key.slice(0, 40)}`);
          return;
        }
      }
      // All or nothing, as the service does.
      const next = new Map(items);
      for (const d of deletes) next.delete(d.Key);
      for (const p of puts) next.set(p.Key, p.Value);
      const nextSize = [...next].reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      if (nextSize > kvsLimits.storeBytes) {
        fail(res, 402, 'ServiceQuotaExceededException', 'store over 5 MB');
        return;
      }
      items.clear();
      for (const [k, v] of next) items.set(k, v);
      version++;
      answer(res, { ItemCount: items.size, TotalSizeInBytes: size() }, { etag: etag() });
      return;
    }
    fail(res, 400, 'ValidationException', `unsupported ${req.method} ${url.pathname}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => fail(res, 500, 'InternalServerException', error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const httpAgent = new Agent({
    lookup: (_host, options, callback) => {
      if ((options as { all?: boolean }).all)
        callback(null, [{ address: '127.0.0.1', family: 4 }] as never, 4);
      else callback(null, '127.0.0.1', 4);
    },
  });
  return {
    clientConfig: { endpoint: `http://kvs.test:${port}`, requestHandler: { httpAgent } },
    arn: ARN,
    items,
    etag,
    calls,
    interleaveWrites: (n) => {
      interleave = n;
    },
    close: () =>
      new Promise((resolve) => {
        httpAgent.destroy();
        server.close(() => resolve());
      }),
  };
}
