// A page being rewritten while readers fetch it: every reader gets the old bytes or the new, whole, with 200.
// Under load the gateway used to answer 502 (s3rver read an empty metadata file mid-write) or serve a page of
// 0 bytes (it read the object file between its truncation and its write); see infra/local/s3-store.ts.
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { cacheControl } from '#shared/headers.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const READERS = 8;
const READS_EACH = 80;
let rt: TestRuntime;
let s3: S3Client;

beforeAll(async () => {
  rt = await startTestRuntime();
  s3 = new S3Client({ endpoint: rt.endpoints.s3, forcePathStyle: true });
});
afterAll(async () => {
  s3.destroy();
  await rt.dispose();
});

/** Two versions of a page of different lengths, each recognisable whole. */
const versions = ['旧', '新'].map((mark, v) =>
  Buffer.from(`<!doctype html><title>${mark}</title>${`<p>${mark}${v}</p>`.repeat(4000 + v * 1500)}\n`),
);

const write = (key: string, body: Buffer) =>
  s3.send(
    new PutObjectCommand({
      Bucket: localNames.SITE_BUCKET,
      Key: key,
      Body: body,
      ContentType: 'text/html; charset=utf-8',
      CacheControl: cacheControl.page,
    }),
  );

describe('a page rewritten under load', () => {
  it('answers every read with 200 and one whole version, never an error or a torn page', async () => {
    const key = 'rewrite/index.html';
    await write(key, versions[0] as Buffer);
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) await write(key, versions[writes++ % 2] as Buffer);
    })();
    const outcomes = new Map<string, number>();
    const note = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    // Bounded in time as well: before the fix, reads that never ended would have run past the test's timeout.
    const readUntil = Date.now() + 60_000;
    const reader = async () => {
      for (let i = 0; i < READS_EACH && Date.now() < readUntil; i++) {
        // Before the fix some reads never ended: s3rver announced a length it then did not send.
        const response = await rt
          .fetch('/rewrite/', {
            headers: { 'accept-encoding': 'identity' },
            signal: AbortSignal.timeout(3_000),
          })
          .catch(() => undefined);
        const body = Buffer.from(
          (await response?.arrayBuffer().catch(() => undefined)) ?? new ArrayBuffer(0),
        );
        if (!response) note('no answer');
        else if (response.status !== 200) note(`status ${response.status}`);
        else if (body.equals(versions[0] as Buffer)) note('old');
        else if (body.equals(versions[1] as Buffer)) note('new');
        else note(`torn (${body.byteLength} bytes)`);
      }
    };
    await Promise.all(Array.from({ length: READERS }, reader));
    writing = false;
    await writer;

    const seen = Object.fromEntries(outcomes);
    expect(writes).toBeGreaterThan(20);
    expect(Object.keys(seen).sort()).toEqual(['new', 'old']);
    expect((seen.old ?? 0) + (seen.new ?? 0)).toBe(READERS * READS_EACH);
  }, 100_000);

  it('keeps ETags true to the bytes served, and a deleted page is a 404 at once', async () => {
    const key = 'rewrite/etag.html';
    await write(key, versions[1] as Buffer);
    const page = await rt.fetch('/rewrite/etag.html', { headers: { 'accept-encoding': 'identity' } });
    const md5 = createHash('md5')
      .update(Buffer.from(await page.arrayBuffer()))
      .digest('hex');
    expect(page.headers.get('etag')).toBe(`"${md5}"`);
    await s3.send(new DeleteObjectCommand({ Bucket: localNames.SITE_BUCKET, Key: key }));
    expect((await rt.fetch('/rewrite/etag.html')).status).toBe(404);
  });

  it('serves the compressed copy of the current version after a rewrite', async () => {
    const key = 'rewrite/compressed.html';
    for (const version of [versions[0], versions[1], versions[0]] as Buffer[]) {
      await write(key, version);
      const response = await rt.fetch('/rewrite/compressed.html', { headers: { 'accept-encoding': 'br' } });
      expect(response.headers.get('content-encoding')).toBe('br');
      // fetch decodes the body; it must be the version just written, not an earlier one's cached copy.
      expect(Buffer.from(await response.arrayBuffer()).equals(version)).toBe(true);
    }
  });
});
