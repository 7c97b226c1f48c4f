import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNames } from '#infra/local/environment.ts';
import { privatePhotoKey, UPLOAD_FORM_PATH } from '#shared/domain/uploads.ts';
import { jpegWithGps } from '../support/photos.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

interface Grant {
  uploadId: string;
  key: string;
  url: string;
  fields: Record<string, string>;
}

async function requestUpload(bytes: Uint8Array, contentType: string): Promise<Grant> {
  const granted = await rt.fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contentType, size: bytes.byteLength }),
  });
  expect(granted.status).toBe(201);
  return (await granted.json()) as Grant;
}

async function uploadThroughGateway(bytes: Uint8Array, contentType: string, grant?: Grant): Promise<Grant> {
  grant ??= await requestUpload(bytes, contentType);
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo');
  const posted = await rt.fetch(grant.url, { method: 'POST', body: form });
  expect(posted.status).toBe(204);
  return grant;
}

describe('local uploads', () => {
  it('takes the presigned form on the same origin, processes it from the s3rver event, and keeps it private', async () => {
    const grant = await uploadThroughGateway(await jpegWithGps(1200, 800), 'image/jpeg');
    expect(grant.url).toBe(UPLOAD_FORM_PATH);
    await rt.uploads.idle();
    // Processed into the site bucket's private state; the site serves nothing until an article shows it.
    expect((await rt.fetch(`/media/${grant.uploadId}/960.webp`)).status).toBe(404);
    const s3 = new S3Client({ endpoint: rt.endpoints.s3, forcePathStyle: true });
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: localNames.SITE_BUCKET,
        Key: privatePhotoKey(`media/${grant.uploadId}/960.webp`),
      }),
    );
    expect(object.ContentType).toBe('image/webp');
    expect(object.CacheControl).toContain('immutable');
    const meta = await sharp(Buffer.from((await object.Body?.transformToByteArray()) ?? [])).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([960, 640, undefined]);
  });

  it('a photo processed after its article was published appears on the page without an edit', async () => {
    const photo = await jpegWithGps(1200, 800);
    const grant = await requestUpload(photo, 'image/jpeg');
    const submitted = await rt.fetch('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: '先发布后处理的照片',
        body: '疫情期间,社区小店坚持营业,保障居民生活。\n\n志愿者每天在店门口值守。',
        author: '李记者',
        source: '山西法治报',
        channel: 'focus/public-welfare',
        images: [{ key: grant.key, caption: '迟到的照片' }],
      }),
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const published = await rt.fetch(`/api/admin/submissions/${id}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${rt.editorToken}` },
    });
    expect(published.status).toBe(200);
    const { url } = (await published.json()) as { url: string };
    const page = async () => {
      const response = await rt.fetch(url);
      return response.status === 200 ? response.text() : '';
    };
    // The publish's render arrives through the stream; a busy machine can take longer than poll's default second.
    await expect.poll(page, { timeout: 15_000 }).toContain('先发布后处理的照片');
    expect(await page()).not.toContain(grant.uploadId);

    // The file arrives only now; its processing record reaches render through the Articles stream.
    await uploadThroughGateway(photo, 'image/jpeg', grant);
    await rt.uploads.idle();
    await expect.poll(page, { timeout: 15_000 }).toContain(`/media/${grant.uploadId}/`);
    expect(await page()).toContain('<figcaption>迟到的照片</figcaption>');
    // Published with the page that shows it.
    expect((await rt.fetch(`/media/${grant.uploadId}/1200.jpg`)).status).toBe(200);
  });

  it('never serves the quarantine: not by its key, not through the upload path', async () => {
    const grant = await uploadThroughGateway(await jpegWithGps(640, 480), 'image/jpeg');
    await rt.uploads.idle();
    expect((await rt.fetch(`/${grant.key}`)).status).toBe(404);
    expect((await rt.fetch(`/uploads/${grant.key}`)).status).toBe(404);
    const read = await rt.fetch(`${UPLOAD_FORM_PATH}?key=${encodeURIComponent(grant.key)}`);
    expect(read.status).toBe(405);
    expect(read.headers.get('allow')).toBe('POST');
  });

  it('marks a disguised file rejected, and writes nothing to media/', async () => {
    const grant = await uploadThroughGateway(Buffer.from('MZ\x90\x00 definitely an .exe'), 'image/png');
    await rt.uploads.idle();
    expect((await rt.fetch(`/media/${grant.uploadId}/480.webp`)).status).toBe(404);
  });
});
