// npm run bench:cold-start [-- --runs=N] [-- --only=name,name] [-- --no-source-maps] [-- --compare-external]
// For every function: the time a fresh Node 24 process takes to import its CDK-identical bundle (module init
// included), against a bare bundle of only the SDK clients that function imports, built with the same options.
// Baseline: that SDK-only bundle. Goal: function / baseline ≤ 1.2×. Runs are interleaved (function, baseline,
// function, …) so machine noise hits both alike; the figures are medians. A function that loads a native package
// (images: sharp) is also compared with SDK + that package, the floor for a function whose every invocation needs it.
import { discoverFunctions } from '#infra/constructs/bundle-options.ts';
import {
  buildFunctionBundle,
  buildSdkBaseline,
  buildSdkExternalBundle,
  initEnv,
  kib,
  lambdaNodeFlags,
  median,
  nativePackagesUsed,
  sdkPackagesUsed,
  timeImport,
} from '../support/bundles.ts';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Math.max(10, Number(arg('runs') ?? 15));
const only = arg('only')?.split(',');
const flags = process.argv.includes('--no-source-maps') ? [] : lambdaNodeFlags;
// Also time the function built with the SDK external (CDK's default), importing node_modules' copy instead.
const compareExternal = process.argv.includes('--compare-external');
const goal = 1.2;

interface Row {
  name: string;
  bytes: number;
  gzipBytes: number;
  sdk: string[];
  fnMs: number;
  baseMs: number;
  fnCpuMs: number;
  baseCpuMs: number;
  /** Median of the per-round ratios: each round's function and baseline ran back to back under the same load. */
  pairedRatio: number;
  external?: { bytes: number; ms: number; cpuMs: number };
  /** Against a baseline of the SDK clients plus the native packages the function imports. */
  native?: { packages: string[]; ms: number; cpuMs: number; pairedRatio: number };
}

const rows: Row[] = [];
for (const name of discoverFunctions().filter((n) => !only || only.includes(n))) {
  const fn = await buildFunctionBundle(name);
  const sdk = sdkPackagesUsed(fn.metafile);
  const base = await buildSdkBaseline(name, sdk);
  const external = compareExternal ? await buildSdkExternalBundle(name) : undefined;
  const native = nativePackagesUsed(fn.metafile);
  const nativeBase = native.length ? await buildSdkBaseline(name, sdk, native) : undefined;
  const env = initEnv(fn.file, name);
  const files = { fn: fn.file, base: base.file, ext: external?.file, nat: nativeBase?.file };
  // One discarded run each: the first import reads the files from disk, Lambda's reads them from its cache too.
  for (const file of Object.values(files)) if (file) timeImport(file, env, flags);
  const wall = { fn: [] as number[], base: [] as number[], ext: [] as number[], nat: [] as number[] };
  const cpu = { fn: [] as number[], base: [] as number[], ext: [] as number[], nat: [] as number[] };
  const ratios: number[] = [];
  const nativeRatios: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    // Alternate which goes first, so neither always runs right after the other's page-cache warm-up.
    const order = i % 2 ? (['base', 'nat', 'fn', 'ext'] as const) : (['fn', 'base', 'nat', 'ext'] as const);
    for (const which of order) {
      const file = files[which];
      if (!file) continue;
      const run = timeImport(file, env, flags);
      if (run.ms === undefined || run.cpuMs === undefined)
        throw new Error(`importing ${file} failed:\n${run.error}`);
      wall[which].push(run.ms);
      cpu[which].push(run.cpuMs);
    }
    ratios.push((wall.fn[i] ?? 0) / (wall.base[i] ?? 1));
    if (nativeBase) nativeRatios.push((wall.fn[i] ?? 0) / (wall.nat[i] ?? 1));
  }
  const row: Row = {
    name,
    bytes: fn.bytes,
    gzipBytes: fn.gzipBytes,
    sdk,
    fnMs: median(wall.fn),
    baseMs: median(wall.base),
    fnCpuMs: median(cpu.fn),
    baseCpuMs: median(cpu.base),
    pairedRatio: median(ratios),
    ...(external
      ? { external: { bytes: external.bytes, ms: median(wall.ext), cpuMs: median(cpu.ext) } }
      : {}),
    ...(nativeBase
      ? {
          native: {
            packages: native,
            ms: median(wall.nat),
            cpuMs: median(cpu.nat),
            pairedRatio: median(nativeRatios),
          },
        }
      : {}),
  };
  rows.push(row);
  console.log(
    `${name}: import ${row.fnMs.toFixed(1)} ms (CPU ${row.fnCpuMs.toFixed(1)}) vs SDK baseline ` +
      `${row.baseMs.toFixed(1)} ms (CPU ${row.baseCpuMs.toFixed(1)}) = ${(row.fnMs / row.baseMs).toFixed(2)}×, ` +
      `paired ${row.pairedRatio.toFixed(2)}× (median of ${runs}; ${kib(fn.bytes)} vs ${kib(base.bytes)}; ` +
      `SDK: ${sdk.join(', ') || 'none'})`,
  );
  if (row.native) {
    console.log(
      `  vs SDK + ${row.native.packages.join(', ')} baseline ${row.native.ms.toFixed(1)} ms ` +
        `(CPU ${row.native.cpuMs.toFixed(1)}) = ${(row.fnMs / row.native.ms).toFixed(2)}×, ` +
        `paired ${row.native.pairedRatio.toFixed(2)}×`,
    );
  }
  if (row.external) {
    console.log(
      `  SDK external: ${kib(row.external.bytes)}, import ${row.external.ms.toFixed(1)} ms ` +
        `(CPU ${row.external.cpuMs.toFixed(1)}) loading node_modules' SDK, vs bundled ${row.fnMs.toFixed(1)} ms`,
    );
  }
}

