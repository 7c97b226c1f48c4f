// Bundle sizes are deterministic (same sources, same esbuild, same options), so the size budget is a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleFileName,
  discoverFunctions,
  functionEntry,
  lambdaCliArgs,
} from '#infra/constructs/bundle-options.ts';
import { projectRoot } from '#infra/constructs/bundling.ts';
import { type BundleMeasure, buildFunctionBundle, readBudgets } from '../support/bundles.ts';

const functions = discoverFunctions();
const budgets = readBudgets().functions;
const outRoot = mkdtempSync(path.join(tmpdir(), 'bundle-budget-'));
const measures = new Map<string, BundleMeasure>();

beforeAll(async () => {
  for (const name of functions) measures.set(name, await buildFunctionBundle(name, outRoot));
}, 120_000);

afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('bundle budgets (infra/bundle-budgets.json)', () => {
  it('finds the functions to check', () => {
    expect(functions).toContain('submit');
  });

  it('has a budget for every function', () => {
    const missing = functions.filter((name) => !budgets[name]);
    expect(
      missing,
      `No bundle budget for ${missing.join(', ')}. Run \`npm run bundle-report -- --write-budgets\`, check the ` +
        'sizes and top modules it prints (no rendering or unused SDK clients dragged in), and commit ' +
        'infra/bundle-budgets.json.',
    ).toEqual([]);
  });

  it('has no budget for a function that no longer exists', () => {
    const stale = Object.keys(budgets).filter((name) => !functions.includes(name));
    expect(stale, `Remove ${stale.join(', ')} from infra/bundle-budgets.json`).toEqual([]);
  });

  it.each(functions)('%s stays within its budget', (name) => {
    const measure = measures.get(name);
    const budget = budgets[name];
    expect(measure).toBeDefined();
    if (!measure || !budget) return; // reported by 'has a budget for every function'
    const advice =
      `${name}: index.mjs is ${measure.bytes} B (${measure.gzipBytes} B gzip), budget ${budget.bytes} B ` +
      `(${budget.gzipBytes} B gzip). See what grew with \`npm run bundle-report\`; raise the budget only ` +
      'if the growth is worth its cold-start cost.';
    expect(measure.bytes, advice).toBeLessThanOrEqual(budget.bytes);
    expect(measure.gzipBytes, advice).toBeLessThanOrEqual(budget.gzipBytes);
  });
});

describe('cold-start costs kept out of the bundles', () => {
  it.each(functions)(
    '%s requires node:http and node:https instead of importing their ES module facade',
    (name) => {
      const code = readFileSync(measures.get(name)?.file ?? '', 'utf8');
      // The facade reads the builtins' lazy exports and so loads undici (README, "Bundling and cold start").
      expect(code).not.toMatch(/from\s*["']node:https?["']/);
      expect(code).toMatch(/\("http"\)/);
    },
  );

  it.each(functions)('%s carries neither linkify-it, the entity encoder nor Powertools Logger', (name) => {
    const inputs = Object.keys(measures.get(name)?.metafile.inputs ?? {});
    expect(inputs.length).toBeGreaterThan(0);
    // markdown-it builds both at module scope; we use neither (infra/bundling-shims/, docs/BENCHMARKS.md).
    expect(
      inputs.filter((input) => /node_modules\/linkify-it\/|entities\/lib\/esm\/encode/.test(input)),
    ).toEqual([]);
    expect(inputs.filter((input) => input.includes('@aws-lambda-powertools'))).toEqual([]);
  });
});

describe('the measured bundle is the one CDK ships', () => {
  it('matches esbuild run with the CLI arguments NodejsFunction passes, byte for byte', () => {
    const outdir = path.join(outRoot, 'cli-submit');
    const esbuild = path.join(projectRoot, 'node_modules', '.bin', 'esbuild');
    const run = spawnSync(esbuild, lambdaCliArgs(functionEntry('submit'), outdir), {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const viaCli = readFileSync(path.join(outdir, bundleFileName));
    const viaApi = readFileSync(path.join(outRoot, 'submit', bundleFileName));
    expect(viaCli.equals(viaApi)).toBe(true);
  });
});
