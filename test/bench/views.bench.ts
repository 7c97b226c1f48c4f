// View-count benchmarks (docs/VIEW-COUNTS.md): exactness and throughput through the local runtime's gateway, and
// the capacity model of a viral article in AWS. `npm run bench:views`; figures go to stdout with their goals.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { localNames } from '../../infra/local/environment.ts';
import { toItem } from '../../shared/aws/article-items.ts';
import {
  dynamoViewCounter,
  dynamoViewCounts,
  VIEW_SHARDS,
  viewShardKey,
} from '../../shared/aws/view-counts.ts';
import { forEachLimited } from '../../shared/concurrency.ts';
import type { Article } from '../../shared/domain/article.ts';
import { HotTally } from '../../shared/domain/views.ts';
import { createLogger } from '../../shared/log.ts';
import { seedArticle } from '../support/render-fixtures.ts';
import { startRuntimeProcess } from './runtime-process.ts';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const quiet = createLogger({}, () => undefined);
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

const article = (id: string): Article => ({ ...seedArticle, id });

/** Runs `total` tasks with at most `concurrency` in flight; returns the wall time in ms. */
async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  await forEachLimited(
    Array.from({ length: total }, (_, i) => i),
    concurrency,
    task,
  );
  return performance.now() - started;
}

