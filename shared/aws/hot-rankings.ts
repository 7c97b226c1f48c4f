// Where render keeps the 点击排行 rankings its pages show: one small JSON object in the site bucket. Render already
// reads and writes that bucket, so this needs no grant of its own; a stream batch reads it with one GET.
// docs/VIEW-COUNTS.md ("Refreshing") says why here and not in a table.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cacheControl } from '../headers.ts';
import {
  type HotRankings,
  NO_HOT_RANKINGS,
  parseHotRankings,
  serializeHotRankings,
} from '../render/hot-list.ts';
import { STATE_PREFIX } from '../site-paths.ts';
import { isMissingObject } from './s3-errors.ts';

/** Outside every page path (pages live under dates, channel paths and a few fixed names). */
export const HOT_RANKINGS_KEY = `${STATE_PREFIX}hot.json`;

export interface HotRankingStore {
  /** The rankings the pages were last rendered with; none yet is an empty map. */
  read(): Promise<HotRankings>;
  write(rankings: HotRankings): Promise<void>;
}

export function s3HotRankings(client: S3Client, bucket: string): HotRankingStore {
  return {
    async read() {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: HOT_RANKINGS_KEY }));
        return parseHotRankings((await object.Body?.transformToString()) ?? '');
      } catch (error) {
        if (isMissingObject(error)) return NO_HOT_RANKINGS;
        throw error;
      }
    },
    async write(rankings) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: HOT_RANKINGS_KEY,
          Body: serializeHotRankings(rankings),
          ContentType: 'application/json; charset=utf-8',
          CacheControl: cacheControl.noStore,
        }),
      );
    },
  };
}
