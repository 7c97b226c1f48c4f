// Running a rebuild to the end (functions/render/rebuild-command.ts): the one-invocation command sent until a run
// finishes, and the fan-out's plan, slices and finish.
import { describe, expect, it } from 'vitest';
import type { RenderCommand } from '#functions/render/handler.ts';
import {
  REBUILD_FAN_OUT,
  type RebuildSummary,
  rebuildByFanOut,
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

describe('rebuildByFanOut: the rebuild state machine steps, run locally', () => {
  const slices = [
    { run: 'r1', from: 0, to: 10 },
    { run: 'r1', from: 10, to: 20 },
    { run: 'r1', from: 20, to: 25 },
  ];
  const plan = { run: 'r1', pages: 30, unchanged: 5, assetsWritten: 2, slices };

  it('plans, renders every slice at most `concurrency` at once, then finishes', async () => {
    const sent: RenderCommand[] = [];
    let inFlight = 0;
    let most = 0;
    const summary = await rebuildByFanOut(
      async (command) => {
        sent.push(command);
        if (command.command === 'rebuild-plan') return plan;
        if (command.command === 'rebuild-slice') {
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          return { rendered: command.to - command.from, written: 0, removed: 0 };
        }
        return run(25, false);
      },
      { force: true, concurrency: 2 },
    );
    expect(sent[0]).toEqual({ command: 'rebuild-plan', options: { force: true } });
    expect(sent.filter((c) => c.command === 'rebuild-slice')).toHaveLength(3);
    expect(sent.at(-1)).toEqual({ command: 'rebuild-finish', run: 'r1', pages: 30 });
    expect(most).toBe(2);
    expect(summary).toMatchObject({ rendered: 25, written: 27, interrupted: false });
  });

  it(`tries a failing slice ${REBUILD_FAN_OUT.sliceRetries} more times, then finishes the run as failed and throws`, async () => {
    const sent: RenderCommand[] = [];
    const attempt = rebuildByFanOut(async (command) => {
      sent.push(command);
      if (command.command === 'rebuild-plan') return plan;
      if (command.command === 'rebuild-slice' && command.from === 10) throw new Error('slice failed');
      return command.command === 'rebuild-finish' ? run(15, true) : { rendered: 10, written: 0, removed: 0 };
    });
    await expect(attempt).rejects.toThrow('slice failed');
    const failing = sent.filter((c) => c.command === 'rebuild-slice' && c.from === 10);
    expect(failing).toHaveLength(1 + REBUILD_FAN_OUT.sliceRetries);
    expect(sent.at(-1)).toEqual({ command: 'rebuild-finish', run: 'r1', pages: 30, failed: true });
  });

  it('sends nothing after a plan without slices', async () => {
    const sent: string[] = [];
    const summary = await rebuildByFanOut(async (command) => {
      sent.push(command.command);
      return { ...plan, slices: [] };
    });
    expect(sent).toEqual(['rebuild-plan']);
    expect(summary).toMatchObject({ rendered: 0, interrupted: false });
  });
});