async function throughAwsSdkAndGateway(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'newsroom-bench-views-'));
  // Keep-alive sockets, as a browser or CloudFront keeps them; enough for 2,000 requests in flight at once.
  const agent = new Agent({ keepAlive: true, maxSockets: 4096 });
  // The runtime runs as `npm start` runs it, in its own process: the load generator's CPU is not the server's.
  // The POST route's throttle (1,000/s locally as in AWS) is off: this measures what the runtime can do past it.
  const runtime = await startRuntimeProcess(dataDir, { routeThrottles: false });
  try {
    const ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, maxAttempts: 10 }),
    );
    const reader = dynamoViewCounts(ddb, localNames.COUNTERS_TABLE);
    const viral = 'b0a1c2d3e4f5a6b7';
    const steady = 'c0a1c2d3e4f5a6b7';
    for (const id of [viral, steady])
      await ddb.send(new PutCommand({ TableName: localNames.ARTICLES_TABLE, Item: toItem(article(id)) }));

    let token = 0;
    let retries = 0;
    const once = (id: string, viewId: string | undefined) =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          new URL(`/api/views/${id}`, runtime.url),
          {
            method: 'POST',
            agent,
            headers: {
              'user-agent': BROWSER,
              ...(viewId ? { 'x-view-id': viewId } : {}),
              'content-length': '0',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              res.statusCode === 200
                ? resolve()
                : reject(new Error(`POST answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    // As the page script does: on a network error or a 5xx, send the same view again with the same X-View-Id.
    // A reset can come after the count was written, so an exact total also shows the retry guard at work.
    const post = async (id: string) => {
      const viewId = `bench-view-${(token++).toString().padStart(10, '0')}`;
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(id, viewId);
        } catch (error) {
          if (!viewId || attempt >= 5 || /answered 4/.test(String(error))) throw error;
          retries++;
          await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
    };

    // (1) Exactness: 2,000 requests in flight at once.
    const before = (await reader.totals([viral])).get(viral) ?? 0;
    const results = await Promise.allSettled(Array.from({ length: 2000 }, () => post(viral)));
    const exactnessRetries = retries;
    const failed = results.filter((r) => r.status === 'rejected').length;
    const after = (await reader.totals([viral])).get(viral) ?? 0;
    console.log('\n(1) exactness: 2,000 concurrent POST /api/views/{id} through the local gateway');
    const reasons = new Map<string, number>();
    for (const r of results)
      if (r.status === 'rejected') {
        const reason = String((r.reason as Error).message).slice(0, 80);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    line('  requests retried with the same X-View-Id (page-script rule)', String(exactnessRetries));
    line('  requests failed after retries', `${failed} ${JSON.stringify(Object.fromEntries(reasons))}`);
    line(
      '  count raised by',
      `${after - before} (goal: exactly 2000) ${after - before === 2000 ? 'OK' : 'FAIL'}`,
    );

    // (2) Throughput: the same concurrency against the gateway and as raw UpdateItem calls to the same dynalite
    // (through the same endpoint the handlers use), alternating rounds so both see the same machine state.
    const N = Number(process.env.BENCH_VIEWS_N ?? 2000);
    const C = Number(process.env.BENCH_VIEWS_CONCURRENCY ?? 32);
    let shard = 0;
    const rawUpdate = async () => {
      await ddb.send(
        new UpdateCommand({
          TableName: localNames.COUNTERS_TABLE,
          Key: viewShardKey('d0a1c2d3e4f5a6b7', shard++ % VIEW_SHARDS),
          UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
    };
    // Warm-up, the same for all three: each path's code is compiled to steady state before anything is timed (the
    // first rounds of a cold process ran up to a third slower; cold starts are bench:cold-start's subject).
    const WARMUP = Number(process.env.BENCH_VIEWS_WARMUP ?? 2000);
    await pool(WARMUP, C, () => rawUpdate());
    await pool(WARMUP, C, () => post(steady));
    // Short alternating rounds: other work on the machine then weighs on all three alike.
    const ROUNDS = Number(process.env.BENCH_VIEWS_ROUNDS ?? 6);
    const rates = { raw: [] as number[], token: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      rates.raw.push(N / ((await pool(N, C, () => rawUpdate())) / 1000));
      rates.token.push(N / ((await pool(N, C, () => post(steady))) / 1000));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const show = (xs: number[]) => xs.map((r) => r.toFixed(0)).join(', ');
    const raw = median(rates.raw);
    console.log(
      `\n(2) throughput: ${N} requests per round, ${C} in flight, median of ${ROUNDS} alternating rounds`,
    );
    line('  raw UpdateItem to the same dynalite', `${raw.toFixed(0)} ops/s (rounds ${show(rates.raw)})`);
    for (const [label, xs] of [
      // A POST without X-View-Id is refused (400) before any read since issue 19: it is no longer a counting path.
      ['  POST through the gateway, with X-View-Id (the page)', rates.token],
    ] as const) {
      const rate = median(xs);
      line(label, `${rate.toFixed(0)} views/s (rounds ${show(xs)})`);
      line(
        '    ratio to raw UpdateItem',
        `${(rate / raw).toFixed(2)} (goal >= 0.8) ${rate / raw >= 0.8 ? 'OK' : 'BELOW GOAL'}`,
      );
      // Each round's gateway rate against the raw rate measured just before it: steadier when the machine's
      // speed drifts during the run.
      const paired = median(xs.map((x, i) => x / (rates.raw[i] ?? raw)));
      line('    paired ratio (median of per-round ratios)', paired.toFixed(2));
    }
    ddb.destroy();
    agent.destroy();
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * (3) Capacity model: the real counter code (key choice, token transaction, caches, hot-list tally and flush) against an
 * in-memory table that records which partition key each request touches in which simulated second.
 */
async function capacityModel(): Promise<void> {
  const RATE = 10_000;
  const SECONDS = Number(process.env.BENCH_CAPACITY_SECONDS ?? 30);
  const LAMBDA_MS = 20; // a warm views invocation: one DynamoDB round trip, plus the runtime's own
  const instances = Math.ceil((RATE * LAMBDA_MS) / 1000); // concurrency = rate × duration
  const id = 'e0a1c2d3e4f5a6b7';
  let clock = Date.parse('2026-11-28T23:59:45Z'); // crosses midnight: two days' buckets in one run
  const items = new Map<string, Record<string, unknown>>();
  const writes = new Map<string, number>();
  const writeUnits = new Map<string, number>();
  const reads = new Map<string, number>();
  const tally = (map: Map<string, number>, table: string, pk: unknown) => {
    const key = `${Math.floor(clock / 1000)}|${table}|${String(pk)}`;
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  const keyOf = (k: Record<string, unknown>) => `${String(k.pk ?? k.id)}|${String(k.sk ?? '')}`;
  const simulatedTable = {
    async send(command: unknown): Promise<unknown> {
      const add = (input: UpdateCommandInput, units: number) => {
        const { Key, TableName, ExpressionAttributeValues } = input;
        tally(writes, String(TableName), Key?.pk);
        for (let u = 0; u < units; u++) tally(writeUnits, String(TableName), Key?.pk);
        const item = items.get(keyOf(Key ?? {})) ?? { ...Key, n: 0 };
        item.n =
          Number(item.n) +
          Number(ExpressionAttributeValues?.[':one'] ?? ExpressionAttributeValues?.[':n'] ?? 0);
        items.set(keyOf(Key ?? {}), item);
        return item;
      };
      if (command instanceof UpdateCommand) return { Attributes: { n: add(command.input, 1).n } };
      if (command instanceof TransactWriteCommand) {
        // A transactional write costs 2 write units per item. (Repeats of a token are not simulated: every
        // simulated view is a new page load.)
        for (const item of command.input.TransactItems ?? [])
          if (item.Update) add(item.Update as UpdateCommandInput, 2);
        return {};
      }
      if (command instanceof GetCommand) {
        tally(reads, String(command.input.TableName), command.input.Key?.id);
        return { Item: { status: 'published' } };
      }
      if (command instanceof BatchGetCommand) {
        const [[table, request] = ['', { Keys: [] }]] = Object.entries(command.input.RequestItems ?? {});
        for (const key of request.Keys ?? []) tally(reads, table, key.pk);
        return {
          Responses: {
            [table]: (request.Keys ?? []).map((k) => items.get(keyOf(k))).filter(Boolean),
          },
        };
      }
      throw new Error(`the capacity model does not simulate ${String(command)}`);
    },
  } as unknown as DynamoDBDocumentClient;

  const counters = Array.from({ length: instances }, () =>
    dynamoViewCounter(simulatedTable, {
      countersTable: 'Counters',
      articlesTable: 'Articles',
      now: () => new Date(clock),
      // Instances started at different times, so their 10 s tally windows end at different times.
      tally: new HotTally(10_000, 500, clock - Math.random() * 10_000),
      log: quiet,
    }),
  );
  const start = clock;
  const total = RATE * SECONDS;
  for (let i = 0; i < total; i++) {
    clock = start + Math.floor((i * 1000) / RATE);
    const instance = counters[Math.floor(Math.random() * instances)];
    await instance?.isPublished(id);
    await instance?.count(id, `tok${i.toString(36)}`);
  }
  const counted = [...items.values()]
    .filter((item) => String(item.pk).startsWith(`views#${id}#`))
    .reduce((sum, item) => sum + Number(item.n), 0);

  const busiest = (map: Map<string, number>, filter: (pk: string) => boolean) => {
    let best = { key: '', perSecond: 0 };
    for (const [key, count] of map) {
      const [, , pk = ''] = key.split('|');
      if (filter(pk) && count > best.perSecond) best = { key: pk, perSecond: count };
    }
    return best;
  };
  const hot = busiest(writes, (pk) => pk.startsWith('hot#'));
  const shardWrites = busiest(writes, (pk) => pk.startsWith('views#'));
  const anyUnits = busiest(writeUnits, () => true);
  const any = busiest(writes, () => true);
  const shardReads = busiest(reads, (pk) => pk.startsWith('views#'));
  const articleReads = busiest(reads, (pk) => !pk.includes('#'));
  const hotTotal = [...writes].filter(([key]) => key.includes('|hot#')).reduce((s, [, n]) => s + n, 0);

  console.log(
    `\n(3) capacity model: ${RATE.toLocaleString('en')} views/s on one article for ${SECONDS} simulated s, ${instances} Lambda instances, ${VIEW_SHARDS} shards`,
  );
  line('  views counted', `${counted} of ${total}`);
  line('  busiest counter shard key, writes/s', `${shardWrites.perSecond} (${shardWrites.key})`);
  line(
    '  busiest hot-list bucket key, writes/s',
    `${hot.perSecond} (${hot.key}); ${hotTotal} bucket writes in all`,
  );
  line(
    '  highest writes/s on any one partition key',
    `${any.perSecond} (goal <= 1000) ratio ${(any.perSecond / 1000).toFixed(3)} ${any.perSecond <= 1000 ? 'OK' : 'OVER'}`,
  );
  line(
    '  highest write units/s on any one partition key',
    `${anyUnits.perSecond} (${anyUnits.key}; DynamoDB's limit 1000 WCU/s) ${anyUnits.perSecond <= 1000 ? 'OK' : 'OVER'}`,
  );
  line(
    '  busiest shard key, reads/s (item reads)',
    `${shardReads.perSecond} (per-key read limit 3000 RCU/s)`,
  );
  line('  Articles GetItem on the article, reads/s', `${articleReads.perSecond}`);
}

await capacityModel();
await throughAwsSdkAndGateway();
