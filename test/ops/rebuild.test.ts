import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToLocalRuntime } from '#infra/local/connect.ts';
import { rebuildLocal } from '#infra/ops/rebuild.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;

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

  it('resumes after an interruption, writing only what the first run did not', async () => {
    const deleted = await deleteEverything();
    expect(deleted).toBeGreaterThan(40);
    expect((await rt.fetch('/2022/0415/2a8c6bce1fad40bb.html')).status).toBe(404);

    const first = await rebuildLocal({ quiet: true, workers: 1, sliceSize: 10, stopAfterSlices: 2 });
    expect(first.interrupted).toBe(true);
    expect(first.written).toBe(20);

    const second = await rebuildLocal({ quiet: true, workers: 2, sliceSize: 10 });
    expect(second.interrupted).toBe(false);
    expect(second.written).toBe(first.pages - first.written);
    expect((await rt.fetch('/2022/0415/2a8c6bce1fad40bb.html')).status).toBe(200);

    const third = await rebuildLocal({ quiet: true, workers: 1 });
    expect(third.written).toBe(0);
  });
});
