// `npm run bench:search`: the static search index (Pagefind, shared/search) at archive scale and in the browser.
//   1. Build time and index size for 4,000 and 100,000 seed-sized articles (SEARCH_SIZES=4000,100000 to choose),
//      split into parts as the search function splits it (shared/search/split-index.ts), each part's Pagefind CPU
//      and peak memory against the search function's memory. Every part built is kept under .bench/search-parts/;
//      SEARCH_REUSE=1 takes the parts found there instead of building them again (a resumed run: it prints which parts
//      it built and which it reused, and times only the ones it built). SEARCH_REUSE=only builds nothing: the browser
//      figures are then measured on the parts found, and it prints how many articles of the size those hold.
//   2. On the largest index, through the real /search/ page in Chromium: bytes the browser downloads for a first query
//      and then a second one, and the time from navigation to the first result, in the default scope (the newest
//      SEARCH_RECENT_PARTS parts) and with every part merged (`year=all`), and what 「搜索更早的文章」 adds.
//   3. recall@10 and precision@10 on the labelled queries (test/fixtures/search-queries.json) over the local sample
//      content, through the real /search/ page (site-assets/search.js), and for Pagefind's own ranking alone (the
//      baseline: what a page that shows Pagefind's top ten unchecked would get). Goal: recall@10 ≥ 0.95.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { sampleArticles } from '../../infra/local/sample-content.ts';
import { channels } from '../../shared/channels.ts';
import type { Article } from '../../shared/domain/article.ts';
import { renderSearchPage } from '../../shared/pages/search-page.ts';
import { loadSiteAssets } from '../../shared/render/assets.ts';
import { type BuiltIndex, buildSearchIndex } from '../../shared/search/pagefind-index.ts';
import { indexObjects } from '../../shared/search/publish-index.ts';
import { type SearchRecord, searchRecord } from '../../shared/search/records.ts';
import {
  SEARCH_ALL_YEARS,
  SEARCH_FUNCTION_MEMORY_MB,
  SEARCH_PART_MAX_ARTICLES,
  SEARCH_RECENT_PARTS,
  SPLIT_MANIFEST,
  type SplitManifest,
  searchParts,
  splitIndexFiles,
} from '../../shared/search/split-index.ts';
import { launchBrowser } from '../support/browser.ts';
import { seedArticle } from '../support/render-fixtures.ts';

const SIZES = (process.env.SEARCH_SIZES ?? '4000,100000').split(',').map(Number);
/** Hours between the corpus's articles: 0.9 puts about 9,700 in a year (100,000 span 2016–2026). */
const HOURS_APART = Number(process.env.SEARCH_HOURS_APART ?? 0.9);
const RECALL_GOAL = 0.95;
const QUERIES_AT_SCALE = ['信访', '隔离酒店'] as const;
const ENGINE = '/pagefind/pagefind.js';

interface Labelled {
  readonly queries: readonly { query: string; expected: readonly string[] }[];
}
const labelled = JSON.parse(
  readFileSync(new URL('../fixtures/search-queries.json', import.meta.url), 'utf8'),
) as Labelled;

const leaves = channels.all.filter((c) => c.children.length === 0).map((c) => c.path);
const paragraphs = seedArticle.body.split('\n\n');

/** Article `i` of a seed-sized corpus: the seed's paragraphs rotated, a numbered title, channels and dates varied. */
function corpusArticle(i: number): Article & { publishedAt: string } {
  const rotated = [...paragraphs.slice(i % paragraphs.length), ...paragraphs.slice(0, i % paragraphs.length)];
  const at = new Date(Date.UTC(2016, 0, 1) + i * HOURS_APART * 3_600_000).toISOString().replace('.000Z', 'Z');
  return {
    ...seedArticle,
    id: (0x2a8c6bce00000000n + BigInt(i)).toString(16).padStart(16, '0'),
    title: `第${i + 1}期:${seedArticle.title}`,
    channel: leaves[i % leaves.length] ?? seedArticle.channel,
    body: rotated.join('\n\n'),
    publishedAt: at,
    updatedAt: at,
  };
}

