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

describe('ports', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const sources = ['shared', 'functions'].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f)),
  );
  const ports = [
    ...readFileSync(path.join(root, 'shared/ports.ts'), 'utf8').matchAll(
      /^export (?:interface|type) (\w+)/gm,
    ),
  ].flatMap((m) => (m[1] ? [m[1]] : []));

  it('are declared in shared/ports.ts alone, and no adapter re-exports one', () => {
    expect(ports).toContain('ArticleStore');
    expect(ports).toContain('ViewCounter');
    const elsewhere = sources
      .filter((file) => file !== path.join('shared', 'ports.ts'))
      .flatMap((file) => {
        const source = readFileSync(path.join(root, file), 'utf8');
        const declared = [...source.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
        const reexported = [...source.matchAll(/^export type \{([^}]*)\}/gm)].flatMap((m) =>
          (m[1] ?? '').split(',').map((name) => name.trim()),
        );
        return [...declared, ...reexported]
          .filter((name) => name && ports.includes(name))
          .map((n) => `${file}: ${n}`);
      });
    expect(elsewhere).toEqual([]);
  });
});
