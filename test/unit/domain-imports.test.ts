// The domain is pure: it throws its own errors (shared/domain/errors.ts) and reaches storage through shared/ports.ts,
// so nothing under shared/domain imports the HTTP layer, an adapter, or an AWS SDK package.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const domainDir = path.resolve(import.meta.dirname, '../../shared/domain');
const files = readdirSync(domainDir).filter((f) => f.endsWith('.ts'));

/** Every module specifier a file imports or re-exports, static or dynamic. */
const specifiers = (source: string): string[] =>
  [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );

const forbidden = (spec: string): boolean =>
  /(^|\/)http\//.test(spec) ||
  spec.startsWith('#shared/http/') ||
  /(^|\/)aws\//.test(spec) ||
  spec.startsWith('#shared/aws/') ||
  spec.startsWith('@aws-sdk/') ||
  spec.startsWith('@middy/');

describe('shared/domain imports', () => {
  it('finds the domain files', () => {
    expect(files).toContain('review.ts');
    expect(files).toContain('errors.ts');
  });

  it('imports nothing from shared/http, shared/aws, the AWS SDK or middy', () => {
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(path.join(domainDir, file), 'utf8'))
        .filter(forbidden)
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('recognises the imports it forbids', () => {
    expect(specifiers("import { x } from '../http/errors.ts';").filter(forbidden)).toEqual([
      '../http/errors.ts',
    ]);
    expect(specifiers("const m = await import('#shared/aws/s3-client.ts');").filter(forbidden)).toHaveLength(
      1,
    );
    expect(specifiers("import '@aws-sdk/client-s3';").filter(forbidden)).toHaveLength(1);
  });
});
