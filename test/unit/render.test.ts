import { XMLParser } from 'fast-xml-parser';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import type { Article } from '#shared/domain/article.ts';
import { articlePath } from '#shared/domain/urls.ts';
import {
  type ArticleChange,
  allPages,
  type PageRef,
  pagesAffectedBy,
  refId,
} from '#shared/render/affected.ts';
import { buildAssets, loadSiteAssets } from '#shared/render/assets.ts';
import { buildCatalogue, type Listing, toListing } from '#shared/render/catalogue.ts';
import { renderBody } from '#shared/render/markdown.ts';
import { renderArticlePage, renderFeed, renderListPage } from '#shared/render/pages.ts';
import { renderRef } from '#shared/render/site.ts';
import { parseRecord } from '#shared/render/stream-records.ts';
import { hexId, history, SEED_ID, seedArticle } from '../support/render-fixtures.ts';

const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
const listings = (articles: readonly Article[]) =>
  articles.map(toListing).filter((l): l is Listing => Boolean(l));

/** The page's visible text, as a reader would see it. */
const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');

const seedPage = (overrides: Partial<Article> = {}, extra: { previous?: Listing; next?: Listing } = {}) =>
  renderArticlePage(context, {
    article: { ...seedArticle, ...overrides, publishedAt: seedArticle.publishedAt ?? '' },
    views: 362,
    ...extra,
  });

