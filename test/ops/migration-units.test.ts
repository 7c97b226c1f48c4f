// The migration's pure parts: HTML → Markdown, phpMyAdmin CSV and encodings, DedeCMS URL rules, WordPress
// paragraphs, image paths, and the shared site-request rules that answer old URLs.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { resolveImageSource, uploadIdForBytes } from '#infra/ops/import-media.ts';
import { dedecmsUrl } from '#infra/ops/sources/dedecms.ts';
import { decodeText, detectEncoding, parseCsv } from '#infra/ops/sources/table-files.ts';
import { autop } from '#infra/ops/sources/wordpress.ts';
import { uploadIdOf } from '#shared/domain/uploads.ts';
import { fillImageMarkers, htmlToMarkdown } from '#shared/migration/html-to-markdown.ts';
import { renderBody } from '#shared/render/markdown.ts';
import {
  answerSiteRequest,
  DEDECMS_RULE_KEY,
  dedecmsArticleId,
  edgeRequestFor,
  withDedecmsAids,
} from '#shared/site-paths.ts';
import { toCsv } from '../fixtures/migration/generate.ts';

describe('HTML bodies to Markdown', () => {
  it('drops scripts, styles, frames and inline styles, and keeps the structure', () => {
    const { markdown } = htmlToMarkdown(
      `<p style="color:red">&nbsp;&nbsp;　　正文<strong>加粗</strong>与<em>强调</em></p><script>alert(1)</script>
       <style>p{}</style><iframe src="//x"></iframe><h1>一、</h1><h3>二、</h3><ul><li>甲</li></ul>
       <blockquote>引文</blockquote><a href="javascript:alert(1)">坏</a><a href="/a/1.html">好</a>`,
    );
    expect(markdown).not.toMatch(/alert|style|iframe|color/);
    expect(markdown).toContain('正文**加粗**与*强调*');
    expect(markdown).toMatch(/^## 一、$/m);
    expect(markdown).toMatch(/^### 二、$/m);
    expect(markdown).toMatch(/^- +甲$/m);
    expect(markdown).toMatch(/^> 引文$/m);
    expect(markdown).toContain('坏[好](/a/1.html)');
    expect(markdown.startsWith('正文')).toBe(true);
  });

  it('keeps bold around Chinese punctuation bold, by moving the punctuation outside the delimiters', () => {
    const { markdown } = htmlToMarkdown(
      '<p>依照<b>《民法典》</b>规定，<strong>“谁主张，谁举证”</strong>原则</p>',
    );
    expect(markdown).toBe('依照《**民法典**》规定，“**谁主张，谁举证**”原则');
    expect(renderBody(markdown).html).toBe(
      '<p>依照《<strong>民法典</strong>》规定，“<strong>谁主张，谁举证</strong>”原则</p>\n',
    );
  });

  it('turns simple tables into Markdown tables the renderer shows, and keeps merged tables as text', () => {
    const simple = htmlToMarkdown(
      '<table><tr><td>案号</td><td>金额|元</td></tr><tr><td>甲</td><td>1</td></tr></table>',
    );
    expect(simple.markdown).toBe('| 案号 | 金额\\|元 |\n| --- | --- |\n| 甲 | 1 |');
    expect(renderBody(simple.markdown).html).toContain('<th>金额|元</th>');
    const merged = htmlToMarkdown(
      '<table><tr><td colspan="2">合并</td></tr><tr><td>甲</td><td>乙</td></tr></table>',
    );
    expect(merged.markdown.replace(/\s+/g, ' ')).toBe('合并 甲 乙');
  });

  it('returns images as markers, once each, in body order, for the importer to fill', () => {
    const { markdown, images } = htmlToMarkdown(
      '<p>前<img src="/uploads/a.jpg" alt="甲"></p><table><tr><td><img src="b.png"></td></tr></table>',
    );
    expect(images).toEqual([
      { src: '/uploads/a.jpg', alt: '甲' },
      { src: 'b.png', alt: '' },
    ]);
    expect(fillImageMarkers(markdown, (n) => `[${n}]`)).toBe('前[0]\n\n| [1] |\n| --- |');
  });

  it('never lets its private markers come from the input', () => {
    expect(htmlToMarkdown('<p>\uE000img0\uE001</p>').markdown).toBe('img0');
  });
});

describe('phpMyAdmin tables', () => {
  it('reads back any CSV it writes (quotes, commas, newlines)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.string(), b: fc.string() }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const [header, ...records] = parseCsv(toCsv(rows));
          expect(header).toEqual(['a', 'b']);
          expect(records).toEqual(rows.map((r) => [r.a, r.b]));
        },
      ),
    );
  });

  it('detects GBK and UTF-8', () => {
    const gbk = iconv.encode('最高人民法院发布典型案例', 'gbk');
    expect(detectEncoding(gbk)).toBe('gbk');
    expect(decodeText(gbk)).toBe('最高人民法院发布典型案例');
    expect(detectEncoding(Buffer.from('\uFEFF法院'))).toBe('utf8');
    expect(decodeText(Buffer.from('\uFEFF法院'))).toBe('法院');
  });
});

