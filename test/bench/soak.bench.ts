// `npm run bench:soak [-- --minutes N]`: the local runtime under steady mixed traffic (default 10 minutes). Six readers
// load pages (home, channel pages, articles, feed, sitemap) and report a view for each article they load; a
// contributor submits every half second; an editor publishes every third submission. Goals: no non-2xx answer,
// every view sent is counted, every published page is served, and the runtime's RSS at minute 10 is at most 1.2×
// its RSS at minute 2. The runtime runs in its own process on loopback (as `npm start` runs it); the traffic stops
// by itself at the deadline or after MAX_REQUESTS, whichever comes first.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOTAL_WRITE_INTERVAL_MS } from '../../shared/aws/view-counts.ts';
import { channels } from '../../shared/channels.ts';
import { MAX_IDS_PER_READ } from '../../shared/domain/views.ts';
import { startRuntimeProcess } from './runtime-process.ts';

const READERS = 6;
const SUBMIT_EVERY_MS = 500;
const PUBLISH_EVERY = 3;
/** The count bound: traffic stops here even before the deadline. */
const MAX_REQUESTS = 3_000_000;
const RSS_MARKS = [2, 5, 10];
const RSS_GOAL = 1.2;
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const channelPaths = channels.all.map((c) => c.path);
const ARTICLE_PATH = /^\/\d{4}\/\d{4}\/([0-9a-f]{16})\.html$/;

function parseMinutes(args: string[]): number {
  const at = args.findIndex((a) => a === '--minutes' || a.startsWith('--minutes='));
  if (at < 0) return 10;
  const arg = args[at] ?? '';
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60) {
    console.error(`error: --minutes takes a number of minutes from 0.1 to 60 (got "${raw ?? ''}").`);
    process.exit(2);
  }
  return minutes;
}

/** Resident memory of a process and its descendants, in bytes (a process's RSS covers its worker threads). */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const visit = (pid: number) => {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(rss ?? 0) * 1024;
    } catch {
      return;
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return total;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const n = (value: number) => value.toLocaleString('en-US');
const line = (label: string, value: string) => console.log(`  ${label.padEnd(40)} ${value}`);

const minutes = parseMinutes(process.argv.slice(2));
const editorToken = randomBytes(24).toString('base64url');
const dataDir = mkdtempSync(path.join(tmpdir(), 'newsroom-soak-'));
const runtime = await startRuntimeProcess(dataDir, { seed: true, editorToken });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const base = new URL(runtime.url);

interface Answer {
  readonly status: number;
  readonly body: string;
}

let requests = 0;
const failures = new Map<string, number>();
const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);

