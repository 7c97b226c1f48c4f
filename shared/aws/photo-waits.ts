// Which article pages wait for photos still being processed: one small JSON object in the site bucket
// (state-object.ts), written only when a page is rendered without some of its photos (rare: the desk shows each
// photo's state).
import type { S3Client } from '@aws-sdk/client-s3';
import type { PhotoWait, PhotoWaitStore } from '../ports.ts';
import { STATE_PREFIX } from '../site-paths.ts';
import { s3StateObject } from './state-object.ts';

export const PHOTO_WAITS_KEY = `${STATE_PREFIX}photo-waits.json`;

const isWait = (value: unknown): value is PhotoWait => {
  const wait = value as PhotoWait;
  return (
    typeof wait === 'object' &&
    wait !== null &&
    Array.isArray(wait.uploads) &&
    wait.uploads.every((u) => typeof u === 'string') &&
    typeof wait.since === 'string'
  );
};

export function s3PhotoWaits(client: S3Client, bucket: string): PhotoWaitStore {
  const object = s3StateObject(client, bucket, PHOTO_WAITS_KEY);
  return {
    async read() {
      const text = (await object.read()) ?? '{}';
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text);
      } catch {
        return new Map();
      }
      if (typeof parsed !== 'object' || parsed === null) return new Map();
      return new Map(
        Object.entries(parsed).flatMap(([id, wait]) => (isWait(wait) ? [[id, wait] as const] : [])),
      );
    },
    write: (waits) => object.write(JSON.stringify(Object.fromEntries(waits))),
  };
}
