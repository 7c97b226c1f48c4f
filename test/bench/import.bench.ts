// `npm run bench:import`: the DedeCMS and WordPress paths on COUNT (20,000) synthetic rows (GBK CSV, a WXR; HTML
// bodies in the fixtures' style), next to today's Markdown import of the same count (seed-sized articles,
// test/bench/corpus.ts). Each import runs as its own process, as `npm run import` does, against a fresh local runtime
// in another process; the figures are its wall time (the final render of every affected page included), its phases,
// and its peak resident memory.
//
// `MODE=read SIZES=10000,40000 npm run bench:import`: only the sources' reading, at each size, each in its own
// process with no runtime: a WordPress WXR, DedeCMS as GBK CSV and as a GBK mysqldump, every entry read in batches of
// 500 as the import takes them (no conversion, no writes). Its figure is the process's peak resident memory (VmHWM),
// which stays flat as the export grows when the source streams, and grows with it when the source parses it whole.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { importSource, sourceFor } from '../../infra/ops/import.ts';
import {
  dedecmsChannels,
  dedecmsRows,
  dedecmsTypes,
  toCsv,
  toMysqlDump,
  toPhpMyAdminJson,
  wordpressChannels,
  wordpressPosts,
  wxr,
} from '../fixtures/migration/generate.ts';
import { writeSeedCorpus } from './corpus.ts';
import { importPhases, runBenchChild, startRuntimeProcess } from './runtime-process.ts';

interface ChildResult {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly imported: number;
  readonly phases: Record<string, number>;
}

