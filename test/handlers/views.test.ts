import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { flushHotTally, handler, handleViews } from '#functions/views/handler.ts';
import { toItem } from '#shared/aws/article-items.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import {
  dynamoHotList,
  dynamoViewCounter,
  dynamoViewCounts,
  VIEW_SHARDS,
  viewTotalKey,
} from '#shared/aws/view-counts.ts';
import type { Article, ArticleStatus } from '#shared/domain/article.ts';
import { MAX_IDS_PER_READ } from '#shared/domain/views.ts';
import { requireEnv } from '#shared/env.ts';
import { cacheControl } from '#shared/headers.ts';
import { createLogger } from '#shared/log.ts';
import { lambdaContext, loadApiEvent } from '../support/events.ts';
import { seedArticle } from '../support/render-fixtures.ts';
import { resetTables, scanAll } from '../support/tables.ts';

const tables = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE');
const SEED_ID = '2a8c6bce1fad40bb';
const load = (name: string) => loadApiEvent(`views/${name}.json`);
const counters = () => scanAll(tables.COUNTERS_TABLE);
const reader = dynamoViewCounts(documentClient, tables.COUNTERS_TABLE);
const quietLog = createLogger({}, () => undefined);

let nextId = 1;
/** A fresh id per test: the handler's per-instance caches must not carry over between tests. */
const freshId = () => (0xa000 + nextId++).toString(16).padStart(16, '0');

async function storeArticle(id: string, status: ArticleStatus): Promise<void> {
  const { publishedAt, ...unpublished } = seedArticle;
  const article: Article = status === 'published' ? { ...seedArticle, id } : { ...unpublished, id, status };
  await documentClient.send(
    new PutCommand({
      TableName: tables.ARTICLES_TABLE,
      Item: toItem(article),
    }),
  );
}

const forId = (event: APIGatewayProxyEventV2, id: string, token?: string): APIGatewayProxyEventV2 => ({
  ...event,
  rawPath: event.rawPath.replace(SEED_ID, id),
  pathParameters: { id },
  headers: { ...event.headers, ...(token ? { 'x-view-id': token } : {}) },
});

const invoke = async (event: APIGatewayProxyEventV2) => {
  const result = await handler(event, lambdaContext('views'));
  return { ...result, json: JSON.parse(result.body ?? 'null') };
};

afterEach(resetTables);

describe('POST /api/views/{id}', () => {
  it('counts a view of a published article and answers {id, views}', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const response = await invoke(forId(load('count-view'), id));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id, views: 1 });
    expect((await reader.totals([id])).get(id)).toBe(1);
    const second = await invoke(forId(load('count-view'), id, 'another-page-load-0001'));
    expect(second.json).toEqual({ id, views: 2 });
  });

  it('counts a retried request (same X-View-Id) once', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const event = forId(load('count-view'), id);
    const first = await invoke(event);
    const retried = await invoke(event);
    expect(first.json.views).toBe(1);
    expect(retried.statusCode).toBe(200);
    expect(retried.json.views).toBe(1);
    expect((await reader.totals([id])).get(id)).toBe(1);
  });

  it('answers 404 and writes nothing for an unknown id', async () => {
    const response = await invoke(load('count-view-unknown'));
    expect(response.statusCode).toBe(404);
    expect(response.json.error.code).toBe('not_found');
    expect(await counters()).toEqual([]);
  });

  it('answers 404 and writes nothing for a pending or unpublished article', async () => {
    for (const status of ['pending', 'unpublished', 'rejected'] as const) {
      const id = freshId();
      await storeArticle(id, status);
      const response = await invoke(forId(load('count-view'), id));
      expect(response.statusCode).toBe(404);
    }
    expect(await counters()).toEqual([]);
  });

  it('answers 404 without any read for an id that cannot exist', async () => {
    const response = await invoke(forId(load('count-view'), 'NOT-AN-ID'));
    expect(response.statusCode).toBe(404);
  });

  it('does not count obvious bots, HEAD requests or prefetches, and still answers the count', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    await invoke(forId(load('count-view'), id));
    const bot = await invoke(forId(load('count-view-bot'), id));
    const head = await invoke(forId(load('head-request'), id));
    const base = forId(load('count-view'), id, 'prefetch-token-000001');
    const prefetch = await invoke({ ...base, headers: { ...base.headers, 'sec-purpose': 'prefetch' } });
    const prerender = await invoke({ ...base, headers: { ...base.headers, purpose: 'prefetch' } });
    for (const response of [bot, head, prefetch, prerender]) {
      expect(response.statusCode).toBe(200);
      expect(response.json).toEqual({ id, views: 1 });
    }
    expect((await reader.totals([id])).get(id)).toBe(1);
    // Nothing but the one counted view's shard and the article's total was written.
    expect((await counters()).map((item) => String(item.pk).split('#')[0]).sort()).toEqual([
      'views',
      'viewtotal',
    ]);
  });

  it('counts 200 concurrent views exactly, spread over the shards', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const event = load('count-view');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        invoke(forId(event, id, `concurrent-view-${i.toString().padStart(4, '0')}`)),
      ),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    expect((await reader.totals([id])).get(id)).toBe(200);
    const shards = (await counters()).filter((item) => String(item.pk).startsWith(`views#${id}#`));
    expect(shards.length).toBeGreaterThan(VIEW_SHARDS / 2);
    expect(shards.length).toBeLessThanOrEqual(VIEW_SHARDS);
  });
});

