// S3 ObjectCreated on the quarantine prefix → check, strip and resize the photo → the site bucket's private
// `_state/photos/` (render publishes it to media/ with its article), and a record (ready with sizes, or rejected
// with a reason) that the submission and the page read.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { documentClient } from '#shared/aws/dynamo-client.ts';
import { s3Client } from '#shared/aws/s3-client.ts';
import { dynamoUploadRecords } from '#shared/aws/upload-records.ts';
import {
  type ImageVariant,
  mediaKey,
  privatePhotoKey,
  type RejectionReason,
  rejectionMessages,
  type UploadRecord,
  uploadIdOf,
  uploadLimits,
} from '#shared/domain/uploads.ts';
import { requireEnv } from '#shared/env.ts';
import { cacheControl } from '#shared/headers.ts';
import { processImage } from '#shared/images/process-image.ts';
import { logger, requestLogging } from '#shared/log.ts';
import type { UploadRecordStore } from '#shared/ports.ts';

const config = requireEnv('ARTICLES_TABLE', 'SITE_BUCKET');

export interface ImageDeps {
  readonly s3: S3Client;
  readonly records: UploadRecordStore;
  readonly siteBucket: string;
  readonly now: () => Date;
}

const deps: ImageDeps = {
  s3: s3Client,
  records: dynamoUploadRecords(documentClient, config.ARTICLES_TABLE),
  siteBucket: config.SITE_BUCKET,
  now: () => new Date(),
};

/** S3 event keys are URL-encoded with `+` for spaces. */
const decodeKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

export async function processUpload(
  bucket: string,
  key: string,
  injected: ImageDeps,
): Promise<UploadRecord | undefined> {
  const uploadId = uploadIdOf(key);
  if (!uploadId) {
    logger.warn('ignoring object outside the quarantine key space', { key });
    return undefined;
  }
  const now = injected.now();
  const processedAt = now.toISOString();
  // One processing per upload, however often its grant is POSTed: a record means it was done, a fresh claim that
  // it is being done (S3 sends one event per POST).
  if (
    (await injected.records.getMany([uploadId])).has(uploadId) ||
    !(await injected.records.claim(uploadId, now))
  ) {
    logger.info('upload already processed or being processed', { uploadId });
    return undefined;
  }
  const reject = async (reason: RejectionReason): Promise<UploadRecord> => {
    const record: UploadRecord = {
      uploadId,
      state: 'rejected',
      reason,
      message: rejectionMessages[reason],
      processedAt,
    };
    await injected.records.put(record);
    logger.info('upload rejected', { uploadId, reason });
    return record;
  };

  // The policy's size range is S3's to enforce; s3rver ignores it, so an oversize file is refused before download.
  const head = await injected.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if ((head.ContentLength ?? 0) > uploadLimits.maxBytes) return reject('too_large');
  if ((head.ContentLength ?? 0) < uploadLimits.minBytes) return reject('not_an_image');
  const object = await injected.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();

  const outcome = await processImage(bytes, head.ContentType);
  if (!outcome.ok) return reject(outcome.reason);

  // Keys hold the upload's uuid, so a key never changes content: immutable caching is safe (render's copy to media/
  // keeps it). Nothing is public yet: the files wait in private state until an article that shows them is published.
  await Promise.all(
    outcome.sizes.map((size) =>
      injected.s3.send(
        new PutObjectCommand({
          Bucket: injected.siteBucket,
          Key: privatePhotoKey(mediaKey(uploadId, size.width, size.format)),
          Body: size.bytes,
          ContentType: size.contentType,
          CacheControl: cacheControl.immutable,
        }),
      ),
    ),
  );
  const variants: ImageVariant[] = outcome.sizes
    .filter((size) => size.format === 'webp')
    .map((size) => ({
      width: size.width,
      height: size.height,
      webp: mediaKey(uploadId, size.width, 'webp'),
      jpeg: mediaKey(uploadId, size.width, 'jpeg'),
    }));
  const record: UploadRecord = {
    uploadId,
    state: 'ready',
    width: outcome.width,
    height: outcome.height,
    variants,
    processedAt,
  };
  await injected.records.put(record);
  logger.info('upload processed', {
    uploadId,
    width: outcome.width,
    height: outcome.height,
    sizes: variants.length,
  });
  return record;
}

/** Records one at a time: a photo takes most of the function's memory while it is decoded. */
export async function processUploads(event: S3Event, injected: ImageDeps = deps): Promise<UploadRecord[]> {
  const done: UploadRecord[] = [];
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated:')) continue;
    const result = await processUpload(record.s3.bucket.name, decodeKey(record.s3.object.key), injected);
    if (result) done.push(result);
  }
  return done;
}

export const handler = middy<S3Event, UploadRecord[]>()
  .use(requestLogging())
  .handler((event) => processUploads(event));
