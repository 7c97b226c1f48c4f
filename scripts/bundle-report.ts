// npm run bundle-report [-- --top=N] [-- --write-budgets]
// Bundles every functions/*/handler.ts exactly as CDK's NodejsFunction does, writes index.mjs, its map and an
// esbuild metafile (meta.json, for https://esbuild.github.io/analyze/) under .bench/bundles/<name>/, and prints
// the minified and gzip sizes and the modules that fill each bundle. --write-budgets sets
// infra/bundle-budgets.json from these measurements (plus the margin in budgetFor).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { discoverFunctions } from '#infra/constructs/bundle-options.ts';
import { projectRoot } from '#infra/constructs/bundling.ts';
import {
  type BudgetFile,
  budgetFor,
  budgetsFile,
  buildFunctionBundle,
  bundlesDir,
  bytesByModule,
  kib,
  readBudgets,
  sdkPackagesUsed,
} from '../test/support/bundles.ts';

const topArg = process.argv.find((arg) => arg.startsWith('--top='));
const top = topArg ? Number(topArg.slice('--top='.length)) : 8;
const writeBudgets = process.argv.includes('--write-budgets');

const names = discoverFunctions();
const measures = [];
for (const name of names) {
  const measure = await buildFunctionBundle(name);
  measures.push(measure);
  const budget = readBudgets().functions[name];
  console.log(
    `\n${name}: ${measure.bytes} B minified (${kib(measure.bytes)}), ${measure.gzipBytes} B gzip ` +
      `(${kib(measure.gzipBytes)}), map ${kib(measure.mapBytes)}` +
      (budget ? `; budget ${budget.bytes} B / ${budget.gzipBytes} B gzip` : '; NO BUDGET'),
  );
  console.log(`  SDK packages imported: ${sdkPackagesUsed(measure.metafile).join(', ') || 'none'}`);
  for (const { module, bytes } of bytesByModule(measure.metafile).slice(0, top)) {
    const share = ((bytes / measure.bytes) * 100).toFixed(1).padStart(5);
    console.log(`  ${String(bytes).padStart(8)} B ${share}%  ${module}`);
  }
}

console.log(`\nmetafiles: ${path.relative(projectRoot, bundlesDir)}/<function>/meta.json`);
console.log('| function | minified B | gzip B |\n| --- | ---: | ---: |');
for (const m of measures) console.log(`| ${m.name} | ${m.bytes} | ${m.gzipBytes} |`);

if (writeBudgets) {
  const current = readBudgets();
  const next: BudgetFile = {
    ...current,
    functions: Object.fromEntries(measures.map((m) => [m.name, budgetFor(m)])),
  };
  writeFileSync(budgetsFile, `${JSON.stringify(next, null, 2)}\n`);
  console.log(
    `\nwrote ${path.relative(projectRoot, budgetsFile)} for ${measures.map((m) => m.name).join(', ')}`,
  );
}
