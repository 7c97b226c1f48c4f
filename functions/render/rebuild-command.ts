// The rebuild command's contract, for its callers (`npm run rebuild -- --stage`, the local runtime at start-up): what
// a run answers, and running it until it finishes. Kept apart from the rebuild itself, which loads the renderer.
import type { RenderCommand } from './handler.ts';

/** What the render function's rebuild command answers. */
export interface RebuildSummary {
  readonly pages: number;
  readonly rendered: number;
  /** Pages and assets. */
  readonly written: number;
  readonly removed: number;
  /** It stopped before its time ran out: run it again (without `force`) to finish. */
  readonly interrupted: boolean;
}

/**
 * Sends the rebuild command until a run finishes: a run that would outlast the function's timeout stops early,
 * with what it wrote in the manifest, and the next run renders only what is left. `force` applies to the first
 * run only, so the rest pick up where it stopped.
 */
export async function rebuildUntilDone(
  render: (command: RenderCommand) => Promise<unknown>,
  options: { force?: boolean; verify?: boolean; onRun?: (summary: RebuildSummary, run: number) => void } = {},
): Promise<RebuildSummary[]> {
  const runs: RebuildSummary[] = [];
  for (;;) {
    const first = runs.length === 0;
    const summary = (await render({
      command: 'rebuild',
      ...(options.force && first ? { force: true } : {}),
      ...(options.verify ? { verify: true } : {}),
    })) as RebuildSummary;
    runs.push(summary);
    options.onRun?.(summary, runs.length);
    if (!summary.interrupted) return runs;
    if (summary.rendered === 0) throw new Error('rebuild: a run stopped before rendering any page');
  }
}
