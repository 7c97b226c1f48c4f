// Running the render function's rebuild command until a run finishes (functions/render/rebuild-command.ts).
import { describe, expect, it } from 'vitest';
import type { RenderCommand } from '#functions/render/handler.ts';
import {
  continuationOf,
  MAX_REBUILD_RUNS,
  type RebuildSummary,
  rebuildUntilDone,
} from '#functions/render/rebuild-command.ts';

const run = (rendered: number, interrupted: boolean): RebuildSummary => ({
  pages: 100,
  rendered,
  written: rendered,
  removed: 0,
  interrupted,
});

describe('rebuildUntilDone', () => {
  it('runs again after a run that stopped before its timeout, forcing the first run only', async () => {
    const sent: RenderCommand[] = [];
    const answers = [run(40, true), run(40, true), run(20, false)];
    const runs = await rebuildUntilDone(
      async (command) => {
        sent.push(command);
        return answers[sent.length - 1];
      },
      { force: true },
    );
    expect(sent).toEqual([
      { command: 'rebuild', force: true },
      { command: 'rebuild' },
      { command: 'rebuild' },
    ]);
    expect(runs.map((r) => r.rendered)).toEqual([40, 40, 20]);
  });

  it('stops with an error when a run was cut short before rendering anything', async () => {
    await expect(rebuildUntilDone(async () => run(0, true))).rejects.toThrow(
      'a run stopped before rendering any page',
    );
  });
});

describe('continuationOf: the deploy-time rebuild goes on by itself', () => {
  const deployment = { renderCode: 'abc.zip', siteConfig: '0123456789abcdef' };

  it('sends the next run after an unfinished one, never forced, with the same deployment', () => {
    expect(
      continuationOf({ command: 'rebuild', untilDone: true, run: 1, deployment }, run(100, true)),
    ).toEqual({
      next: { command: 'rebuild', untilDone: true, run: 2, deployment },
    });
    expect(continuationOf({ command: 'rebuild', untilDone: true }, run(5, true))).toEqual({
      next: { command: 'rebuild', untilDone: true, run: 2 },
    });
  });

  it('stops when done, when a run rendered nothing before its time ran out, and after MAX_REBUILD_RUNS', () => {
    expect(continuationOf({ command: 'rebuild', untilDone: true }, run(100, false))).toEqual({
      stop: 'done',
    });
    expect(continuationOf({ command: 'rebuild', untilDone: true }, run(0, true))).toEqual({
      stop: 'no-progress',
    });
    expect(
      continuationOf({ command: 'rebuild', untilDone: true, run: MAX_REBUILD_RUNS }, run(10, true)),
    ).toEqual({ stop: 'too-many-runs' });
  });
});
