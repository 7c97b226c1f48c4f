// npm run bench:cold-start [-- --runs=N] [-- --only=name,name] [-- --no-source-maps]
// For every function: the time a fresh Node 24 process takes to import its CDK-identical bundle (module init
// included), against a bare bundle of only the SDK clients that function imports, built with the same options.
// Baseline: that SDK-only bundle. Goal: function / baseline ≤ 1.2×. Runs are interleaved (function, baseline,
// function, …) so machine noise hits both alike; the figures are medians.
import { discoverFunctions } from '#infra/constructs/bundle-options.ts';
import {
  buildFunctionBundle,
  buildSdkBaseline,
  initEnv,
  kib,
  lambdaNodeFlags,
  median,
  sdkPackagesUsed,
  timeImport,
} from '../support/bundles.ts';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Math.max(10, Number(arg('runs') ?? 15));
const only = arg('only')?.split(',');
const flags = process.argv.includes('--no-source-maps') ? [] : lambdaNodeFlags;
const goal = 1.2;

interface Row {
  name: string;
  bytes: number;
  gzipBytes: number;
  sdk: string[];
  fnMs: number;
  baseMs: number;
  baseBytes: number;
}

const rows: Row[] = [];
for (const name of discoverFunctions().filter((n) => !only || only.includes(n))) {
  const fn = await buildFunctionBundle(name);
  const sdk = sdkPackagesUsed(fn.metafile);
  const base = await buildSdkBaseline(name, sdk);
  const env = initEnv(fn.file, name);
  // One discarded run each: the first import reads the files from disk, Lambda's reads them from its cache too.
  timeImport(fn.file, env, flags);
  timeImport(base.file, env, flags);
  const fnTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    for (const [file, times] of [
      [fn.file, fnTimes],
      [base.file, baseTimes],
    ] as const) {
      const run = timeImport(file, env, flags);
      if (run.ms === undefined) throw new Error(`importing ${file} failed:\n${run.error}`);
      times.push(run.ms);
    }
  }
  const row = {
    name,
    bytes: fn.bytes,
    gzipBytes: fn.gzipBytes,
    sdk,
    fnMs: median(fnTimes),
    baseMs: median(baseTimes),
    baseBytes: base.bytes,
  };
  rows.push(row);
  console.log(
    `${name}: import ${row.fnMs.toFixed(1)} ms vs SDK baseline ${row.baseMs.toFixed(1)} ms ` +
      `= ${(row.fnMs / row.baseMs).toFixed(2)}× (median of ${runs}; ${kib(fn.bytes)} vs ${kib(base.bytes)}; ` +
      `SDK: ${sdk.join(', ') || 'none'})`,
  );
}

console.log(
  `\nNode ${process.version}, flags: ${flags.join(' ') || 'none'}, ${runs} interleaved runs, medians. ` +
    `Baseline: a bundle of only the function's SDK clients, same esbuild options. Goal ≤ ${goal}×.`,
);
console.log('| function | minified B | gzip B | import ms | SDK baseline ms | ratio | SDK packages |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const ratio = r.fnMs / r.baseMs;
  console.log(
    `| ${r.name} | ${r.bytes} | ${r.gzipBytes} | ${r.fnMs.toFixed(1)} | ${r.baseMs.toFixed(1)} | ` +
      `${ratio.toFixed(2)}×${ratio > goal ? ' (over goal)' : ''} | ${r.sdk.join(', ')} |`,
  );
}
