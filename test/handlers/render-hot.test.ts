// 点击排行 through the render function, against dynalite and s3rver: counts in the daily buckets → `refresh-hot`
// writes the home and channel first pages whose box changed, and nothing when the ranking did not.
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { handler, isRenderCommand, productionDeps, renderStream } from '#functions/render/handler.ts';
import { toItem } from '#shared/aws/article-items.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { HOT_RANKINGS_KEY } from '#shared/aws/hot-rankings.ts';
import { hotBucketKey } from '#shared/aws/view-counts.ts';
import type { Article } from '#shared/domain/article.ts';
import { dayOf, REFRESH_HOT_COMMAND } from '#shared/domain/views.ts';
import { requireEnv } from '#shared/env.ts';
import { pagePath } from '#shared/render/dates.ts';
import { countingDeps } from '../support/counting-deps.ts';
import { lambdaContext, loadEvent } from '../support/events.ts';
import { history, SEED_ID, seedArticle } from '../support/render-fixtures.ts';
import { resetTables } from '../support/tables.ts';

const env = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE', 'SITE_BUCKET');
const s3 = new S3Client({ forcePathStyle: true });
const refreshHot = loadEvent('render/refresh-hot.json', isRenderCommand);
/** A fixed clock at noon UTC: the 24-hour window is today plus half of yesterday. */
const NOW = new Date('2026-11-28T12:00:00Z');
const TODAY = dayOf(NOW);

// Articles 1, 3, 5 … are in focus/public-welfare, 2, 4, 6 … in news/politics; the seed is in focus/public-welfare.
const site: Article[] = [...history(12, ['focus/public-welfare', 'news/politics']), seedArticle];
const byId = new Map(site.map((a) => [a.id, a]));
const idOf = (n: number) => n.toString(16).padStart(16, '0');
const href = (id: string) => {
  const article = byId.get(id);
  if (!article?.publishedAt) throw new Error(`no published article ${id}`);
  return pagePath({ id, publishedAt: article.publishedAt });
};

async function listKeys(): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: env.SITE_BUCKET }));
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function clearBucket() {
  const keys = await listKeys();
  if (keys.length > 0)
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: env.SITE_BUCKET,
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      }),
    );
}

const read = async (key: string) =>
  (await (
    await s3.send(new GetObjectCommand({ Bucket: env.SITE_BUCKET, Key: key }))
  ).Body?.transformToString()) ?? '';

