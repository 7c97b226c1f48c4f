// Turns an uploaded file into the site's responsive sizes with sharp, or says why it is refused. No I/O: bytes in,
// bytes out, so the images function and the tests share exactly this code.
import sharp from 'sharp';
import {
  type ImageType,
  MAX_ASPECT_RATIO,
  MAX_PIXELS_PER_BYTE,
  type MediaFormat,
  PIXEL_RATIO_FROM,
  type RejectionReason,
  sniffImageType,
  uploadLimits,
  widthsFor,
} from '../domain/uploads.ts';

export interface EncodedSize {
  readonly width: number;
  readonly height: number;
  readonly format: MediaFormat;
  readonly contentType: 'image/webp' | 'image/jpeg';
  readonly bytes: Buffer;
}

export type ProcessOutcome =
  | { readonly ok: true; readonly width: number; readonly height: number; readonly sizes: EncodedSize[] }
  | { readonly ok: false; readonly reason: RejectionReason };

// One photo at a time per function instance: libvips' own thread pool already uses every core Lambda gives us.
sharp.concurrency(0);
sharp.cache(false);

/**
 * Checks and converts one upload. `declaredType` is what the presigned POST allowed; S3 enforces it, s3rver does
 * not, so the first bytes decide here. Every output is re-encoded from pixels, so no EXIF, GPS, XMP or IPTC
 * survives; orientation is applied first so the pixels look the way the camera meant.
 */
export async function processImage(
  bytes: Uint8Array,
  declaredType: string | undefined,
): Promise<ProcessOutcome> {
  if (bytes.byteLength > uploadLimits.maxBytes) return { ok: false, reason: 'too_large' };
  const actual = sniffImageType(bytes);
  if (!actual) return { ok: false, reason: 'not_an_image' };
  if (declaredType !== undefined && declaredType !== actual) return { ok: false, reason: 'type_mismatch' };

  let width: number;
  let height: number;
  try {
    // Reading the header decodes no pixels, so the dimensions can be checked before anything big is allocated.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (meta.format !== formatName(actual)) return { ok: false, reason: 'unreadable' };
    width = meta.autoOrient?.width ?? meta.width;
    height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) return { ok: false, reason: 'unreadable' };
    if (width * height > uploadLimits.maxPixels) return { ok: false, reason: 'too_many_pixels' };
    if (width * height > PIXEL_RATIO_FROM && width * height > bytes.byteLength * MAX_PIXELS_PER_BYTE)
      return { ok: false, reason: 'disproportionate' };
    if (Math.max(width, height) > MAX_ASPECT_RATIO * Math.min(width, height))
      return { ok: false, reason: 'disproportionate' };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }

  // limitInputPixels makes sharp itself refuse to decode anything bigger, should the header have lied. The file is
  // decoded once, oriented and scaled to the largest width; every size is derived from those pixels.
  const input = sharp(bytes, { limitInputPixels: uploadLimits.maxPixels, failOn: 'error' });
  try {
    const widths = widthsFor(width);
    const largest = await input
      .autoOrient()
      .resize({ width: Math.max(...widths), withoutEnlargement: true })
      // CMYK or greyscale input becomes sRGB here, so the raw pixels below are RGB or RGBA.
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { channels } = largest.info;
    const pixels = () =>
      sharp(largest.data, { raw: { width: largest.info.width, height: largest.info.height, channels } });
    const sizes: EncodedSize[] = [];
    for (const target of widths) {
      const resized =
        target >= largest.info.width
          ? pixels()
          : pixels().resize({ width: target, withoutEnlargement: true });
      const [webp, jpeg] = await Promise.all([
        resized.clone().webp({ quality: 80, effort: 4 }).toBuffer({ resolveWithObject: true }),
        resized
          .clone()
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 82, mozjpeg: true, progressive: true })
          .toBuffer({ resolveWithObject: true }),
      ]);
      sizes.push(
        {
          width: webp.info.width,
          height: webp.info.height,
          format: 'webp',
          contentType: 'image/webp',
          bytes: webp.data,
        },
        {
          width: jpeg.info.width,
          height: jpeg.info.height,
          format: 'jpeg',
          contentType: 'image/jpeg',
          bytes: jpeg.data,
        },
      );
    }
    return { ok: true, width, height, sizes };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

const formatName = (type: ImageType): string =>
  type === 'image/jpeg' ? 'jpeg' : type === 'image/png' ? 'png' : 'webp';