/** Articles `from` (inclusive) to `to` (exclusive) as index records, 500 at a time. */
function* corpusRecords(
  from: number,
  to: number,
  onBatch?: (added: number) => void,
): Generator<SearchRecord[]> {
  for (let i = from; i < to; i += 500) {
    const batch: SearchRecord[] = [];
    for (let j = i; j < Math.min(to, i + 500); j++) batch.push(searchRecord(corpusArticle(j)));
    yield batch;
    onBatch?.(Math.min(to, i + 500) - from);
  }
}

/** The corpus's articles by index part (shared/search/split-index.ts): it is in date order, so each part is one range. */
function corpusParts(count: number): { part: string; from: number; to: number }[] {
  const dated = Array.from({ length: count }, (_, i) => {
    const a = corpusArticle(i);
    return { id: a.id, publishedAt: a.publishedAt, i };
  });
  return searchParts(dated).map((p) => ({
    part: p.name,
    from: p.items[0]?.i ?? 0,
    to: (p.items.at(-1)?.i ?? -1) + 1,
  }));
}

/** Built parts kept between runs: one folder per corpus shape and part size, a file of bytes and one of paths. */
const CACHE = new URL(
  `../../.bench/search-parts/h${HOURS_APART}-max${SEARCH_PART_MAX_ARTICLES}/`,
  import.meta.url,
);
const REUSE = process.env.SEARCH_REUSE === '1' || process.env.SEARCH_REUSE === 'only';
const BUILD_MISSING = process.env.SEARCH_REUSE !== 'only';
const cacheName = (part: string, from: number, to: number) => `${part}_${from}-${to}`;

function cached(name: string): BuiltIndex | undefined {
  const meta = new URL(`${name}.json`, CACHE);
  if (!REUSE || !existsSync(meta)) return undefined;
  const { records, files } = JSON.parse(readFileSync(meta, 'utf8')) as {
    records: number;
    files: { path: string; length: number }[];
  };
  const bytes = readFileSync(new URL(`${name}.bin`, CACHE));
  let at = 0;
  const out = files.map((f) => {
    const content = new Uint8Array(bytes.buffer, bytes.byteOffset + at, f.length);
    at += f.length;
    return { path: f.path, content };
  });
  return { files: out, records };
}

function keep(name: string, index: BuiltIndex): void {
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(new URL(`${name}.bin`, CACHE), Buffer.concat(index.files.map((f) => f.content)));
  writeFileSync(
    new URL(`${name}.json`, CACHE),
    JSON.stringify({
      records: index.records,
      files: index.files.map((f) => ({ path: f.path, length: f.content.byteLength })),
    }),
  );
}

const sizeOf = (files: readonly { content: Uint8Array }[]) =>
  files.reduce((n, f) => n + f.content.byteLength, 0);
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
/** A Lambda function's longest run, and the search function's memory (infra/stacks/stateless-stack.ts). */
const LAMBDA_SECONDS = 900;
const SEARCH_FUNCTION_BYTES = SEARCH_FUNCTION_MEMORY_MB * 1_048_576;

/**
 * CPU seconds (user + system) and peak memory of the Pagefind processes this one starts while the sampler runs, read
 * from /proc once a second: the last sample before a process exits is what is counted (so up to a second is
 * missed). Processes already running when the sampler starts (a previous year's, still exiting) are not counted.
 */
