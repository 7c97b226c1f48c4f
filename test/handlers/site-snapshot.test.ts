import { DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { s3Client } from '#shared/aws/s3-client.ts';
import { snapshotSiteStore } from '#shared/aws/site-store.ts';
import { forEachLimited } from '#shared/concurrency.ts';

const bucket = process.env.SITE_BUCKET ?? '';
const page = (i: number) => ({
  key: `snapshot/${String(i).padStart(4, '0')}.html`,
  body: `<p>${i}</p>`,
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'no-cache',
});

// The bucket is the worker's, shared with the files that run after this one: leave it as it was found.
afterAll(async () => {
  const keys = [...Array.from({ length: 1010 }, (_, i) => page(i).key), page(2000).key];
  for (let i = 0; i < keys.length; i += 1000) {
    await s3Client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
  }
});

describe('snapshotSiteStore (rebuilds)', () => {
  it('reads every page of a bucket listing longer than 1,000 keys and skips unchanged bodies', async () => {
    const pages = Array.from({ length: 1010 }, (_, i) => page(i));
    await forEachLimited(pages, 16, async (p) => {
      await s3Client.send(
        new PutObjectCommand({ Bucket: bucket, Key: p.key, Body: p.body, ContentType: p.contentType }),
      );
    });
    const store = await snapshotSiteStore(s3Client, bucket);
    const results = await Promise.all(pages.map((p) => store.put(p)));
    expect(results.filter(Boolean)).toHaveLength(0);
    expect(await store.put({ ...page(1009), body: '<p>changed</p>' })).toBe(true);
    expect(await store.put(page(2000))).toBe(true);
    const forced = await snapshotSiteStore(s3Client, bucket, true);
    expect(await forced.put(page(0))).toBe(true);
  });
});
