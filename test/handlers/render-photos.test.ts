// Photos processed after their article was published: the page is rendered without them, and re-rendered with
// them when their processing record arrives on the Articles stream. Against dynalite and s3rver.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { productionDeps, type RenderDeps, renderStream } from '#functions/render/handler.ts';
import { toItem } from '#shared/aws/article-items.ts';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { s3PhotoWaits } from '#shared/aws/photo-waits.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import { mediaKey, privatePhotoKey, type UploadRecord } from '#shared/domain/uploads.ts';
import { requireEnv } from '#shared/env.ts';
import { countingDeps } from '../support/counting-deps.ts';
import { loadEvent } from '../support/events.ts';
import { seedArticle } from '../support/render-fixtures.ts';
import { resetTables } from '../support/tables.ts';

const env = requireEnv('ARTICLES_TABLE', 'SITE_BUCKET');
const s3 = new S3Client({ forcePathStyle: true });
const records = dynamoUploadRecords(documentClient, env.ARTICLES_TABLE);
const waits = s3PhotoWaits(s3, env.SITE_BUCKET);
const [first, second] = ['6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', 'c4a7e9f2-1b3d-4c5e-8a6f-2d9b7e1c3a5f'];
const article = {
  ...seedArticle,
  images: [first, second].map((id, i) => ({ key: `uploads/quarantine/${id}`, caption: `图${i + 1}` })),
};
const isStreamEvent = (v: unknown): v is DynamoDBStreamEvent =>
  typeof v === 'object' && v !== null && Array.isArray((v as { Records?: unknown }).Records);
const PAGE = '2022/0415/2a8c6bce1fad40bb.html';

const ready = (uploadId: string): UploadRecord => ({
  uploadId,
  state: 'ready',
  width: 1200,
  height: 800,
  variants: [
    {
      width: 480,
      height: 320,
      webp: mediaKey(uploadId, 480, 'webp'),
      jpeg: mediaKey(uploadId, 480, 'jpeg'),
    },
  ],
  processedAt: '2026-11-29T05:21:09.000Z',
});

/** The stream record DynamoDB sends when the images function writes the second photo's record. */
const processedEvent = () => loadEvent('render/photo-processed.json', isStreamEvent);

const page = async () => {
  const object = await s3.send(new GetObjectCommand({ Bucket: env.SITE_BUCKET, Key: PAGE }));
  return (await object.Body?.transformToString()) ?? '';
};

beforeEach(async () => {
  await resetTables();
  await waits.update((all) => {
    all.clear();
    return true;
  });
  await documentClient.send(
    new BatchWriteCommand({
      RequestItems: { [env.ARTICLES_TABLE]: [{ PutRequest: { Item: toItem(article) } }] },
    }),
  );
  await records.put(ready(first));
});

describe('render: photos processed after publishing', () => {
  it('renders the page without a photo still processing, and again with it when its record arrives', async () => {
    await renderStream({ command: 'render-articles', ids: [article.id] }, productionDeps());
    expect(await page()).toContain(`media/${first}/`);
    expect(await page()).not.toContain(second);
    expect([...(await waits.read())]).toEqual([
      [article.id, { uploads: [second], since: expect.any(String) }],
    ]);

    // The images function writes the record; its stream record reaches render.
    await records.put(ready(second));
    expect(await renderStream(processedEvent(), productionDeps())).toEqual({ batchItemFailures: [] });
    expect(await page()).toContain(`media/${second}/`);
    expect((await waits.read()).size).toBe(0);
  });

  it('a photo processed while its page was being rendered is not missed', async () => {
    // The record is written right after the render read the records, before it recorded the wait: the stream
    // record of that write finds no page waiting, so the render itself must look again.
    const deps = productionDeps();
    const photos = deps.photos;
    if (!photos) throw new Error('render deps have no photo records');
    let reads = 0;
    const racing: RenderDeps = {
      ...deps,
      photos: {
        ...photos,
        getMany: async (ids) => {
          const found = await photos.getMany(ids);
          if (++reads === 1) await records.put(ready(second));
          return found;
        },
      },
    };
    await renderStream({ command: 'render-articles', ids: [article.id] }, racing);
    expect(await page()).toContain(`media/${second}/`);
    expect((await waits.read()).size).toBe(0);
  });

  it('an upload record that no page waits for renders nothing', async () => {
    const deps = countingDeps(productionDeps(), s3, env.SITE_BUCKET);
    expect(await renderStream(processedEvent(), deps)).toEqual({ batchItemFailures: [] });
    expect(deps.written).toEqual([]);
  });
});

