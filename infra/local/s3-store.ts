// s3rver's filesystem store with S3's read-after-write promise: a GET of a key that is being replaced answers the
// old object or the new one, whole, never a mix or an error. s3rver keeps each object as three files (bytes, MD5,
// metadata JSON) and rewrites them in place, one after the other; a reader in between got an empty or half-written
// file (a page of 0 bytes) or an empty metadata file (a JSON parse error, answered with 500, which the gateway
// passed on as 502). Here a replacement writes the three to temporary files first and then renames them into place
// in one synchronous step; a read opens the object and reads its two companions in one synchronous step, and
// streams from the descriptor it opened, which keeps the old bytes if a rename follows. This process is the only
// writer of the directory, and its event loop runs one of those steps at a time, so no lock is needed.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
} from 'node:fs';
import { mkdir, open, readdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import S3Object from 's3rver/lib/models/object.js';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';

type Metadata = Record<string, string | number>;

interface Snapshot {
  readonly fd: number;
  readonly size: number;
  readonly metadata: Metadata;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

const readOptional = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
};

const md5Of = (fd: number, size: number): string => {
  const hash = createHash('md5');
  const chunk = Buffer.alloc(Math.min(size, 1 << 20) || 1);
  for (let position = 0; position < size; ) {
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    hash.update(chunk.subarray(0, read));
    position += read;
  }
  return hash.digest('hex');
};

/** Metadata the way s3rver's own getMetadata reports it: stored fields, ETag, Last-Modified, Content-Length. */
function describe(stored: Metadata | undefined, md5: string, mtime: Date, size: number): Metadata {
  return {
    ...stored,
    etag: JSON.stringify(md5),
    'last-modified': mtime.toUTCString(),
    'content-length': size,
  };
}

export class ConsistentFilesystemStore extends FilesystemStore {
  private paths(bucket: string, key: string) {
    return {
      object: this.getResourcePath(bucket, key, 'object'),
      md5: this.getResourcePath(bucket, key, 'object.md5'),
      metadata: this.getResourcePath(bucket, key, 'metadata.json'),
    };
  }

  /**
   * Opens the object and reads its MD5 and metadata in one synchronous step, so all three belong to the same
   * version. Objects stored before this store existed may lack the MD5 file: it is computed from the descriptor.
   */
  private snapshot(bucket: string, key: string): Snapshot | undefined {
    const files = this.paths(bucket, key);
    let fd: number;
    try {
      fd = openSync(files.object, 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      const stat = fstatSync(fd);
      const storedJson = readOptional(files.metadata);
      const md5 = readOptional(files.md5) ?? md5Of(fd, stat.size);
      const stored = storedJson ? (JSON.parse(storedJson) as Metadata) : undefined;
      return { fd, size: stat.size, metadata: describe(stored, md5, stat.mtime, stat.size) };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  override async getMetadata(bucket: string, key: string): Promise<Metadata> {
    const found = this.snapshot(bucket, key);
    if (!found) throw Object.assign(new Error(`no such object: ${key}`), { code: 'ENOENT' });
    closeSync(found.fd);
    return found.metadata;
  }

  override async existsObject(bucket: string, key: string): Promise<boolean> {
    const found = this.snapshot(bucket, key);
    if (found) closeSync(found.fd);
    return found !== undefined;
  }

  override async getObject(
    bucket: string,
    key: string,
    options?: { start?: number; end?: number },
  ): Promise<S3Object | null> {
    const found = this.snapshot(bucket, key);
    if (!found) return null;
    const lastByte = Math.max(0, found.size - 1);
    const range = {
      start: options?.start ?? 0,
      end: Math.min(options?.end || Number.POSITIVE_INFINITY, lastByte),
    };
    const ranged = options !== undefined && (options.start !== undefined || Boolean(options.end));
    if (range.start < 0 || range.end < range.start) {
      // Not satisfiable: s3rver answers InvalidRange for an object without content.
      closeSync(found.fd);
      const object = new S3Object(bucket, key, null, found.metadata);
      if (ranged) object.range = range;
      return object;
    }
    // The stream closes the descriptor when it ends or is destroyed (HEAD destroys it unread).
    const content: Readable = createReadStream('', { fd: found.fd, start: range.start, end: range.end });
    const object = new S3Object(bucket, key, content, found.metadata);
    if (ranged) object.range = range;
    return object;
  }

  override async putObject(object: {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: Metadata;
  }): Promise<{ size: number; md5: string }> {
    const files = this.paths(object.bucket, object.key);
    await mkdir(path.dirname(files.object), { recursive: true });
    const suffix = `.${randomBytes(6).toString('hex')}.tmp`;
    const temp = {
      object: files.object + suffix,
      md5: files.md5 + suffix,
      metadata: files.metadata + suffix,
    };
    try {
      const hash = createHash('md5');
      let size = 0;
      const handle = await open(temp.object, 'w');
      try {
        const chunks = Buffer.isBuffer(object.content) ? [object.content] : object.content;
        for await (const chunk of chunks) {
          const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
          hash.update(bytes);
          size += bytes.byteLength;
          await handle.write(bytes);
        }
      } finally {
        await handle.close();
      }
      const md5 = hash.digest('hex');
      await writeFile(temp.md5, md5);
      await writeFile(temp.metadata, JSON.stringify(storedFields(object.metadata), null, 2));
      // One synchronous step: no read can see some of the three files replaced and not the others.
      renameSync(temp.object, files.object);
      renameSync(temp.md5, files.md5);
      renameSync(temp.metadata, files.metadata);
      return { size, md5 };
    } catch (error) {
      await Promise.all(Object.values(temp).map((file) => unlink(file).catch(() => undefined)));
      throw error;
    }
  }

  override async copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Metadata,
  ): Promise<Metadata> {
    const source = this.snapshot(srcBucket, srcKey);
    if (!source) throw Object.assign(new Error(`no such object: ${srcKey}`), { code: 'ENOENT' });
    let content: Buffer;
    try {
      content = Buffer.alloc(source.size);
      for (let position = 0; position < source.size; ) {
        const read = readSync(source.fd, content, position, source.size - position, position);
        if (read === 0) break;
        position += read;
      }
    } finally {
      closeSync(source.fd);
    }
    await this.putObject({
      bucket: destBucket,
      key: destKey,
      content,
      metadata: replacementMetadata ?? source.metadata,
    });
    return this.getMetadata(destBucket, destKey);
  }

  override async deleteObject(bucket: string, key: string): Promise<void> {
    const files = this.paths(bucket, key);
    // One synchronous step, like a replacement.
    for (const file of [files.object, files.md5, files.metadata]) {
      try {
        unlinkSync(file);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    // Empty folders go, as s3rver's own store removes them.
    const bucketPath = this.getBucketPath(bucket);
    const parts = key.split('/').slice(0, -1);
    while (parts.length > 0) {
      const dir = path.join(bucketPath, ...parts);
      const left = await readdir(dir).catch(() => ['?']);
      if (left.length > 0) break;
      await rmdir(dir).catch(() => undefined);
      parts.pop();
    }
  }
}

/** The fields s3rver stores in metadata.json: the allowed headers and user metadata. */
function storedFields(metadata: Metadata): Metadata {
  const kept: Metadata = {};
  for (const [name, value] of Object.entries(metadata)) {
    if (S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')) kept[name] = value;
  }
  return kept;
}

/** Where s3rver keeps its store: replaced before the server runs, so every request goes through this one. */
export function useConsistentStore(
  server: { store: unknown; context: { store: unknown } },
  directory: string,
) {
  const store = new ConsistentFilesystemStore(directory);
  server.store = store;
  server.context.store = store;
}
