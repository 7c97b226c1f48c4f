// The render function's modules import each other in one direction only: no cycle among functions/render and
// shared/render, counting type-only imports too (a type cycle is the same tangle for a reader), and the handler
// imports the rebuild and 点击排行 code only when their commands arrive, so a publish never loads it.
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

/** Every module a file names: static imports and re-exports (type-only included), and dynamic import()s. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const source = readFileSync(path.join(root, file), 'utf8');
  const resolve = (spec: string): string => {
    const alias = Object.keys(ALIASES).find((a) => spec.startsWith(a));
    if (alias) return `${ALIASES[alias]}${spec.slice(alias.length)}`;
    return spec.startsWith('.') ? path.posix.normalize(`${path.posix.dirname(file)}/${spec}`) : spec;
  };
  const found = (pattern: RegExp) => [...source.matchAll(pattern)].map((m) => resolve(m[1] ?? ''));
  return {
    static: found(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms),
    dynamic: found(/\bimport\(\s*'([^']+)'\s*\)/g),
  };
}

const graph = new Map(files.map((f) => [f, importsOf(f).static.filter((t) => files.includes(t))]));

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

  it('a publish loads no rebuild, fan-out or 点击排行 module: the handler imports those on demand', () => {
    const loaded = reachable('functions/render/handler.ts');
    for (const lazy of [
      'functions/render/rebuild.ts',
      'functions/render/rebuild-plan.ts',
      'functions/render/fan-out.ts',
      'functions/render/render-slice.ts',
      'functions/render/hot.ts',
      'shared/render/page-inputs.ts',
    ])
      expect(loaded, lazy).not.toContain(lazy);
    expect(importsOf('functions/render/handler.ts').dynamic.sort()).toEqual([
      'functions/render/fan-out.ts',
      'functions/render/fan-out.ts',
      'functions/render/fan-out.ts',
      'functions/render/hot.ts',
      'functions/render/rebuild.ts',
    ]);
  });
});
