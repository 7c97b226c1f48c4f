// Where render keeps the 点击排行 rankings its pages show: one small JSON object in the site bucket (state-object.ts);
// a stream batch reads it with one GET. docs/VIEW-COUNTS.md ("Refreshing") says why here and not in a table.
import type { S3Client } from '@aws-sdk/client-s3';
import type { HotRankingStore } from '../ports.ts';
import { NO_HOT_RANKINGS, parseHotRankings, serializeHotRankings } from '../render/hot-list.ts';
import { STATE_PREFIX } from '../site-paths.ts';

import { s3StateObject } from './state-object.ts';

/** Outside every page path (pages live under dates, channel paths and a few fixed names). */
export const HOT_RANKINGS_KEY = `${STATE_PREFIX}hot.json`;

export function s3HotRankings(client: S3Client, bucket: string): HotRankingStore {
  const object = s3StateObject(client, bucket, HOT_RANKINGS_KEY);
  return {
    async read() {
      const text = await object.read();
      return text === undefined ? NO_HOT_RANKINGS : parseHotRankings(text);
    },
    write: (rankings) => object.write(serializeHotRankings(rankings)),
  };
}
