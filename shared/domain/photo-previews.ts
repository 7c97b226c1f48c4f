// The editor's preview of photos that are not public yet: the preview names each file by a random, short-lived grant
// instead of its `media/…` path, and `GET /api/photo-previews/{token}/{upload}/{file}` serves the private copy while
// the grant lasts. An `<img>` in the preview's sandboxed frame cannot send the editor's token, so the grant in the URL
// is the signature. Pure: no SDK.
import { MEDIA_PREFIX, privatePhotoKey, type UploadRecord } from './uploads.ts';

/** The route's prefix (shared/routes.ts). */
export const PHOTO_PREVIEW_PATH = '/api/photo-previews';
/** Grants are `photo-preview#<token>` items in the Articles table (no status, no index keys, a TTL). */
export const PHOTO_PREVIEW_ITEM_PREFIX = 'photo-preview#';
/** A grant lasts as long as an editor plausibly looks at one preview. */
export const PHOTO_PREVIEW_SECONDS = 3600;

/** 24 random bytes as base64url. */
export const isPreviewToken = (value: string): boolean => /^[A-Za-z0-9_-]{32}$/.test(value);
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FILE = /^[1-9][0-9]{0,4}\.(webp|jpg)$/;

/** The private object a preview request names, or undefined when the path cannot name one. */
export function previewedFile(token: string, upload: string, file: string): string | undefined {
  if (!isPreviewToken(token) || !UPLOAD_ID.test(upload) || !FILE.test(file)) return undefined;
  return privatePhotoKey(`${MEDIA_PREFIX}${upload}/${file}`);
}

/** Records whose files are named by the grant's path instead of `media/…`, for rendering the preview. */
export function previewRecords(
  records: ReadonlyMap<string, UploadRecord>,
  token: string,
): Map<string, UploadRecord> {
  const viaGrant = (key: string) =>
    `${PHOTO_PREVIEW_PATH.slice(1)}/${token}/${key.startsWith(MEDIA_PREFIX) ? key.slice(MEDIA_PREFIX.length) : key}`;
  return new Map(
    [...records].map(([id, record]) => [
      id,
      record.state === 'ready'
        ? {
            ...record,
            variants: record.variants.map((v) => ({ ...v, webp: viaGrant(v.webp), jpeg: viaGrant(v.jpeg) })),
          }
        : record,
    ]),
  );
}
