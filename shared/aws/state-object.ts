// Render's state in the site bucket: small JSON objects under `_state/`, outside every page path (the 点击排行
// rankings, the rebuild manifest, the pages waiting for photos). Render already reads and writes the bucket, so
// none needs a grant of its own, and none is ever cached.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cacheControl } from '../headers.ts';
import { isMissingObject } from './s3-errors.ts';

export interface StateObject {
  /** The object's text; undefined when there is none yet. */
  read(): Promise<string | undefined>;
  write(json: string): Promise<void>;
  /**
   * A read-modify-write that a concurrent writer cannot undo: the write is conditional on the ETag that was read
   * (or on there being no object yet), and on a conflict it reads and applies `change` again. `change` returns the
   * new text, or undefined to leave the object as it is.
   */
  update(change: (text: string | undefined) => string | undefined): Promise<void>;
}

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