/** The links of one window of a page's 点击排行 box, in order. */
function boxLinks(html: string, window: '24h' | '7d'): string[] {
  const section = new RegExp(
    `<section class="hot-window" aria-labelledby="hot-${window}">([\\s\\S]*?)</section>`,
  ).exec(html);
  return [...(section?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** Views per article in today's bucket, spread over the bucket shards as the views function's flushes do. */
async function countViews(views: Record<string, number>, day = TODAY) {
  const entries = Object.entries(views);
  for (let i = 0; i < entries.length; i += 25) {
    await documentClient.send(
      new BatchWriteCommand({
        RequestItems: {
          [env.COUNTERS_TABLE]: entries.slice(i, i + 25).map(([id, n], j) => ({
            PutRequest: { Item: { ...hotBucketKey(day, (i + j) % 8, id), n } },
          })),
        },
      }),
    );
  }
}

const counting = () => {
  const real = productionDeps();
  return countingDeps({ ...real, hot: { ...real.hot, now: () => NOW } }, s3, env.SITE_BUCKET);
};

beforeEach(async () => {
  await resetTables();
  await clearBucket();
  await documentClient.send(
    new BatchWriteCommand({
      RequestItems: { [env.ARTICLES_TABLE]: site.map((a) => ({ PutRequest: { Item: toItem(a) } })) },
    }),
  );
  await renderStream({ command: 'rebuild' }, counting());
});

afterAll(async () => {
  await resetTables();
  await clearBucket();
});

describe('render: refresh-hot (点击排行)', () => {
  it('events/render/refresh-hot.json is the command the schedule sends', () => {
    expect(refreshHot).toEqual(REFRESH_HOT_COMMAND);
  });

  it('writes home and the channel first pages with the top articles in order; the same ranking again writes nothing', async () => {
    // Yesterday counts half at noon: article 2's 100 yesterday is 50, between article 3 (60) and article 1 (40).
    await countViews({ [idOf(1)]: 40, [idOf(3)]: 60, [SEED_ID]: 90, [idOf(4)]: 10 });
    await countViews({ [idOf(2)]: 100 }, dayOf(new Date(NOW.getTime() - 86_400_000)));
    const deps = counting();
    const result = await renderStream(refreshHot, deps);
    expect(result).toMatchObject({ written: 5, removed: 0 });
    expect(deps.written.sort()).toEqual([
      'focus/index.html',
      'focus/public-welfare/index.html',
      'index.html',
      'news/index.html',
      'news/politics/index.html',
    ]);
    expect(deps.invalidated.flat().sort()).toEqual(deps.written.map((k) => `/${k}`));

    const home = await read('index.html');
    expect(boxLinks(home, '24h')).toEqual([SEED_ID, idOf(3), idOf(2), idOf(1), idOf(4)].map(href));
    // The 7-day window holds yesterday in full.
    expect(boxLinks(home, '7d')).toEqual([idOf(2), SEED_ID, idOf(3), idOf(1), idOf(4)].map(href));
    expect(home).toContain(`<a href="${href(SEED_ID)}">${seedArticle.title}</a>`);
    // A channel's box ranks only that channel's articles (sub-channels included).
    expect(boxLinks(await read('focus/index.html'), '24h')).toEqual([SEED_ID, idOf(3), idOf(1)].map(href));
    expect(boxLinks(await read('news/politics/index.html'), '24h')).toEqual([idOf(2), idOf(4)].map(href));
    expect(boxLinks(await read('law/index.html'), '24h')).toEqual([]);
    expect(JSON.parse(await read(HOT_RANKINGS_KEY)).boxes['news/politics']).toEqual({
      '24h': [idOf(2), idOf(4)],
      '7d': [idOf(2), idOf(4)],
    });

    // More views that keep every order: only the news sitemap is rendered (its window slides with the clock), and
    // nothing is written or invalidated.
    await countViews({ [SEED_ID]: 5 });
    const again = counting();
    expect(await renderStream(refreshHot, again)).toEqual({ rendered: 1, written: 0, removed: 0 });
    expect(again.written).toEqual([]);
    expect(again.invalidated.flat()).toEqual([]);
  });

  it('a changed ranking rewrites only the pages whose box changed', async () => {
    await countViews({ [idOf(1)]: 40, [idOf(2)]: 30, [idOf(4)]: 20 });
    await renderStream(refreshHot, counting());
    // Article 4 overtakes article 2: news/politics, news and home change; focus does not.
    await countViews({ [idOf(4)]: 35 });
    const deps = counting();
    await renderStream(refreshHot, deps);
    expect(deps.written.sort()).toEqual(['index.html', 'news/index.html', 'news/politics/index.html']);
    expect(boxLinks(await read('news/index.html'), '24h')).toEqual([idOf(4), idOf(2)].map(href));
  });

  it('a stream batch renders the stored ranking, so a publish keeps the box; an unpublished article drops out', async () => {
    await countViews({ [idOf(1)]: 40, [SEED_ID]: 30 });
    await renderStream(refreshHot, counting());
    const edited = { ...seedArticle, title: '新标题', updatedAt: '2026-11-28T12:00:00.000Z', revision: 3 };
    await documentClient.send(new PutCommand({ TableName: env.ARTICLES_TABLE, Item: toItem(edited) }));
    await renderStream({ command: 'render-articles', ids: [SEED_ID] }, counting());
    const home = await read('index.html');
    expect(boxLinks(home, '24h')).toEqual([idOf(1), SEED_ID].map(href));
    expect(home).toContain(`<a href="${href(SEED_ID)}">新标题</a>`);

    const unpublished = { ...edited, status: 'unpublished' as const, revision: 4 };
    await documentClient.send(new PutCommand({ TableName: env.ARTICLES_TABLE, Item: toItem(unpublished) }));
    // A rebuild reads the stored rankings once; the box leaves out what is no longer published.
    await renderStream({ command: 'rebuild' }, counting());
    expect(boxLinks(await read('index.html'), '24h')).toEqual([idOf(1)].map(href));
  });

  it('the middy handler runs the command and reports what it wrote', async () => {
    await countViews({ [idOf(5)]: 7 });
    const result = await handler(refreshHot, lambdaContext('render'));
    // Three pages with a box, and the news sitemap (unchanged, so not written).
    expect(result).toMatchObject({ rendered: 4, written: 3, removed: 0 });
    expect(boxLinks(await read('focus/public-welfare/index.html'), '7d')).toEqual([href(idOf(5))]);
  });
});