/** One request on a keep-alive socket; a network error counts as a failure with status 0. */
function send(
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  requests++;
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: pathname,
        method,
        agent,
        headers: { 'user-agent': BROWSER, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

const kindOf = (pathname: string) =>
  pathname === '/'
    ? 'home'
    : ARTICLE_PATH.test(pathname)
      ? 'article'
      : pathname.endsWith('.xml')
        ? pathname.slice(1)
        : pathname.startsWith('/api/')
          ? pathname.split('/').slice(0, 3).join('/')
          : 'channel';

async function call(method: string, pathname: string, headers: Record<string, string> = {}, body?: string) {
  const answer = await send(method, pathname, headers, body);
  if (answer.status < 200 || answer.status > 299) fail(`${answer.status} ${method} ${kindOf(pathname)}`);
  return answer;
}

// What the readers know of the site: from the sitemap at the start, and each time a reader loads it again. A sitemap
// index (its children under /sitemaps/) is followed: every child at the start, the newest child afterwards.
const articles: string[] = [];
const channelPages: string[] = [];
const known = new Set<string>();
const locsOf = (xml: string) =>
  [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map(([, loc]) => new URL(loc ?? '/', base).pathname);
function learn(urlset: string) {
  for (const pathname of locsOf(urlset)) {
    if (known.has(pathname) || pathname === '/' || pathname.endsWith('.xml')) continue;
    known.add(pathname);
    (ARTICLE_PATH.test(pathname) ? articles : channelPages).push(pathname);
  }
}
async function learnFromSitemap(sitemap: string, everyChild: boolean) {
  if (!sitemap.includes('<sitemapindex')) return learn(sitemap);
  const children = locsOf(sitemap);
  const newestMonth = children.filter((c) => /\/\d{4}-\d{2}(-\d+)?\.xml$/.test(c)).at(-1);
  for (const child of everyChild ? children : newestMonth ? [newestMonth] : []) {
    const part = await call('GET', child);
    if (part.status === 200) learn(part.body);
  }
}
await learnFromSitemap((await call('GET', '/sitemap.xml')).body, true);
const startingArticles = articles.map((p) => ARTICLE_PATH.exec(p)?.[1] ?? '');

async function viewCounts(ids: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_READ) {
    const answer = await send('GET', `/api/views?ids=${ids.slice(i, i + MAX_IDS_PER_READ).join(',')}`, {});
    if (answer.status !== 200) throw new Error(`GET /api/views answered ${answer.status}: ${answer.body}`);
    for (const [id, count] of Object.entries(
      (JSON.parse(answer.body) as { views: Record<string, number> }).views,
    ))
      counts.set(id, count);
  }
  return counts;
}
const before = await viewCounts(startingArticles);

const started = performance.now();
const deadline = started + minutes * 60_000;
const running = () => performance.now() < deadline && requests < MAX_REQUESTS;
const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(Math.random() * list.length)];
const viewsSent = new Map<string, number>();
let viewsAnswered = 0;

async function reader() {
  while (running()) {
    const roll = Math.random();
    const pathname =
      roll < 0.2
        ? '/'
        : roll < 0.4
          ? (pick(channelPages) ?? '/')
          : roll < 0.85
            ? (pick(articles) ?? '/')
            : roll < 0.925
              ? '/feed.xml'
              : '/sitemap.xml';
    const page = await call('GET', pathname, { 'accept-encoding': 'gzip, br' });
    if (pathname === '/sitemap.xml' && page.status === 200) await learnFromSitemap(page.body, false);
    const id = ARTICLE_PATH.exec(pathname)?.[1];
    if (id && page.status === 200) {
      // As the page script does: one view per page load, with a random X-View-Id.
      const view = await call('POST', `/api/views/${id}`, {
        'x-view-id': randomBytes(12).toString('base64url'),
      });
      if (view.status === 200) {
        viewsSent.set(id, (viewsSent.get(id) ?? 0) + 1);
        viewsAnswered++;
      }
    }
  }
}

let submitted = 0;
const published: { id: string; url: string }[] = [];
async function contributorAndEditor() {
  while (running()) {
    const tick = performance.now();
    const answer = await call(
      'POST',
      '/api/submissions',
      { 'content-type': 'application/json' },
      JSON.stringify({
        title: `压力测试稿件 ${submitted + 1}`,
        body: `## 小标题\n\n压力测试正文第 ${submitted + 1} 篇。${'正文段落。'.repeat(40)}`,
        author: '测试',
        channel: pick(channelPaths) ?? '',
      }),
    );
    if (answer.status === 201) {
      submitted++;
      if (submitted % PUBLISH_EVERY === 0) {
        const { id } = JSON.parse(answer.body) as { id: string };
        const result = await call('POST', `/api/admin/submissions/${id}/publish`, {
          authorization: `Bearer ${editorToken}`,
        });
        if (result.status === 200)
          published.push({ id, url: (JSON.parse(result.body) as { url: string }).url });
      }
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, SUBMIT_EVERY_MS - (performance.now() - tick))),
    );
  }
}

// Memory: sampled every 5 s. The figure at minute N is the sample taken then; V8 grows and shrinks its heaps in
// steps of tens of MiB, so each minute's line also shows the lowest and highest sample of that minute.
const rssAt = new Map<number, number>();
let minuteSamples: number[] = [];
let minute = 0;
let lastRequests = 0;
console.log(
  `soak: ${minutes} min, ${READERS} readers, a submission every ${SUBMIT_EVERY_MS} ms, a publish every ${PUBLISH_EVERY} submissions`,
);
console.log(
  `  runtime pid ${runtime.pid} at ${runtime.url} (data in ${dataDir}); ${articles.length} articles to start`,
);
let ticks = 0;
const sampler = setInterval(() => {
  const rss = treeRss(runtime.pid);
  minuteSamples.push(rss);
  if (++ticks % 12 !== 0) return;
  minute++;
  rssAt.set(minute, rss);
  const nonOk = [...failures.values()].reduce((a, b) => a + b, 0);
  console.log(
    `  minute ${String(minute).padStart(2)}: ${n(requests - lastRequests)} requests (${n(Math.round((requests - lastRequests) / 60))}/s), ${nonOk} non-2xx so far, ${published.length} published, RSS ${mib(rss)} MiB (this minute ${mib(Math.min(...minuteSamples))}–${mib(Math.max(...minuteSamples))})`,
  );
  minuteSamples = [];
  lastRequests = requests;
}, 5_000);
// A watchdog: whatever happens, the bench and its runtime stop.
const watchdog = setTimeout(
  async () => {
    console.error('error: the soak did not finish within its deadline plus 5 minutes; stopping.');
    await runtime.stop();
    process.exit(1);
  },
  (minutes + 5) * 60_000,
);

