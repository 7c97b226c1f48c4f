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
}

/** `key` (under STATE_PREFIX) in `bucket`. */
export function s3StateObject(client: S3Client, bucket: string, Key: string): StateObject {
  return {
    async read() {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        return (await object.Body?.transformToString()) ?? '';
      } catch (error) {
        if (isMissingObject(error)) return undefined;
        throw error;
      }
    },
    async write(json) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: json,
          ContentType: 'application/json; charset=utf-8',
          CacheControl: cacheControl.noStore,
        }),
      );
    },
  };
}
