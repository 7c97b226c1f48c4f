// Builds function bundles exactly as CDK does (infra/constructs/bundle-options.ts) and measures them: bytes, gzip
// bytes, the modules that fill them, the SDK packages they use, and the time a fresh Node process takes to import
// them. Shared by `npm run bundle-report`, test/infra/bundle-budget.test.ts and test/bench/cold-start.bench.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import {
  bundleFileName,
  functionEntry,
  lambdaBuildOptions,
  nativeModuleNames,
} from '#infra/constructs/bundle-options.ts';
import { projectRoot } from '#infra/constructs/bundling.ts';

export const benchDir = path.join(projectRoot, '.bench');
export const bundlesDir = path.join(benchDir, 'bundles');
export const baselinesDir = path.join(benchDir, 'baselines');
export const budgetsFile = path.join(projectRoot, 'infra', 'bundle-budgets.json');

export interface BundleMeasure {
  readonly name: string;
  /** The bundle Lambda loads, index.mjs. */
  readonly file: string;
  readonly bytes: number;
  /** gzip -9 of index.mjs: roughly what the deployment zip stores and Lambda downloads. */
  readonly gzipBytes: number;
  readonly mapBytes: number;
  readonly metafile: Metafile;
}

/** Bundles `entry` into `outdir` with the CDK options and writes the metafile beside it as meta.json. */
export async function buildBundle(
  name: string,
  entry: string,
  outdir: string,
  extraExternal: readonly string[] = [],
): Promise<BundleMeasure> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build(lambdaBuildOptions(entry, outdir, projectRoot, extraExternal));
  if (!result.metafile) throw new Error(`esbuild returned no metafile for ${name}`);
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  const file = path.join(outdir, bundleFileName);
  const code = readFileSync(file);
  return {
    name,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    mapBytes: readFileSync(`${file}.map`).length,
    metafile: result.metafile,
  };
}

export const buildFunctionBundle = (name: string, outRoot: string = bundlesDir): Promise<BundleMeasure> =>
  buildBundle(name, functionEntry(name), path.join(outRoot, name));

/**
 * The function with the SDK left to the runtime (CDK's default externals), under .bench/sdk-external/<name>/.
 * Imported locally it loads the project's node_modules copy (dist-cjs, one file per package), the nearest stand-in
 * for the copy in Lambda's /var/runtime, whose version we do not pin.
 */
export const buildSdkExternalBundle = (name: string): Promise<BundleMeasure> =>
  buildBundle(`${name} (SDK external)`, functionEntry(name), path.join(benchDir, 'sdk-external', name), [
    // CDK's default when externalModules is unset (without the newer flag that also excludes @smithy/*).
    '@aws-sdk/*',
  ]);

const nodeModulesPackage = (input: string): string | undefined => {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
};