describe('render: photos follow their article (issue 19)', () => {
  const files = (id: string) => [mediaKey(id, 480, 'webp'), mediaKey(id, 480, 'jpeg')];
  const exists = (key: string) =>
    s3
      .send(new HeadObjectCommand({ Bucket: env.SITE_BUCKET, Key: key }))
      .then(() => true)
      .catch(() => false);
  const streamOf = (name: string) => loadEvent(`render/${name}.json`, isStreamEvent);

  it('copies the photos to media/ when the article is published, and takes them back when it is unpublished', async () => {
    await records.put(ready(second));
    for (const id of [first, second])
      for (const key of files(id))
        await s3.send(
          new PutObjectCommand({
            Bucket: env.SITE_BUCKET,
            Key: privatePhotoKey(key),
            Body: 'photo',
            ContentType: key.endsWith('.webp') ? 'image/webp' : 'image/jpeg',
          }),
        );
    for (const id of [first, second]) for (const key of files(id)) expect(await exists(key)).toBe(false);

    const deps = countingDeps(productionDeps(), s3, env.SITE_BUCKET);
    await renderStream({ command: 'render-articles', ids: [article.id] }, deps);
    for (const id of [first, second]) for (const key of files(id)) expect(await exists(key), key).toBe(true);
    expect(deps.invalidated.flat()).toEqual(
      expect.arrayContaining([`/media/${first}/*`, `/media/${second}/*`]),
    );

    // The stream's unpublish record of the seed article (events/render/unpublish.json), with these photos.
    const unpublish = streamOf('unpublish');
    const withPhotos = JSON.parse(
      JSON.stringify(unpublish).replace(
        '"OldImage":{',
        `"OldImage":{"images":{"L":[${[first, second]
          .map((id) => `{"M":{"key":{"S":"uploads/quarantine/${id}"},"caption":{"S":""}}}`)
          .join(',')}]},`,
      ),
    ) as DynamoDBStreamEvent;
    const after = countingDeps(productionDeps(), s3, env.SITE_BUCKET);
    expect(await renderStream(withPhotos, after)).toEqual({ batchItemFailures: [] });
    for (const id of [first, second]) {
      for (const key of files(id)) {
        expect(await exists(key), key).toBe(false);
        // Kept private, so publishing the article again brings them back.
        expect(await exists(privatePhotoKey(key)), key).toBe(true);
      }
    }
    expect(after.invalidated.flat()).toEqual(
      expect.arrayContaining([`/media/${first}/*`, `/media/${second}/*`]),
    );
  });
});

describe('the photo waits in the bucket', () => {
  it('lose no update to a concurrent writer: a refused conditional write is read and applied again', async () => {
    // S3 refuses a write whose If-Match ETag is no longer current (s3rver does not check, so this client plays S3:
    // before the first conditional write it lets another render write, then answers 412 as S3 would).
    const client = new S3Client({ forcePathStyle: true });
    const send = client.send.bind(client);
    let refused = 0;
    client.send = (async (command: Parameters<typeof send>[0]) => {
      if (command instanceof PutObjectCommand && command.input.IfMatch && refused === 0) {
        refused++;
        await waits.update((all) => {
          all.set('0000000000000001', { uploads: [first], since: '2026-11-29T08:00:00.000Z' });
          return true;
        });
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      }
      return send(command);
    }) as typeof client.send;
    await waits.update((all) => {
      all.set('0000000000000000', { uploads: [first], since: '2026-11-29T07:00:00.000Z' });
      return true;
    });

    await s3PhotoWaits(client, env.SITE_BUCKET).update((all) => {
      all.set(article.id, { uploads: [second], since: '2026-11-29T09:00:00.000Z' });
      return true;
    });
    expect(refused).toBe(1);
    expect([...(await waits.read()).keys()].sort()).toEqual(
      ['0000000000000000', '0000000000000001', article.id].sort(),
    );
  });
});
