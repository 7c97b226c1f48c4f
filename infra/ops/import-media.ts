// Images of imported HTML bodies: found in a local copy of the old site's upload folder (`--media`), then sent
// through the same pipeline as a contributor's photo (the quarantine prefix of the uploads bucket → the images
// function → processed sizes in the site bucket and an upload record), and waited for.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { forEachLimited } from '../../shared/concurrency.ts';
import {
  quarantineKey,
  sniffImageType,
  type UploadRecord,
  uploadLimits,
} from '../../shared/domain/uploads.ts';
import type { UploadRecordStore } from '../../shared/ports.ts';
import { progress } from './progress.ts';

export type ImageSource =
  /** A file under the old upload folder, as a path relative to it. */
  | { readonly kind: 'media'; readonly file: string }
  /** On another host: left as a remote image (the page shows it as a link, never loads it). */
  | { readonly kind: 'remote'; readonly url: string }
  | { readonly kind: 'unknown'; readonly reason: string };

const OLD_ORIGIN = 'http://old.invalid';

/** Where an `<img src>` of an old body points: relative and absolute forms of the same upload resolve alike. */
export function resolveImageSource(
  src: string,
  baseUrl: string,
  uploadPath: string | undefined,
): ImageSource {
  let url: URL;
  try {
    url = new URL(src, new URL(baseUrl || '/', OLD_ORIGIN));
  } catch {
    return { kind: 'unknown', reason: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { kind: 'unknown', reason: `${url.protocol} image` };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'unknown', reason: 'malformed path' };
  }
  const at = uploadPath ? pathname.indexOf(uploadPath) : -1;
  if (at >= 0 && uploadPath) {
    const file = path.posix.normalize(pathname.slice(at + uploadPath.length));
    if (file.startsWith('..') || file.startsWith('/') || file === '.')
      return { kind: 'unknown', reason: 'outside the upload folder' };
    return { kind: 'media', file };
  }
  if (url.origin !== OLD_ORIGIN) return { kind: 'remote', url: url.href };
  return { kind: 'unknown', reason: `not under ${uploadPath ?? 'the upload folder'}` };
}

/** A v4-shaped uuid from the file's bytes: the same photo gets the same upload id on every run and in every article. */
export function uploadIdForBytes(bytes: Uint8Array): string {
  const h = createHash('sha256').update('import-media:').update(bytes).digest('hex');
  const variant = '89ab'[Number.parseInt(h[16] ?? '0', 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** WordPress serves resized copies as `name-300x200.jpg`; an export's uploads folder may hold only the original. */
const RESIZED = /-\d+x\d+(\.[a-z0-9]+)$/i;

export interface MediaFile {
  readonly file: string;
  readonly uploadId?: string;
  /** Why the photo did not come along, for the listing. */
  readonly problem?: string;
}

export interface MediaDeps {
  readonly s3: S3Client;
  readonly uploadsBucket: string;
  readonly records: UploadRecordStore;
  /** How long to wait for the images function after the last upload. */
  readonly waitMs?: number;
}

/**
 * Brings each file in: an upload that already has a ready record (a re-run) is not sent again; the others are put
 * on the quarantine prefix, and their records are awaited. Returns one entry per file: its upload id, or why not.
 */
export async function bringMedia(
  files: readonly string[],
  mediaDir: string | undefined,
  deps: MediaDeps,
): Promise<Map<string, MediaFile>> {
  const result = new Map<string, MediaFile>();
  const candidates: { file: string; uploadId: string; bytes: Buffer; contentType: string }[] = [];
  for (const file of files) {
    if (!mediaDir) {
      result.set(file, { file, problem: 'no --media folder given' });
      continue;
    }
    let full = path.join(mediaDir, file);
    if (!existsSync(full) && RESIZED.test(file)) full = path.join(mediaDir, file.replace(RESIZED, '$1'));
    if (!existsSync(full) || !statSync(full).isFile()) {
      result.set(file, { file, problem: 'file missing from --media' });
      continue;
    }
    if (statSync(full).size > uploadLimits.maxBytes) {
      result.set(file, { file, problem: 'larger than the photo limit' });
      continue;
    }
    const bytes = readFileSync(full);
    candidates.push({
      file,
      uploadId: uploadIdForBytes(bytes),
      bytes,
      contentType: sniffImageType(bytes) ?? 'application/octet-stream',
    });
  }
  const ids = [...new Set(candidates.map((c) => c.uploadId))];
  const records: Map<string, UploadRecord> = ids.length > 0 ? await deps.records.getMany(ids) : new Map();
  const toSend = new Map(candidates.filter((c) => !records.has(c.uploadId)).map((c) => [c.uploadId, c]));
  if (toSend.size > 0) {
    const sending = progress({ label: 'photos', total: toSend.size });
    await forEachLimited([...toSend.values()], 4, async (c) => {
      await deps.s3.send(
        new PutObjectCommand({
          Bucket: deps.uploadsBucket,
          Key: quarantineKey(c.uploadId),
          Body: c.bytes,
          ContentType: c.contentType,
        }),
      );
      sending.tick();
    });
    // Processing runs in the images function, one photo at a time per instance: wait for every record.
    const deadline = Date.now() + (deps.waitMs ?? 30_000 + 2_000 * toSend.size);
    let waiting = [...toSend.keys()];
    while (waiting.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      const got = await deps.records.getMany(waiting);
      for (const [id, record] of got) records.set(id, record);
      waiting = waiting.filter((id) => !records.has(id));
    }
    sending.done(`${toSend.size - waiting.length} processed, ${waiting.length} not processed in time`);
  }
  for (const c of candidates) {
    const record = records.get(c.uploadId);
    if (!record) result.set(c.file, { file: c.file, problem: 'not processed in time' });
    else if (record.state !== 'ready')
      result.set(c.file, { file: c.file, problem: `refused: ${record.message}` });
    else result.set(c.file, { file: c.file, uploadId: c.uploadId });
  }
  return result;
}
