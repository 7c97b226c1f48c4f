// `npm run bench:archive`: bringing a whole archive in and re-rendering it (issue #18). For each size (SIZES, by
// default 1,000 and 100,000), a fresh local runtime in its own process, `count` seed-sized Markdown articles
// (test/bench/corpus.ts), then two ops commands, each in a process of its own as `npm run import` and
// `npm run rebuild -- --force` run:
// - the import (streamed in batches; its time includes the render of every page it affects, that is the whole site);
// - a forced rebuild of every page.
// Each prints its wall time, per-article (per-page) time, and the peak RSS of the process doing the work (VmHWM),
// with the load averages around it: the machine is shared. The baseline is the smallest size: per-article time at
// the largest / at the smallest shows whether the work stays linear, and peak RSS whether memory stays bounded.
// IMPORT_BUDGET_S and REBUILD_BUDGET_S stop a step after so many seconds, as Ctrl-C stops it (the batch or slices
// in flight are finished): on a busy shared machine a step may not finish in the time there is, and then the
// figures say how far it got (`stopped`), at what rate and peak RSS.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSeedCorpus } from './corpus.ts';
import { importPhases, runBenchChild, startRuntimeProcess } from './runtime-process.ts';

interface StepResult {
  readonly ms: number;
  readonly peakMiB: number;
  /** Articles imported, or pages rebuilt. */
  readonly count: number;
  /** Stopped by its time budget before it finished. */
  readonly stopped: boolean;
  readonly detail: Record<string, number>;
}

/** Peak and current RSS of a process, in MiB, from /proc. */
const memoryOf = (pid: number | 'self'): { peakMiB: number; rssMiB: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMiB: Math.round(kib('VmHWM') / 1024), rssMiB: Math.round(kib('VmRSS') / 1024) };
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ---- the children: one ops command each, measured from inside its own process ------------------------------------
if (process.argv[2] === '--import' || process.argv[2] === '--rebuild') {
  const started = performance.now();
  const budget = Number(
    process.env[process.argv[2] === '--import' ? 'IMPORT_BUDGET_S' : 'REBUILD_BUDGET_S'] ?? 0,
  );
  const signal = budget > 0 ? AbortSignal.timeout(budget * 1000) : undefined;
  let result: Omit<StepResult, 'ms' | 'peakMiB'>;
  if (process.argv[2] === '--import') {
    const { importSource, sourceFor } = await import('../../infra/ops/import.ts');
    const outcome = await importSource(sourceFor('markdown', process.argv[3] ?? '', new Map()), {
      ...(signal ? { signal } : {}),
    });
    if (outcome.errors.length > 0) throw new Error(`import: ${outcome.errors.length} errors`);
    result = {
      count: outcome.written.length + outcome.unchanged,
      stopped: outcome.interrupted,
      detail: { written: outcome.written.length },
    };
  } else {
    const { rebuildLocal } = await import('../../infra/ops/rebuild.ts');
    const outcome = await rebuildLocal({ force: true, ...(signal ? { signal } : {}) });
    result = {
      count: outcome.written,
      stopped: outcome.interrupted,
      detail: { pages: outcome.pages, rendered: outcome.rendered },
    };
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ...result, ms, peakMiB: memoryOf('self').peakMiB })}\n`);
  process.exit(0);
}

const SIZES = (process.env.SIZES ?? '1000,100000').split(',').map(Number);

/** Runs one step in a child process; its progress lines go on to this process's stderr. */
async function step(
  kind: '--import' | '--rebuild',
  dataDir: string,
  args: string[] = [],
): Promise<StepResult> {
  const { code, out, err } = await runBenchChild(import.meta.filename, [kind, ...args], dataDir, true);
  const line = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`${kind} exited with ${code}:\n${err.slice(-2000)}`);
  const result = JSON.parse(line) as StepResult;
  // The import's phases, from its own summary lines (summed over its batches; render is the final rebuild).
  const phases = Object.fromEntries(Object.entries(importPhases(err)).map(([phase, s]) => [`${phase} s`, s]));
  return { ...result, detail: { ...result.detail, ...phases } };
}

interface SizeResult {
  readonly size: number;
  readonly corpusS: number;
  readonly imported: StepResult & { readonly load: [string, string] };
  readonly rebuilt: StepResult & { readonly load: [string, string] };
  readonly runtimePeakMiB: number;
}

async function measure(size: number): Promise<SizeResult> {
  const work = mkdtempSync(path.join(tmpdir(), `bench-archive-${size}-`));
  try {
    const corpusStart = performance.now();
    writeSeedCorpus(path.join(work, 'markdown'), size);
    const corpusS = (performance.now() - corpusStart) / 1000;
    const dataDir = path.join(work, 'data');
    const runtime = await startRuntimeProcess(dataDir);
    try {
      const importLoad = load();
      const imported = await step('--import', dataDir, [path.join(work, 'markdown')]);
      const rebuildLoad = load();
      const rebuilt = await step('--rebuild', dataDir);
      return {
        size,
        corpusS,
        imported: { ...imported, load: [importLoad, rebuildLoad] },
        rebuilt: { ...rebuilt, load: [rebuildLoad, load()] },
        runtimePeakMiB: memoryOf(runtime.pid).peakMiB,
      };
    } finally {
      await runtime.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const detail = (d: Record<string, number>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
console.log(`bench:archive — sizes ${SIZES.join(', ')}; load average at start: ${load()}`);
const results: SizeResult[] = [];
for (const size of SIZES) {
  const r = await measure(size);
  results.push(r);
  const n = size.toLocaleString('en');
  console.log(
    `${n} articles (corpus written in ${r.corpusS.toFixed(1)} s):\n` +
      `  import${r.imported.stopped ? ' (STOPPED by its time budget)' : ''}: ${r.imported.count} articles in ${s(r.imported.ms)}, ${(r.imported.ms / r.imported.count).toFixed(2)} ms/article ` +
      `(${detail(r.imported.detail)}), peak RSS ${r.imported.peakMiB} MiB; load ${r.imported.load[0]} → ${r.imported.load[1]}\n` +
      `  forced rebuild${r.rebuilt.stopped ? ' (STOPPED by its time budget)' : ''}: ${r.rebuilt.count} pages written in ${s(r.rebuilt.ms)}, ${(r.rebuilt.ms / r.rebuilt.count).toFixed(2)} ms/page ` +
      `(${detail(r.rebuilt.detail)}), peak RSS ${r.rebuilt.peakMiB} MiB; load ${r.rebuilt.load[0]} → ${r.rebuilt.load[1]}\n` +
      `  runtime process (dynalite, s3rver) peak RSS ${r.runtimePeakMiB} MiB`,
  );
}
const [base, ...rest] = results;
for (const r of base ? rest : []) {
  if (!base) break;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `ratio ${r.size.toLocaleString('en')} / ${base.size.toLocaleString('en')} (baseline: the ${base.size.toLocaleString('en')} run): ` +
      `import ${ratio(r.imported.ms / r.imported.count, base.imported.ms / base.imported.count)} per article, ` +
      `peak RSS ${ratio(r.imported.peakMiB, base.imported.peakMiB)}; ` +
      `forced rebuild ${ratio(r.rebuilt.ms / r.rebuilt.count, base.rebuilt.ms / base.rebuilt.count)} per page, ` +
      `peak RSS ${ratio(r.rebuilt.peakMiB, base.rebuilt.peakMiB)}`,
  );
}
console.log(`load average at end: ${load()}`);
