// Render's state in the site bucket: small JSON objects under `_state/`, outside every page path (the 点击排行
// rankings, the rebuild manifest, the pages waiting for photos). Render already reads and writes the bucket, so
// none needs a grant of its own, and none is ever cached.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cacheControl } from '../headers.ts';
import type { StateObject } from '../ports.ts';

import { isMissingObject } from './s3-errors.ts';

/** Conditional writes tried before an update gives up (each conflict means another writer just succeeded). */
const UPDATE_ATTEMPTS = 5;

/** S3's answers to a conditional write that lost: 412 PreconditionFailed, or 409 ConditionalRequestConflict. */
const isConflict = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 412 || status === 409;
};

/** `key` (under STATE_PREFIX) in `bucket`. s3rver, the local S3, ignores the conditions: there, last write wins. */
export function s3StateObject(client: S3Client, bucket: string, Key: string): StateObject {
  const get = async (): Promise<{ text: string; etag: string | undefined } | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      return { text: (await object.Body?.transformToString()) ?? '', etag: object.ETag };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  };
  const put = async (json: string, condition: { IfMatch?: string; IfNoneMatch?: string } = {}) => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: json,
        ContentType: 'application/json; charset=utf-8',
        CacheControl: cacheControl.noStore,
        ...condition,
      }),
    );
  };
  return {
    read: async () => (await get())?.text,
    write: (json) => put(json),
    async update(change) {
      for (let attempt = 1; ; attempt++) {
        const current = await get();
        const next = change(current?.text);
        if (next === undefined) return;
        try {
          await put(next, current?.etag ? { IfMatch: current.etag } : { IfNoneMatch: '*' });
          return;
        } catch (error) {
          if (!isConflict(error) || attempt >= UPDATE_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
        }
      }
    },
  };
}
