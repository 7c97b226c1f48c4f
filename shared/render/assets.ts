// The asset pipeline: every browser file in site-assets/ (*.css, *.js) is published under a content-hashed name,
// cached immutable, and templates refer to it by its logical name (`site.css`, `views.js`).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheControl } from '../headers.ts';

export interface SiteAsset {
  /** The name templates use, e.g. `site.css`. */
  readonly logicalName: string;
  /** The bucket key, e.g. `assets/site.3f2a9c01d4.css`. */
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

export interface SiteAssets {
  readonly all: readonly SiteAsset[];
  /** The URL path of an asset, or undefined when no such file was dropped in site-assets/. */
  url(logicalName: string): string | undefined;
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export const contentHash = (body: Buffer | string, length = 10): string =>
  createHash('sha256').update(body).digest('hex').slice(0, length);

export function buildAssets(files: readonly { name: string; body: Buffer }[]): SiteAssets {
  const all = [...files]
    .filter((f) => CONTENT_TYPES[path.extname(f.name)])
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f): SiteAsset => {
      const ext = path.extname(f.name);
      const base = f.name.slice(0, -ext.length);
      return {
        logicalName: f.name,
        key: `assets/${base}.${contentHash(f.body)}${ext}`,
        body: f.body,
        contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
        cacheControl: cacheControl.immutable,
      };
    });
  const byName = new Map(all.map((a) => [a.logicalName, `/${a.key}`]));
  return { all, url: (name) => byName.get(name) };
}

/**
 * site-assets/ sits at the project root in a checkout; a Lambda bundle carries a copy next to the handler
 * (copied after bundling), and SITE_ASSETS_DIR overrides both.
 */
export function siteAssetsDir(): string {
  const candidates = [
    process.env.SITE_ASSETS_DIR,
    path.join(import.meta.dirname, 'site-assets'),
    path.resolve(import.meta.dirname, '../../site-assets'),
  ].filter((d): d is string => Boolean(d));
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`site-assets directory not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadSiteAssets(dir: string = siteAssetsDir()): SiteAssets {
  const files = readdirSync(dir)
    .filter((name) => CONTENT_TYPES[path.extname(name)])
    .map((name) => ({ name, body: readFileSync(path.join(dir, name)) }));
  return buildAssets(files);
}
