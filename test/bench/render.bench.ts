// `npm run bench:render`: 4,000 seed-sized Markdown articles rendered to HTML files by our renderer and by
// Eleventy 3 (the design's baseline), in one run on the same files; then the pages written when one article is
// published into that 4,000-article site. Prints pages/s, ms/page and the ratio.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Eleventy from '@11ty/eleventy';
import { channels } from '../../shared/channels.ts';
import type { Article } from '../../shared/domain/article.ts';
import type { SiteObject, SiteStore } from '../../shared/ports.ts';
import { allPages, pagesAffectedBy } from '../../shared/render/affected.ts';
import { contentHash, loadSiteAssets } from '../../shared/render/assets.ts';
import { buildCatalogue, type Listing, listingPath, toListing } from '../../shared/render/catalogue.ts';
import { publishObjects, renderRef } from '../../shared/render/site.ts';
import { seedArticle } from '../support/render-fixtures.ts';

const COUNT = 4000;
const leaves = channels.all.filter((c) => c.children.length === 0).map((c) => c.path);
const work = mkdtempSync(path.join(tmpdir(), 'render-bench-'));
const input = path.join(work, 'src');
mkdirSync(path.join(input, '_includes'), { recursive: true });

// 1. The corpus: seed-sized bodies, varied titles, dates and channels, as Markdown files with front matter.
const paragraphs = (seedArticle.body ?? '').split('\n\n');
const hex = (n: number) => (0x2a8c6bce00000000n + BigInt(n)).toString(16).padStart(16, '0');
for (let i = 0; i < COUNT; i++) {
  const rotated = [...paragraphs.slice(i % paragraphs.length), ...paragraphs.slice(0, i % paragraphs.length)];
  const at = new Date(Date.UTC(2019, 0, 1) + i * 5.5 * 3_600_000).toISOString().replace('.000Z', '+00:00');
  const front = [
    '---',
    `id: "${hex(i)}"`,
    `title: "第${i + 1}期:${seedArticle.title}"`,
    `channel: "${leaves[i % leaves.length]}"`,
    `publishedAt: "${at}"`,
    'editor: "admin"',
    'layout: article.njk',
    '---',
  ].join('\n');
  writeFileSync(path.join(input, `${hex(i)}.md`), `${front}\n${rotated.join('\n\n')}\n`);
}
writeFileSync(
  path.join(input, '_includes', 'article.njk'),
  `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><link rel="stylesheet" href="/assets/site.css"></head>
<body><header><a href="/">法治周刊新媒体</a> <a href="/submit/">投稿</a></header>
<main><article><h1>{{ title }}</h1><p>{{ publishedAt }} 责任编辑:{{ editor }}</p>{{ content | safe }}</article></main>
<footer>版权声明</footer></body></html>
`,
);
writeFileSync(
  path.join(work, 'eleventy.config.mjs'),
  `export default function (config) { return { dir: { input: 'src', output: '_site' }, markdownTemplateEngine: false }; }\n`,
);

