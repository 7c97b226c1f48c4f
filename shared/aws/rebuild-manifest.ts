// The rebuild manifest, one JSON object in the site bucket next to the 点击排行 rankings: per page, the digest of the
// inputs it was last rendered from (shared/render/page-inputs.ts) and the ETag (MD5) of the bytes that rendering
// produced. A rebuild skips a page only when both still hold: the inputs digest is the same and the bucket still
// has those bytes. Anything else (a page written since by the stream, deleted by hand, never recorded) is rendered
// again, and still written only if its bytes changed. Render already reads and writes the bucket: no grant of its own.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cacheControl } from '../headers.ts';
import type { RebuildManifest, RebuildManifestStore } from '../ports.ts';
import { STATE_PREFIX } from '../site-paths.ts';
import { isMissingObject } from './s3-errors.ts';

/** Outside every page path. */
export const REBUILD_MANIFEST_KEY = `${STATE_PREFIX}rebuild-manifest.json`;

const FORMAT = 1;

export function s3RebuildManifest(client: S3Client, bucket: string): RebuildManifestStore {
  return {
    async read() {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: REBUILD_MANIFEST_KEY }));
        const parsed = JSON.parse((await object.Body?.transformToString()) ?? '{}') as {
          format?: number;
          pages?: Record<string, [string, string, string]>;
        };
        // Another format is read as no manifest: every page is rendered once more and the manifest rewritten.
        if (parsed.format !== FORMAT || !parsed.pages) return new Map();
        return new Map(
          Object.entries(parsed.pages).map(([ref, [key, inputs, etag]]) => [ref, { key, inputs, etag }]),
        );
      } catch (error) {
        if (isMissingObject(error) || error instanceof SyntaxError) return new Map();
        throw error;
      }
    },
    async write(manifest: RebuildManifest) {
      const pages = Object.fromEntries([...manifest].map(([ref, e]) => [ref, [e.key, e.inputs, e.etag]]));
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: REBUILD_MANIFEST_KEY,
          Body: JSON.stringify({ format: FORMAT, pages }),
          ContentType: 'application/json; charset=utf-8',
          CacheControl: cacheControl.noStore,
        }),
      );
    },
  };
}
