import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import type { Article } from '#shared/domain/article.ts';
import { mediaKey, quarantineKey, type UploadRecord, widthsFor } from '#shared/domain/uploads.ts';
import { loadSiteAssets } from '#shared/render/assets.ts';
import { renderArticlePage } from '#shared/render/pages.ts';
import { seedArticle } from '../support/render-fixtures.ts';

const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
const ids = [
  '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
  '0b8e2a4c-9d1f-4e6a-b3c5-7f2e8d9a1c4b',
  'c4a7e9f2-1b3d-4c5e-8a6f-2d9b7e1c3a5f',
  'd5b8f0a3-2c4e-4d6f-9b7a-3e0c8f2d4b6a',
];

const ready = (uploadId: string, width: number, height: number): UploadRecord => ({
  uploadId,
  state: 'ready',
  width,
  height,
  variants: widthsFor(width).map((w) => ({
    width: w,
    height: Math.round((height * w) / width),
    webp: mediaKey(uploadId, w, 'webp'),
    jpeg: mediaKey(uploadId, w, 'jpeg'),
  })),
  processedAt: '2026-11-28T05:21:09.000Z',
});

const records = new Map<string, UploadRecord>([
  [ids[0] ?? '', ready(ids[0] ?? '', 2400, 1600)],
  [ids[1] ?? '', ready(ids[1] ?? '', 1200, 900)],
  [ids[2] ?? '', ready(ids[2] ?? '', 800, 1200)],
  [
    ids[3] ?? '',
    { uploadId: ids[3] ?? '', state: 'rejected', reason: 'not_an_image', message: 'no', processedAt: 'x' },
  ],
]);

const article: Article & { publishedAt: string } = {
  ...seedArticle,
  publishedAt: seedArticle.publishedAt ?? '',
  body: `${seedArticle.body}\n\n![店主为居民配送生活物资](${quarantineKey(ids[1] ?? '')})\n\n![没处理好的](${quarantineKey(ids[3] ?? '')})`,
  images: [
    { key: quarantineKey(ids[0] ?? ''), caption: '社区党员志愿者在小店门口测温扫码' },
    { key: quarantineKey(ids[1] ?? ''), caption: '店主为居民配送生活物资' },
    { key: quarantineKey(ids[2] ?? ''), caption: '' },
    { key: quarantineKey(ids[3] ?? ''), caption: '被拒的图' },
  ],
};

const page = renderArticlePage(context, { article, views: 12, photos: records });
const imgTags = page.match(/<img [^>]*>/g) ?? [];

describe('photos on the article page', () => {
  it('every <img> has width, height, srcset and sizes inside a <picture> with WebP first; all but the leading one are lazy', () => {
    expect(imgTags.length).toBe(1 + 3 + 3); // one in the body, three thumbnails, three full-size views
    for (const tag of imgTags) {
      expect(tag).toMatch(/ width="\d+" height="\d+"/);
      expect(tag).toMatch(/ srcset="[^"]+ \d+w/);
      expect(tag).toMatch(/ sizes="[^"]+"/);
    }
    // The first body photo is the likely largest paint, so it alone is fetched early; every other one is lazy.
    const [leading, ...rest] = imgTags;
    expect(leading).toContain('fetchpriority="high"');
    expect(leading).not.toContain('loading=');
    for (const tag of rest) expect(tag).toContain('loading="lazy"');
    expect(page).toContain(
      `<source type="image/webp" srcset="/media/${ids[0]}/480.webp 480w, /media/${ids[0]}/960.webp 960w, /media/${ids[0]}/1600.webp 1600w"`,
    );
    expect(page).toContain(`<img src="/media/${ids[0]}/960.jpg"`);
  });

  it('renders a body photo from its upload key, and never links a quarantine key', () => {
    expect(page).toMatch(
      new RegExp(
        `<div class="article-body">[\\s\\S]*<img src="/media/${ids[1]}/960.jpg"[^>]*alt="店主为居民配送生活物资"`,
      ),
    );
    expect(page).not.toContain('uploads/quarantine');
  });

  it('has a 高清组图 grid with captions, in the contributor’s order, without the rejected photo', () => {
    expect(page).toContain('<h2 id="gallery-title" tabindex="-1">高清组图</h2>');
    const thumbs = [...page.matchAll(/<li><figure><a href="#(photo-\d)">/g)].map((m) => m[1]);
    expect(thumbs).toEqual(['photo-1', 'photo-2', 'photo-3']);
    expect(page).toContain('<figcaption>社区党员志愿者在小店门口测温扫码</figcaption>');
    expect(page).toContain('alt="高清组图 3"');
    expect(page).not.toContain('被拒的图');
  });

  it('gives each photo a full-size view reachable by link, with previous/next, close and the original', () => {
    for (const n of [1, 2, 3]) expect(page).toContain(`<div class="lightbox" id="photo-${n}" role="group"`);
    expect(page).toContain('aria-label="第 2 张,共 3 张"');
    expect(page).toMatch(
      /id="photo-2"[\s\S]*?href="#photo-1" rel="prev">上一张<\/a><a href="#gallery-title">返回组图<\/a><a href="\/media\/[^"]+\/1200\.jpg">查看原图<\/a><a href="#photo-3" rel="next">下一张<\/a>/,
    );
    expect(page).not.toMatch(/<script>(?!<)/);
  });

  it('takes og:image and the JSON-LD image from the first photo', () => {
    const first = `https://news.example.cn/media/${ids[0]}/1600.jpg`;
    expect(page).toContain(`<meta property="og:image" content="${first}">`);
    expect(page).toContain('<meta property="og:image:width" content="1600">');
    const ld = JSON.parse(
      page.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1] ?? '{}',
    );
    expect(ld.image).toEqual([{ '@type': 'ImageObject', url: first, width: 1600, height: 1067 }]);
  });

  it('is valid HTML, and the same input gives the same bytes', async () => {
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(page);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    expect(renderArticlePage(context, { article, views: 12, photos: new Map(records) })).toBe(page);
  });

  it('shows no gallery and no photo markup without records', () => {
    const bare = renderArticlePage(context, { article, views: 12 });
    expect(bare).not.toContain('class="gallery"');
    expect(bare).not.toContain('og:image');
    expect(bare).not.toContain('uploads/quarantine');
  });
});