const parseFile = (file: string): Article => {
  const text = readFileSync(file, 'utf8');
  const end = text.indexOf('\n---\n', 4);
  const meta = Object.fromEntries(
    text
      .slice(4, end)
      .split('\n')
      .map((line) => {
        const at = line.indexOf(':');
        return [
          line.slice(0, at),
          line
            .slice(at + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        ];
      }),
  );
  return {
    id: meta.id ?? '',
    status: 'published',
    title: meta.title ?? '',
    body: text.slice(end + 5),
    author: '',
    source: '',
    channel: meta.channel ?? '',
    summary: '',
    submittedAt: meta.publishedAt ?? '',
    updatedAt: meta.publishedAt ?? '',
    publishedAt: meta.publishedAt ?? '',
    editor: meta.editor ?? '',
    revision: 1,
  };
};

// 2. Ours: read the Markdown files, render every article page (with neighbours, JSON-LD, footer), write the files.
const context = { siteUrl: 'https://news.example.cn', assets: loadSiteAssets() };
const ours = path.join(work, 'ours');
const startOurs = performance.now();
const articles = readdirSync(input)
  .filter((f) => f.endsWith('.md'))
  .map((f) => parseFile(path.join(input, f)));
const catalogue = buildCatalogue(articles.map(toListing).filter((l): l is Listing => Boolean(l)));
const byId = new Map(articles.map((a) => [a.id, a]));
const views = new Map<string, number>();
const dirs = new Set<string>();
let ourPages = 0;
for (const article of articles) {
  const object = renderRef(
    context,
    { kind: 'article', id: article.id },
    { catalogue, articles: byId, views },
  );
  if (!object) continue;
  const file = path.join(ours, object.key);
  const dir = path.dirname(file);
  if (!dirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    dirs.add(dir);
  }
  writeFileSync(file, object.body);
  ourPages++;
}
const oursMs = performance.now() - startOurs;

// 3. Eleventy 3 on the same files.
const cwd = process.cwd();
process.chdir(work);
const startEleventy = performance.now();
const eleventy = new Eleventy('src', '_site', { quietMode: true, configPath: 'eleventy.config.mjs' });
await eleventy.write();
const eleventyMs = performance.now() - startEleventy;
process.chdir(cwd);
const eleventyPages = readdirSync(path.join(work, '_site'), { recursive: true }).filter((f) =>
  String(f).endsWith('.html'),
).length;

const rate = (pages: number, ms: number) => pages / (ms / 1000);
const line = (name: string, pages: number, ms: number) =>
  `${name.padEnd(12)} ${pages} pages in ${(ms / 1000).toFixed(2)} s: ${rate(pages, ms).toFixed(0)} pages/s, ${(ms / pages).toFixed(3)} ms/page`;
console.log(line('render', ourPages, oursMs));
console.log(line('eleventy 3', eleventyPages, eleventyMs));
console.log(
  `ratio: ${(rate(ourPages, oursMs) / rate(eleventyPages, eleventyMs)).toFixed(2)}× Eleventy (goal ≥ 2×)`,
);

// 4. The whole site once (lists, home, feed, sitemap too), into an in-memory bucket that keeps content hashes.
const bucket = new Map<string, string>();
const hashOf = (o: SiteObject) => contentHash(typeof o.body === 'string' ? o.body : Buffer.from(o.body), 64);
const memoryStore: SiteStore = {
  put: async (o) => {
    const hash = hashOf(o);
    if (bucket.get(o.key) === hash) return false;
    bucket.set(o.key, hash);
    return true;
  },
  remove: async (key) => bucket.delete(key),
};
const noCdn = { invalidate: async () => undefined };
const startSite = performance.now();
const siteObjects = allPages(catalogue).flatMap((ref) => {
  const o = renderRef(context, ref, { catalogue, articles: byId, views });
  return o ? [o] : [];
});
await publishObjects(siteObjects, [], { store: memoryStore, invalidator: noCdn });
const siteMs = performance.now() - startSite;
console.log(line('whole site', siteObjects.length, siteMs));

// 5. Publish one more article into the 4,000-article site: pages rendered and pages written.
const fresh: Article = {
  ...(articles[0] as Article),
  id: 'ffffffffffff0001',
  title: '新发布:在大战大考中守好小店阵地',
  channel: 'focus/public-welfare',
  publishedAt: '2030-01-01T08:00:00+08:00',
  updatedAt: '2030-01-01T00:00:00.000Z',
};
const affected = pagesAffectedBy(
  [{ id: fresh.id, before: { ...fresh, status: 'pending' }, after: fresh }],
  catalogue,
);
const afterArticles = new Map([...byId, [fresh.id, fresh]]);
const publishObjectsRendered = affected.render.flatMap((ref) => {
  const o = renderRef(context, ref, { catalogue: affected.catalogue, articles: afterArticles, views });
  return o ? [o] : [];
});
const outcome = await publishObjects(publishObjectsRendered, affected.remove, {
  store: memoryStore,
  invalidator: noCdn,
});
console.log(
  `publish one article into ${COUNT}: ${outcome.rendered} pages rendered, ${outcome.written.length} written (goal ≤ 8): ${outcome.written.join(', ')}`,
);
console.log(`  new page: ${listingPath(fresh as Listing)}`);
rmSync(work, { recursive: true, force: true });
