import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '#functions/uploads/handler.ts';
import { QUARANTINE_PREFIX, UPLOAD_FORM_PATH, uploadIdOf, uploadLimits } from '#shared/domain/uploads.ts';
import { lambdaContext, loadApiEvent } from '../support/events.ts';
import { jpegWithGps, s3 } from '../support/photos.ts';

const invoke = async (event: APIGatewayProxyEventV2) => {
  const result = await handler(event, lambdaContext('uploads'));
  return { ...result, json: JSON.parse(result.body ?? 'null') };
};

interface Policy {
  expiration: string;
  conditions: unknown[];
}

describe('POST /api/uploads', () => {
  it('grants a presigned POST for a fresh quarantine key, posted to the same origin', async () => {
    const response = await invoke(loadApiEvent('uploads/jpeg.json'));
    expect(response.statusCode).toBe(201);
    expect(response.headers?.['cache-control']).toBe('no-store');
    const grant = response.json;
    expect(grant.url).toBe(UPLOAD_FORM_PATH);
    expect(grant.key.startsWith(QUARANTINE_PREFIX)).toBe(true);
    expect(uploadIdOf(grant.key)).toBe(grant.uploadId);
    expect(grant.fields).toMatchObject({ key: grant.key, 'Content-Type': 'image/jpeg' });
    const again = await invoke(loadApiEvent('uploads/jpeg.json'));
    expect(again.json.key).not.toBe(grant.key);
  });

  it('signs a policy with exactly: bucket, the key, the declared type, 1 B–10 MB, SigV4 fields, 5 minutes', async () => {
    const started = Date.now();
    const { json: grant } = await invoke(loadApiEvent('uploads/webp.json'));
    const policy = JSON.parse(Buffer.from(grant.fields.Policy, 'base64').toString('utf8')) as Policy;
    const byName = (c: unknown) => JSON.stringify(c);
    expect(policy.conditions.map(byName).sort()).toEqual(
      [
        ['content-length-range', 1, 10 * 1024 * 1024],
        { 'Content-Type': 'image/webp' },
        { bucket: process.env.UPLOADS_BUCKET },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': grant.fields['X-Amz-Credential'] },
        { 'X-Amz-Date': grant.fields['X-Amz-Date'] },
        { key: grant.key },
      ]
        .map(byName)
        .sort(),
    );
    // The key is pinned exactly (no starts-with), so the form cannot choose another key.
    expect(policy.conditions.some((c) => Array.isArray(c) && c[0] === 'starts-with')).toBe(false);
    const lifetime = Date.parse(policy.expiration) - started;
    expect(lifetime).toBeGreaterThan((uploadLimits.expiresSeconds - 5) * 1000);
    expect(lifetime).toBeLessThanOrEqual(uploadLimits.expiresSeconds * 1000 + 1000);
    expect(grant.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a declared size over 10 MB, a type that is not JPEG/PNG/WebP, and unknown fields', async () => {
    const tooLarge = await invoke(loadApiEvent('uploads/too-large.json'));
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json.error.fields).toHaveProperty('size');
    const gif = await invoke(loadApiEvent('uploads/unsupported-type.json'));
    expect(gif.statusCode).toBe(400);
    expect(gif.json.error.fields).toHaveProperty('contentType');
    const smuggled = await invoke(loadApiEvent('uploads/unknown-field.json'));
    expect(smuggled.statusCode).toBe(400);
    expect(smuggled.json.error.fields).toEqual({ key: 'Unknown field.' });
  });

  it('is a form s3rver accepts: the file lands under the granted key with the declared type', async () => {
    const { json: grant } = await invoke(loadApiEvent('uploads/jpeg.json'));
    const photo = await jpegWithGps(640, 480);
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields as Record<string, string>))
      form.append(name, value);
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
    const posted = await fetch(`${process.env.AWS_ENDPOINT_URL_S3}/${process.env.UPLOADS_BUCKET}`, {
      method: 'POST',
      body: form,
    });
    expect(posted.status).toBe(204);
    const head = await s3.send(new HeadObjectCommand({ Bucket: process.env.UPLOADS_BUCKET, Key: grant.key }));
    expect(head.ContentType).toBe('image/jpeg');
    expect(head.ContentLength).toBe(photo.byteLength);
  });
});