/** The output's bytes by origin: a package name for dependencies, the file path for our own code. */
export function bytesByModule(metafile: Metafile): { module: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const module = nodeModulesPackage(input) ?? input;
      totals.set(module, (totals.get(module) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * The @aws-sdk packages our own code imports (not their transitive dependencies), read from the metafile, so a
 * function's SDK baseline follows its imports without a list to maintain.
 */
export function sdkPackagesUsed(metafile: Metafile): string[] {
  const used = new Set<string>();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (nodeModulesPackage(input)) continue;
    for (const imported of imports) {
      const pkg = nodeModulesPackage(imported.path);
      if (pkg?.startsWith('@aws-sdk/')) used.add(pkg);
    }
  }
  return [...used].sort();
}

/**
 * The native packages (infra/lambda-native, e.g. sharp) our own code imports: left out of the bundle and loaded from
 * node_modules at init, so they belong in a baseline that asks what the function adds beyond what it cannot avoid.
 */
export function nativePackagesUsed(
  metafile: Metafile,
  native: readonly string[] = nativeModuleNames(),
): string[] {
  const used = new Set<string>();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (nodeModulesPackage(input)) continue;
    for (const imported of imports)
      if (imported.external && native.includes(imported.path)) used.add(imported.path);
  }
  return [...used].sort();
}

/** The export of an SDK client package that is its bare client class, e.g. S3Client (not the aggregated S3). */
async function clientClassName(pkg: string): Promise<string> {
  const exported = Object.keys((await import(pkg)) as Record<string, unknown>);
  const clients = exported
    .filter((key) => /^[A-Z][A-Za-z0-9]*Client$/.test(key))
    .sort((a, b) => a.length - b.length);
  const first = clients[0];
  if (!first) throw new Error(`${pkg} exports no *Client class`);
  return first;
}

/**
 * A tiny entry that imports and constructs only these SDK packages' clients, the way shared/aws/* does at module
 * scope: the floor a function's init cannot go below while it uses them.
 */
export async function sdkBaselineSource(
  packages: readonly string[],
  /** Native packages to import as well (see nativePackagesUsed); they stay external, as in the function. */
  nativePackages: readonly string[] = [],
): Promise<string> {
  const lines: string[] = [];
  const exported: string[] = [];
  const wantsDocumentClient = packages.includes('@aws-sdk/lib-dynamodb');
  const clientPackages = new Set(packages.filter((pkg) => pkg.startsWith('@aws-sdk/client-')));
  if (wantsDocumentClient) clientPackages.add('@aws-sdk/client-dynamodb');
  for (const pkg of [...clientPackages].sort()) {
    const name = await clientClassName(pkg);
    lines.push(`import { ${name} } from '${pkg}';`);
    if (pkg === '@aws-sdk/client-dynamodb' && wantsDocumentClient) {
      lines.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
      lines.push(`export const documentClient = DynamoDBDocumentClient.from(new ${name}({}));`);
      exported.push('documentClient');
    } else {
      const variable = `${name[0]?.toLowerCase()}${name.slice(1)}`;
      lines.push(`export const ${variable} = new ${name}({});`);
      exported.push(variable);
    }
  }
  // Helpers such as @aws-sdk/s3-presigned-post: imported whole, which can only overstate the floor.
  for (const pkg of packages.filter(
    (p) => !p.startsWith('@aws-sdk/client-') && p !== '@aws-sdk/lib-dynamodb',
  )) {
    const variable = `sdk_${exported.length}`;
    lines.push(`import * as ${variable} from '${pkg}';`, `export { ${variable} };`);
    exported.push(variable);
  }
  for (const pkg of nativePackages) {
    const variable = `native_${exported.length}`;
    lines.push(`import * as ${variable} from '${pkg}';`, `export { ${variable} };`);
    exported.push(variable);
  }
  if (exported.length === 0) lines.push('export {};');
  return `${lines.join('\n')}\n`;
}

/**
 * Bundles the SDK-only baseline for one function with the same options, under .bench/baselines/<name>/; with
 * `nativePackages`, the SDK + native baseline under .bench/baselines/<name>+native/.
 */
export async function buildSdkBaseline(
  name: string,
  packages: readonly string[],
  nativePackages: readonly string[] = [],
): Promise<BundleMeasure> {
  const dir = path.join(baselinesDir, nativePackages.length ? `${name}+native` : name);
  mkdirSync(dir, { recursive: true });
  // The entry lives inside the project so it resolves the project's node_modules like a handler does.
  const entry = path.join(dir, 'entry.mjs');
  writeFileSync(entry, await sdkBaselineSource(packages, nativePackages));
  const label = nativePackages.length ? 'SDK + native baseline' : 'SDK baseline';
  return buildBundle(`${name} (${label})`, entry, path.join(dir, 'out'));
}

/** What the deployed function has set besides its own variables (see NewsFunction). */
export const lambdaLikeEnv = (service: string): Record<string, string> => ({
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_LAMBDA_FUNCTION_NAME: service,
  SERVICE_NAME: service,
});

/** Node flags the deployed functions run with: NewsFunction sets NODE_OPTIONS=--enable-source-maps. */
export const lambdaNodeFlags = ['--enable-source-maps'];

const importProbe = [
  'const started = performance.now();',
  'const cpu = process.cpuUsage();',
  'await import(process.argv[1]);',
  'const ms = performance.now() - started;',
  'const used = process.cpuUsage(cpu);',
  "process.stdout.write('\\n@@import-ms ' + ms + ' ' + (used.user + used.system) / 1000 + '\\n');",
  'process.exit(0);',
].join(' ');

export interface ImportRun {
  /** Wall-clock time of the import. */
  readonly ms?: number;
  /** CPU time (user + system) the import used: less disturbed by other processes on a shared machine. */
  readonly cpuMs?: number;
  readonly error?: string;
}

/** Imports `file` (running its module init) in a fresh Node 24 process and returns the import time. */
export function timeImport(
  file: string,
  env: Record<string, string>,
  flags: readonly string[] = lambdaNodeFlags,
): ImportRun {
  const cleanEnv: Record<string, string> = { PATH: process.env.PATH ?? '', ...env };
  const child = spawnSync(
    process.execPath,
    [...flags, '--input-type=module', '-e', importProbe, pathToFileURL(file).href],
    { env: cleanEnv, encoding: 'utf8', cwd: path.dirname(file), timeout: 60_000 },
  );
  const match = /@@import-ms ([\d.]+) ([\d.]+)/.exec(child.stdout ?? '');
  if (child.status === 0 && match?.[1] && match[2]) return { ms: Number(match[1]), cpuMs: Number(match[2]) };
  return { error: `${child.stderr || child.stdout || `exit ${child.status}`}`.trim() };
}

/**
 * The environment a bundle's module init needs: Lambda's own variables plus dummies for every name requireEnv
 * reports missing, found by importing until it stops asking.
 */
export function initEnv(file: string, service: string): Record<string, string> {
  const env = lambdaLikeEnv(service);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const run = timeImport(file, env, []);
    if (run.ms !== undefined) return env;
    const missing = /Missing required environment variable(?:\(s\))?: ([A-Z0-9_, ]+)/.exec(run.error ?? '');
    if (!missing?.[1]) throw new Error(`Importing ${file} failed:\n${run.error}`);
    for (const name of missing[1].split(',').map((s) => s.trim())) {
      if (name)
        env[name] = name.toLowerCase().includes('url')
          ? 'https://example.invalid/'
          : `bench-${name.toLowerCase()}`;
    }
  }
  throw new Error(`Importing ${file} kept asking for environment variables`);
}

export { median } from './stats.ts';

export interface Budget {
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface BudgetFile {
  readonly $comment?: string;
  readonly functions: Record<string, Budget>;
}

export const readBudgets = (): BudgetFile => JSON.parse(readFileSync(budgetsFile, 'utf8')) as BudgetFile;

/** Measurement plus 4%, rounded up to the next KiB: room for a small fix, not for a new dependency. */
export const budgetFor = (measure: { bytes: number; gzipBytes: number }): Budget => ({
  bytes: Math.ceil((measure.bytes * 1.04) / 1024) * 1024,
  gzipBytes: Math.ceil((measure.gzipBytes * 1.04) / 1024) * 1024,
});

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
