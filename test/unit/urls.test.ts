import { describe, expect, it } from 'vitest';
import { articlePath, displayTime } from '#shared/domain/urls.ts';

describe('article URLs and times', () => {
  it('derives the permanent URL from the first-publish date in Asia/Shanghai', () => {
    expect(articlePath({ id: '2a8c6bce1fad40bb', publishedAt: '2022-04-15T18:52:40+08:00' })).toBe(
      '/2022/0415/2a8c6bce1fad40bb.html',
    );
    // 23:30 UTC on the 14th is already the 15th in Shanghai.
    expect(articlePath({ id: 'abcdefabcdefabcd', publishedAt: '2022-04-14T23:30:00Z' })).toBe(
      '/2022/0415/abcdefabcdefabcd.html',
    );
  });
  it('shows the seed time exactly as the seed page does', () => {
    expect(displayTime('2022-04-15T18:52:40+08:00')).toBe('2022-04-15 18:52:40');
    expect(displayTime('2022-04-15T10:52:40Z')).toBe('2022-04-15 18:52:40');
  });
});
