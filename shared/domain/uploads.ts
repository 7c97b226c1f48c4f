// Contributor photo uploads: the quarantine key space, what a presigned POST may carry, how a file is recognised by
// its first bytes, and where its processed sizes live on the site. Pure: no SDK, no I/O.

import * as v from 'valibot';
import { type Checked, check, strictObject } from '../schema.ts';
import { siteConfig } from '../site-config.ts';
import { STATE_PREFIX } from '../site-paths.ts';

/** Uploads land here, in the private uploads bucket, and are never served; only processed copies reach the site. */
export const QUARANTINE_PREFIX = 'uploads/quarantine/';

/**
 * A published article's photos live in the site bucket under this prefix and are served from `/media/…`. Only render
 * writes there, when the article that shows them is published, and removes them when it is unpublished.
 */
export const MEDIA_PREFIX = 'media/';

/**
 * Processing writes each photo here instead: the site bucket's private state, which CloudFront never serves (the
 * bucket policy's deny on `_state/` and the site-request function). Editors see these through the preview's signed
 * path (shared/domain/photo-previews.ts).
 */
export const PRIVATE_PHOTOS_PREFIX = `${STATE_PREFIX}photos/`;

/**
 * A private copy expires this many days after it was written (by processing, or again by an unpublish): longer than
 * a pending submission lives (`retentionDays.pending`, 90), so photos that no submission uses go, and those of a
 * waiting submission stay. A published article's photos were copied to `media/` and do not expire.
 */
export const PRIVATE_PHOTO_DAYS = siteConfig.retentionDays.pending + 7;

/** The private copy of a processed file, from its public `media/…` key. */
export const privatePhotoKey = (mediaKey: string): string =>
  `${PRIVATE_PHOTOS_PREFIX}${mediaKey.startsWith(MEDIA_PREFIX) ? mediaKey.slice(MEDIA_PREFIX.length) : mediaKey}`;

/**
 * The same-origin path the browser POSTs the upload form to. CloudFront forwards it to the uploads bucket and the
 * local gateway to s3rver, so the page's CSP can stay `connect-src 'self'` in both worlds.
 */
export const UPLOAD_FORM_PATH = '/_uploads';

/** Upload records are `upload#<uuid>` items in the Articles table (see shared/aws/upload-records.ts). */
export const UPLOAD_ITEM_PREFIX = 'upload#';
/** The `kind` attribute of an upload record's item. */
export const UPLOAD_ITEM_KIND = 'upload';

export const imageTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof imageTypes)[number];

export const uploadLimits = {
  minBytes: 1,
  maxBytes: 10 * 1024 * 1024,
  /** 40 megapixels: a 7,700 × 5,200 photo; beyond that decoding alone would take most of the function's memory. */
  maxPixels: 40_000_000,
  /** The presigned POST is good for this long: enough to send 10 MB on a slow line, not enough to be passed around. */
  expiresSeconds: 300,
  /** Photos one submission may carry. */
  perSubmission: 20,
  caption: 300,
} as const;

/**
 * A processing claim older than this is taken to be from a processing that crashed (the images function times out
 * after 60 s), so Lambda's retry, a minute or more later, may claim the upload again. A repeated POST of the same
 * grant inside this time is not processed again; after it, the upload's record exists and says it was done.
 */
export const UPLOAD_CLAIM_STALE_MS = 90_000;

/**
 * Decoding costs time and memory by the pixel, so a file with many more pixels than its bytes would suggest (a
 * flat colour, a decompression bomb) is refused before it is decoded. Photos measure 0.2–5 pixels per byte;
 * screenshots and charts stay under 100. Only images over PIXEL_RATIO_FROM pixels are held to it.
 */
export const MAX_PIXELS_PER_BYTE = 200;
export const PIXEL_RATIO_FROM = 4_000_000;
/**
 * Longest side over shortest: a 1:40 strip decodes like a full photo but cannot be encoded (WebP stops at 16,383
 * pixels a side), so it cost seconds and then failed. Chinese news 长图 run to about 1:10.
 */
export const MAX_ASPECT_RATIO = 12;

/** Widths written for every photo (never wider than the original), as WebP plus a JPEG fallback. */
export const responsiveWidths = [480, 960, 1600] as const;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const QUARANTINE_KEY = new RegExp(`^${QUARANTINE_PREFIX}(${UUID})$`);

export const quarantineKey = (uploadId: string): string => `${QUARANTINE_PREFIX}${uploadId}`;

/** The upload id of a well-formed quarantine key, else undefined. */
export function uploadIdOf(key: string): string | undefined {
  return QUARANTINE_KEY.exec(key)?.[1];
}

export const isImageType = (value: unknown): value is ImageType =>
  typeof value === 'string' && (imageTypes as readonly string[]).includes(value);

export interface UploadRequest {
  readonly contentType: ImageType;
  readonly size: number;
}

export type UploadRequestResult = Checked<UploadRequest>;

