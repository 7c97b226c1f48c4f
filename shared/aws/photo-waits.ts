// Which article pages wait for photos still being processed: one small JSON object in the site bucket
// (state-object.ts), written only when a page is rendered without some of its photos (rare: the desk shows each
// photo's state), and updated with conditional writes so that two renders at once lose neither's waits.
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

/** Waits by article id from the stored text; none, or text that is not a map of waits, is an empty map. */
function parseWaits(text: string | undefined): Map<string, PhotoWait> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '{}');
  } catch {
    return new Map();
  }
  if (typeof parsed !== 'object' || parsed === null) return new Map();
  return new Map(Object.entries(parsed).flatMap(([id, wait]) => (isWait(wait) ? [[id, wait] as const] : [])));
}

export function s3PhotoWaits(client: S3Client, bucket: string): PhotoWaitStore {
  const object = s3StateObject(client, bucket, PHOTO_WAITS_KEY);
  return {
    read: async () => parseWaits(await object.read()),
    update: (change) =>
      object.update((text) => {
        const waits = parseWaits(text);
        return change(waits) ? JSON.stringify(Object.fromEntries(waits)) : undefined;
      }),
  };
}
