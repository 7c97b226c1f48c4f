import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_FORM_PATH } from '#shared/domain/uploads.ts';
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

async function uploadThroughGateway(bytes: Uint8Array, contentType: string): Promise<Grant> {
  const granted = await rt.fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contentType, size: bytes.byteLength }),
  });
  expect(granted.status).toBe(201);
  const grant = (await granted.json()) as Grant;
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo');
  const posted = await rt.fetch(grant.url, { method: 'POST', body: form });
  expect(posted.status).toBe(204);
  return grant;
}

describe('local uploads', () => {
  it('takes the presigned form on the same origin, processes it from the s3rver event, and serves media/', async () => {
    const grant = await uploadThroughGateway(await jpegWithGps(1200, 800), 'image/jpeg');
    expect(grant.url).toBe(UPLOAD_FORM_PATH);
    await rt.uploads.idle();
    const webp = await rt.fetch(`/media/${grant.uploadId}/960.webp`);
    expect(webp.status).toBe(200);
    expect(webp.headers.get('content-type')).toBe('image/webp');
    expect(webp.headers.get('cache-control')).toContain('immutable');
    const meta = await sharp(Buffer.from(await webp.arrayBuffer())).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([960, 640, undefined]);
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
