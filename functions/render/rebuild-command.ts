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

/** Runs one deployment's rebuild may take (each at most the function's 5 minutes): 8 hours, far beyond any site. */
export const MAX_REBUILD_RUNS = 100;

/** The rebuild command as the deploy-time trigger sends it: the function goes on by itself until the rebuild is done. */
export interface ContinuingRebuild {
  readonly command: 'rebuild';
  readonly untilDone: true;
  /** Which run of this rebuild this is (1 for the trigger's). */
  readonly run?: number;
  /** What the deployment changed (render code, site config): only makes the trigger's event differ, not read. */
  readonly deployment?: Readonly<Record<string, string>>;
}

/**
 * The command that continues `command` after a run that answered `summary`, or why it must not: an unfinished run
 * goes on with the next run number (never `force`: the manifest holds what was written); a run that rendered nothing
 * before its time ran out would loop forever, and so would a rebuild past MAX_REBUILD_RUNS.
 */
export function continuationOf(
  command: ContinuingRebuild,
  summary: RebuildSummary,
): { next: ContinuingRebuild } | { stop: 'done' | 'no-progress' | 'too-many-runs' } {
  if (!summary.interrupted) return { stop: 'done' };
  if (summary.rendered === 0) return { stop: 'no-progress' };
  const run = (command.run ?? 1) + 1;
  if (run > MAX_REBUILD_RUNS) return { stop: 'too-many-runs' };
  return {
    next: {
      command: 'rebuild',
      untilDone: true,
      run,
      ...(command.deployment ? { deployment: command.deployment } : {}),
    },
  };
}