describe('GET /api/views', () => {
  it('answers counts for the ids, zero for ids without views, cacheable for a few seconds', async () => {
    await documentClient.send(
      new UpdateCommand({
        TableName: tables.COUNTERS_TABLE,
        Key: viewTotalKey(SEED_ID),
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': 362 },
      }),
    );
    const response = await invoke(load('get-views'));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ views: { [SEED_ID]: 362, '00000000deadbeef': 0 } });
    expect(response.headers?.['cache-control']).toBe(cacheControl.shortRead);
  });

  it('answers 400 for more than 40 ids, none, or a malformed one', async () => {
    const tooMany = await invoke(load('get-views-too-many'));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json.error.fields.ids).toMatch(/40/);
    const base = load('get-views');
    for (const ids of [undefined, '', 'abc', `${SEED_ID},ZZZ`]) {
      const response = await invoke({ ...base, queryStringParameters: ids === undefined ? {} : { ids } });
      expect(response.statusCode).toBe(400);
    }
  });
});

describe('view counter adapter', () => {
  it('counts a view whose write failed when it is retried with the same token', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    let failWrites = true;
    const flaky = {
      send: (command: unknown) => {
        if (failWrites && command instanceof TransactWriteCommand)
          return Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
        return documentClient.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const counter = dynamoViewCounter(flaky, {
      countersTable: tables.COUNTERS_TABLE,
      articlesTable: tables.ARTICLES_TABLE,
      log: quietLog,
    });
    await expect(counter.count(id, 'retry-after-failure-01')).rejects.toThrow('throttled');
    expect(await counters()).toEqual([]);
    failWrites = false;
    expect(await counter.count(id, 'retry-after-failure-01')).toEqual({ id, views: 1, counted: true });
    expect((await reader.totals([id])).get(id)).toBe(1);
  });

  it('counts a repeated token once when the repeat reaches another instance (DynamoDB idempotency)', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const options = {
      countersTable: tables.COUNTERS_TABLE,
      articlesTable: tables.ARTICLES_TABLE,
      log: quietLog,
    };
    // Two adapters are two Lambda instances: neither knows what the other counted.
    const first = dynamoViewCounter(documentClient, options);
    const second = dynamoViewCounter(documentClient, options);
    await first.count(id, 'page-load-token-0001');
    await second.count(id, 'page-load-token-0001');
    await second.count(id, 'page-load-token-0002');
    expect((await reader.totals([id])).get(id)).toBe(2);
  });

  it('tallies views into daily buckets that the hot list ranks', async () => {
    const [a, b] = [freshId(), freshId()];
    const now = new Date('2026-11-28T06:00:00Z');
    const counter = dynamoViewCounter(documentClient, {
      countersTable: tables.COUNTERS_TABLE,
      articlesTable: tables.ARTICLES_TABLE,
      now: () => now,
      log: quietLog,
    });
    for (let i = 0; i < 5; i++) await counter.count(a, undefined);
    for (let i = 0; i < 3; i++) await counter.count(b, undefined);
    expect(await counter.flushHotTally()).toBe(2);
    expect(await counter.flushHotTally()).toBe(0);
    const hot = dynamoHotList(documentClient, tables.COUNTERS_TABLE);
    const scores = await hot.scores('24h', now);
    expect(scores.get(a)).toBe(5);
    expect(scores.get(b)).toBe(3);
    // A day later at 06:00, yesterday's bucket still counts for the 18 h of it inside the window.
    const later = await hot.scores('24h', new Date('2026-11-29T06:00:00Z'));
    expect(later.get(a)).toBeCloseTo(3.75);
  });

  it('serves handleViews with an injected counter', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const counter = dynamoViewCounter(documentClient, {
      countersTable: tables.COUNTERS_TABLE,
      articlesTable: tables.ARTICLES_TABLE,
      log: quietLog,
    });
    const result = await handleViews(forId(load('count-view'), id), counter);
    expect(JSON.parse(result.body ?? '{}')).toEqual({ id, views: 1 });
  });
});

