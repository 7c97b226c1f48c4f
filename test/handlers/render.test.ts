import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  handler,
  productionDeps,
  type RenderCommand,
  type RenderDeps,
  renderStream,
} from '#functions/render/handler.ts';
import { rebuildByFanOut } from '#functions/render/rebuild-command.ts';
import { toItem } from '#shared/aws/article-items.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { viewShardKey } from '#shared/aws/view-counts.ts';
import type { Article } from '#shared/domain/article.ts';
import { requireEnv } from '#shared/env.ts';
import { countingDeps } from '../support/counting-deps.ts';
import { lambdaContext, loadEvent } from '../support/events.ts';
import { history, SEED_ID, SEED_VIEWS, seedArticle } from '../support/render-fixtures.ts';
import { resetTables } from '../support/tables.ts';

const env = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE', 'SITE_BUCKET');
const s3 = new S3Client({ forcePathStyle: true });
const isStreamEvent = (v: unknown): v is DynamoDBStreamEvent =>
  Array.isArray((v as { Records?: unknown }).Records);
const load = (name: string) => loadEvent(`render/${name}.json`, isStreamEvent);
const SEED_KEY = `2022/0415/${SEED_ID}.html`;

async function listKeys(): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: env.SITE_BUCKET, ContinuationToken }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return keys.sort();
}

async function read(key: string) {
  const object = await s3.send(new GetObjectCommand({ Bucket: env.SITE_BUCKET, Key: key }));
  return {
    body: (await object.Body?.transformToString()) ?? '',
    contentType: object.ContentType,
    cacheControl: object.CacheControl,
  };
}

async function clearBucket() {
  const { DeleteObjectsCommand } = await import('@aws-sdk/client-s3');
  const keys = await listKeys();
  for (let i = 0; i < keys.length; i += 1000) {
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: env.SITE_BUCKET,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
  }
}

async function store(articles: readonly Article[]) {
  for (let i = 0; i < articles.length; i += 25) {
    await documentClient.send(
      new BatchWriteCommand({
        RequestItems: {
          [env.ARTICLES_TABLE]: articles.slice(i, i + 25).map((a) => ({ PutRequest: { Item: toItem(a) } })),
        },
      }),
    );
  }
}

const counting = () => countingDeps(productionDeps(), s3, env.SITE_BUCKET);

beforeEach(async () => {
  await resetTables();
  await clearBucket();
  await documentClient.send(
    new PutCommand({ TableName: env.COUNTERS_TABLE, Item: { ...viewShardKey(SEED_ID, 0), n: SEED_VIEWS } }),
  );
});

