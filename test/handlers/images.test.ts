import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { handler, type ImageDeps, processUploads } from '#functions/images/handler.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import {
  MAX_PIXELS_PER_BYTE,
  MEDIA_PREFIX,
  privatePhotoKey,
  quarantineKey,
  UPLOAD_CLAIM_STALE_MS,
  uploadLimits,
} from '#shared/domain/uploads.ts';
import { lambdaContext } from '../support/events.ts';
import { hasGpsTag, jpegWithGps, png, putQuarantined, s3, uploadEvent } from '../support/photos.ts';
import { articleItems, resetTables } from '../support/tables.ts';

const records = dynamoUploadRecords(documentClient, process.env.ARTICLES_TABLE ?? '');

async function upload(body: Uint8Array, contentType: string) {
  const uploadId = randomUUID();
  await putQuarantined(quarantineKey(uploadId), body, contentType);
  await handler(uploadEvent(quarantineKey(uploadId)), lambdaContext('images'));
  const record = (await records.getMany([uploadId])).get(uploadId);
  return { uploadId, record };
}

/** A processed file as processing left it: the private copy of its public `media/…` key. */
const siteObject = async (key: string) => {
  const object = await s3.send(
    new GetObjectCommand({ Bucket: process.env.SITE_BUCKET, Key: privatePhotoKey(key) }),
  );
  return {
    bytes: Buffer.from((await object.Body?.transformToByteArray()) ?? []),
    contentType: object.ContentType,
    cacheControl: object.CacheControl,
  };
};

afterEach(resetTables);

