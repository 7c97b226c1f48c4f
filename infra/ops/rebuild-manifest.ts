// The rebuild manifest: per page, the digest of the inputs it was last rendered from (shared/render/page-inputs.ts)
// and the ETag (MD5) of the bytes that rendering produced. A rebuild skips a page only when both still hold: the
// inputs digest is the same and the bucket still has those bytes. Anything else (a page written since by the
// stream, deleted by hand, never recorded) is rendered again, and still written only if its bytes changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { STATE_PREFIX } from '../../shared/site-paths.ts';

/** Next to the 点击排行 rankings, outside every page path. */
export const REBUILD_MANIFEST_KEY = `${STATE_PREFIX}rebuild-manifest.json`;

export interface ManifestEntry {
  /** Bucket key of the page. */
  readonly key: string;
  /** Digest of the page's inputs. */
  readonly inputs: string;
  /** MD5 (hex) of the bytes written, as S3 reports it in the listing's ETag. */
  readonly etag: string;
}

/** Entries by refId (shared/render/affected.ts). */
export type RebuildManifest = Map<string, ManifestEntry>;

const FORMAT = 1;

const isMissing = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

export async function readManifest(client: S3Client, bucket: string): Promise<RebuildManifest> {
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
    if (isMissing(error) || error instanceof SyntaxError) return new Map();
    throw error;
  }
}

export async function writeManifest(
  client: S3Client,
  bucket: string,
  manifest: RebuildManifest,
): Promise<void> {
  const pages = Object.fromEntries([...manifest].map(([ref, e]) => [ref, [e.key, e.inputs, e.etag]]));
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: REBUILD_MANIFEST_KEY,
      Body: JSON.stringify({ format: FORMAT, pages }),
      ContentType: 'application/json; charset=utf-8',
      CacheControl: 'no-store',
    }),
  );
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A digest of the code that renders: every source file under shared/ and functions/render/, and the dependency
 * versions (package-lock.json). Wider than the templates on purpose: a change anywhere in it re-renders the whole
 * site once, which costs time, while a change it missed would leave stale pages.
 */
export function renderCodeDigest(): string {
  const hash = createHash('sha1');
  const add = (file: string) => {
    hash.update(path.relative(root, file));
    hash.update(readFileSync(file));
  };
  for (const dir of ['shared', 'functions/render']) {
    const files = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.join(d.parentPath, d.name))
      .sort();
    for (const file of files) add(file);
  }
  add(path.join(root, 'package-lock.json'));
  return hash.digest('base64url');
}
