// Test photos made with sharp, and helpers that upload a file into the quarantine prefix the way a browser would.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import sharp from 'sharp';
import { expect } from 'vitest';
import { loadEvent } from './events.ts';
import type { TestRuntime } from './runtime.ts';

export const s3 = new S3Client({ forcePathStyle: true });

/** A JPEG with EXIF: a copyright marker and GPS coordinates (Beijing), as a phone would write them. */
export async function jpegWithGps(width = 1800, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'EXIF-MARKER 2026', Make: 'PhoneCo' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 2700/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 0/1',
      },
    })
    .toBuffer();
}

export const png = (width = 800, height = 600): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 4, background: { r: 20, g: 120, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();

/** The Exif GPSInfo pointer tag (0x8825) in either byte order. */
export const hasGpsTag = (exif: Buffer | undefined): boolean =>
  !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

export async function putQuarantined(key: string, body: Uint8Array, contentType: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.UPLOADS_BUCKET,
      Key: key,
      Body: body,
      ContentType: contentType,
    }),
  );
}

const isS3Event = (value: unknown): value is S3Event =>
  typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);

/** The sample event, pointed at this worker's uploads bucket and the given key. */
export function uploadEvent(key: string, sample = 'images/photo-uploaded.json'): S3Event {
  const event = loadEvent(sample, isS3Event);
  for (const record of event.Records) {
    record.s3.bucket.name = process.env.UPLOADS_BUCKET ?? '';
    record.s3.object.key = key;
  }
  return event;
}

/** A photo-like JPEG (sky, ground, a sun) with GPS EXIF, drawn from SVG so each `hue` looks different. */
export async function scenicJpeg(width: number, height: number, hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,75%)"/><stop offset="1" stop-color="hsl(${hue + 40},60%,45%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#sky)"/>
<circle cx="${width * 0.72}" cy="${height * 0.3}" r="${Math.min(width, height) * 0.12}" fill="hsl(${hue + 180},80%,60%)"/>
<path d="M0 ${height * 0.75} Q ${width * 0.3} ${height * 0.55} ${width * 0.6} ${height * 0.7} T ${width} ${height * 0.65} V ${height} H 0 Z" fill="hsl(${hue + 90},45%,30%)"/>
</svg>`;
  return sharp(Buffer.from(svg))
    .jpeg({ quality: 90 })
    .withExif({
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '37/1 52/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '112/1 33/1 0/1',
      },
    })
    .toBuffer();
}

/**
 * Uploads a photo as the 投稿 page does, without a browser: a presigned POST from `/api/uploads`, then the form
 * (its fields, then the file) to the URL it names. Returns the upload's id and its quarantine key.
 */
export async function postPhoto(
  runtime: TestRuntime,
  photo: Buffer,
  fileName: string,
): Promise<{ uploadId: string; key: string }> {
  const grant = await runtime.fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contentType: 'image/jpeg', size: photo.byteLength }),
  });
  expect(grant.status).toBe(201);
  const { url, fields, uploadId, key } = (await grant.json()) as {
    url: string;
    fields: Record<string, string>;
    uploadId: string;
    key: string;
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), fileName);
  expect((await runtime.fetch(url, { method: 'POST', body: form })).status).toBe(204);
  return { uploadId, key };
}