describe('the seed article page', () => {
  const page = seedPage();
  const text = textOf(page);

  it('has the document elements: lang, title, description, one stylesheet, the view script slot', () => {
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toMatch(/<title>在大战大考中守好小店阵地 - 法治周刊新媒体<\/title>/);
    expect(page).toMatch(/<meta name="description" content="疫情面前/);
    expect(page.match(/rel="stylesheet"/g)).toHaveLength(1);
    expect(page).toMatch(/<link rel="stylesheet" href="\/assets\/site\.[0-9a-f]{10}\.css">/);
    expect(page).not.toMatch(/style=/);
    expect(page).not.toMatch(/<script>(?!<)/);
    expect(page).not.toMatch(/https?:\/\/(?!news\.example\.cn|schema\.org)/);
  });

  it('shows header, breadcrumb, h1 and the meta line with time, views and editor', () => {
    expect(page).toMatch(/<a class="site-name" href="\/">法治周刊新媒体<\/a>/);
    expect(page).toMatch(/<a class="submit-link" href="\/submit\/">投稿<\/a>/);
    expect(page).toMatch(/<nav class="breadcrumb" aria-label="当前位置">/);
    expect(text.replace(/\s+/g, '')).toContain('首页聚焦公益');
    expect(page).toMatch(
      /<li><a href="\/">首页<\/a><\/li><li><a href="\/focus\/">聚焦<\/a><\/li><li><a href="\/focus\/public-welfare\/">公益<\/a><\/li>/,
    );
    expect(page).toMatch(/<h1 id="article-title">在大战大考中守好小店阵地<\/h1>/);
    expect(page).toContain('<time datetime="2022-04-15T18:52:40+08:00">2022-04-15 18:52:40</time>');
    expect(text).toContain('点击量:362');
    expect(page).toContain(`<span data-views-for="${SEED_ID}">362</span>`);
    expect(text).toContain('责任编辑:admin');
  });

  it('omits empty 来源 and 作者 cleanly, and never prints undefined or null', () => {
    const meta = /<p class="article-meta">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
    expect(meta).not.toContain('来源');
    expect(meta).not.toContain('作者');
    expect(text).not.toMatch(/undefined|null|NaN/);
    const credited = textOf(seedPage({ source: '山西日报', author: '李记者' }));
    expect(credited).toContain('来源:山西日报');
    expect(credited).toContain('作者:李记者');
    expect(credited).toContain('文章来源:山西日报');
  });

  it('renders the body with the three h2 subheadings and the footer with 文章来源, 责任编辑 and 版权声明', () => {
    for (const h of ['尽锐出战 以快制快', '党员带头 勇担重任', '全面闭环 筑牢防线'])
      expect(page).toContain(`<h2>${h}</h2>`);
    expect(page).toContain('<p>“好的,我在路上,十分钟左右到单位。”</p>');
    const foot = /<footer class="article-foot">([\s\S]*?)<\/footer>/.exec(page)?.[1] ?? '';
    expect(textOf(foot)).toContain('文章来源:法治周刊新媒体');
    expect(textOf(foot)).toContain('责任编辑:admin');
    expect(textOf(foot)).toContain('版权声明:');
    expect(textOf(foot)).toContain('凡注明来源为“法治周刊”的所有文字');
    expect(page).not.toContain('高清组图');
  });

  it('links the previous and next articles in the channel, or says there is none', () => {
    const [older, newer] = listings(history(2));
    expect(textOf(page)).toContain('上一篇:没有了');
    const linked = seedPage({}, { ...(older ? { previous: older } : {}), ...(newer ? { next: newer } : {}) });
    expect(linked).toContain(`上一篇:</span><a href="/2022/0101/${older?.id}.html">`);
    expect(linked).toContain(`下一篇:</span><a href="/2022/0101/${newer?.id}.html">`);
  });

  it('carries NewsArticle JSON-LD that cannot close its script element', () => {
    const json =
      /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(
        seedPage({ title: '</script><script>alert(1)</script>' }),
      )?.[1] ?? '';
    expect(json).not.toContain('<');
    const data = JSON.parse(json) as Record<string, unknown>;
    expect(data['@type']).toBe('NewsArticle');
    expect(data.headline).toBe('</script><script>alert(1)</script>');
    expect(data.datePublished).toBe('2022-04-15T18:52:40+08:00');
  });

  it('shows a gallery (高清组图) only when the body has images', () => {
    const withImage = seedPage({
      body: `${seedArticle.body}\n\n![小店区信访局干部](/media/2022/0415/a.jpg)`,
    });
    expect(withImage).toContain('<h2 id="gallery-title">高清组图</h2>');
    expect(withImage).toContain(
      '<img src="/media/2022/0415/a.jpg" alt="小店区信访局干部" loading="lazy" decoding="async">',
    );
  });
});

describe('Markdown bodies', () => {
  it('shows raw HTML as text and never runs it', () => {
    const { html } = renderBody(
      '<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n段落<b>粗</b>',
    );
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('keeps http(s), mailto and relative links with rel="nofollow ugc noopener", and drops other schemes', () => {
    const { html } = renderBody(
      '[a](https://example.cn/a) [b](mailto:x@example.cn) [c](/2022/0415/x.html) [d](javascript:alert(1)) [e](data:text/html,x) [f](vbscript:x)',
    );
    expect(html).toContain('<a href="https://example.cn/a" rel="nofollow ugc noopener">a</a>');
    expect(html).toContain('<a href="mailto:x@example.cn" rel="nofollow ugc noopener">b</a>');
    expect(html).toContain('<a href="/2022/0415/x.html" rel="nofollow ugc noopener">c</a>');
    expect(html).not.toMatch(/href="(javascript|data|vbscript):/i);
  });

  it('does not linkify bare URLs, and turns remote images into links (no third-party requests)', () => {
    const { html, images } = renderBody(
      '见 https://example.cn 与 ![远程](https://cdn.example.com/a.png) ![本站](/media/b.jpg)',
    );
    expect(html).not.toContain('<a href="https://example.cn"');
    expect(html).toContain('<a href="https://cdn.example.com/a.png" rel="nofollow ugc noopener">远程</a>');
    expect(images).toEqual([{ src: '/media/b.jpg', alt: '本站' }]);
  });

  it('aligns table columns with classes, not style attributes (the CSP refuses inline style)', () => {
    const { html } = renderBody('| 项目 | 金额 | 备注 |\n| :-- | --: | :-: |\n| 援助 | 1,200 | 已发放 |');
    expect(html).not.toContain('style=');
    expect(html).toContain('<th class="align-left">项目</th>');
    expect(html).toContain('<td class="align-right">1,200</td>');
    expect(html).toContain('<td class="align-center">已发放</td>');
  });
});

describe('pagesAffectedBy', () => {
  // One article a day from 2022-01-01 to 2022-04-05, in turn in 公益, 调查 and 案例: four months of archive.
  const site = history(95, ['focus/public-welfare', 'focus/investigation', 'law/cases']).map((a, i) => {
    const at = new Date(Date.UTC(2022, 0, 1) + i * 86_400_000).toISOString();
    return { ...a, publishedAt: at, updatedAt: at, submittedAt: at };
  });
  const catalogue = buildCatalogue(listings(site));
  const ids = (changes: ArticleChange[], loaded = catalogue) => pagesAffectedBy(changes, loaded);
  const keys = (result: ReturnType<typeof pagesAffectedBy>) => result.render.map(refId).sort();
  const fresh: Article = {
    ...seedArticle,
    id: 'ffffffffffff0001',
    publishedAt: '2022-04-06T08:00:00+08:00',
    updatedAt: '2022-04-06T00:00:00.000Z',
  };
  const pending: Article = { ...fresh, status: 'pending' };

  it('a publish renders the article, its older neighbour, each list index, home, feed and three sitemap files', () => {
    const result = ids([{ id: fresh.id, before: pending, after: fresh }]);
    // 上一篇/下一篇 run through the whole site: the older neighbour is the site's newest article before it.
    const newestOnSite = site.at(-1);
    expect(keys(result)).toEqual(
      [
        `article:${fresh.id}`,
        `article:${newestOnSite?.id}`,
        'list:focus/public-welfare:index',
        'list:focus:index',
        'home',
        'feed',
        'sitemap',
        'sitemap-part:2022-04',
        'news-sitemap',
      ].sort(),
    );
    // The goal: at most 8 pages besides the sitemap files (the index, the month's child, the news sitemap).
    expect(keys(result).filter((k) => !k.includes('sitemap')).length).toBe(6);
    expect(result.remove).toEqual([]);
  });

  it('the first publish of a month also writes the archive page of the month it closes, in each of its lists', () => {
    const may: Article = { ...fresh, publishedAt: '2022-05-01T08:00:00+08:00' };
    const k = keys(ids([{ id: may.id, before: pending, after: may }]));
    expect(k).toEqual(expect.arrayContaining(['list:focus/public-welfare:2022-04', 'list:focus:2022-04']));
    // Older months are as they were; 法治 > 案例 has no new article.
    expect(k.filter((r) => r.startsWith('list:') && !r.endsWith(':index')).sort()).toEqual([
      'list:focus/public-welfare:2022-04',
      'list:focus:2022-04',
    ]);
  });

  it('an edit of the body only renders the article and the sitemap files that show it', () => {
    const before = site[10] as Article;
    const result = ids([
      {
        id: before.id,
        before,
        after: { ...before, body: '新的正文', updatedAt: '2023-02-01T00:00:00.000Z' },
      },
    ]);
    expect(keys(result)).toEqual([`article:${before.id}`, 'news-sitemap', 'sitemap', 'sitemap-part:2022-01']);
  });

  it('an edit of the title also renders the neighbours and the month page that lists it, in each list', () => {
    const before = site[3] as Article;
    const result = ids([{ id: before.id, before, after: { ...before, title: '新标题' } }]);
    const k = keys(result);
    // Its neighbours on the site (not in its channel) link to it by its title.
    expect(k).toContain(`article:${site[2]?.id}`);
    expect(k).toContain(`article:${site[4]?.id}`);
    expect(k).not.toContain(`article:${site[0]?.id}`);
    expect(k.filter((r) => r.startsWith('list:') && !r.endsWith(':index')).sort()).toEqual([
      'list:focus/public-welfare:2022-01',
      'list:focus:2022-01',
    ]);
    expect(k).toEqual(expect.arrayContaining(['home', 'sitemap']));
    // The feed lists the newest 20 only.
    expect(k).not.toContain('feed');
  });

  it('an unpublish deletes the page and re-renders neighbours and the index pages', () => {
    const victim = site[94] as Article; // the newest in focus/investigation (i % 3 === 1)
    const result = ids([{ id: victim.id, before: victim, after: { ...victim, status: 'unpublished' } }]);
    expect(result.remove).toEqual([
      articlePath({ id: victim.id, publishedAt: victim.publishedAt ?? '' }).slice(1),
    ]);
    const k = keys(result);
    expect(k).not.toContain(`article:${victim.id}`);
    // The site's article before it is now the newest: its 下一篇 goes.
    expect(k).toContain(`article:${site[93]?.id}`);
    expect(k).toContain('list:focus/investigation:index');
    expect(k).toContain('list:focus:index');
    expect(result.catalogue.get(victim.id)).toBeUndefined();
  });

  it('a REMOVE record (no new image) is an unpublish too, and changes only its own month of the archive', () => {
    const victim = site[0] as Article;
    const result = ids([{ id: victim.id, before: victim }]);
    expect(result.remove).toContain(`2022/0101/${victim.id}.html`);
    // The oldest article: nothing is numbered from it any more, so no later page moves.
    expect(
      keys(result)
        .filter((r) => r.startsWith('list:') && !r.endsWith(':index'))
        .sort(),
    ).toEqual(['list:focus/public-welfare:2022-01', 'list:focus:2022-01']);
  });

  it('an unpublish that empties a month removes its page, and the next month page names the month before', () => {
    const opinion = ['2022-01-10', '2022-02-10', '2022-03-10', '2022-04-10'].map(
      (day, i): Article => ({
        ...seedArticle,
        id: hexId(0x900 + i),
        channel: 'opinion',
        publishedAt: `${day}T00:00:00.000Z`,
        updatedAt: `${day}T00:00:00.000Z`,
      }),
    );
    const loaded = buildCatalogue(listings(opinion));
    const february = opinion[1] as Article;
    const result = pagesAffectedBy([{ id: february.id, before: february }], loaded);
    expect(result.remove).toContain('opinion/2022/02/index.html');
    expect(keys(result).filter((r) => r.startsWith('list:'))).toEqual([
      'list:opinion:2022-03',
      'list:opinion:index',
    ]);
    const march = renderListPage(context, result.catalogue, 'opinion', '2022-03') ?? '';
    expect(march).toContain('href="/opinion/2022/01/" rel="next"');
    expect(renderListPage(context, result.catalogue, 'opinion', '2022-02')).toBeUndefined();
  });

  it('a change to a pending or rejected article touches nothing', () => {
    expect(
      ids([{ id: pending.id, before: pending, after: { ...pending, status: 'rejected' } }]).render,
    ).toEqual([]);
  });
});

describe('whole site', () => {
  const site = history(45, ['focus/public-welfare', 'news/politics']);
  const catalogue = buildCatalogue(listings([...site, seedArticle]));
  const articles = new Map([...site, seedArticle].map((a) => [a.id, a]));
  const views = new Map([[SEED_ID, 362]]);
  const render = () =>
    allPages(catalogue).map((ref) =>
      renderRef(context, ref, { catalogue, articles, views, now: new Date('2022-04-16T00:00:00.000Z') }),
    );

  it('renders deterministically: the same input gives the same bytes', () => {
    expect(render()).toEqual(render());
  });

  it('archives each month but the newest on a page of its own; the index shows the newest month', () => {
    const objects = render().filter((o) => o !== undefined);
    const keysWritten = objects.map((o) => o?.key);
    expect(keysWritten).toEqual(
      expect.arrayContaining([
        'focus/public-welfare/index.html',
        'focus/public-welfare/2022/01/index.html',
        'index.html',
        'feed.xml',
        'sitemap.xml',
        '404.html',
      ]),
    );
    // The seed (April) is the newest month of 聚焦 > 公益: the index shows it, no archive page does.
    expect(keysWritten).not.toContain('focus/public-welfare/2022/04/index.html');
    const january = String(objects.find((o) => o?.key === 'focus/public-welfare/2022/01/index.html')?.body);
    expect(january).toContain(`/${site[0]?.id}.html`);
    expect(january).toContain('<h1 class="list-title">公益 · 2022年1月</h1>');
    expect(january).not.toContain(SEED_ID);
    const index = String(objects.find((o) => o?.key === 'focus/public-welfare/index.html')?.body);
    expect(index).toContain('href="/focus/public-welfare/2022/01/" rel="next">较早:2022年1月</a>');
  });

  it('answers the numbered archive pages of before with a redirect to the month that held them', () => {
    const objects = render().filter((o) => o !== undefined);
    // 23 articles of 公益 in January and the seed: one full block of 20 made page 1 under the old numbering.
    const legacy = objects.filter((o) => o?.key.startsWith('focus/public-welfare/page/'));
    expect(legacy.map((o) => o?.key)).toEqual(['focus/public-welfare/page/1.html']);
    const body = String(legacy[0]?.body);
    expect(body).toContain('<meta http-equiv="refresh" content="0; url=/focus/public-welfare/2022/01/">');
    expect(body).toContain(
      '<link rel="canonical" href="https://news.example.cn/focus/public-welfare/2022/01/">',
    );
  });

  it('writes a valid RSS 2.0 feed and sitemap', () => {
    const objects = render();
    const feed = objects.find((o) => o?.key === 'feed.xml');
    expect(feed?.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(String(feed?.body)).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<rss version="2.0"/);
    expect(String(feed?.body).match(/<item>/g)).toHaveLength(20);
    const sitemap = objects.find((o) => o?.key === 'sitemap.xml');
    expect(String(sitemap?.body)).toContain('<loc>https://news.example.cn/sitemaps/2022-04.xml</loc>');
    const april = objects.find((o) => o?.key === 'sitemaps/2022-04.xml');
    expect(String(april?.body)).toContain(`<loc>https://news.example.cn/2022/0415/${SEED_ID}.html</loc>`);
    expect(objects.find((o) => o?.key === 'robots.txt')?.body).toContain(
      'Sitemap: https://news.example.cn/sitemap.xml',
    );
  });

  it('gives each feed entry a description, the channel as its category, and the author when there is one', () => {
    const withAuthor = { ...(site.at(-1) as Article), author: '李记者', summary: '编辑写的摘要。' };
    const changed = catalogue.with({ put: [toListing(withAuthor) as Listing] });
    const feed = renderFeed(context, changed, articles);
    const items = new XMLParser({ isArray: (name) => name === 'item' }).parse(feed).rss.channel.item as {
      title: string;
      description?: string;
      category?: string;
      'dc:creator'?: string;
    }[];
    expect(items).toHaveLength(20);
    expect(items.every((i) => i.description && i.category)).toBe(true);
    const mine = items.find((i) => i.title === withAuthor.title);
    expect(mine).toMatchObject({ description: '编辑写的摘要。', 'dc:creator': '李记者' });
    // Without a summary, the opening paragraph of the body; without an author, no creator.
    const seed = items.find((i) => i.title === seedArticle.title);
    expect(seed?.description).toMatch(/^疫情面前,每个人都是城市的守护者。/);
    expect(seed?.['dc:creator']).toBeUndefined();
    const other = items.find((i) => i.title !== withAuthor.title && i.title !== seedArticle.title);
    expect(other?.description).toMatch(/^第 \d+ 篇。/);
    expect(feed).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
  });

  it('every generated HTML page passes html-validate', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    const pages = render().filter((o) => o?.contentType.startsWith('text/html'));
    const withImages = renderArticlePage(context, {
      article: {
        ...seedArticle,
        source: '山西日报',
        author: '李记者',
        body: `${seedArticle.body}\n\n> 引用\n\n1. 一\n2. 二\n\n![图](/media/a.jpg) [链接](https://example.cn)`,
        publishedAt: seedArticle.publishedAt ?? '',
      },
      views: 0,
    });
    const failures: string[] = [];
    for (const html of [...pages.map((p) => String(p?.body)), withImages]) {
      const report = await validator.validateString(html);
      if (!report.valid) {
        failures.push(...report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)));
      }
    }
    expect([...new Set(failures)]).toEqual([]);
    expect(pages.length).toBeGreaterThan(10);
  });

  it('hashes assets by content and names them by logical name', () => {
    const a = buildAssets([
      { name: 'views.js', body: Buffer.from('1') },
      { name: 'notes.txt', body: Buffer.from('x') },
    ]);
    expect(a.all.map((x) => x.key)).toEqual([expect.stringMatching(/^assets\/views\.[0-9a-f]{10}\.js$/)]);
    expect(a.all[0]?.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(a.url('views.js')).toBe(`/${a.all[0]?.key}`);
    expect(a.url('missing.js')).toBeUndefined();
  });
});

describe('a corrected article (更正)', () => {
  const correctedAt = '2026-11-29T06:30:00.000Z';
  const corrected: Partial<Article> = {
    body: seedArticle.body.replace('动车站', '高铁站'),
    modifiedAt: correctedAt,
    updatedAt: correctedAt,
    revision: 3,
    corrections: [{ at: correctedAt, note: '本文第一段中“动车站”应为“高铁站”,已更正。' }],
  };
  const page = seedPage(corrected);

  it('shows the 更正 box with its date and note, and 更新时间 in the meta line, at the same URL', () => {
    expect(page).toContain(
      '<section class="correction" aria-labelledby="correction-title">\n<h2 id="correction-title">更正</h2>\n<p><time datetime="2026-11-29T06:30:00.000Z">2026-11-29</time> 本文第一段中“动车站”应为“高铁站”,已更正。</p>',
    );
    const meta = /<p class="article-meta">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
    expect(textOf(meta)).toContain('更新时间:2026-11-29 14:30:00');
    expect(page).toContain(`<link rel="canonical" href="https://news.example.cn/2022/0415/${SEED_ID}.html">`);
    // Without an edit there is neither.
    expect(seedPage()).not.toContain('更正');
    expect(seedPage()).not.toContain('更新时间');
  });

  it('adds correction (CorrectionComment) and dateModified to the JSON-LD', () => {
    const json = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '{}';
    const ld = JSON.parse(json);
    expect(ld.dateModified).toBe(correctedAt);
    expect(ld.datePublished).toBe(seedArticle.publishedAt);
    expect(ld.correction).toEqual([
      {
        '@type': 'CorrectionComment',
        text: '本文第一段中“动车站”应为“高铁站”,已更正。',
        datePublished: correctedAt,
      },
    ]);
  });

  it('passes html-validate with 0 errors', async () => {
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(page);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  const site = history(60, ['focus/public-welfare', 'law/cases']);
  const catalogue = buildCatalogue(listings(site));
  const middle = site[30] as Article;
  const edit = (after: Partial<Article>) =>
    pagesAffectedBy(
      [
        {
          id: middle.id,
          before: middle,
          after: { ...middle, ...after, updatedAt: correctedAt, modifiedAt: correctedAt },
        },
      ],
      catalogue,
    );

  it('re-renders at most 8 pages for a correction of a published article; a channel change adds both lists', () => {
    const correction = edit({ corrections: [{ at: correctedAt, note: '更正' }], body: '新正文' });
    const retitled = edit({ title: '新标题' });
    const target = middle.channel === 'law/cases' ? 'opinion' : 'law/cases';
    const moved = edit({ channel: target });
    console.log(
      `pages re-rendered by an edit of a published article: body/correction ${correction.render.length}, title ${retitled.render.length} (${retitled.render.map(refId).join(', ')}), channel change ${moved.render.length} (${moved.render.map(refId).join(', ')})`,
    );
    // An old article is not in the feed's newest 20: the page and the sitemap files that carry its lastmod only.
    const month = `sitemap-part:${articlePath({ id: middle.id, publishedAt: middle.publishedAt ?? '' }).slice(1, 5)}-${articlePath({ id: middle.id, publishedAt: middle.publishedAt ?? '' }).slice(6, 8)}`;
    expect(correction.render.map(refId).sort()).toEqual(
      [`article:${middle.id}`, 'news-sitemap', 'sitemap', month].sort(),
    );
    expect(correction.remove).toEqual([]);
    // The goal counts pages besides the sitemap files (the index, the article's month, the news sitemap).
    const pages = (refs: readonly PageRef[]) => refs.filter((r) => !refId(r).includes('sitemap')).length;
    expect(pages(correction.render)).toBeLessThanOrEqual(8);
    // A new title shows on the neighbours, the lists and home too: 9 pages rendered for an article in the middle of
    // its lists (test/bench/render.bench.ts counts how many of them actually change).
    expect(pages(retitled.render)).toBeLessThanOrEqual(9);
    const lists = moved.render.filter((r) => r.kind === 'list').map(refId);
    expect(lists).toEqual(expect.arrayContaining([`list:${middle.channel}:index`, `list:${target}:index`]));
    // The URL is the first publish date's, whatever the channel: nothing is removed.
    expect(moved.remove.filter((k) => k.endsWith(`${middle.id}.html`))).toEqual([]);
  });

  it('gives the feed entry its updated time', () => {
    const newest = site[59] as Article;
    expect(edit({}).render.map(refId)).not.toContain('feed');
    const after = { ...newest, updatedAt: correctedAt, modifiedAt: correctedAt };
    expect(
      pagesAffectedBy([{ id: newest.id, before: newest, after }], catalogue).render.map(refId),
    ).toContain('feed');
    const updated = buildCatalogue(listings([...site.filter((a) => a.id !== newest.id), after]));
    const feed = renderRef(
      context,
      { kind: 'feed' },
      { catalogue: updated, articles: new Map(), views: new Map(), now: new Date() },
    );
    const body = String(feed?.body);
    const item = body.split('<item>').find((i) => i.includes(newest.id)) ?? '';
    expect(item).toContain(`<atom:updated>${correctedAt}</atom:updated>`);
    expect(body.match(/<atom:updated>/g)).toHaveLength(1);
  });
});

describe('stream records of every article state', () => {
  it('reads an approved (初审) image, as two-step sign-off writes it before 终审', () => {
    const image = (status: string) => ({
      id: { S: SEED_ID },
      status: { S: status },
      title: { S: seedArticle.title },
      body: { S: seedArticle.body },
      channel: { S: seedArticle.channel },
      publishedAt: { S: '2022-04-15T10:52:40.000Z' },
      approvedBy: { M: { name: { S: '张伟' }, sub: { S: 'sub-1' } } },
    });
    const parsed = parseRecord({
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: '1', OldImage: image('approved'), NewImage: image('published') },
    });
    expect(parsed).toMatchObject({
      ok: true,
      change: { before: { status: 'approved' }, after: { status: 'published' } },
    });
  });
});
