// The render function's modules import each other in one direction only: no cycle among functions/render and
// shared/render, counting type-only imports too (a type cycle is the same tangle for a reader), and the publish
// path's modules import no rebuild or 点击排行 code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const DIRS = ['functions/render', 'shared/render'];
const ALIASES: Record<string, string> = { '#shared/': 'shared/', '#functions/': 'functions/' };

const files = DIRS.flatMap((dir) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`),
);

/** Every module a file names in its imports and re-exports, type-only included. */
function importsOf(file: string): string[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const resolve = (spec: string): string => {
    const alias = Object.keys(ALIASES).find((a) => spec.startsWith(a));
    if (alias) return `${ALIASES[alias]}${spec.slice(alias.length)}`;
    return spec.startsWith('.') ? path.posix.normalize(`${path.posix.dirname(file)}/${spec}`) : spec;
  };
  const found = (pattern: RegExp) => [...source.matchAll(pattern)].map((m) => resolve(m[1] ?? ''));
  return found(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms);
}

const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));

function cycles(): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

/** Files reachable from `from` by static imports. */
function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) walk(next);
  };
  walk(from);
  return seen;
}

describe('render modules', () => {
  it('reads the import graph (a guard against a pattern that finds nothing)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(graph.get('functions/render/handler.ts')).toEqual(
      expect.arrayContaining(['functions/render/commands.ts', 'functions/render/deps.ts']),
    );
    expect(graph.get('shared/render/affected.ts')).toContain('shared/render/page-kinds.ts');
  });

  it('have no import cycle, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });

  it('the publish path (stream batches, changes, photo waits) imports no rebuild, fan-out or 点击排行 module', () => {
    const publish = new Set([
      ...reachable('functions/render/stream.ts'),
      ...reachable('functions/render/publish.ts'),
      ...reachable('functions/render/photo-waits.ts'),
    ]);
    for (const other of [
      'functions/render/rebuild.ts',
      'functions/render/rebuild-plan.ts',
      'functions/render/fan-out.ts',
      'functions/render/render-slice.ts',
      'functions/render/hot.ts',
      'shared/render/page-inputs.ts',
    ])
      expect(publish, other).not.toContain(other);
  });
});
