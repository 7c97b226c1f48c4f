// Faults, injected locally: S3 unreachable while rendering, a poison record, DynamoDB throttling, and the whole
// runtime killed in the middle of a publish. Each test counts the faults it injected and the items it lost (goal 0).
// The emulator's own retry, bisect, DLQ and journal-replay rules are unit-tested in test/local/stream.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { productionDeps, renderStream } from '#functions/render/handler.ts';
import { startDynamoProxy } from '#infra/local/dynamo-proxy.ts';
import { StreamEmulator } from '#infra/local/stream.ts';
import { toItem } from '#shared/aws/article-items.ts';
import { dynamoArticleStore } from '#shared/aws/article-store.ts';
import { s3SiteStore } from '#shared/aws/site-store.ts';
import { acceptSubmission } from '#shared/domain/accept-submission.ts';
import type { Article } from '#shared/domain/article.ts';
import { articlePath } from '#shared/domain/urls.ts';
import { requireEnv } from '#shared/env.ts';
import { createLogger } from '#shared/log.ts';
import { renderStreamFilters, renderStreamSettings } from '#shared/stream-settings.ts';
import { articlesTable } from '#shared/tables.ts';
import { hexId, seedArticle } from '../support/render-fixtures.ts';
import { resetTables } from '../support/tables.ts';

const env = requireEnv('ARTICLES_TABLE', 'HISTORY_TABLE', 'SITE_BUCKET', 'AWS_ENDPOINT_URL_DYNAMODB');
const quiet = createLogger({}, () => undefined);
const s3 = new S3Client({ forcePathStyle: true });
const tally = { faultsInjected: 0, itemsLost: 0 };
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await resetTables();
});
afterAll(() => {
  console.log(`faults: ${tally.faultsInjected} injected, ${tally.itemsLost} items lost`);
});

const pageExists = async (key: string) =>
  s3
    .send(new GetObjectCommand({ Bucket: env.SITE_BUCKET, Key: key }))
    .then(async (o) => (await o.Body?.transformToString()) ?? '')
    .catch(() => undefined);

const article = (n: number, status: Article['status'] = 'published'): Article & { publishedAt: string } => ({
  ...seedArticle,
  id: hexId(0xfa000 + n),
  title: `故障注入稿件 ${n}`,
  status,
  publishedAt: new Date(Date.UTC(2026, 10, 1, 8, n)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 10, 1, 8, n)).toISOString(),
});

