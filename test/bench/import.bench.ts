// `npm run bench:import`: the DedeCMS path on COUNT (20,000) synthetic rows (GBK CSV, HTML bodies in the fixtures'
// style), next to today's Markdown import of the same count (seed-sized articles, test/bench/corpus.ts). Each import
// runs as its own process, as `npm run import` does, against a fresh local runtime in another process; the figures
// are its wall time (the final render of every affected page included), its phases, and its peak resident memory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { importSource, sourceFor } from '../../infra/ops/import.ts';
import {
  dedecmsChannels,
  dedecmsRows,
  dedecmsTypes,
  toCsv,
  toPhpMyAdminJson,
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

const COUNT = Number(process.env.COUNT ?? 20_000);
const work = mkdtempSync(path.join(tmpdir(), 'import-bench-'));

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

try {
  // DedeCMS rows as the fixtures make them, all approved and in mapped columns, so both paths import COUNT articles.
  const dede = path.join(work, 'dedecms');
  mkdirSync(dede, { recursive: true });
  const rows = dedecmsRows(COUNT, []);
  for (const row of rows.archives) row.arcrank = '0';
  writeFileSync(path.join(dede, 'dede_archives.csv'), iconv.encode(toCsv(rows.archives), 'gbk'));
  writeFileSync(path.join(dede, 'dede_addonarticle.csv'), iconv.encode(toCsv(rows.addonarticle), 'gbk'));
  writeFileSync(
    path.join(dede, 'dede_arctype.json'),
    toPhpMyAdminJson(
      'dede_arctype',
      dedecmsTypes.map((t) => ({ ...t })),
    ),
  );
  const channels = path.join(work, 'channels.json');
  writeFileSync(channels, JSON.stringify({ ...dedecmsChannels, '5': 'opinion' }));
  const markdown = path.join(work, 'markdown');
  writeSeedCorpus(markdown, COUNT);
  console.log(`corpus: ${COUNT} DedeCMS rows (GBK CSV, HTML bodies) and ${COUNT} seed-sized Markdown files`);

  const results = {
    markdown: await measure('markdown', ['markdown', markdown]),
    dedecms: await measure('dedecms', ['dedecms', dede, channels]),
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
  console.log(
    `ratio DedeCMS / Markdown (baseline: today's Markdown import of the same count): time ${(results.dedecms.ms / results.markdown.ms).toFixed(2)}×, peak memory ${(results.dedecms.maxRssMiB / results.markdown.maxRssMiB).toFixed(2)}×`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