describe('images: S3 ObjectCreated on the quarantine prefix', () => {
  it('writes 480/960/1600 WebP and JPEG sizes and records width and height', async () => {
    const { uploadId, record } = await upload(await jpegWithGps(2400, 1600), 'image/jpeg');
    expect(record).toMatchObject({ uploadId, state: 'ready', width: 2400, height: 1600 });
    if (record?.state !== 'ready') throw new Error('not ready');
    expect(record.variants.map((v) => [v.width, v.height])).toEqual([
      [480, 320],
      [960, 640],
      [1600, 1067],
    ]);
    for (const variant of record.variants) {
      const webp = await siteObject(variant.webp);
      expect(webp.contentType).toBe('image/webp');
      expect(webp.cacheControl).toContain('immutable');
      expect((await sharp(webp.bytes).metadata()).width).toBe(variant.width);
      const jpeg = await siteObject(variant.jpeg);
      expect(jpeg.contentType).toBe('image/jpeg');
      expect((await sharp(jpeg.bytes).metadata()).format).toBe('jpeg');
    }
    // Nothing under the public media/ prefix: render copies the files there when an article that shows them is
    // published.
    for (const key of record.variants.flatMap((v) => [v.webp, v.jpeg])) {
      expect(key.startsWith(MEDIA_PREFIX)).toBe(true);
      const head = await s3
        .send(new HeadObjectCommand({ Bucket: process.env.SITE_BUCKET, Key: key }))
        .then(() => 'found')
        .catch((error: { name?: string }) => error.name);
      expect(head, key).toBe('NotFound');
    }
  });

  it('strips EXIF: the GPS position and the camera fields are gone from every size', async () => {
    const original = await jpegWithGps();
    const before = await sharp(original).metadata();
    expect(hasGpsTag(before.exif)).toBe(true);
    expect(before.exif?.includes('EXIF-MARKER')).toBe(true);

    const { record } = await upload(original, 'image/jpeg');
    if (record?.state !== 'ready') throw new Error('not ready');
    for (const variant of record.variants) {
      for (const key of [variant.webp, variant.jpeg]) {
        const { bytes } = await siteObject(key);
        const after = await sharp(bytes).metadata();
        expect(after.exif).toBeUndefined();
        expect(after.xmp).toBeUndefined();
        expect(after.iptc).toBeUndefined();
        expect(bytes.includes('EXIF-MARKER')).toBe(false);
        expect(bytes.includes('Exif\0\0')).toBe(false);
      }
    }
  });

  it('never writes wider than the original', async () => {
    const { record } = await upload(await png(700, 500), 'image/png');
    if (record?.state !== 'ready') throw new Error('not ready');
    expect(record.variants.map((v) => v.width)).toEqual([480, 700]);
  });

  it('rejects a text file with an image extension and type: the first bytes decide', async () => {
    const text = Buffer.from('<?php system($_GET["c"]); ?>\nnot really a photo.jpg\n');
    const { record } = await upload(text, 'image/jpeg');
    expect(record).toMatchObject({ state: 'rejected', reason: 'not_an_image' });
    if (record?.state !== 'rejected') throw new Error('not rejected');
    expect(record.message).toMatch(/not a JPEG, PNG or WebP/);
  });

  it('catches what the policy would have refused, since s3rver does not enforce it: wrong type and oversize', async () => {
    // A PNG sent under a grant for image/jpeg.
    const mismatch = await upload(await png(), 'image/jpeg');
    expect(mismatch.record).toMatchObject({ state: 'rejected', reason: 'type_mismatch' });
    // A GIF, which no grant allows.
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]);
    expect((await upload(gif, 'image/gif')).record).toMatchObject({ reason: 'not_an_image' });
    // One byte over 10 MB, still starting like a JPEG.
    const oversize = Buffer.alloc(uploadLimits.maxBytes + 1);
    oversize.set([0xff, 0xd8, 0xff, 0xe0]);
    const big = await upload(oversize, 'image/jpeg');
    expect(big.record).toMatchObject({ state: 'rejected', reason: 'too_large' });
    const media = await s3
      .send(new HeadObjectCommand({ Bucket: process.env.SITE_BUCKET, Key: `media/${big.uploadId}/480.webp` }))
      .catch((error: Error) => error.name);
    expect(media).toBe('NotFound');
  });

  it('rejects an image with more than 40 megapixels before decoding it', async () => {
    const huge = await sharp({ create: { width: 8000, height: 5001, channels: 3, background: '#888' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(huge.byteLength).toBeLessThan(uploadLimits.maxBytes);
    const { record } = await upload(huge, 'image/png');
    expect(record).toMatchObject({ state: 'rejected', reason: 'too_many_pixels' });
  });

  it('keeps its records out of the render stream and the editor queues: no status, no index keys', async () => {
    await upload(await png(), 'image/png');
    const [item] = await articleItems();
    expect(item?.id).toMatch(/^upload#/);
    expect(item).not.toHaveProperty('status');
    expect(item).not.toHaveProperty('statusKey');
    expect(item).not.toHaveProperty('listChannel');
  });

  it('ignores objects outside the quarantine key space', async () => {
    const result = await handler(
      uploadEvent('uploads/other/readme.txt', 'images/outside-quarantine.json'),
      lambdaContext('images'),
    );
    expect(result).toEqual([]);
    expect(await articleItems()).toEqual([]);
  });

  it('processes an upload once, however often its grant is POSTed (S3 sends an event per POST)', async () => {
    const uploadId = randomUUID();
    await putQuarantined(quarantineKey(uploadId), await png(), 'image/png');
    let puts = 0;
    const counting = {
      send: (command: Parameters<typeof s3.send>[0]) => {
        if (command instanceof PutObjectCommand) puts++;
        return s3.send(command);
      },
    } as unknown as typeof s3;
    const deps: ImageDeps = {
      s3: counting,
      records,
      siteBucket: process.env.SITE_BUCKET ?? '',
      now: () => new Date(),
    };
    const event = uploadEvent(quarantineKey(uploadId));
    // Five at once, as five POSTs of one grant would arrive, then five more after the first was done.
    const first = await Promise.all(Array.from({ length: 5 }, () => processUploads(event, deps)));
    const later = [];
    for (let i = 0; i < 5; i++) later.push(await processUploads(event, deps));
    const processings = [...first, ...later].filter((done) => done.length > 0).length;
    console.log(`images: processings per grant POSTed 10 times: ${processings}`);
    expect(processings).toBe(1);
    // One processing writes each size once: 480 and 800 wide, WebP and JPEG.
    expect(puts).toBe(4);
    expect((await records.getMany([uploadId])).get(uploadId)?.state).toBe('ready');
  });

  it("lets a crashed processing's retry claim the upload again once the claim is stale", async () => {
    const uploadId = randomUUID();
    const t0 = Date.parse('2026-11-29T10:00:00.000Z');
    expect(await records.claim(uploadId, new Date(t0))).toBe(true);
    expect(await records.claim(uploadId, new Date(t0 + 10_000))).toBe(false);
    expect(await records.claim(uploadId, new Date(t0 + UPLOAD_CLAIM_STALE_MS + 1_000))).toBe(true);
  });

  it('refuses an image whose pixels are out of proportion to its bytes, before decoding it', async () => {
    // 6,000 × 5,000 of one colour: 30 megapixels in a few kilobytes, the shape of a decompression bomb.
    const flat = await sharp({
      create: { width: 6000, height: 5000, channels: 3, background: '#808080' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(flat.byteLength * MAX_PIXELS_PER_BYTE).toBeLessThan(30_000_000);
    const { record } = await upload(flat, 'image/png');
    expect(record).toMatchObject({ state: 'rejected', reason: 'disproportionate' });
  });
});
