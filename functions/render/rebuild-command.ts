// The rebuild commands' contract, for their callers (`npm run rebuild`, the local runtime at start-up, the import, the
// rebuild state machine in the CDK stack): what a run answers, the fan-out's settings, and running a rebuild to the
// end. Kept apart from the rebuild itself, which loads the renderer.
import { forEachLimited } from '#shared/concurrency.ts';
import type { RebuildRequest, RebuildSlice, RenderCommand } from './commands.ts';

/** What a rebuild answers. */
export interface RebuildSummary {
  readonly pages: number;
  readonly rendered: number;
  /** Pages and assets. */
  readonly written: number;
  readonly removed: number;
  /** It stopped before its time ran out, or a slice failed: run it again (without `force`) to finish. */
  readonly interrupted: boolean;
}

/** What `rebuild-plan` answers: the slices to render (none when every page would come out the same). */
export interface RebuildPlanAnswer {
  readonly run: string;
  readonly pages: number;
  readonly unchanged: number;
  readonly assetsWritten: number;
  readonly slices: readonly RebuildSlice[];
}

/**
 * The fan-out, as the state machine and the local runner both use it. The model behind the numbers is in
 * docs/ARCHIVE-SCALE.md: 220,000 pages in 15 minutes is 245 pages/s; a render invocation at 1,024 MB (~0.58 vCPU)
 * writes ~170 pages/s when CPU-bound (3.4 ms of CPU per page at 1 vCPU), and fewer when S3's PUT latency dominates.
 */
export const REBUILD_FAN_OUT = {
  /** Pages per slice: ~6 s of rendering and writing at 1,024 MB, far inside render's 5-minute timeout. */
  pagesPerSlice: 1_000,
  /** Slices rendered at once: 8 covers a PUT latency up to 200 ms with room (docs/ARCHIVE-SCALE.md). */
  maxConcurrency: 8,
  /** A failed slice is tried again this many times (the same plan renders the same bytes). */
  sliceRetries: 2,
  retryIntervalSeconds: 5,
  retryBackoffRate: 2,
  /** A run gives up after this long: 4x the 15-minute goal. */
  timeoutMinutes: 60,
} as const;

/**
 * Sends the rebuild command until a run finishes: a run that would outlast the function's timeout stops early,
 * with what it wrote in the manifest, and the next run renders only what is left. `force` applies to the first
 * run only, so the rest pick up where it stopped. Local only: in AWS the state machine fans the rebuild out.
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

/**
 * The rebuild state machine's steps, run here against `render` (the local runtime's function): plan, every slice
 * with at most `concurrency` at once and REBUILD_FAN_OUT's retries, then finish, also after a slice failed, so
 * what the others wrote is recorded.
 */
export async function rebuildByFanOut(
  render: (command: RenderCommand) => Promise<unknown>,
  options: RebuildRequest & {
    concurrency?: number;
    onSlice?: (slice: RebuildSlice, done: number, of: number) => void;
  } = {},
): Promise<RebuildSummary> {
  const { concurrency, onSlice, ...request } = options;
  const plan = (await render({ command: 'rebuild-plan', options: request })) as RebuildPlanAnswer;
  if (plan.slices.length === 0)
    return { pages: plan.pages, rendered: 0, written: plan.assetsWritten, removed: 0, interrupted: false };
  let failure: unknown;
  let done = 0;
  try {
    await forEachLimited(plan.slices, concurrency ?? REBUILD_FAN_OUT.maxConcurrency, async (slice) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await render({ command: 'rebuild-slice', ...slice });
          break;
        } catch (error) {
          if (attempt >= REBUILD_FAN_OUT.sliceRetries) throw error;
        }
      }
      onSlice?.(slice, ++done, plan.slices.length);
    });
  } catch (error) {
    failure = error;
  }
  const summary = (await render({
    command: 'rebuild-finish',
    run: plan.run,
    pages: plan.pages,
    ...(failure ? { failed: true } : {}),
  })) as RebuildSummary;
  if (failure) throw failure;
  return { ...summary, written: summary.written + plan.assetsWritten };
}
