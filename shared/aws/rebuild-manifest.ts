// The rebuild manifest, one JSON object in the site bucket (state-object.ts): per page, the digest of the inputs it
// was last rendered from (shared/render/page-inputs.ts) and the ETag (MD5) of the bytes that rendering produced. A
// rebuild skips a page only when both still hold: the inputs digest is the same and the bucket still has those
// bytes. Anything else (a page written since by the stream, deleted by hand, never recorded) is rendered again, and
// still written only if its bytes changed. A forced rebuild empties it first and says so (`forcedSince`), so that one
// stopped partway is finished by the next run, forced or not, writing only the pages it had not written yet.
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
      let parsed: {
        format?: number;
        pages?: Record<string, [string, string, string]>;
        forcedSince?: unknown;
      };
      try {
        parsed = JSON.parse(text);
      } catch {
        return { pages: new Map() };
      }
      // Another format (or none) is read as no manifest: every page is rendered once more and the manifest rewritten.
      if (parsed?.format !== FORMAT || typeof parsed.pages !== 'object' || !parsed.pages)
        return { pages: new Map() };
      const pages = new Map(
        Object.entries(parsed.pages).map(([ref, [key, inputs, etag]]) => [ref, { key, inputs, etag }]),
      );
      return typeof parsed.forcedSince === 'string' ? { pages, forcedSince: parsed.forcedSince } : { pages };
    },
    write: ({ pages, forcedSince }) =>
      object.write(
        JSON.stringify({
          format: FORMAT,
          ...(forcedSince ? { forcedSince } : {}),
          pages: Object.fromEntries([...pages].map(([ref, e]) => [ref, [e.key, e.inputs, e.etag]])),
        }),
      ),
  };
}
