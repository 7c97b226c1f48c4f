import { describe, expect, it } from 'vitest';
import { validateSubmission } from '#shared/domain/submission.ts';
import { quarantineKey } from '#shared/domain/uploads.ts';

const base = { title: '标题', body: '正文', author: '', channel: 'focus/public-welfare' };
const key = (n: number) => quarantineKey(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

describe('submission photos', () => {
  it('are optional, and absent from the value when none are given', () => {
    const result = validateSubmission(base);
    expect(result.ok && 'images' in result.value).toBe(false);
    const empty = validateSubmission({ ...base, images: [] });
    expect(empty.ok && 'images' in empty.value).toBe(false);
  });

  it('keep their order and clean their captions', () => {
    const result = validateSubmission({
      ...base,
      images: [
        { key: key(2), caption: ' 夜色中的\u0007小店 ' },
        { key: key(1), caption: '' },
        { key: key(3) },
      ],
    });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        images: [
          { key: key(2), caption: '夜色中的小店' },
          { key: key(1), caption: '' },
          { key: key(3), caption: '' },
        ],
      }),
    });
  });

  it('refuse keys outside the quarantine prefix or malformed, duplicates, unknown fields and long captions', () => {
    const result = validateSubmission({
      ...base,
      images: [
        { key: 'media/00000000-0000-4000-8000-000000000001/480.webp', caption: 'a' },
        { key: `${key(1)}/../../site`, caption: 'b' },
        { key: key(2), caption: 'c', width: 9000 },
        { key: key(2), caption: 'd' },
        { key: key(3), caption: '长'.repeat(301) },
        'uploads/quarantine/x',
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fields).sort()).toEqual(
      [
        'images.0.key',
        'images.1.key',
        'images.2.width',
        'images.3.key',
        'images.4.caption',
        'images.5',
      ].sort(),
    );
  });

  it('are at most 20', () => {
    const images = Array.from({ length: 21 }, (_, i) => ({ key: key(i), caption: '' }));
    expect(validateSubmission({ ...base, images })).toEqual({
      ok: false,
      fields: { images: 'At most 20 photos.' },
    });
    expect(validateSubmission({ ...base, images: images.slice(0, 20) }).ok).toBe(true);
  });
});
