// The 投稿 page and the editor desk turn S3's answer to a refused presigned POST into the reason
// (site-assets/photo-upload.js): the XML bodies below are the ones S3 sends for each case.
import { beforeAll, describe, expect, it } from 'vitest';

type UploadError = (status: number, body: string) => string;
let reasonFor: UploadError;

beforeAll(async () => {
  const scope = globalThis as unknown as { window?: { newsroomPhotos?: { uploadError: UploadError } } };
  const hadWindow = 'window' in scope;
  scope.window ??= {};
  // A browser script (no exports): it puts its functions on `window.newsroomPhotos`.
  const script = '../../site-assets/photo-upload.js';
  await import(/* @vite-ignore */ script);
  const loaded = scope.window?.newsroomPhotos?.uploadError;
  if (!loaded) throw new Error('photo-upload.js did not define window.newsroomPhotos.uploadError');
  reasonFor = loaded;
  // The unit lane shares one module graph per worker: leave no browser global to the next file.
  if (!hadWindow) delete scope.window;
});

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>x</HostId></Error>`;

describe('the reason an upload was refused', () => {
  it('says the form expired when S3 answers 403 "Policy expired"', () => {
    expect(reasonFor(403, s3Error('AccessDenied', 'Invalid according to Policy: Policy expired.'))).toBe(
      '上传表单已过期，请重新选择照片。',
    );
  });

  it('says the photo is too large for EntityTooLarge (400) and for a 413', () => {
    const tooLarge = s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    expect(reasonFor(400, tooLarge)).toBe('照片太大，无法上传。');
    expect(reasonFor(413, 'Request Entity Too Large')).toBe('照片太大，无法上传。');
    expect(
      reasonFor(
        400,
        s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size'),
      ),
    ).toBe('照片文件是空的。');
  });

  it('says the type does not match when the Content-Type condition fails', () => {
    const wrongType = s3Error(
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/jpeg"]',
    );
    expect(reasonFor(403, wrongType)).toBe('照片类型与声明的不符，只接受 JPEG、PNG 或 WebP。');
  });

  it('falls back to a refusal or the status and code, never to a 404 page', () => {
    expect(
      reasonFor(
        403,
        s3Error('AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "x"]'),
      ),
    ).toBe('上传被拒绝，请重新选择照片。');
    expect(reasonFor(503, s3Error('SlowDown', 'Please reduce your request rate.'))).toBe(
      '上传失败（HTTP 503，SlowDown）。',
    );
    expect(reasonFor(502, 'Bad Gateway')).toBe('上传失败（HTTP 502）。');
  });
});
