// `npm run bench:scale`: what one publish costs at 1,000 and at 100,000 articles (issue #18). For each size, the
// local runtime runs in its own process on an empty DATA_DIR; the archive is written straight into its tables in
// batches (with the bulk-import marker, as `npm run import` writes, so the stream renders none of it), published at
// one steady rate back from now (one every 52.6 minutes: 100,000 are ten years), so both sizes have the same recent
// weeks and differ only by the age of the archive. The list counters are set as a rebuild's recount sets them.
// Then:
// - publish → the article page served and listed on home, through the API and the gateway, median of ROUNDS;
// - DynamoDB items read and S3 objects written by one publish, measured on render's own code in this process
//   (a counting SDK middleware and a counting site store) for one more publish;
// - the peak RSS of the runtime process (render, dynalite, s3rver and the gateway share it).
// The first publish (reported apart) also starts the runtime's caches. The archive is written without a rebuild,
// so the sitemap index lists only the months publishes touch: an import ends in a rebuild that lists them all.
// SIZES=1000,100000 and ROUNDS=5 by default.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { channels, listsContaining } from '../../shared/channels.ts';
import { forEachLimited } from '../../shared/concurrency.ts';
import type { Article } from '../../shared/domain/article.ts';
import { SITE_LIST } from '../../shared/render/catalogue.ts';
import { BULK_WRITE_MARKER } from '../../shared/stream-settings.ts';
import { median } from '../support/stats.ts';
import { startRuntimeProcess } from './runtime-process.ts';

const SIZES = (process.env.SIZES ?? '1000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const STEP_MS = Math.round((10 * 365.25 * 86_400_000) / 100_000);
const TOKEN = 'bench-scale-editor-token-0123456789';
const LEAVES = channels.all.filter((c) => c.children.length === 0).map((c) => c.path);

const hex = (n: number) => n.toString(16).padStart(16, '0').replace(/^0/, 'a');

function archiveArticle(n: number, size: number, now: number): Article {
  const at = new Date(now - (size - n + 1) * STEP_MS).toISOString();
  return {
    id: hex(n),
    title: `档案稿件 ${n}`,
    summary: `第 ${n} 篇的摘要。`,
    body: `## 小标题\n\n档案正文第 ${n} 篇。`,
    author: '',
    source: '',
    channel: LEAVES[n % LEAVES.length] ?? 'opinion',
    status: 'published',
    editor: 'admin',
    publishedAt: at,
    submittedAt: at,
    updatedAt: at,
    revision: 2,
  };
}

/** Peak and current RSS of a process, in MiB, from /proc. */
const memoryOf = (pid: number): { peakMiB: number; rssMiB: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMiB: Math.round(kib('VmHWM') / 1024), rssMiB: Math.round(kib('VmRSS') / 1024) };
};

interface SizeResult {
  readonly size: number;
  readonly seedS: number;
  readonly firstPublishS: number;
  readonly medianS: number;
  readonly samplesS: number[];
  readonly itemsRead: number;
  readonly readRequests: number;
  readonly objectsWritten: string[];
  readonly runtimePeakMiB: number;
}