// ---- the child: one import, measured from inside its own process ------------------------------------------------
if (process.argv[2] === '--child') {
  const [, , , from = 'markdown', input = '', channels = ''] = process.argv;
  const started = performance.now();
  const outcome = await importSource(
    sourceFor(from, input, new Map(channels ? [['channels', channels]] : [])),
  );
  const result: ChildResult = {
    ms: performance.now() - started,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    imported: outcome.written.length + outcome.unchanged,
    phases: {},
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** The process's peak resident memory so far, from the kernel's own count. */
const vmHwmMiB = (): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;

// ---- the read-only child: a source read through, as the import reads it, nothing converted or written ------------
if (process.argv[2] === '--read') {
  const [, , , from = 'wordpress', input = '', channels = ''] = process.argv;
  const started = performance.now();
  const source = sourceFor(from, input, new Map([['channels', channels]]));
  const entries = source.entries[Symbol.iterator]();
  let read = 0;
  let articles = 0;
  let batch: unknown[] = [];
  for (let next = entries.next(); !next.done; next = entries.next()) {
    batch.push(next.value);
    if (next.value.kind === 'article') articles++;
    if (batch.length === 500) {
      read += batch.length;
      batch = [];
    }
  }
  read += batch.length;
  const result = { ms: performance.now() - started, vmHwmMiB: vmHwmMiB(), read, articles };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const COUNT = Number(process.env.COUNT ?? 20_000);
const work = mkdtempSync(path.join(tmpdir(), 'import-bench-'));

/** The exports of `count` articles each: a WXR, DedeCMS as GBK CSV files and as one GBK mysqldump. */
function writeExports(dir: string, count: number) {
  mkdirSync(dir, { recursive: true });
  const dede = path.join(dir, 'dedecms');
  mkdirSync(dede, { recursive: true });
  // DedeCMS rows as the fixtures make them, all approved and in mapped columns, so every path imports `count`.
  const rows = dedecmsRows(count, []);
  for (const row of rows.archives) row.arcrank = '0';
  const types = dedecmsTypes.map((t) => ({ ...t }));
  writeFileSync(path.join(dede, 'dede_archives.csv'), iconv.encode(toCsv(rows.archives), 'gbk'));
  writeFileSync(path.join(dede, 'dede_addonarticle.csv'), iconv.encode(toCsv(rows.addonarticle), 'gbk'));
  writeFileSync(path.join(dede, 'dede_arctype.json'), toPhpMyAdminJson('dede_arctype', types));
  const sql = path.join(dir, 'dedecms.sql');
  // mysqldump's order (tables by name): the bodies before their rows; extended INSERTs of 100 rows.
  writeFileSync(
    sql,
    iconv.encode(
      toMysqlDump('dede_addonarticle', rows.addonarticle) +
        toMysqlDump('dede_archives', rows.archives) +
        toMysqlDump('dede_arctype', types),
      'gbk',
    ),
  );
  const dedeChannels = path.join(dir, 'dede-channels.json');
  writeFileSync(dedeChannels, JSON.stringify({ ...dedecmsChannels, '5': 'opinion' }));
  const wp = path.join(dir, 'export.xml');
  // wordpressPosts adds two drafts, a page and an attachment to the `count` posts; every category is mapped.
  writeFileSync(wp, wxr(wordpressPosts(count, [])));
  const wpChannels = path.join(dir, 'wp-channels.json');
  writeFileSync(wpChannels, JSON.stringify({ ...wordpressChannels, shenghuo: 'opinion' }));
  return { dede, sql, dedeChannels, wp, wpChannels };
}

/** Runs one import in a child process against a fresh runtime; phases come from the importer's own summary lines. */
async function measure(label: string, args: string[]): Promise<ChildResult> {
  const dataDir = path.join(work, `data-${label}`);
  const runtime = await startRuntimeProcess(dataDir);
  try {
    const { code, out, err } = await runBenchChild(import.meta.filename, ['--child', ...args], dataDir);
    if (code !== 0) throw new Error(`${label} import exited with ${code}:\n${err.slice(-2000)}`);
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildResult;
    const phases = importPhases(err);
    return { ...result, phases };
  } finally {
    await runtime.stop();
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const fileSize = (file: string) => statSync(file).size;
const dirSize = (dir: string) => readdirSync(dir).reduce((sum, f) => sum + fileSize(path.join(dir, f)), 0);

async function readOnly(): Promise<void> {
  const sizes = (process.env.SIZES ?? '10000,40000').split(',').map(Number);
  const rows: string[] = [];
  for (const size of sizes) {
    const e = writeExports(path.join(work, String(size)), size);
    const runs = [
      ['wordpress', 'WordPress WXR', e.wp, e.wpChannels, mib(fileSize(e.wp))],
      ['dedecms', 'DedeCMS GBK CSV', e.dede, e.dedeChannels, mib(dirSize(e.dede))],
      ['dedecms', 'DedeCMS GBK mysqldump', e.sql, e.dedeChannels, mib(fileSize(e.sql))],
    ] as const;
    for (const [from, label, input, channels, bytes] of runs) {
      const { code, out, err } = await runBenchChild(
        import.meta.filename,
        ['--read', from, input, channels],
        work,
      );
      if (code !== 0) {
        const reason =
          err
            .trim()
            .split('\n')
            .find((l) => l.startsWith('error') || l.includes('Error')) ?? `exit ${code}`;
        rows.push(`${size}\t${label}\t${bytes}\tnot read: ${reason.slice(0, 160)}`);
      } else {
        const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
          ms: number;
          vmHwmMiB: number;
          read: number;
          articles: number;
        };
        rows.push(
          `${size}\t${label}\t${bytes}\t${r.read} entries (${r.articles} articles) in ${(r.ms / 1000).toFixed(1)} s, VmHWM ${r.vmHwmMiB.toFixed(0)} MiB`,
        );
      }
      console.log(rows.at(-1));
    }
  }
  console.log('\nsize\tsource\texport\tread');
  for (const row of rows) console.log(row);
}

async function fullImports(): Promise<void> {
  const e = writeExports(path.join(work, 'exports'), COUNT);
  const markdown = path.join(work, 'markdown');
  writeSeedCorpus(markdown, COUNT);
  console.log(
    `corpus: ${COUNT} DedeCMS rows (GBK CSV, HTML bodies), ${COUNT} WordPress posts (WXR) and ${COUNT} seed-sized Markdown files`,
  );

  const results = {
    markdown: await measure('markdown', ['markdown', markdown]),
    dedecms: await measure('dedecms', ['dedecms', e.dede, e.dedeChannels]),
    wordpress: await measure('wordpress', ['wordpress', e.wp, e.wpChannels]),
  };
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  for (const [name, r] of Object.entries(results)) {
    const phases = Object.entries(r.phases)
      .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`)
      .join(', ');
    console.log(
      `${name}: ${r.imported} articles imported in ${s(r.ms)} (${(r.imported / (r.ms / 1000)).toFixed(0)}/s; ${phases}), peak RSS ${r.maxRssMiB.toFixed(0)} MiB`,
    );
  }
  for (const name of ['dedecms', 'wordpress'] as const) {
    console.log(
      `ratio ${name} / Markdown (baseline: today's Markdown import of the same count): time ${(results[name].ms / results.markdown.ms).toFixed(2)}×, peak memory ${(results[name].maxRssMiB / results.markdown.maxRssMiB).toFixed(2)}×`,
    );
  }
}

try {
  if (process.env.MODE === 'read') await readOnly();
  else await fullImports();
} finally {
  rmSync(work, { recursive: true, force: true });
}