const SIZE_MESSAGE = 'Must be a whole number of bytes.';
const RANGE_MESSAGE = `Must be between ${uploadLimits.minBytes} and ${uploadLimits.maxBytes} bytes.`;
const uploadRequestSchema = v.pipe(
  strictObject(
    {
      contentType: v.picklist(imageTypes, `Must be one of ${imageTypes.join(', ')}.`),
      size: v.pipe(
        v.number(SIZE_MESSAGE),
        v.integer(SIZE_MESSAGE),
        v.minValue(uploadLimits.minBytes, RANGE_MESSAGE),
        v.maxValue(uploadLimits.maxBytes, RANGE_MESSAGE),
      ),
    },
    'The request must be a JSON object.',
  ),
  v.transform(({ contentType, size }): UploadRequest => ({ contentType, size })),
);

/** Checks `{contentType, size}` from POST /api/uploads. Unknown fields are refused, like submissions. */
export function validateUploadRequest(input: unknown): UploadRequestResult {
  return check(uploadRequestSchema, input);
}

/**
 * The conditions a presigned POST adds beyond bucket, key and signature: the exact Content-Type the contributor
 * declared and the size range. S3 refuses a form that breaks them; s3rver does not, so processing checks again.
 */
export function uploadPolicyConditions(contentType: ImageType) {
  return {
    fields: { 'Content-Type': contentType },
    conditions: [['content-length-range', uploadLimits.minBytes, uploadLimits.maxBytes]] as [
      'content-length-range',
      number,
      number,
    ][],
  };
}

/** Recognises JPEG, PNG and WebP by their first bytes; the declared Content-Type is never trusted. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => at(i) === b)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The responsive widths for a photo `originalWidth` wide: the standard ones below it, plus its own if narrower. */
export function widthsFor(originalWidth: number): number[] {
  const below = responsiveWidths.filter((w) => w < originalWidth);
  const largest = responsiveWidths[responsiveWidths.length - 1] ?? originalWidth;
  return originalWidth <= largest ? [...below, originalWidth] : [...responsiveWidths];
}

export type MediaFormat = 'webp' | 'jpeg';

export const mediaKey = (uploadId: string, width: number, format: MediaFormat): string =>
  `${MEDIA_PREFIX}${uploadId}/${width}.${format === 'webp' ? 'webp' : 'jpg'}`;

/** One processed size. Keys are the public site-bucket keys (`media/…`); the page URL is `/${key}`. */
export interface ImageVariant {
  readonly width: number;
  readonly height: number;
  readonly webp: string;
  readonly jpeg: string;
}

export const rejectionReasons = [
  'not_an_image',
  'type_mismatch',
  'too_large',
  'too_many_pixels',
  'disproportionate',
  'unreadable',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export const rejectionMessages: Record<RejectionReason, string> = {
  not_an_image: 'The file is not a JPEG, PNG or WebP image.',
  type_mismatch: 'The file is a different kind of image than the one declared for the upload.',
  too_large: `The file is larger than ${uploadLimits.maxBytes / (1024 * 1024)} MB.`,
  too_many_pixels: `The image has more than ${uploadLimits.maxPixels / 1_000_000} million pixels.`,
  disproportionate:
    'The image is out of proportion for a photo: far more pixels than its file size holds, or far longer than wide.',
  unreadable: 'The image is damaged and cannot be read.',
};

/** What processing recorded about one upload. */
export type UploadRecord =
  | {
      readonly uploadId: string;
      readonly state: 'ready';
      readonly width: number;
      readonly height: number;
      /** Narrowest first. */
      readonly variants: readonly ImageVariant[];
      readonly processedAt: string;
    }
  | {
      readonly uploadId: string;
      readonly state: 'rejected';
      readonly reason: RejectionReason;
      readonly message: string;
      readonly processedAt: string;
    };

/** A photo a submission refers to: its quarantine key and the contributor's caption. */
export interface ImageRef {
  readonly key: string;
  readonly caption: string;
  /** Text for readers who cannot see the photo; the caption stands in when there is none. */
  readonly alt?: string;
}

/** A photo as a page or the editor shows it: the reference joined with what processing recorded. */
export type ResolvedImage = ImageRef &
  (
    | {
        readonly state: 'ready';
        readonly width: number;
        readonly height: number;
        readonly variants: readonly ImageVariant[];
      }
    | { readonly state: 'rejected'; readonly reason: RejectionReason; readonly message: string }
    | { readonly state: 'processing' }
  );

/** Joins references with their records, in the submission's order. */
export function resolveImages(
  refs: readonly ImageRef[],
  records: ReadonlyMap<string, UploadRecord>,
): ResolvedImage[] {
  return refs.map((ref) => {
    const record = records.get(uploadIdOf(ref.key) ?? '');
    if (!record) return { ...ref, state: 'processing' };
    if (record.state === 'rejected')
      return { ...ref, state: 'rejected', reason: record.reason, message: record.message };
    return { ...ref, state: 'ready', width: record.width, height: record.height, variants: record.variants };
  });
}

/** Every public file of a ready photo, the largest JPEG last (render copies it last: its presence means all are). */
export function mediaFilesOf(variants: readonly ImageVariant[]): string[] {
  const files = variants.flatMap((v) => [v.webp, v.jpeg]);
  const largest = variants[variants.length - 1]?.jpeg;
  return largest ? [...files.filter((f) => f !== largest), largest] : files;
}
