// Contributors' photos on the page: responsive <picture> elements (WebP with a JPEG fallback, width and height so
// nothing shifts), and the 高清组图 gallery with a full-size view built on :target, so it needs no script and
// every step is a link a keyboard reaches.

import { type ImageRef, type UploadRecord, uploadIdOf } from '../domain/uploads.ts';
import type { Labels } from '../labels.ts';
import { escapeHtml } from './escape.ts';

type ReadyRecord = Extract<UploadRecord, { state: 'ready' }>;

/** A processed photo with its caption. */
export interface Photo {
  readonly uploadId: string;
  readonly caption: string;
  /** The editor's alt text, when it differs from the caption. */
  readonly alt?: string;
  readonly width: number;
  readonly height: number;
  readonly variants: ReadyRecord['variants'];
}

/** The article's photos that processing accepted, in the contributor's order; rejected or unprocessed ones drop out. */
export function readyPhotos(
  refs: readonly ImageRef[] | undefined,
  records: ReadonlyMap<string, UploadRecord> | undefined,
): Photo[] {
  if (!refs || !records) return [];
  return refs.flatMap((ref) => {
    const uploadId = uploadIdOf(ref.key);
    const record = uploadId ? records.get(uploadId) : undefined;
    if (!uploadId || record?.state !== 'ready' || record.variants.length === 0) return [];
    return [
      {
        uploadId,
        caption: ref.caption,
        ...(ref.alt ? { alt: ref.alt } : {}),
        width: record.width,
        height: record.height,
        variants: record.variants,
      },
    ];
  });
}

/** Upload ids an article's photos refer to, for reading their records. */
export const photoIds = (refs: readonly ImageRef[] | undefined): string[] =>
  (refs ?? []).flatMap((ref) => {
    const id = uploadIdOf(ref.key);
    return id ? [id] : [];
  });

/** Upload ids of an article's photos that have no processing record yet: the photos still being processed. */
export const photosStillProcessing = (
  refs: readonly ImageRef[] | undefined,
  records: ReadonlyMap<string, unknown> | undefined,
): string[] => photoIds(refs).filter((id) => !records?.has(id));

const MEDIA_SRC = /^\/?media\/([0-9a-f-]{36})\/|^uploads\/quarantine\/([0-9a-f-]{36})$/;

/**
 * The photo a body image refers to: `![说明](uploads/quarantine/<id>)` as the 投稿 page inserts it, or any of the
 * photo's own `/media/<id>/…` files.
 */
export function photoForSrc(src: string, photos: readonly Photo[]): Photo | undefined {
  const match = MEDIA_SRC.exec(src);
  const id = match?.[1] ?? match?.[2];
  return id ? photos.find((p) => p.uploadId === id) : undefined;
}

const url = (key: string) => `/${key}`;
const largest = (photo: Photo) => photo.variants[photo.variants.length - 1];

/** The JPEG for browsers without WebP: the variant nearest 960 wide, so old browsers get a sensible size. */
function fallback(photo: Photo) {
  return photo.variants.find((v) => v.width >= 960) ?? largest(photo);
}

export interface PictureOptions {
  readonly alt: string;
  readonly sizes: string;
  /** Hidden or below-the-fold images load lazily; the default. */
  readonly lazy?: boolean;
  /** For the image likely to be the largest contentful paint: fetched early. */
  readonly fetchPriorityHigh?: boolean;
  readonly className?: string;
}

export function pictureHtml(photo: Photo, options: PictureOptions): string {
  const webp = photo.variants.map((v) => `${url(v.webp)} ${v.width}w`).join(', ');
  const jpeg = photo.variants.map((v) => `${url(v.jpeg)} ${v.width}w`).join(', ');
  const src = fallback(photo);
  // width/height are the largest variant's: with `height: auto` in CSS they give the box its ratio before loading.
  const box = largest(photo) ?? { width: photo.width, height: photo.height };
  return `<picture${options.className ? ` class="${options.className}"` : ''}><source type="image/webp" srcset="${escapeHtml(webp)}" sizes="${escapeHtml(options.sizes)}"><img src="${escapeHtml(src ? url(src.jpeg) : '')}" srcset="${escapeHtml(jpeg)}" sizes="${escapeHtml(options.sizes)}" width="${box.width}" height="${box.height}" alt="${escapeHtml(options.alt)}"${options.lazy === false ? '' : ' loading="lazy"'}${options.fetchPriorityHigh ? ' fetchpriority="high"' : ''} decoding="async"></picture>`;
}

/** Body images span the 760px text column. */
export const BODY_SIZES = '(min-width: 792px) 760px, calc(100vw - 32px)';
/** Thumbnails: two columns on phones, about 180px wide on larger screens. */
const THUMB_SIZES = '(min-width: 792px) 180px, calc(50vw - 24px)';
const FULL_SIZES = '100vw';

const photoAnchor = (n: number) => `photo-${n}`;

/** The 高清组图 section: a grid of captioned thumbnails, each linking to its full-size view. */
export function galleryHtml(photos: readonly Photo[], t: Labels): string {
  if (photos.length === 0) return '';
  const total = photos.length;
  const altFor = (photo: Photo, n: number) => photo.alt || photo.caption || `${t.gallery} ${n}`;
  const grid = photos
    .map((photo, i) => {
      const n = i + 1;
      return `<li><figure><a href="#${photoAnchor(n)}">${pictureHtml(photo, { alt: altFor(photo, n), sizes: THUMB_SIZES })}</a>${
        photo.caption ? `<figcaption>${escapeHtml(photo.caption)}</figcaption>` : ''
      }</figure></li>`;
    })
    .join('\n');
  const views = photos
    .map((photo, i) => {
      const n = i + 1;
      const position = t.photoOf.replace('{n}', String(n)).replace('{total}', String(total));
      const previous =
        n > 1 ? `<a href="#${photoAnchor(n - 1)}" rel="prev">${escapeHtml(t.photoPrevious)}</a>` : '';
      const next =
        n < total ? `<a href="#${photoAnchor(n + 1)}" rel="next">${escapeHtml(t.photoNext)}</a>` : '';
      const original = largest(photo);
      return `<div class="lightbox" id="${photoAnchor(n)}" role="group" aria-label="${escapeHtml(position)}">
<figure>${pictureHtml(photo, { alt: altFor(photo, n), sizes: FULL_SIZES })}<figcaption>${escapeHtml(photo.caption ? `${photo.caption} · ${position}` : position)}</figcaption></figure>
<p class="lightbox-nav">${previous}<a href="#gallery-title">${escapeHtml(t.photoClose)}</a>${
        original ? `<a href="${escapeHtml(url(original.jpeg))}">${escapeHtml(t.photoOriginal)}</a>` : ''
      }${next}</p>
</div>`;
    })
    .join('\n');
  return `<section class="gallery" aria-labelledby="gallery-title">
<h2 id="gallery-title" tabindex="-1">${escapeHtml(t.gallery)}</h2>
<ul class="gallery-grid">
${grid}
</ul>
${views}
</section>
`;
}

/** The absolute URL of the photo that represents the article (og:image, JSON-LD image). */
export function leadImage(
  photo: Photo,
  siteUrl: string,
): { url: string; width: number; height: number } | undefined {
  const image = largest(photo);
  return image
    ? { url: `${siteUrl}${url(image.jpeg)}`, width: image.width, height: image.height }
    : undefined;
}
