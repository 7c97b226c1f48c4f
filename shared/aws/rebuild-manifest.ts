// The rebuild manifest, one JSON object in the site bucket (state-object.ts): per page, the digest of the inputs it
// was last rendered from (shared/render/page-inputs.ts) and the ETag (MD5) of the bytes that rendering produced. A
// rebuild skips a page only when both still hold: the inputs digest is the same and the bucket still has those
// bytes. Anything else (a page written since by the stream, deleted by hand, never recorded) is rendered again, and
// still written only if its bytes changed.
import type { S3Client } from '@aws-sdk/client-s3';
import type { RebuildManifestStore } from '../ports.ts';
import { STATE_PREFIX } from '../site-paths.ts';
import { s3StateObject } from './state-object.ts';

export const REBUILD_MANIFEST_KEY = `${STATE_PREFIX}rebuild-manifest.json`;

const FORMAT = 1;

export function s3RebuildManifest(client: S3Client, bucket: string): RebuildManifestStore {
  const object = s3StateObject(client, bucket, REBUILD_MANIFEST_KEY);
  return {
    async read() {
      const text = (await object.read()) ?? '{}';
      let parsed: { format?: number; pages?: Record<string, [string, string, string]> };
      try {
        parsed = JSON.parse(text);
      } catch {
        return new Map();
      }
      // Another format (or none) is read as no manifest: every page is rendered once more and the manifest rewritten.
      if (parsed?.format !== FORMAT || typeof parsed.pages !== 'object' || !parsed.pages) return new Map();
      return new Map(
        Object.entries(parsed.pages).map(([ref, [key, inputs, etag]]) => [ref, { key, inputs, etag }]),
      );
    },
    write: (manifest) =>
      object.write(
        JSON.stringify({
          format: FORMAT,
          pages: Object.fromEntries([...manifest].map(([ref, e]) => [ref, [e.key, e.inputs, e.etag]])),
        }),
      ),
  };
}