describe('render handler', () => {
  it('publish.json: writes the seed page with its count, the lists, home, feed, sitemap and the hashed CSS', async () => {
    await store([seedArticle]);
    const result = await handler(load('publish'), lambdaContext('render'));
    expect(result).toEqual({ batchItemFailures: [] });
    const keys = await listKeys();
    expect(keys).toEqual(
      expect.arrayContaining([
        SEED_KEY,
        'focus/public-welfare/index.html',
        'focus/index.html',
        'index.html',
        'feed.xml',
        'sitemap.xml',
      ]),
    );
    expect(keys.some((k) => /^assets\/site\.[0-9a-f]{10}\.css$/.test(k))).toBe(true);
    const page = await read(SEED_KEY);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.cacheControl).toBe('public, max-age=0, s-maxage=31536000, must-revalidate');
    expect(page.body).toContain(`点击量:<span data-views-for="${SEED_ID}">362</span>`);
    expect(page.body).toContain('责任编辑:admin');
    expect((await read('feed.xml')).contentType).toBe('application/rss+xml; charset=utf-8');
    expect((await read('sitemap.xml')).contentType).toBe('application/xml; charset=utf-8');
    const css = keys.find((k) => k.startsWith('assets/site.')) ?? '';
    expect((await read(css)).cacheControl).toBe('public, max-age=31536000, immutable');
  });

  it('writes only changed bytes: the same batch again writes 0 objects and invalidates nothing', async () => {
    await store([seedArticle, ...history(30)]);
    const deps = counting();
    await renderStream(load('publish'), deps);
    expect(deps.written.length).toBeGreaterThan(0);
    const again = counting();
    await renderStream(load('publish'), again);
    expect(again.written).toEqual([]);
    expect(again.invalidated.flat()).toEqual([]);
  });

  it('edit.json re-renders with the new title; unpublish.json deletes the page and fixes the lists', async () => {
    await store([seedArticle]);
    await handler(load('publish'), lambdaContext('render'));
    const edited = { ...seedArticle, title: '在大战大考中守好小店阵地(更新)', revision: 3 };
    await store([edited]);
    await handler(load('edit'), lambdaContext('render'));
    expect((await read(SEED_KEY)).body).toContain(
      '<h1 id="article-title">在大战大考中守好小店阵地(更新)</h1>',
    );
    expect((await read('focus/public-welfare/index.html')).body).toContain('在大战大考中守好小店阵地(更新)');

    await store([{ ...edited, status: 'unpublished' }]);
    await handler(load('unpublish'), lambdaContext('render'));
    expect(await listKeys()).not.toContain(SEED_KEY);
    expect((await read('focus/public-welfare/index.html')).body).not.toContain(SEED_ID);
    expect((await read('sitemap.xml')).body).not.toContain(SEED_ID);
  });

  it('batch.json renders every record of the batch once', async () => {
    const deps = counting();
    const result = await renderStream(load('batch'), deps);
    expect(result).toEqual({ batchItemFailures: [] });
    const keys = await listKeys();
    expect(keys).toEqual(
      expect.arrayContaining([SEED_KEY, 'law/cases/index.html', 'focus/public-welfare/index.html']),
    );
    const law = (await read('law/cases/index.html')).body;
    expect(law).toContain('法律援助走进小店社区(图)');
    expect(new Set(deps.written).size).toBe(deps.written.length);
    expect(deps.invalidated).toHaveLength(1);
  });

  it('poison.json: the unreadable record is reported failed while the rest of its batch is rendered', async () => {
    const event = load('poison');
    const result = await handler(event, lambdaContext('render'));
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber }],
    });
    const keys = await listKeys();
    expect(keys).toContain(SEED_KEY);
    expect(keys).toContain('law/cases/index.html');
  });

  it('{"command":"rebuild"} renders every page; a second rebuild writes nothing', async () => {
    await store([seedArticle, ...history(45, ['focus/public-welfare', 'news/politics'])]);
    const first = counting();
    const summary = await renderStream({ command: 'rebuild' }, first);
    const keys = await listKeys();
    expect(keys).toEqual(
      expect.arrayContaining([
        SEED_KEY,
        '404.html',
        // January's archive page of 公益 (the seed, in April, is on its index page), and the numbered page of before
        // issue 21, now a redirect to it.
        'focus/public-welfare/2022/01/index.html',
        'focus/public-welfare/page/1.html',
        'news/politics/index.html',
      ]),
    );
    expect(summary).toMatchObject({ rendered: expect.any(Number) });
    expect(first.invalidated).toHaveLength(1);
    // Rebuilds compare against one listing of the bucket; the first wrote every page it rendered (and the assets).
    const { rendered } = summary as { rendered: number };
    expect(first.written.filter((k) => !k.startsWith('assets/'))).toHaveLength(rendered);
    // The manifest the first rebuild left says every page would come out the same: nothing is rendered.
    const second = counting();
    expect(await renderStream({ command: 'rebuild' }, second)).toMatchObject({ rendered: 0, written: 0 });
    expect(second.written).toEqual([]);
    // --force (sent by `npm run rebuild -- --stage <name> --force`) renders and writes every page and asset without
    // listing.
    const forced = counting();
    await renderStream({ command: 'rebuild', force: true }, forced);
    expect(forced.written.filter((k) => !k.startsWith('assets/'))).toHaveLength(rendered);
    expect(forced.written.filter((k) => k.startsWith('assets/')).length).toBeGreaterThan(0);
  });

  it('a rebuild with no time left before the function times out stops before its first slice; the next run finishes', async () => {
    await store([seedArticle, ...history(20)]);
    const cut = counting();
    const stopped = await renderStream({ command: 'rebuild' }, cut, { getRemainingTimeInMillis: () => 0 });
    expect(stopped).toMatchObject({ rendered: 0, interrupted: true });
    expect(cut.written.filter((k) => !k.startsWith('assets/'))).toEqual([]);
    const done = await renderStream({ command: 'rebuild' }, counting(), lambdaContext('render', 300_000));
    expect(done).toMatchObject({ interrupted: false, rendered: (done as { pages: number }).pages });
    expect((await read(SEED_KEY)).body).toContain(seedArticle.title);
  });

  it('a fanned-out rebuild renders every page in slices, records them, and then has nothing left to render', async () => {
    await store([seedArticle, ...history(20)]);
    const slices: number[] = [];
    const render = (command: RenderCommand) => renderStream(command, counting());
    const forced = await rebuildByFanOut(render, {
      force: true,
      sliceSize: 7,
      concurrency: 2,
      onSlice: (_slice, done) => slices.push(done),
    });
    expect(forced).toMatchObject({ interrupted: false, rendered: forced.pages });
    expect(slices.length).toBe(Math.ceil(forced.pages / 7));
    const keys = await listKeys();
    expect(keys).toEqual(
      expect.arrayContaining([
        SEED_KEY,
        'submit/index.html',
        'admin/index.html',
        'admin/config.json',
        '404.html',
      ]),
    );
    // The run's working files are gone, and its parts are in the manifest: the one-invocation rebuild agrees.
    expect(keys.filter((k) => k.startsWith('_state/rebuild-runs/'))).toEqual([]);
    expect(await renderStream({ command: 'rebuild' }, counting())).toMatchObject({ rendered: 0 });
    // Nothing changed: the plan has no slices, and nothing is rendered or written.
    const again = counting();
    const sent: string[] = [];
    const idle = await rebuildByFanOut((command) => {
      sent.push(command.command);
      return renderStream(command, again);
    });
    expect(idle).toMatchObject({ rendered: 0, interrupted: false });
    expect(sent).toEqual(['rebuild-plan']);
    expect(again.written).toEqual([]);
  });

  it('a fanned-out rebuild whose slice keeps failing finishes with what the other slices wrote', async () => {
    await store([seedArticle, ...history(20)]);
    const failing = (): RenderDeps => {
      const deps = counting();
      return {
        ...deps,
        store: {
          ...deps.store,
          put: async (object) => {
            if (object.key === SEED_KEY) throw new Error('S3 unavailable');
            return deps.store.put(object);
          },
        },
      };
    };
    const render = (command: RenderCommand) => renderStream(command, failing());
    await expect(rebuildByFanOut(render, { sliceSize: 5, concurrency: 1 })).rejects.toThrow('S3 unavailable');
    expect((await listKeys()).filter((k) => k.startsWith('_state/rebuild-runs/'))).toEqual([]);
    // The next rebuild renders only the failed slice's pages.
    const next = await rebuildByFanOut((command) => renderStream(command, counting()), { sliceSize: 5 });
    expect(next.rendered).toBeGreaterThan(0);
    expect(next.rendered).toBeLessThanOrEqual(5);
    expect((await read(SEED_KEY)).body).toContain(seedArticle.title);
  });

  it('reads every count in one Scan for a render of most of the site, and shard by shard for a few pages', async () => {
    await store([seedArticle, ...history(499)]);
    await documentClient.send(
      new PutCommand({ TableName: env.COUNTERS_TABLE, Item: { ...viewShardKey(SEED_ID, 7), n: 10 } }),
    );
    const reads: string[] = [];
    const spying = (): RenderDeps => {
      const deps = counting();
      return {
        ...deps,
        views: {
          totals: (ids) => {
            reads.push(`totals:${ids.length}`);
            return deps.views.totals(ids);
          },
          all: () => {
            reads.push('all');
            return deps.views.all();
          },
        },
      };
    };
    const ids = [SEED_ID, ...history(499).map((a) => a.id)];
    await renderStream({ command: 'render-articles', ids }, spying());
    expect(reads).toEqual(['all']);
    const counted = `点击量:<span data-views-for="${SEED_ID}">${SEED_VIEWS + 10}</span>`;
    expect((await read(SEED_KEY)).body).toContain(counted);

    reads.length = 0;
    await renderStream({ command: 'render-articles', ids: [SEED_ID] }, spying());
    // The seed and its one neighbour.
    expect(reads).toEqual(['totals:2']);
    reads.length = 0;
    await renderStream({ command: 'rebuild' }, spying());
    expect(reads).toEqual(['all']);
    expect((await read(SEED_KEY)).body).toContain(counted);
  });
});
