// S3 adapter for the site bucket. Each object carries the SHA-256 of its bytes in its metadata; a put whose bytes
// match what is stored is skipped, so unchanged pages are neither rewritten nor invalidated.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  type ListObjectsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ListedSiteStore, SiteObject, SiteStore } from '../ports.ts';
import { isMissingObject } from './s3-errors.ts';

/** Metadata key (x-amz-meta-content-sha256) holding the hash of the object's bytes. */
export const CONTENT_HASH_METADATA = 'content-sha256';

const sha256 = (body: string | Uint8Array): string => createHash('sha256').update(body).digest('hex');

/** Content-Type and Cache-Control are part of what is served: a change to either is a change too. */
const fingerprintOf = (object: SiteObject): string =>
  sha256(`${sha256(object.body)}\n${object.contentType}\n${object.cacheControl}`);

/**
 * The object with its body as bytes, encoded once: hashing a string encodes it again each time (the digest is the
 * same), and a rebuild hashes and writes thousands of pages.
 */
const asBytes = (object: SiteObject): SiteObject & { readonly body: Uint8Array } =>
  typeof object.body === 'string'
    ? { ...object, body: Buffer.from(object.body, 'utf8') }
    : { ...object, body: object.body };

const writeObject = (client: S3Client, bucket: string, object: SiteObject, fingerprint: string) =>
  client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: object.key,
      Body: object.body,
      ContentType: object.contentType,
      CacheControl: object.cacheControl,
      Metadata: { [CONTENT_HASH_METADATA]: fingerprint },
    }),
  );

const md5 = (body: string | Uint8Array): string => createHash('md5').update(body).digest('hex');

/**
 * Up to this many pages, a HEAD each tells which bytes changed; above it, one listing of the bucket (1,000 keys a
 * request, `snapshotSiteStore`) is cheaper.
 */
export const HEAD_COMPARISONS_UP_TO = 200;

/**
 * A store for whole-site rebuilds: one listing of the bucket (1,000 keys a request) replaces a HEAD per page.
 * It compares bodies by MD5 against the listed ETags (S3-managed encryption keeps ETag = MD5 for single-part
 * uploads), so a change of Content-Type or Cache-Control alone is not seen here: `rebuild --force` rewrites all.
 * With `force` it lists nothing (every put writes) and `remove` deletes without asking.
 */
export async function snapshotSiteStore(
  client: S3Client,
  bucket: string,
  force = false,
): Promise<ListedSiteStore> {
  const etags = new Map<string, string>();
  // ListObjects (v1) with markers: s3rver, the local S3, fails on a truncated ListObjectsV2 page; S3 serves both.
  let Marker: string | undefined;
  while (!force) {
    const page: ListObjectsCommandOutput = await client.send(
      new ListObjectsCommand({ Bucket: bucket, Marker }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key && object.ETag) etags.set(object.Key, object.ETag.replaceAll('"', ''));
    }
    Marker = page.IsTruncated ? (page.NextMarker ?? page.Contents?.at(-1)?.Key) : undefined;
    if (!Marker) break;
  }
  return {
    /** The object's ETag (the MD5 of its bytes) as listed, or as S3 answered the write through this store. */
    etagOf: (key) => etags.get(key),
    async put(given) {
      const object = asBytes(given);
      if (!force && etags.get(object.key) === md5(object.body)) return false;
      const written = await writeObject(client, bucket, object, fingerprintOf(object));
      if (written.ETag) etags.set(object.key, written.ETag.replaceAll('"', ''));
      else etags.delete(object.key);
      return true;
    },
    async remove(key) {
      if (!force && !etags.has(key)) return false;
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      etags.delete(key);
      return true;
    },
  };
}

export function s3SiteStore(
  client: S3Client,
  bucket: string,
): SiteStore & { storedHash(key: string): Promise<string | undefined> } {
  const storedHash = async (key: string): Promise<string | undefined> => {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.Metadata?.[CONTENT_HASH_METADATA];
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  };
  return {
    storedHash,
    async put(given: SiteObject) {
      const object = asBytes(given);
      const fingerprint = fingerprintOf(object);
      if ((await storedHash(object.key)) === fingerprint) return false;
      await writeObject(client, bucket, object, fingerprint);
      return true;
    },
    async remove(key: string) {
      if ((await storedHash(key)) === undefined) {
        // HEAD says missing; objects written without our metadata still count as present.
        try {
          await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        } catch (error) {
          if (isMissingObject(error)) return false;
          throw error;
        }
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    },
  };
}