async function measure(size: number): Promise<SizeResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `bench-scale-${size}-`));
  // On a loaded machine the empty site's start-up rebuild can outlast the local 30 s Lambda timeout: start again.
  const start = async (attempt = 1): Promise<Awaited<ReturnType<typeof startRuntimeProcess>>> => {
    try {
      return await startRuntimeProcess(dataDir, { editorToken: TOKEN });
    } catch (error) {
      if (attempt >= 3) throw error;
      console.error(`  runtime start failed (${(error as Error).message}); starting again`);
      return start(attempt + 1);
    }
  };
  const runtime = await start();
  try {
    const { documentClient } = await import('../../shared/aws/dynamo-client.ts');
    const { batchWriteAll } = await import('../../shared/aws/dynamo-batch.ts');
    const { localNames } = await import('../../infra/local/environment.ts');
    const table = localNames.ARTICLES_TABLE;
    const { toItem, listCounterId, LIST_COUNTER_ATTRIBUTE } = await import(
      '../../shared/aws/article-items.ts'
    );

    // ---- the archive, in batches of 25, 8 in flight ----
    const now = Date.now();
    const seedStart = performance.now();
    const chunks: number[][] = [];
    for (let n = 1; n <= size; n += 25)
      chunks.push(Array.from({ length: Math.min(25, size - n + 1) }, (_, i) => n + i));
    let done = 0;
    await forEachLimited(chunks, 8, async (chunk) => {
      await batchWriteAll(
        documentClient,
        table,
        chunk.map((n) => ({
          PutRequest: { Item: { ...toItem(archiveArticle(n, size, now)), [BULK_WRITE_MARKER]: 'bench' } },
        })),
      );
      done += chunk.length;
      if (done % 10_000 < 25) console.error(`  seeded ${done}/${size}`);
    });
    const counts = new Map<string, number>([[SITE_LIST, size]]);
    for (let n = 1; n <= size; n++)
      for (const p of listsContaining(LEAVES[n % LEAVES.length] ?? 'opinion'))
        counts.set(p, (counts.get(p) ?? 0) + 1);
    for (const [p, total] of counts)
      await documentClient.send(
        new PutCommand({ TableName: table, Item: { id: listCounterId(p), [LIST_COUNTER_ATTRIBUTE]: total } }),
      );
    const seedS = (performance.now() - seedStart) / 1000;

    // ---- publish → page served and listed on home ----
    const api = (p: string, init?: RequestInit) => fetch(`${runtime.url}${p}`, init);
    const publishOnce = async (i: number): Promise<number> => {
      const title = `规模测试稿件 ${size} ${i}`;
      const submitted = await api('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title, body: '## 小标题\n\n正文段落。', author: '', channel: 'law/cases' }),
      });
      const { id } = (await submitted.json()) as { id: string };
      const published = await api(`/api/admin/submissions/${id}/publish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const { url } = (await published.json()) as { url: string };
      const start = performance.now();
      for (;;) {
        const [page, home] = await Promise.all([api(url), api('/')]);
        const homeText = await home.text();
        await page.arrayBuffer();
        if (page.status === 200 && homeText.includes(title)) break;
        if (performance.now() - start > 600_000) throw new Error(`publish ${i} never showed`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return (performance.now() - start) / 1000;
    };
    const firstPublishS = await publishOnce(0);
    const samplesS: number[] = [];
    for (let i = 1; i <= ROUNDS; i++) samplesS.push(await publishOnce(i));
    const runtimePeakMiB = memoryOf(runtime.pid).peakMiB;

    // ---- one more publish, rendered by render's code in this process, counting reads and writes ----
    const { productionDeps } = await import('../../functions/render/deps.ts');
    const { renderChanges } = await import('../../functions/render/publish.ts');
    const { dynamoArticleStore } = await import('../../shared/aws/article-store.ts');
    const { countingDeps } = await import('../support/counting-deps.ts');
    const { s3Client } = await import('../../shared/aws/s3-client.ts');
    let itemsRead = 0;
    let readRequests = 0;
    let counting = false;
    documentClient.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        if (counting) {
          const output = (result.output ?? {}) as {
            Items?: unknown[];
            Item?: unknown;
            Responses?: Record<string, unknown[]>;
          };
          const items =
            (output.Items?.length ?? 0) +
            (output.Item ? 1 : 0) +
            Object.values(output.Responses ?? {}).reduce((n, r) => n + r.length, 0);
          if (output.Items || output.Item !== undefined || output.Responses) readRequests++;
          itemsRead += items;
        }
        return result;
      },
      { step: 'initialize', name: 'benchCountItems' },
    );
    const extra = {
      ...archiveArticle(size + 1, size, Date.now() + STEP_MS),
      title: `规模测试直接渲染 ${size}`,
    };
    // Published as the review function would (counters in the same transaction), but marked bulk so the
    // runtime's stream leaves it to this process.
    await dynamoArticleStore(documentClient, table).insert(extra, { bulk: 'bench' });
    const deps = countingDeps(productionDeps(), s3Client, localNames.SITE_BUCKET);
    counting = true;
    await renderChanges([{ id: extra.id, after: extra }], deps);
    counting = false;
    return {
      size,
      seedS,
      firstPublishS,
      medianS: median(samplesS),
      samplesS,
      itemsRead,
      readRequests,
      objectsWritten: [...deps.written].sort(),
      runtimePeakMiB,
    };
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Each size in a process of its own: its SDK clients point at its own runtime, and its memory starts clean. */
function inChild(size: number): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', String(size)],
      {
        env: process.env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as SizeResult);
      else reject(new Error(`size ${size}: child exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await measure(Number(process.argv[3]))));
  process.exit(0);
}

console.log(`bench:scale — load average at start: ${load()}`);
const results: SizeResult[] = [];
for (const size of SIZES) {
  const r = await inChild(size);
  results.push(r);
  const sitemaps = r.objectsWritten.filter((k) => k.startsWith('sitemap'));
  console.log(
    `${size.toLocaleString('en')} articles: seeded in ${r.seedS.toFixed(1)} s; first publish ${r.firstPublishS.toFixed(3)} s; ` +
      `publish → page + home median ${r.medianS.toFixed(3)} s (${r.samplesS.map((s) => s.toFixed(3)).join(', ')}); ` +
      `one publish reads ${r.itemsRead} items in ${r.readRequests} requests, writes ${r.objectsWritten.length} objects ` +
      `(${r.objectsWritten.length - sitemaps.length} besides ${sitemaps.length} sitemap files: ${r.objectsWritten.join(', ')}); ` +
      `runtime process peak RSS ${r.runtimePeakMiB} MiB`,
  );
}
const [small, large] = results;
if (small && large) {
  console.log(
    `ratio ${large.size.toLocaleString('en')} / ${small.size.toLocaleString('en')}: publish → page + home ${(large.medianS / small.medianS).toFixed(2)}× (goal ≤ 1.2); ` +
      `items read ${large.itemsRead} vs ${small.itemsRead}; objects written ${large.objectsWritten.length} vs ${small.objectsWritten.length}`,
  );
}
console.log(`load average at end: ${load()}`);