console.log(
  `\nNode ${process.version}, flags: ${flags.join(' ') || 'none'}, ${runs} interleaved runs, medians. ` +
    `Baseline: a bundle of only the function's SDK clients, same esbuild options. Goal ≤ ${goal}×.\n` +
    'On a busy machine wall time swings with other processes; CPU time (user + system of the importing ' +
    'process) and the paired ratio are the steadier figures.',
);
console.log(
  '| function | minified B | gzip B | import ms | SDK baseline ms | ratio | paired ratio | CPU ms fn / baseline | CPU ratio | SDK packages |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const ratio = r.fnMs / r.baseMs;
  console.log(
    `| ${r.name} | ${r.bytes} | ${r.gzipBytes} | ${r.fnMs.toFixed(1)} | ${r.baseMs.toFixed(1)} | ` +
      `${ratio.toFixed(2)}×${ratio > goal ? ' (over goal)' : ''} | ${r.pairedRatio.toFixed(2)}× | ` +
      `${r.fnCpuMs.toFixed(1)} / ${r.baseCpuMs.toFixed(1)} | ${(r.fnCpuMs / r.baseCpuMs).toFixed(2)}× | ` +
      `${r.sdk.join(', ')} |`,
  );
}
const withNative = rows.filter((r) => r.native);
if (withNative.length > 0) {
  console.log(
    '\nFunctions that load a native package, against SDK clients + that package (what every invocation needs):',
  );
  console.log(
    '| function | native | import ms | SDK + native baseline ms | ratio | paired ratio | CPU ratio |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of withNative) {
    if (!r.native) continue;
    const ratio = r.fnMs / r.native.ms;
    console.log(
      `| ${r.name} | ${r.native.packages.join(', ')} | ${r.fnMs.toFixed(1)} | ${r.native.ms.toFixed(1)} | ` +
        `${ratio.toFixed(2)}×${ratio > goal ? ' (over goal)' : ''} | ${r.native.pairedRatio.toFixed(2)}× | ` +
        `${(r.fnCpuMs / r.native.cpuMs).toFixed(2)}× |`,
    );
  }
}
