// The render code digest that goes into every page's inputs digest: the bundle itself when bundled (the render
// function in AWS), the rendering sources when run from them (the local runtime, the ops commands).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCodeDigest } from '#functions/render/code-version.ts';
import { projectRoot } from '#infra/constructs/bundling.ts';
import { buildBundle } from '../support/bundles.ts';

const outdir = mkdtempSync(path.join(tmpdir(), 'code-version-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('renderCodeDigest', () => {
  it('from source: a digest of the rendering sources, the same each call', () => {
    const digest = renderCodeDigest();
    expect(digest).toMatch(/^[\w-]{27}$/);
    expect(renderCodeDigest()).toBe(digest);
  });

  it('bundled as CDK bundles it: the digest of the bundle file, so every deployment of new code re-renders', async () => {
    const bundle = await buildBundle(
      'code-version',
      path.join(projectRoot, 'functions/render/code-version.ts'),
      outdir,
    );
    const loaded = (await import(pathToFileURL(bundle.file).href)) as { renderCodeDigest(): string };
    const expected = createHash('sha1').update(readFileSync(bundle.file)).digest('base64url');
    expect(loaded.renderCodeDigest()).toBe(expected);
    expect(expected).not.toBe(renderCodeDigest());
  });
});
