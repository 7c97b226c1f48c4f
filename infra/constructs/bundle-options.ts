// The esbuild options CDK's NodejsFunction derives from bundlingDefaults, as a BuildOptions object, so the bundle
// report, the size budget and the cold-start benchmark measure the same bytes `cdk synth` ships.
//
// Mirrors aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js buildEsbuildArgs(), which runs, with cwd = projectRoot:
//   esbuild --bundle <entry> --target=<target> --platform=node --format=esm --outfile=<out>/index.mjs --minify
//     --sourcemap --sources-content=false --external:<each> --banner:js=<banner> --main-fields=module,main
//     --alias:<name>=<path> (each, from NewsFunction's esbuildArgs, which CDK appends)
// (SourceMapMode.DEFAULT adds no `=mode`; no loader, define, keepNames, tsconfig, footer or inject is set.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { bundlingDefaults, esmRequireBanner, projectRoot } from './bundling.ts';

/** CDK names the ESM output index.mjs (index.js for CommonJS). */
export const bundleFileName = 'index.mjs';

/**
 * Every function in the repository: each functions/<name>/handler.ts is a Lambda entry (see handlerEntry), so new
 * functions are measured and budgeted the moment their handler exists.
 */
export function discoverFunctions(root: string = projectRoot): string[] {
  const dir = path.join(root, 'functions');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

export const functionEntry = (name: string, root: string = projectRoot): string =>
  path.join(root, 'functions', name, 'handler.ts');

/**
 * Packages NewsFunction leaves out of the bundle as `nativeModules` and ships from infra/lambda-native (sharp).
 * Externalising them for every function is what a successful synth implies: esbuild cannot bundle their .node
 * binaries, so any function importing one must declare it.
 */
export function nativeModuleNames(root: string = projectRoot): string[] {
  const manifest = path.join(root, 'infra', 'lambda-native', 'package.json');
  if (!existsSync(manifest)) return [];
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(parsed.dependencies ?? {}).sort();
}

/** The build NodejsFunction runs for one entry, writing `<outdir>/index.mjs` (+ .map) and a metafile in memory. */
export function lambdaBuildOptions(
  entry: string,
  outdir: string,
  root: string = projectRoot,
  /** Only for comparisons (e.g. '@aws-sdk/*' to measure the runtime-SDK variant); CDK passes none. */
  extraExternal: readonly string[] = [],
): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    target: bundlingDefaults.target,
    platform: 'node',
    format: bundlingDefaults.format,
    outfile: path.join(outdir, bundleFileName),
    minify: bundlingDefaults.minify,
    sourcemap: bundlingDefaults.sourceMap,
    sourcesContent: bundlingDefaults.sourcesContent,
    external: [...bundlingDefaults.externalModules, ...nativeModuleNames(root), ...extraExternal],
    banner: { js: esmRequireBanner },
    mainFields: [...bundlingDefaults.mainFields],
    alias: { ...bundlingDefaults.aliases },
    // Not a CDK option; it only describes the output and changes no byte of it.
    metafile: true,
    logLevel: 'warning',
  };
}

/** The same build as esbuild CLI arguments, in buildEsbuildArgs() order; used to prove the mirror is exact. */
export function lambdaCliArgs(entry: string, outdir: string, root: string = projectRoot): string[] {
  const options = lambdaBuildOptions(entry, outdir, root);
  return [
    '--bundle',
    entry,
    `--target=${bundlingDefaults.target}`,
    '--platform=node',
    `--format=${bundlingDefaults.format}`,
    `--outfile=${options.outfile}`,
    ...(bundlingDefaults.minify ? ['--minify'] : []),
    ...(bundlingDefaults.sourceMap ? ['--sourcemap'] : []),
    ...(bundlingDefaults.sourcesContent ? [] : ['--sources-content=false']),
    ...(options.external ?? []).map((name) => `--external:${name}`),
    `--banner:js=${esmRequireBanner}`,
    `--main-fields=${bundlingDefaults.mainFields.join(',')}`,
    ...Object.entries(bundlingDefaults.aliases).map(([name, target]) => `--alias:${name}=${target}`),
  ];
}
