// Running the render function's rebuild command until a run finishes (functions/render/rebuild-command.ts).
import { describe, expect, it } from 'vitest';
import type { RenderCommand } from '#functions/render/handler.ts';
import { type RebuildSummary, rebuildUntilDone } from '#functions/render/rebuild-command.ts';

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
