// Which rendering code is running, as a digest that goes into every page's inputs digest: a new deployment or a
// template change re-renders the whole site once on the next rebuild, and nothing else does.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
let digest: string | undefined;

/**
 * Bundled (the render function in AWS), the bundle itself. From source (the local runtime, the ops commands), every
 * file under shared/ and functions/render/ with package-lock.json (the dependency versions): wider than the
 * templates on purpose, since a change it missed would leave stale pages while a needless re-render only costs time.
 */
export function renderCodeDigest(): string {
  if (digest) return digest;
  const hash = createHash('sha1');
  if (!here.endsWith('.ts')) {
    hash.update(readFileSync(here));
  } else {
    const root = path.resolve(path.dirname(here), '../..');
    const add = (file: string) => {
      hash.update(path.relative(root, file));
      hash.update(readFileSync(file));
    };
    for (const dir of ['shared', 'functions/render']) {
      const files = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => path.join(d.parentPath, d.name))
        .sort();
      for (const file of files) add(file);
    }
    add(path.join(root, 'package-lock.json'));
  }
  digest = hash.digest('base64url');
  return digest;
}
