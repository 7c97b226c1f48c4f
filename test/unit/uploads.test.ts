import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPreviewToken, previewedFile, previewRecords } from '#shared/domain/photo-previews.ts';
import {
  mediaFilesOf,
  mediaKey,
  privatePhotoKey,
  quarantineKey,
  resolveImages,
  sniffImageType,
  type UploadRecord,
  uploadIdOf,
  validateUploadRequest,
  widthsFor,
} from '#shared/domain/uploads.ts';

const id = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';

describe('upload keys', () => {
  it('accepts only uploads/quarantine/<uuid v4>', () => {
    expect(uploadIdOf(quarantineKey(id))).toBe(id);
    for (const key of [
      `uploads/quarantine/${id}/x`,
      `uploads/quarantine/../${id}`,
      `media/${id}`,
      `uploads/quarantine/${id.toUpperCase()}`,
      ` uploads/quarantine/${id}`,
    ])
      expect(uploadIdOf(key)).toBeUndefined();
  });

  it('never accepts a key that round-trips to a different one', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        const parsed = uploadIdOf(key);
        if (parsed !== undefined) expect(quarantineKey(parsed)).toBe(key);
      }),
    );
  });
});

describe('magic bytes', () => {
  it('recognises JPEG, PNG and WebP headers and nothing else', () => {
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('image/jpeg');
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      'image/png',
    );
    expect(sniffImageType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '))).toBeUndefined();
    expect(sniffImageType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffImageType(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array())).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => void sniffImageType(bytes)));
  });
});

describe('upload requests', () => {
  it('accepts a JPEG/PNG/WebP of 1 B to 10 MB', () => {
    expect(validateUploadRequest({ contentType: 'image/png', size: 1 })).toEqual({
      ok: true,
      value: { contentType: 'image/png', size: 1 },
    });
    expect(validateUploadRequest({ contentType: 'image/webp', size: 10 * 1024 * 1024 }).ok).toBe(true);
  });

  it('refuses other types, sizes out of range or not whole, and anything but an object', () => {
    expect(validateUploadRequest({ contentType: 'image/svg+xml', size: 10 })).toMatchObject({ ok: false });
    expect(validateUploadRequest({ contentType: 'image/jpeg', size: 0 })).toMatchObject({ ok: false });
    expect(validateUploadRequest({ contentType: 'image/jpeg', size: 1.5 })).toMatchObject({ ok: false });
    expect(validateUploadRequest({ contentType: 'image/jpeg', size: '100' })).toMatchObject({ ok: false });
    expect(validateUploadRequest([])).toMatchObject({ ok: false });
  });
});

describe('responsive widths', () => {
  it('are the standard widths below the original, plus the original when it is narrower than 1600', () => {
    expect(widthsFor(4000)).toEqual([480, 960, 1600]);
    expect(widthsFor(1600)).toEqual([480, 960, 1600]);
    expect(widthsFor(1000)).toEqual([480, 960, 1000]);
    expect(widthsFor(300)).toEqual([300]);
  });
});

describe('resolving a submission’s photos', () => {
  it('keeps the submission’s order and says which are ready, rejected or still processing', () => {
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', id];
    const records = new Map<string, UploadRecord>([
      [
        ids[0] ?? '',
        { uploadId: ids[0] ?? '', state: 'ready', width: 800, height: 600, variants: [], processedAt: 'x' },
      ],
      [
        ids[1] ?? '',
        {
          uploadId: ids[1] ?? '',
          state: 'rejected',
          reason: 'not_an_image',
          message: 'no',
          processedAt: 'x',
        },
      ],
    ]);
    const resolved = resolveImages(
      ids.map((uploadId, i) => ({ key: quarantineKey(uploadId), caption: `图${i}` })),
      records,
    );
    expect(resolved.map((image) => [image.caption, image.state])).toEqual([
      ['图0', 'ready'],
      ['图1', 'rejected'],
      ['图2', 'processing'],
    ]);
  });
});

describe('private photos and the preview grant', () => {
  const id = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
  const token = `${'A'.repeat(31)}_`;
  const variants = [480, 960].map((w) => ({
    width: w,
    height: w / 2,
    webp: mediaKey(id, w, 'webp'),
    jpeg: mediaKey(id, w, 'jpeg'),
  }));

  it('keeps a processed file in private state under the same name, the largest JPEG last', () => {
    expect(privatePhotoKey(mediaKey(id, 480, 'webp'))).toBe(`_state/photos/${id}/480.webp`);
    expect(mediaFilesOf(variants)).toEqual([
      `media/${id}/480.webp`,
      `media/${id}/480.jpg`,
      `media/${id}/960.webp`,
      `media/${id}/960.jpg`,
    ]);
  });

  it('names a previewed file only for a well-formed token, upload id and file name', () => {
    expect(isPreviewToken(token)).toBe(true);
    expect(previewedFile(token, id, '960.webp')).toBe(`_state/photos/${id}/960.webp`);
    for (const [t, u, f] of [
      ['short', id, '960.webp'],
      [token, '../../_state/hot.json', '960.webp'],
      [token, id, '../hot.json'],
      [token, id, '960.png'],
      [token, id, '0960.jpg'],
    ] as const)
      expect(previewedFile(t, u, f)).toBeUndefined();
  });

  it('renders the preview through the grant: no media/ path is named', () => {
    const records = previewRecords(
      new Map([[id, { uploadId: id, state: 'ready', width: 960, height: 480, variants, processedAt: '' }]]),
      token,
    );
    const record = records.get(id);
    if (record?.state !== 'ready') throw new Error('not ready');
    expect(record.variants[0]?.webp).toBe(`api/photo-previews/${token}/${id}/480.webp`);
    expect(JSON.stringify(record)).not.toContain('media/');
  });
});