/** The local stream wiring: writes through the DynamoDB proxy feed the emulator, which feeds `consumer`. */
async function streamTo(consumer: (event: DynamoDBStreamEvent) => Promise<unknown>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'faults-stream-'));
  const stream = new StreamEmulator({
    settings: renderStreamSettings,
    filters: renderStreamFilters,
    directory: dir,
    log: quiet,
    consumer: consumer as never,
  });
  const proxy = await startDynamoProxy(env.AWS_ENDPOINT_URL_DYNAMODB, [
    { tableName: env.ARTICLES_TABLE, schema: articlesTable, publish: (r) => stream.publish(r) },
  ]);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: proxy.endpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  cleanups.push(async () => {
    doc.destroy();
    await proxy.close();
    await stream.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const put = (a: Article) => doc.send(new PutCommand({ TableName: env.ARTICLES_TABLE, Item: toItem(a) }));
  return { stream, put, dir };
}

describe('S3 unavailable during a render', () => {
  it('retries the batch and the pages appear once S3 is back', async () => {
    // A site store whose endpoint is dead (nothing listens on port 9), used while the outage lasts.
    const dead = new S3Client({ endpoint: 'http://127.0.0.1:9', forcePathStyle: true, maxAttempts: 1 });
    cleanups.push(async () => dead.destroy());
    const live = productionDeps();
    let outageBatches = 2;
    const { stream, put } = await streamTo(async (event) => {
      if (outageBatches > 0) {
        outageBatches--;
        tally.faultsInjected++;
        return renderStream(event, { ...live, store: s3SiteStore(dead, env.SITE_BUCKET) });
      }
      return renderStream(event, live);
    });
    const articles = [1, 2, 3].map((n) => article(n));
    for (const a of articles) await put(a);
    await stream.idle();
    expect(outageBatches).toBe(0);
    expect(stream.stats.deadLettered).toBe(0);
    for (const a of articles) {
      const html = await pageExists(articlePath(a).slice(1));
      if (!html?.includes(a.title)) tally.itemsLost++;
      expect(html).toContain(a.title);
    }
  });
});

describe('a poison record', () => {
  it('goes to the DLQ while the rest of its shard moves on', async () => {
    const poisonId = article(9).id;
    const { stream, put, dir } = await streamTo(async (event) => {
      // Rendering one record fails every time, as a record the handler cannot read would; the rest of the batch
      // is rendered and only that record is reported, as render does.
      const poisoned = event.Records.find((r) => r.dynamodb?.Keys?.id?.S === poisonId);
      const rest = event.Records.filter((r) => r !== poisoned);
      if (rest.length > 0) await renderStream({ Records: rest }, productionDeps());
      if (!poisoned) return { batchItemFailures: [] };
      tally.faultsInjected++;
      return { batchItemFailures: [{ itemIdentifier: poisoned.dynamodb?.SequenceNumber ?? '' }] };
    });
    const before = [4, 5].map((n) => article(n));
    const after = [6, 7].map((n) => article(n));
    for (const a of before) await put(a);
    await put(article(9));
    for (const a of after) await put(a);
    await stream.idle();
    expect(stream.stats.deadLettered).toBe(1);
    const dlqFiles = readdirSync(path.join(dir, 'dlq'));
    expect(dlqFiles).toHaveLength(1);
    const dlq = readFileSync(path.join(dir, 'dlq', dlqFiles[0] ?? ''), 'utf8');
    expect(dlq).toContain(poisonId);
    for (const a of [...before, ...after]) {
      const html = await pageExists(articlePath(a).slice(1));
      if (!html?.includes(a.title)) tally.itemsLost++;
      expect(html).toContain(a.title);
    }
  });
});

describe('DynamoDB throttling', () => {
  it('is retried by the SDK: a submission throttled twice is stored once', async () => {
    // A proxy in front of dynalite that answers the first writes as DynamoDB does when a partition is over its limit.
    let throttles = 2;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // A submission is written with its audit entry in one TransactWriteItems: that is the write to throttle.
        if (throttles > 0 && /\.(PutItem|TransactWriteItems)$/.test(String(req.headers['x-amz-target']))) {
          throttles--;
          tally.faultsInjected++;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(
            JSON.stringify({
              __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
              message: 'The level of configured provisioned throughput for the table was exceeded.',
            }),
          );
          return;
        }
        const upstream = new URL(env.AWS_ENDPOINT_URL_DYNAMODB);
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(res);
          },
        );
        forward.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}` });
    cleanups.push(async () => client.destroy());
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const accepted = await acceptSubmission(
      { title: '限流重试稿件', body: '正文。', author: '', channel: 'opinion' },
      undefined,
      { store: dynamoArticleStore(doc, env.ARTICLES_TABLE, env.HISTORY_TABLE), now: () => new Date() },
    );
    expect(throttles).toBe(0);
    expect(accepted.created).toBe(true);
    const stored = await dynamoArticleStore(
      DynamoDBDocumentClient.from(new DynamoDBClient({})),
      env.ARTICLES_TABLE,
    ).get(accepted.id);
    if (!stored) tally.itemsLost++;
    expect(stored?.title).toBe('限流重试稿件');
  });
});

describe('killing the local runtime in the middle of a publish', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  async function start(dataDir: string, port: number): Promise<{ url: string; proc: ChildProcess }> {
    // Node itself (with tsx as a loader), not npx: SIGKILL must hit the runtime, not a wrapper that leaves it running.
    const proc = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        SEED: 'none',
        EDITOR_TOKEN: 'fault-editor-token-0123456789',
        // The child's own servers, not this worker's.
        AWS_ENDPOINT_URL_DYNAMODB: '',
        AWS_ENDPOINT_URL_S3: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /running at (http:\/\/\S+?)\/?\s/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      proc.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      proc.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    return { url, proc };
  }

  it('loses nothing: records journaled before the kill are rendered after the restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'faults-kill-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const first = await start(dataDir, port);
    const auth = { authorization: 'Bearer fault-editor-token-0123456789' };
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${first.url}/api/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `断电测试稿件 ${i}`, body: '正文。', author: '', channel: 'opinion' }),
      });
      ids.push(((await response.json()) as { id: string }).id);
    }
    // Publish all at once and kill the runtime the moment the last publish is acknowledged: renders are in flight.
    const urls = await Promise.all(
      ids.map(async (id) => {
        const r = await fetch(`${first.url}/api/admin/submissions/${id}/publish`, {
          method: 'POST',
          headers: auth,
        });
        expect(r.status).toBe(200);
        return ((await r.json()) as { url: string }).url;
      }),
    );
    first.proc.kill('SIGKILL');
    tally.faultsInjected++;
    await new Promise((resolve) => first.proc.once('exit', resolve));
    // What the kill left undelivered: journaled stream records past the last checkpoint.
    const streamDir = path.join(dataDir, 'stream');
    const done = Number(
      readFileSync(path.join(streamDir, 'checkpoint'), { encoding: 'utf8', flag: 'a+' }) || 0,
    );
    const inFlight = readFileSync(path.join(streamDir, 'journal.jsonl'), { encoding: 'utf8', flag: 'a+' })
      .split('\n')
      .filter(Boolean)
      .filter((line) => (JSON.parse(line) as { seq: number }).seq > done).length;
    console.log(`faults: runtime killed with ${inFlight} stream records journaled but not yet rendered`);

    const second = await start(dataDir, port);
    let missing = urls;
    const deadline = Date.now() + 20_000;
    while (missing.length > 0 && Date.now() < deadline) {
      const statuses = await Promise.all(
        missing.map((u) => fetch(`${second.url}${u}`).then((r) => r.status)),
      );
      missing = missing.filter((_, i) => statuses[i] !== 200);
      if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    tally.itemsLost += missing.length;
    expect(missing).toEqual([]);
    second.proc.kill('SIGTERM');
    await new Promise((resolve) => second.proc.once('exit', resolve));
  }, 120_000);
});