describe('old URLs', () => {
  const type = { typedir: '{cmspath}/a/fayuan', namerule: '{typedir}/{Y}{M}{D}/{aid}.html' };
  const pubdate = Date.parse('2022-04-15T18:52:40+08:00') / 1000;

  it('builds DedeCMS URLs from the column’s name rule, in the site’s time zone', () => {
    expect(dedecmsUrl(type, '35', pubdate)).toBe('/a/fayuan/20220415/35.html');
    expect(dedecmsUrl({ ...type, namerule: '{typedir}/{Y}/{M}{D}/{aid}.html' }, '35', pubdate)).toBe(
      '/a/fayuan/2022/0415/35.html',
    );
    expect(dedecmsUrl({ ...type, namerule: '' }, '35', pubdate)).toBe('/a/fayuan/20220415/35.html');
    expect(dedecmsUrl({ ...type, namerule: '{typedir}/{pinyin}.html' }, '35', pubdate)).toBeUndefined();
  });

  it('answers a DedeCMS URL by rule once DedeCMS articles are imported, and a mapped URL from the map', async () => {
    const map = new Map(
      Object.entries(
        withDedecmsAids({ '/?p=12': '/2019/0315/0123456789abcdef.html' }, [35, 4095, 4096, 300_001]),
      ),
    );
    const lookup = async (key: string) => map.get(key) ?? null;
    const moved = await answerSiteRequest(edgeRequestFor('/a/fayuan/20220415/35.html'), lookup);
    expect(moved).toMatchObject({
      statusCode: 301,
      headers: { location: { value: `/2022/0415/${dedecmsArticleId(35)}.html` } },
    });
    expect(dedecmsArticleId(35)).toBe('dede000000000023');
    expect(await answerSiteRequest(edgeRequestFor('http://old.example/?p=12'), lookup)).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/2019/0315/0123456789abcdef.html' } },
    });
    // Each imported aid has its bit, in the key for its 4,096 aids; values fit the store's 1 KB.
    for (const aid of [4095, 4096, 300_001]) {
      expect(await answerSiteRequest(edgeRequestFor(`/a/fayuan/20220415/${aid}.html`), lookup)).toMatchObject(
        {
          statusCode: 301,
          headers: { location: { value: `/2022/0415/${dedecmsArticleId(aid)}.html` } },
        },
      );
    }
    expect([...map.keys()].filter((k) => k.startsWith(DEDECMS_RULE_KEY)).sort()).toEqual([
      '*dedecms/0',
      '*dedecms/1',
      '*dedecms/73',
    ]);
    for (const [key, value] of map) if (key.startsWith(DEDECMS_RULE_KEY)) expect(value).toHaveLength(1024);
    // An aid that was not imported (its column unmapped, its row unapproved) is a missing page, not a 301.
    for (const aid of [34, 36, 4097, 8192, 300_000, 99_999_999]) {
      expect(await answerSiteRequest(edgeRequestFor(`/a/fayuan/20220415/${aid}.html`), lookup)).toEqual({
        uri: `/a/fayuan/20220415/${aid}.html`,
        querystring: {},
      });
    }
    // Without the rule's flag (no DedeCMS import), the same path is just a missing page.
    expect(await answerSiteRequest(edgeRequestFor('/a/fayuan/20220415/35.html'), async () => null)).toEqual({
      uri: '/a/fayuan/20220415/35.html',
      querystring: {},
    });
  });

  it('leaves the site’s own paths, directory indexes and private state as they were', async () => {
    const everything = async () => '/elsewhere.html';
    expect(await answerSiteRequest({ uri: '/2022/0415/dede000000000023.html' }, everything)).toMatchObject({
      uri: '/2022/0415/dede000000000023.html',
    });
    expect(await answerSiteRequest({ uri: '/assets/site.css' }, everything)).toMatchObject({
      uri: '/assets/site.css',
    });
    expect(await answerSiteRequest({ uri: '/' }, everything)).toMatchObject({ uri: '/index.html' });
    expect(await answerSiteRequest({ uri: '/_state/redirects.json' }, everything)).toMatchObject({
      uri: '/_state/none',
    });
    expect(await answerSiteRequest({ uri: '/focus' }, async () => null)).toMatchObject({ statusCode: 301 });
  });
});

describe('WordPress and images', () => {
  it('adds the paragraphs WordPress adds on display', () => {
    expect(
      autop('第一段\n第二行\n\n[caption id="a"]<img src="x.jpg"> 图[/caption]\n\n<ul><li>甲</li></ul>'),
    ).toBe('<p>第一段<br>\n第二行</p>\n<p><img src="x.jpg"> 图</p>\n<ul><li>甲</li></ul>');
  });

  it('resolves root-relative, absolute and page-relative paths to the same upload', () => {
    const file = { kind: 'media', file: 'allimg/150312/1.jpg' };
    expect(resolveImageSource('/uploads/allimg/150312/1.jpg', '/a/b/20150312/1.html', '/uploads/')).toEqual(
      file,
    );
    expect(resolveImageSource('http://www.old.cn/uploads/allimg/150312/1.jpg', '/', '/uploads/')).toEqual(
      file,
    );
    expect(
      resolveImageSource('../../../uploads/allimg/150312/1.jpg', '/a/b/20150312/1.html', '/uploads/'),
    ).toEqual(file);
    expect(resolveImageSource('https://cdn.example/x.jpg', '/', '/uploads/')).toEqual({
      kind: 'remote',
      url: 'https://cdn.example/x.jpg',
    });
    expect(resolveImageSource('/uploads/../etc/passwd', '/', '/uploads/').kind).toBe('unknown');
    expect(resolveImageSource('data:image/png;base64,AAAA', '/', '/uploads/').kind).toBe('unknown');
  });

  it('gives a photo the same upload id on every run, shaped as the quarantine keys require', () => {
    const id = uploadIdForBytes(Buffer.from('photo'));
    expect(uploadIdForBytes(Buffer.from('photo'))).toBe(id);
    expect(uploadIdOf(`uploads/quarantine/${id}`)).toBe(id);
  });
});
