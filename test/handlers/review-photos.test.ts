import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as review } from '#functions/review/handler.ts';
import { handler as submit } from '#functions/submit/handler.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { dynamoPhotoPreviews } from '#shared/aws/photo-previews.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import { mediaKey } from '#shared/domain/uploads.ts';
import { isApiEvent, lambdaContext, loadApiEvent, loadEvent } from '../support/events.ts';
import { resetTables } from '../support/tables.ts';

afterEach(resetTables);

const [ready, rejected, pending] = [
  '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
  '0b8e2a4c-9d1f-4e6a-b3c5-7f2e8d9a1c4b',
  'c4a7e9f2-1b3d-4c5e-8a6f-2d9b7e1c3a5f',
];

async function submissionWithPhotos(): Promise<string> {
  const records = dynamoUploadRecords(documentClient, process.env.ARTICLES_TABLE ?? '');
  await records.put({
    uploadId: ready,
    state: 'ready',
    width: 1200,
    height: 800,
    variants: [
      { width: 480, height: 320, webp: mediaKey(ready, 480, 'webp'), jpeg: mediaKey(ready, 480, 'jpeg') },
    ],
    processedAt: '2026-11-28T05:21:09.000Z',
  });
  await records.put({
    uploadId: rejected,
    state: 'rejected',
    reason: 'not_an_image',
    message: 'The file is not a JPEG, PNG or WebP image.',
    processedAt: '2026-11-28T05:21:10.000Z',
  });
  const created = await submit(loadApiEvent('submit/with-photos.json'), lambdaContext('submit'));
  return JSON.parse(created.body ?? '{}').id;
}

// The review events carry the JWT authorizer's claims.
const isReviewEvent = (value: unknown): value is APIGatewayProxyEventV2WithJWTAuthorizer => isApiEvent(value);
const forId = (file: string, id: string): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const event = loadEvent(file, isReviewEvent);
  return { ...event, rawPath: event.rawPath.replace('2a8c6bce1fad40bb', id), pathParameters: { id } };
};

describe('the editor sees what became of each photo', () => {
  it('GET /api/admin/submissions/{id} gives each photo its state, and a rejected one its reason', async () => {
    const id = await submissionWithPhotos();
    const response = await review(forId('review/get.json', id), lambdaContext('review'));
    expect(response.statusCode).toBe(200);
    const { images } = JSON.parse(response.body ?? '{}');
    expect(images.map((i: { state: string }) => i.state)).toEqual(['ready', 'rejected', 'processing']);
    expect(images[0]).toMatchObject({
      caption: '社区党员志愿者在小店门口测温扫码',
      width: 1200,
      height: 800,
    });
    expect(images[1]).toMatchObject({
      reason: 'not_an_image',
      message: expect.stringContaining('not a JPEG'),
    });
    expect(images[2]).toEqual({
      key: `uploads/quarantine/${pending}`,
      caption: '夜色中仍在营业的社区便利店',
      state: 'processing',
    });
  });

  it('the preview shows the gallery readers will get, without the rejected or unprocessed photos', async () => {
    const id = await submissionWithPhotos();
    const response = await review(forId('review/preview.json', id), lambdaContext('review'));
    expect(response.statusCode).toBe(200);
    const html = response.body ?? '';
    expect(html).toContain('<h2 id="gallery-title" tabindex="-1">高清组图</h2>');
    expect(html.match(/<li><figure>/g)).toHaveLength(1);
    // The photo is not public yet: the preview names it through a grant (photo-previews.ts), not by its media/ path.
    expect(html).toMatch(new RegExp(`/api/photo-previews/[A-Za-z0-9_-]{32}/${ready}/480\\.webp 480w`));
    expect(html).not.toContain(`/media/${ready}/`);
    expect(html).not.toContain('uploads/quarantine');
  });

  it('a shared preview link shows the photos through a grant, as the desk preview does', async () => {
    const id = await submissionWithPhotos();
    const created = await review(forId('review/preview-link.json', id), lambdaContext('review'));
    expect(created.statusCode).toBe(201);
    const token = String(JSON.parse(created.body ?? '{}').url).split('/api/previews/')[1] ?? '';
    const template = loadEvent('review/shared-preview-forged.json', isReviewEvent);
    const page = await review(
      { ...template, rawPath: `/api/previews/${token}`, pathParameters: { token } },
      lambdaContext('review'),
    );
    expect(page.statusCode).toBe(200);
    const html = page.body ?? '';
    expect(html.match(/<li><figure>/g)).toHaveLength(1);
    const grant = new RegExp(`/api/photo-previews/([A-Za-z0-9_-]{32})/${ready}/480\\.webp 480w`).exec(
      html,
    )?.[1];
    expect(grant).toBeDefined();
    expect(html).not.toContain(`/media/${ready}/`);
    const grants = dynamoPhotoPreviews(documentClient, process.env.ARTICLES_TABLE ?? '');
    expect(await grants.allows(grant ?? '', ready, new Date())).toBe(true);
    expect(await grants.allows(grant ?? '', rejected, new Date())).toBe(false);
  });

  it('PUT …/images lets an editor reorder, recaption and drop photos of a pending submission', async () => {
    const id = await submissionWithPhotos();
    const response = await review(forId('review/edit-photos.json', id), lambdaContext('review'));
    expect(response.statusCode).toBe(200);
    const got = await review(forId('review/get.json', id), lambdaContext('review'));
    const article = JSON.parse(got.body ?? '{}');
    expect(article.images.map((i: { caption: string }) => i.caption)).toEqual([
      '店主为居民配送生活物资(编辑修改)',
      '社区党员志愿者在小店门口测温扫码',
    ]);
    expect(article.revision).toBe(2);
  });

  it('refuses a photo list with a key outside quarantine, and any change once published', async () => {
    const id = await submissionWithPhotos();
    const bad = forId('review/edit-photos.json', id);
    const refused = await review(
      { ...bad, body: JSON.stringify({ images: [{ key: 'media/x/480.webp', caption: '' }] }) },
      lambdaContext('review'),
    );
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body ?? '{}').error.fields).toHaveProperty('images.0.key');
    const published = await review(forId('review/publish.json', id), lambdaContext('review'));
    expect(published.statusCode).toBe(200);
    const late = await review(forId('review/edit-photos.json', id), lambdaContext('review'));
    expect(late.statusCode).toBe(409);
  });
});
