// The working files of a fanned-out rebuild in the site bucket, under `_state/rebuild-runs/<run>/`, outside every
// page path: the plan (gzipped JSON: the listings, rankings and counts every slice renders from, tens of MB at
// 200,000 articles) and one small part per slice.
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { forEachLimited } from '../concurrency.ts';
import { cacheControl } from '../headers.ts';
import type { RebuildRunStore } from '../ports.ts';
import { STATE_PREFIX } from '../site-paths.ts';
import { isMissingObject } from './s3-errors.ts';

export const REBUILD_RUNS_PREFIX = `${STATE_PREFIX}rebuild-runs/`;

export function s3RebuildRuns(client: S3Client, bucket: string): RebuildRunStore {
  const folder = (run: string) => {
    if (!/^[\w-]{1,80}$/.test(run)) throw new Error(`rebuild run id "${run.slice(0, 80)}" is not a run id`);
    return `${REBUILD_RUNS_PREFIX}${run}/`;
  };
  const put = (Key: string, text: string) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: gzipSync(text),
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
        CacheControl: cacheControl.noStore,
      }),
    );
  const get = async (Key: string): Promise<string | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const bytes = await object.Body?.transformToByteArray();
      return bytes ? gunzipSync(bytes).toString('utf8') : undefined;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  };
  const keys = async (prefix: string): Promise<string[]> => {
    const found: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker }));
      for (const object of page.Contents ?? []) if (object.Key) found.push(object.Key);
      Marker = page.IsTruncated ? (page.NextMarker ?? page.Contents?.at(-1)?.Key) : undefined;
    } while (Marker);
    return found;
  };
  return {
    writePlan: (run, plan) => put(`${folder(run)}plan.json.gz`, plan).then(() => undefined),
    readPlan: (run) => get(`${folder(run)}plan.json.gz`),
    writePart: (run, from, part) => put(`${folder(run)}parts/${from}.json.gz`, part).then(() => undefined),
    async readParts(run) {
      const parts = await Promise.all((await keys(`${folder(run)}parts/`)).map(get));
      return parts.flatMap((p) => (p === undefined ? [] : [p]));
    },
    async remove(run) {
      // One DeleteObject per file (a plan and a part per slice, a few hundred at most): DeleteObjects would bring
      // the checksum middleware it requires into render's bundle.
      const found = await keys(folder(run));
      await forEachLimited(found, 16, async (Key) => {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      });
    },
  };
}