function pagefindCpu(): { stop(): void; seconds(): number; peakBytes(): number } {
  const tick = Number(process.env.CLK_TCK ?? 100);
  const children = () =>
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .flatMap((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (Number(fields[1]) !== process.pid || !stat.includes('(pagefind')) return [];
          const status = readFileSync(`/proc/${pid}/status`, 'utf8');
          const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
          return [{ pid: Number(pid), cpu: (Number(fields[11]) + Number(fields[12])) / tick, hwm }];
        } catch {
          // The process ended between the listing and the read.
          return [];
        }
      });
  const before = new Set(children().map((c) => c.pid));
  const seen = new Map<number, { cpu: number; hwm: number }>();
  const sample = () => {
    for (const c of children()) if (!before.has(c.pid)) seen.set(c.pid, { cpu: c.cpu, hwm: c.hwm });
  };
  const timer = setInterval(sample, 1000);
  return {
    stop: () => {
      clearInterval(timer);
    },
    seconds: () => [...seen.values()].reduce((a, b) => a + b.cpu, 0),
    peakBytes: () => Math.max(0, ...[...seen.values()].map((v) => v.hwm)),
  };
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Serves the real /search/ page, the hashed assets and `index` under /pagefind/, as the bucket would (with a year's
 * cache lifetime, so a browser asks again only for what it has not got). `indexBytes()` is the bytes of /pagefind/
 * bodies sent so far: what the browser downloaded of the engine and the index, whatever the page did to need them.
 */
