import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToLocalRuntime } from '#infra/local/connect.ts';
import { rebuildLocal } from '#infra/ops/rebuild.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { viewShardKey } from '#shared/aws/view-counts.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { siteState } from '../support/site-state.ts';

let rt: TestRuntime;
const SEED_ID = '2a8c6bce1fad40bb';
const SEED_PAGE = `/2022/0415/${SEED_ID}.html`;

beforeAll(async () => {
  rt = await startTestRuntime({ seed: true });
  connectToLocalRuntime(rt.dataDir);
});
afterAll(async () => {
  await rt.dispose();
});

async function deleteEverything(): Promise<number> {
  const s3 = new S3Client({ endpoint: rt.endpoints.s3, forcePathStyle: true });
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: process.env.SITE_BUCKET }));
  const pages = listed.Contents ?? [];
  await s3.send(
    new DeleteObjectsCommand({
      Bucket: process.env.SITE_BUCKET,
      Delete: { Objects: pages.map((o) => ({ Key: o.Key })) },
    }),
  );
  s3.destroy();
  return pages.length;
}

describe('npm run rebuild', () => {
  it('writes nothing when nothing changed', async () => {
    const outcome = await rebuildLocal({ quiet: true, workers: 1 });
    expect(outcome.pages).toBeGreaterThan(40);
    expect(outcome.written).toBe(0);
    expect(outcome.interrupted).toBe(false);
  });

  it('renders nothing the second time: the manifest says every page has the same inputs and bytes', async () => {
    const outcome = await rebuildLocal({ quiet: true, workers: 1 });
    expect(outcome.rendered).toBe(0);
    expect(outcome.written).toBe(0);
  });

  it('a new view count re-renders and rewrites that article page only', async () => {
    await documentClient.send(
      new PutCommand({
        TableName: process.env.COUNTERS_TABLE,
        Item: { ...viewShardKey(SEED_ID, 7), n: 100_000 },
      }),
    );
    const outcome = await rebuildLocal({ quiet: true, workers: 0 });
    expect(outcome).toMatchObject({ rendered: 1, written: 1 });
    expect(await (await rt.fetch(SEED_PAGE)).text()).toMatch(
      new RegExp(`data-views-for="${SEED_ID}">1\\d{5}<`),
    );
  });

  it('an edited article re-renders its page, its neighbours, lists, home, feed and sitemap', async () => {
    await documentClient.send(
      new UpdateCommand({
        TableName: process.env.ARTICLES_TABLE,
        Key: { id: SEED_ID },
        UpdateExpression: 'SET title = :t, updatedAt = :u',
        ExpressionAttributeValues: { ':t': '改过的标题', ':u': new Date().toISOString() },
      }),
    );
    const outcome = await rebuildLocal({ quiet: true, workers: 0 });
    expect(outcome.rendered).toBeGreaterThanOrEqual(5);
    expect(outcome.rendered).toBeLessThan(outcome.pages / 2);
    expect(await (await rt.fetch(SEED_PAGE)).text()).toContain('<h1 id="article-title">改过的标题</h1>');
    expect((await rebuildLocal({ quiet: true, workers: 0 })).rendered).toBe(0);
  });

  it('--force renders and writes every page whatever the manifest says', async () => {
    const outcome = await rebuildLocal({ quiet: true, force: true });
    expect(outcome.rendered).toBe(outcome.pages);
    expect(outcome.written).toBe(outcome.pages);
    expect((await rebuildLocal({ quiet: true })).rendered).toBe(0);
  });

  it('trusts the manifest for a page deleted by hand; --verify lists the bucket and restores it', async () => {
    const s3 = new S3Client({ endpoint: rt.endpoints.s3, forcePathStyle: true });
    await s3.send(new DeleteObjectCommand({ Bucket: process.env.SITE_BUCKET, Key: SEED_PAGE.slice(1) }));
    s3.destroy();
    expect((await rebuildLocal({ quiet: true })).rendered).toBe(0);
    expect((await rt.fetch(SEED_PAGE)).status).toBe(404);
    expect(await rebuildLocal({ quiet: true, verify: true })).toMatchObject({ rendered: 1, written: 1 });
    expect((await rt.fetch(SEED_PAGE)).status).toBe(200);
  });

  it('resumes after an interruption, writing only what the first run did not', async () => {
    const deleted = await deleteEverything();
    expect(deleted).toBeGreaterThan(40);
    expect((await rt.fetch(SEED_PAGE)).status).toBe(404);

    const first = await rebuildLocal({ quiet: true, workers: 1, sliceSize: 10, stopAfterSlices: 2 });
    expect(first.interrupted).toBe(true);
    expect(first.written).toBe(20);

    const second = await rebuildLocal({ quiet: true, workers: 2, sliceSize: 10 });
    expect(second.interrupted).toBe(false);
    expect(second.written).toBe(first.pages - first.written);
    expect((await rt.fetch(SEED_PAGE)).status).toBe(200);

    const third = await rebuildLocal({ quiet: true, workers: 1 });
    expect(third.written).toBe(0);
  });

  it('a --force rebuild stopped partway is finished by the next run, which writes only the pages it had not', async () => {
    const uninterrupted = await rebuildLocal({ quiet: true, force: true, workers: 0 });
    expect(uninterrupted.written).toBe(uninterrupted.pages);
    const expected = await siteState();

    // Stopped as Ctrl-C stops it: no slice is taken after the second.
    const first = await rebuildLocal({
      quiet: true,
      force: true,
      workers: 0,
      sliceSize: 10,
      stopAfterSlices: 2,
    });
    expect(first).toMatchObject({ interrupted: true, written: 20 });

    // Run again without --force: the forced rebuild goes on, writing (not just rendering) every page it had not.
    const second = await rebuildLocal({ quiet: true, workers: 0 });
    expect(second.interrupted).toBe(false);
    expect(second.rendered).toBe(first.pages - first.written);
    expect(second.written).toBe(first.pages - first.written);
    expect(await siteState()).toEqual(expected);

    // Finished: the next run, forced or not, starts from a current manifest.
    expect((await rebuildLocal({ quiet: true, workers: 0 })).rendered).toBe(0);
  });
});
