// `npm run bench:render`: 4,000 seed-sized Markdown articles rendered to HTML files by our renderer and by
// Eleventy 3 (the design's baseline), alternating over 3 rounds on the same files (`--rounds=N`); then the pages
// written when one article is published into that 4,000-article site. Prints pages/s, ms/page and the ratio.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Eleventy from '@11ty/eleventy';
import type { Article } from '../../shared/domain/article.ts';
import type { SiteObject, SiteStore } from '../../shared/ports.ts';
import { allPages, pagesAffectedBy } from '../../shared/render/affected.ts';
import { contentHash } from '../../shared/render/assets.ts';
import { buildCatalogue, type Listing, listingPath, toListing } from '../../shared/render/catalogue.ts';
import { NO_HOT_RANKINGS } from '../../shared/render/hot-list.ts';
import { publishObjects, renderRef } from '../../shared/render/site.ts';
import { articleToEdit, editSteps } from '../support/edit-scenario.ts';
import { writeSeedCorpus } from './corpus.ts';
import { benchContext, readArticles, renderArticlesToFiles } from './render-files.ts';

const COUNT = 4000;
// Both sides read and write on a RAM file system where there is one (/dev/shm): this VM's disk took from 0.5 s to
// 4.8 s to take the same 4,000 × 15 KB files, run to run, which swamps rendering; the render function writes to S3,
// not to a disk. `--disk` uses the temp directory instead.
const ram = '/dev/shm';
const onDisk = process.argv.includes('--disk') || !existsSync(ram);
const work = mkdtempSync(path.join(onDisk ? tmpdir() : ram, 'render-bench-'));
const input = path.join(work, 'src');
mkdirSync(path.join(input, '_includes'), { recursive: true });

// 1. The corpus: seed-sized bodies, varied titles, dates and channels, as Markdown files with front matter (the
// same generator as the ops benchmark), plus the layout Eleventy needs.
writeSeedCorpus(input, COUNT, ['layout: article.njk']);
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

// 2. Ours: read the Markdown files, render every article page (with neighbours, JSON-LD, footer), write the files,
// on one thread as Eleventy does.
const runOurs = async (out: string) => {
  const articles = readArticles(input);
  return { pages: renderArticlesToFiles(articles, out), articles };
};

// 3. Eleventy 3 on the same files.
const runEleventy = async () => {
  const cwd = process.cwd();
  process.chdir(work);
  const eleventy = new Eleventy('src', '_site', { quietMode: true, configPath: 'eleventy.config.mjs' });
  await eleventy.write();
  process.chdir(cwd);
  return readdirSync(path.join(work, '_site'), { recursive: true }).filter((f) => String(f).endsWith('.html'))
    .length;
};

// Both write to the same file system. Rounds alternate, each starting from empty output directories with the
// previous round's writes flushed (`sync`), so neither side pays for the other's write-back; the disk of a shared
// VM is noisy, so the ratio reported is of the medians.
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3);
const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
};
const oursRuns: number[] = [];
const eleventyRuns: number[] = [];
let ourPages = 0;
let eleventyPages = 0;
let corpus: Awaited<ReturnType<typeof runOurs>> | undefined;
for (let round = 1; round <= ROUNDS; round++) {
  rmSync(path.join(work, 'ours'), { recursive: true, force: true });
  rmSync(path.join(work, '_site'), { recursive: true, force: true });
  execFileSync('sync');
  const ours = await timed(() => runOurs(path.join(work, 'ours')));
  execFileSync('sync');
  const eleventy = await timed(runEleventy);
  corpus = ours.result;
  ourPages = ours.result.pages;
  eleventyPages = eleventy.result;
  oursRuns.push(ours.ms);
  eleventyRuns.push(eleventy.ms);
  console.log(
    `round ${round}: render ${(ours.ms / 1000).toFixed(2)} s, eleventy 3 ${(eleventy.ms / 1000).toFixed(2)} s`,
  );
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const oursMs = median(oursRuns);
const eleventyMs = median(eleventyRuns);
if (!corpus) throw new Error('no rounds run');
const { articles } = corpus;
const context = benchContext();
const views = new Map<string, number>();
const catalogue = buildCatalogue(articles.map(toListing).filter((l): l is Listing => Boolean(l)));
const byId = new Map(articles.map((a) => [a.id, a]));

const rate = (pages: number, ms: number) => pages / (ms / 1000);
const line = (name: string, pages: number, ms: number) =>
  `${name.padEnd(12)} ${pages} pages in ${(ms / 1000).toFixed(2)} s: ${rate(pages, ms).toFixed(0)} pages/s, ${(ms / pages).toFixed(3)} ms/page`;
console.log(`median of ${ROUNDS} rounds, files on ${onDisk ? 'disk' : 'tmpfs'}:`);
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
const now = new Date();
const startSite = performance.now();
const siteObjects = allPages(catalogue).flatMap((ref) => {
  const o = renderRef(context, ref, { catalogue, articles: byId, views, now });
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
  const o = renderRef(context, ref, { catalogue: affected.catalogue, articles: afterArticles, views, now });
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

// 6. Edits of a published article in the middle of its lists (issue 21, goal ≤ 8 pages): a public correction of
// the body, then a new title, then a move to another channel (both channels' lists count), each from the last
// (test/support/edit-scenario.ts; test/unit/edit-pages.test.ts asserts the same counts).
let site = affected.catalogue;
let live = afterArticles;
for (const { name, before, after } of editSteps(articleToEdit(live.values()))) {
  // The render function passes the stored rankings and its clock; this site has no views, so its boxes are empty.
  const edit = pagesAffectedBy([{ id: after.id, before, after }], site, { hot: NO_HOT_RANKINGS, now });
  live = new Map([...live, [after.id, after]]);
  const objects = edit.render.flatMap((ref) => {
    const o = renderRef(context, ref, { catalogue: edit.catalogue, articles: live, views, now });
    return o ? [o] : [];
  });
  const done = await publishObjects(objects, edit.remove, { store: memoryStore, invalidator: noCdn });
  console.log(
    `edit of a published article (${name}): ${done.rendered} pages rendered, ${done.written.length} written (goal ≤ 8): ${done.written.join(', ')}`,
  );
  site = edit.catalogue;
}
rmSync(work, { recursive: true, force: true });