async function serveSite(
  index: BuiltIndex,
): Promise<{ url: string; server: Server; indexBytes(): number; indexPaths(): string[] }> {
  let sent = 0;
  const paths: string[] = [];
  const assets = loadSiteAssets();
  const objects = new Map<string, { body: Uint8Array | string; type: string }>();
  for (const a of assets.all) objects.set(`/${a.key}`, { body: a.body, type: a.contentType });
  for (const o of indexObjects(index.files)) objects.set(`/${o.key}`, { body: o.body, type: o.contentType });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const object =
      path === '/search/'
        ? { body: page, type: 'text/html; charset=utf-8' }
        : path === '/'
          ? { body: '<!DOCTYPE html><title>bench</title>', type: 'text/html' }
          : objects.get(path);
    if (!object) {
      res.writeHead(404).end();
      return;
    }
    if (path.startsWith('/pagefind/')) {
      sent += typeof object.body === 'string' ? Buffer.byteLength(object.body) : object.body.byteLength;
      paths.push(path);
    }
    res.writeHead(200, { 'content-type': object.type, 'cache-control': 'public, max-age=31536000' });
    res.end(object.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const page = renderSearchPage({ siteUrl: url, assets });
  return { url, server, indexBytes: () => sent, indexPaths: () => [...paths] };
}

async function resultsOf(
  browser: Browser,
  url: string,
  query: string,
): Promise<{ ids: string[]; ms: number }> {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}/search/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => {
      const status = document.querySelector('[data-search-status]')?.textContent ?? '';
      return status !== '' && !status.includes('…') && !status.includes('...');
    });
    const ms = await page.evaluate(() => performance.now());
    const hrefs = await page.$$eval('.search-result h2 a', (links) =>
      links.map((a) => a.getAttribute('href') ?? ''),
    );
    return { ids: hrefs.slice(0, 10).map((h) => h.replace(/^.*\//, '').replace('.html', '')), ms };
  } finally {
    await page.close();
  }
}

function score(results: ReadonlyMap<string, string[]>): {
  recall: number;
  precision: number;
  perfect: number;
} {
  let recall = 0;
  let precision = 0;
  let precisionCount = 0;
  let perfect = 0;
  for (const { query, expected } of labelled.queries) {
    const top = results.get(query) ?? [];
    const relevant = new Set(expected);
    const hits = top.filter((id) => relevant.has(id)).length;
    const r = hits / Math.min(10, relevant.size);
    recall += r;
    if (r === 1) perfect++;
    if (top.length > 0) {
      precision += hits / top.length;
      precisionCount++;
    }
  }
  return {
    recall: recall / labelled.queries.length,
    precision: precisionCount > 0 ? precision / precisionCount : 0,
    perfect,
  };
}

const browser = await launchBrowser();
const servers: Server[] = [];
try {
  // 1. Scale: the index split into parts (shared/search/split-index.ts), each part built on its own as the search
  // function builds it, then laid out as one tree the browser merges.
  console.log(
    `Index build, split into parts of at most ${SEARCH_PART_MAX_ARTICLES} articles (Pagefind 1.6.0 extended, in memory), ` +
      `seed-sized articles; load average ${loadAverage()}${REUSE ? '; SEARCH_REUSE=1: parts built by an earlier run are reused' : ''}`,
  );
  let largest: (BuiltIndex & { parts: number; of: number }) | undefined;
  for (const size of SIZES) {
    const started = performance.now();
    let done = 0;
    let fresh = { parts: 0, articles: 0, seconds: 0, cpu: 0 };
    let reused = { parts: 0, articles: 0 };
    let missing = { parts: 0, articles: 0 };
    let slowest = { part: '', seconds: 0, cpu: 0 };
    let peak = 0;
    const plan = corpusParts(size);
    // SEARCH_START_PART=n builds from the plan's n-th part on (then wraps), so runs started at different points fill
    // the cache in parallel; the index is laid out in time order whatever the build order.
    const start = Math.min(Number(process.env.SEARCH_START_PART ?? 0), plan.length);
    const built = new Map<string, BuiltIndex>();
    for (const { part, from, to } of [...plan.slice(start), ...plan.slice(0, start)]) {
      const name = cacheName(part, from, to);
      const earlier = cached(name);
      if (earlier) {
        built.set(part, earlier);
        done += earlier.records;
        reused = { parts: reused.parts + 1, articles: reused.articles + earlier.records };
        continue;
      }
      if (!BUILD_MISSING) {
        missing = { parts: missing.parts + 1, articles: missing.articles + (to - from) };
        continue;
      }
      const partStarted = performance.now();
      const cpu = pagefindCpu();
      // A part of a long run takes a while on a loaded machine: a line per 2,000 records added shows how far it got.
      const index = await buildSearchIndex(
        corpusRecords(from, to, (added) => {
          if (added % 2000 === 0 || added === to - from)
            console.log(
              `      ${part}: ${added}/${to - from} records added to Pagefind, ${((performance.now() - partStarted) / 1000).toFixed(0)} s, ` +
                `Pagefind CPU ≈ ${cpu.seconds().toFixed(1)} s, load average ${loadAverage()}`,
            );
        }),
      );
      cpu.stop();
      keep(name, index);
      const seconds = (performance.now() - partStarted) / 1000;
      built.set(part, index);
      done += index.records;
      fresh = {
        parts: fresh.parts + 1,
        articles: fresh.articles + index.records,
        seconds: fresh.seconds + seconds,
        cpu: fresh.cpu + cpu.seconds(),
      };
      if (seconds > slowest.seconds) slowest = { part, seconds, cpu: cpu.seconds() };
      peak = Math.max(peak, cpu.peakBytes());
      console.log(
        `    ${part}: ${index.records} articles in ${seconds.toFixed(1)} s (Pagefind CPU ≈ ${cpu.seconds().toFixed(1)} s, ` +
          `peak ${mb(cpu.peakBytes())}), ` +
          `${mb(sizeOf(index.files))}; ${done}/${size} indexed (part ${built.size}/${plan.length}), ` +
          `${((performance.now() - started) / 1000).toFixed(0)} s elapsed, load average ${loadAverage()}`,
      );
    }
    const parts = new Map(
      plan.flatMap(({ part }) => {
        const index = built.get(part);
        return index ? [[part, index] as const] : [];
      }),
    );
    const files = splitIndexFiles(parts);
    const seconds = (performance.now() - started) / 1000;
    const chunks = files.filter((f) => /^([\w-]+\/)?(index|fragment)\//.test(f.path));
    console.log(
      `  ${String(size).padStart(7)} articles in ${parts.size} part indexes, ${seconds.toFixed(1)} s wall in this run: ` +
        `${mb(sizeOf(files))} in ${files.length} files ` +
        `(${chunks.filter((f) => /index\//.test(f.path)).length} index chunks, ` +
        `${chunks.filter((f) => /fragment\//.test(f.path)).length} fragment files); load average ${loadAverage()}`,
    );
    if (fresh.parts > 0)
      console.log(
        `    built in this run: ${fresh.parts} parts, ${fresh.articles} articles in ${fresh.seconds.toFixed(1)} s ` +
          `(${Math.round(fresh.articles / Math.max(fresh.seconds, 1e-9))} articles/s), Pagefind CPU ≈ ${fresh.cpu.toFixed(1)} s; ` +
          `slowest part ${slowest.part}: ${slowest.seconds.toFixed(1)} s wall, Pagefind CPU ≈ ${slowest.cpu.toFixed(1)} s ` +
          `(${(slowest.cpu / LAMBDA_SECONDS).toFixed(2)}× a Lambda's 900 s); Pagefind's peak memory in any part ${mb(peak)} ` +
          `(${(peak / SEARCH_FUNCTION_BYTES).toFixed(2)}× the search function's ${SEARCH_FUNCTION_MEMORY_MB} MB)`,
      );
    if (reused.parts > 0)
      console.log(
        `    reused from ${CACHE.pathname} (built by an earlier run, not timed here): ${reused.parts} parts, ${reused.articles} articles`,
      );
    if (missing.parts > 0)
      console.log(
        `    NOT built (SEARCH_REUSE=only, not in the cache): ${missing.parts} parts, ${missing.articles} articles; ` +
          `the index below holds ${done} of the ${size} articles`,
      );
    largest = { files, records: done, parts: parts.size, of: size };
  }

  // 2. The browser on the largest index, through the real /search/ page (site-assets/search.js): what it downloads
  // and how long it takes, in the default scope (the newest SEARCH_RECENT_PARTS parts) and with every part merged
  // (`year=all`, what the page merged before the scope was bounded). Each scope in a fresh browser context (nothing
  // cached); its second query is the reader's next search (a new page load: the engine and the meta files it
  // already has come from the browser's cache).
  if (largest && largest.files.length > 0) {
    const site = await serveSite(largest);
    servers.push(site.server);
    const manifestFile = largest.files.find((f) => f.path === SPLIT_MANIFEST);
    const manifest = manifestFile
      ? (JSON.parse(new TextDecoder().decode(manifestFile.content)) as SplitManifest)
      : undefined;
    const partsIn = (extra: string) =>
      `${1 + (manifest ? (extra === SEARCH_ALL_YEARS ? manifest.parts.length : manifest.recent) : 0)}`;
    const settled = async (page: Page) => {
      await page.waitForFunction(() => {
        const status = document.querySelector('[data-search-status]')?.textContent ?? '';
        return status !== '' && !status.includes('…') && !status.includes('...');
      });
    };
    /** Navigates to a query; the bytes the server sent for it and the time from navigation to the first result. */
    const visit = async (page: Page, query: string, extra: string) => {
      const before = site.indexBytes();
      await page.goto(`${site.url}/search/?q=${encodeURIComponent(query)}${extra ? `&year=${extra}` : ''}`);
      await page.locator('.search-result').first().waitFor({ timeout: 600_000 });
      const ms = await page.evaluate(() => performance.now());
      await settled(page);
      await page.waitForTimeout(300);
      return { bytes: site.indexBytes() - before, ms };
    };
    console.log(
      `\nThe browser on the ${largest.records}-article index in ${largest.parts} parts` +
        `${largest.records < largest.of ? ` (only part of the ${largest.of}-article corpus: see above)` : ''}` +
        `: /search/ in Chromium, bytes of /pagefind/ (engine, each merged part's entry and meta, index chunks, the ` +
        `fragments checked); load average ${loadAverage()}`,
    );
    const figures: Record<string, number> = {};
    for (const [label, extra] of [
      [`default scope, the newest ${SEARCH_RECENT_PARTS} parts`, ''],
      ['every part merged (year=all)', SEARCH_ALL_YEARS],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const first = await visit(page, QUERIES_AT_SCALE[0], extra);
      const second = await visit(page, QUERIES_AT_SCALE[1], extra);
      await context.close();
      figures[extra] = first.bytes;
      console.log(`  ${label}: ${partsIn(extra)} parts searched; load average ${loadAverage()}`);
      console.log(`    first query  (${QUERIES_AT_SCALE[0]}): ${kb(first.bytes)}`);
      console.log(`    second query (${QUERIES_AT_SCALE[1]}): ${kb(second.bytes)} more`);
      console.log(
        `    time to first result: ${Math.round(first.ms)} ms cold, ${Math.round(second.ms)} ms with the engine cached`,
      );
    }
    const bounded = figures[''] ?? 0;
    const all = figures[SEARCH_ALL_YEARS] ?? 0;
    console.log(
      `  the default scope's first query is ${(bounded / Math.max(all, 1)).toFixed(2)}× the all-parts one (baseline: every part merged)`,
    );
    if (manifest && manifest.parts.length > manifest.recent) {
      // 搜索更早的文章 after a default-scope search: what merging the older parts adds on the same page.
      const context = await browser.newContext();
      const page = await context.newPage();
      await visit(page, QUERIES_AT_SCALE[0], '');
      const before = site.indexBytes();
      const started = performance.now();
      await page.locator('[data-search-older]').click();
      await page.waitForURL(/year=all/);
      await settled(page);
      const ms = performance.now() - started;
      await page.waitForTimeout(300);
      await context.close();
      console.log(
        `  「搜索更早的文章」 after the default search: ${kb(site.indexBytes() - before)} more, results in ${Math.round(ms)} ms; ` +
          `load average ${loadAverage()}`,
      );
    }
  }

  // 3. Quality on the labelled set (SEARCH_LABELLED=0 leaves it out, for a run after the index figures only).
  if (process.env.SEARCH_LABELLED !== '0') {
    const samples = sampleArticles().map((s) => s.article);
    const index = await buildSearchIndex([
      samples.map((a) => searchRecord({ ...a, publishedAt: a.publishedAt ?? a.submittedAt })),
    ]);
    const site = await serveSite(index);
    servers.push(site.server);
    const pageResults = new Map<string, string[]>();
    const times: number[] = [];
    for (const { query } of labelled.queries) {
      const { ids, ms } = await resultsOf(browser, site.url, query);
      pageResults.set(query, ids);
      times.push(ms);
    }
    const raw = await browser.newPage();
    await raw.goto(`${site.url}/`);
    const rawResults = new Map<string, string[]>(
      await raw.evaluate(
        async ([queries, engine]) => {
          const pagefind = await import(engine);
          const out: [string, string[]][] = [];
          for (const q of queries) {
            const search = await pagefind.search(q);
            const data = await Promise.all(
              search.results.slice(0, 10).map((r: { data: () => Promise<{ url: string }> }) => r.data()),
            );
            out.push([q, data.map((d: { url: string }) => d.url.replace(/^.*\//, '').replace('.html', ''))]);
          }
          return out;
        },
        [labelled.queries.map((q) => q.query), ENGINE] as const,
      ),
    );
    await raw.close();
    const page = score(pageResults);
    const baseline = score(rawResults);
    times.sort((a, b) => a - b);
    console.log(
      `\nLabelled queries: ${labelled.queries.length} over ${samples.length} sample articles; load average ${loadAverage()}`,
    );
    console.log(
      `  /search/ page:          recall@10 ${page.recall.toFixed(3)}, precision@10 ${page.precision.toFixed(3)} ` +
        `(${page.perfect} of ${labelled.queries.length} queries with full recall); goal recall ≥ ${RECALL_GOAL}: ` +
        `${(page.recall / RECALL_GOAL).toFixed(2)}× the goal`,
    );
    console.log(
      `  Pagefind's top 10 alone: recall@10 ${baseline.recall.toFixed(3)}, precision@10 ${baseline.precision.toFixed(3)} ` +
        `(baseline); the page's precision is ${(page.precision / Math.max(baseline.precision, 1e-9)).toFixed(2)}× it`,
    );
    console.log(
      `  time to the results on the sample site: median ${Math.round(times[Math.floor(times.length / 2)] ?? 0)} ms`,
    );
    for (const { query, expected } of labelled.queries) {
      const top = pageResults.get(query) ?? [];
      const missing = expected.slice(0, 10).filter((id) => !top.includes(id));
      const hits = top.filter((id) => expected.includes(id)).length;
      if (hits < Math.min(10, expected.length) || (missing.length > 0 && expected.length <= 10))
        console.log(`    ${query}: ${hits}/${Math.min(10, expected.length)} found, ${top.length} shown`);
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.close();
}