await Promise.all([...Array.from({ length: READERS }, reader), contributorAndEditor()]);
const elapsed = (performance.now() - started) / 1000;
clearInterval(sampler);
const finalRss = treeRss(runtime.pid);
// The last minute's mark falls at the deadline, where the traffic (and the sampler) stops: the sample taken here.
const lastMinute = Math.round(elapsed / 60);
if (Math.abs(elapsed - lastMinute * 60) < 5 && !rssAt.has(lastMinute)) {
  rssAt.set(lastMinute, finalRss);
  console.log(
    `  minute ${String(lastMinute).padStart(2)}: ${n(requests - lastRequests)} requests, RSS ${mib(finalRss)} MiB (this minute ${mib(Math.min(finalRss, ...minuteSamples))}–${mib(Math.max(finalRss, ...minuteSamples))})`,
  );
}

// Drain: the stream renders the last publishes; then every published page must answer 200 at its URL.
let served = 0;
const settleBy = performance.now() + 60_000;
for (const { url } of published) {
  for (;;) {
    const page = await send('GET', new URL(url, base).pathname, {});
    if (page.status === 200) {
      served++;
      break;
    }
    if (performance.now() > settleBy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
// Views: the counts read back through the API, against what was sent. GET reads each article's total, which an
// instance writes at most every TOTAL_WRITE_INTERVAL_MS (the last views of a burst trail by that much).
await new Promise((resolve) => setTimeout(resolve, TOTAL_WRITE_INTERVAL_MS + 1000));
const after = await viewCounts([...new Set([...startingArticles, ...viewsSent.keys()])]);
let counted = 0;
for (const [id, count] of after) counted += count - (before.get(id) ?? 0);

clearTimeout(watchdog);
await runtime.stop();
agent.destroy();
rmSync(dataDir, { recursive: true, force: true });

const nonOk = [...failures.values()].reduce((a, b) => a + b, 0);
const verdict = (ok: boolean) => (ok ? 'OK' : 'NOT met');
console.log(`\nsoak results (${(elapsed / 60).toFixed(1)} min of traffic)`);
line('requests', `${n(requests)} (${n(Math.round(requests / elapsed))}/s)`);
line('non-2xx answers (goal 0)', `${n(nonOk)} ${verdict(nonOk === 0)}`);
for (const [what, count] of [...failures].sort((a, b) => b[1] - a[1]).slice(0, 8))
  line(`  ${what}`, n(count));
line(
  'views sent / counted (goal equal)',
  `${n(viewsAnswered)} / ${n(counted)} ${verdict(viewsAnswered === counted)}`,
);
line(
  'pages published / served (goal equal)',
  `${n(published.length)} / ${n(served)} ${verdict(published.length === served)} (${n(submitted)} submissions)`,
);
const marks = RSS_MARKS.filter((m) => rssAt.has(m));
line(
  `RSS at minute ${marks.join(', ')}`,
  marks.length > 0
    ? `${marks.map((m) => mib(rssAt.get(m) ?? 0)).join(' / ')} MiB`
    : 'run too short for a mark',
);
line('RSS at the end', `${mib(finalRss)} MiB`);
const first = rssAt.get(2);
const last = marks[marks.length - 1];
if (first && last !== undefined && last > 2) {
  const ratio = (rssAt.get(last) ?? 0) / first;
  line(
    `RSS ratio minute ${last} / minute 2`,
    `${ratio.toFixed(2)} (goal ≤ ${RSS_GOAL} at 10/2) ${verdict(ratio <= RSS_GOAL)}`,
  );
}
