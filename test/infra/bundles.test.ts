// The one infra test that bundles: a real synthesis builds every function with esbuild, and each asset carries
// what its function needs beside the bundle (site-assets/ for the page renderers, Pagefind's arm64 binary for
// search, sharp's for images) and nothing it does not. The other infra files synthesise without bundling.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/bin/app.ts';
import { discoverFunctions } from '#infra/constructs/bundle-options.ts';

let site: Template;
let assembly: CloudAssembly;

beforeAll(() => {
  const app = new App({ context: { stage: 'test' } });
  site = Template.fromStack(buildApp(app).site);
  // Synthesis bundles every function with esbuild; on a busy machine that takes minutes.
  assembly = app.synth();
}, 300_000);

const functionNamed = (name: string) =>
  Object.values(site.findResources('AWS::Lambda::Function')).find(
    (f) => f.Properties.Environment?.Variables?.SERVICE_NAME === name,
  );

/** The folder CDK staged a function's code in. */
const assetOf = (name: string) => {
  const props = functionNamed(name)?.Properties;
  return path.join(assembly.directory, `asset.${String(props?.Code.S3Key).replace(/\.zip$/, '')}`);
};

describe('function bundles', () => {
  it('builds every functions/*/handler.ts into an index.mjs with its source map', () => {
    const functions = discoverFunctions();
    expect(functions).toContain('render');
    for (const name of functions) {
      expect(functionNamed(name), name).toBeDefined();
      expect(existsSync(path.join(assetOf(name), 'index.mjs')), name).toBe(true);
      expect(existsSync(path.join(assetOf(name), 'index.mjs.map')), name).toBe(true);
    }
  });

  it('bundles site-assets/ beside the review and render handlers, so previews link the hashed stylesheet', () => {
    for (const name of ['review', 'render']) {
      const stylesheet = path.join(assetOf(name), 'site-assets', 'site.css');
      expect(existsSync(stylesheet), name).toBe(true);
    }
  });

  it('ships Pagefind for linux-arm64 beside the search bundle, and keeps it out of the images bundle', () => {
    const search = assetOf('search');
    expect(existsSync(path.join(search, 'node_modules', 'pagefind', 'package.json'))).toBe(true);
    expect(
      existsSync(path.join(search, 'node_modules', '@pagefind', 'linux-arm64', 'bin', 'pagefind_extended')),
    ).toBe(true);
    expect(existsSync(path.join(search, 'node_modules', 'sharp'))).toBe(false);
    const images = assetOf('images');
    expect(existsSync(path.join(images, 'node_modules', 'sharp', 'package.json'))).toBe(true);
    expect(existsSync(path.join(images, 'node_modules', 'pagefind'))).toBe(false);
  });
});