/** A document client that counts the keys each BatchGetItem asks for and every call it sends. */
function countingClient() {
  const stats = { keysRead: 0, calls: 0 };
  const client = {
    send: (command: { input?: { RequestItems?: Record<string, { Keys?: unknown[] }> } }) => {
      stats.calls++;
      for (const request of Object.values(command.input?.RequestItems ?? {}))
        stats.keysRead += request.Keys?.length ?? 0;
      return documentClient.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, stats };
}

describe('hostile views (issue 19)', () => {
  const options = {
    countersTable: tables.COUNTERS_TABLE,
    articlesTable: tables.ARTICLES_TABLE,
    log: quietLog,
  };

  it('counts no cross-site view, and refuses them before any read', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const { client, stats } = countingClient();
    const counter = dynamoViewCounter(client, options);
    const base = forId(load('count-view'), id);
    const sites = ['cross-site', 'same-site', 'none', 'CROSS-SITE'];
    const tried = 200;
    let refused = 0;
    for (let i = 0; i < tried; i++) {
      const event = {
        ...base,
        headers: {
          ...base.headers,
          'sec-fetch-site': sites[i % sites.length] ?? 'cross-site',
          'x-view-id': `cross-site-view-${i.toString().padStart(6, '0')}`,
        },
      };
      try {
        await handleViews(event, counter);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 403) refused++;
      }
    }
    const counted = (await reader.totals([id])).get(id) ?? 0;
    console.log(
      `cross-site views: ${tried} sent (Sec-Fetch-Site cross-site, same-site, none), ${counted} counted, ${refused} refused with 403, ${stats.calls} DynamoDB calls`,
    );
    expect(counted).toBe(0);
    expect(refused).toBe(tried);
    expect(stats.calls).toBe(0);
    // The page's own request still counts.
    expect((await handleViews(base, counter)).statusCode).toBe(200);
    expect((await reader.totals([id])).get(id)).toBe(1);
  });

  it("refuses a view without the page script's X-View-Id, before any read", async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const { client, stats } = countingClient();
    const counter = dynamoViewCounter(client, options);
    const base = forId(load('count-view'), id);
    const { 'x-view-id': _dropped, ...withoutToken } = base.headers;
    for (const headers of [withoutToken, { ...withoutToken, 'x-view-id': 'short' }]) {
      const response = await invoke({ ...base, headers });
      expect(response.statusCode).toBe(400);
      expect(response.json.error.code).toBe('view_token_required');
      await expect(handleViews({ ...base, headers }, counter)).rejects.toMatchObject({ statusCode: 400 });
    }
    expect(stats.calls).toBe(0);
    expect(await counters()).toEqual([]);
  });

  it('reads one key per id: 100 unknown ids in requests of at most 40', async () => {
    const { client, stats } = countingClient();
    const counter = dynamoViewCounter(client, options);
    const ids = Array.from({ length: 100 }, (_, i) => (0xdead0000 + i).toString(16).padStart(16, '0'));
    const base = load('get-views');
    // One request of 100 is refused without a read.
    const all = await invoke({ ...base, queryStringParameters: { ids: ids.join(',') } });
    expect(all.statusCode).toBe(400);
    let answered = 0;
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_READ) {
      const part = ids.slice(i, i + MAX_IDS_PER_READ);
      const result = await handleViews({ ...base, queryStringParameters: { ids: part.join(',') } }, counter);
      const views = (JSON.parse(result.body ?? '{}') as { views: Record<string, number> }).views;
      answered += Object.values(views).filter((n) => n === 0).length;
    }
    console.log(
      `GET /api/views for 100 unknown ids: ${stats.keysRead} keys read in ${stats.calls} BatchGetItem calls (${Math.ceil(100 / MAX_IDS_PER_READ)} requests of at most ${MAX_IDS_PER_READ} ids; one request of 100 is refused with 0 reads); before: ${100 * VIEW_SHARDS} keys`,
    );
    expect(answered).toBe(100);
    expect(stats.keysRead).toBe(100);
  });

  it('keeps the total equal to the shards: 50 concurrent views, then the trailing write', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const event = load('count-view');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        invoke(forId(event, id, `total-view-${i.toString().padStart(6, '0')}`)),
      ),
    );
    await flushHotTally();
    const read = await invoke({ ...load('get-views'), queryStringParameters: { ids: id } });
    expect(read.json).toEqual({ views: { [id]: 50 } });
    expect((await reader.totals([id])).get(id)).toBe(50);
  });

  it('writes the trailing total by itself after the interval', async () => {
    const id = freshId();
    await storeArticle(id, 'published');
    const counter = dynamoViewCounter(documentClient, { ...options, totalIntervalMs: 200 });
    for (let i = 0; i < 5; i++) await counter.count(id, `trailing-view-${i.toString().padStart(6, '0')}`);
    await expect.poll(async () => (await counter.totals([id])).get(id), { timeout: 3000 }).toBe(5);
  });
});
