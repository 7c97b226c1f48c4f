// The commands render answers besides stream batches: ops and schedules send them as the invocation's event.
import * as v from 'valibot';
import { REFRESH_HOT_COMMAND } from '#shared/domain/views.ts';

/** A slice of a fanned-out rebuild: pages `from` to `to` (exclusive) of the run's plan. */
export interface RebuildSlice {
  readonly run: string;
  readonly from: number;
  readonly to: number;
}

export interface RebuildRequest {
  readonly force?: boolean;
  readonly verify?: boolean;
  /** Pages per slice of a fanned-out rebuild; REBUILD_FAN_OUT.pagesPerSlice by default (tests set fewer). */
  readonly sliceSize?: number;
  /** What the deployment changed (render code, site config): only makes the trigger's input differ, not read. */
  readonly deployment?: Readonly<Record<string, string>>;
}

export type RenderCommand =
  /** A rebuild in this one invocation (the local runtime; it stops before a timeout and is sent again). */
  | ({ readonly command: 'rebuild' } & RebuildRequest)
  /** The fan-out's three steps (rebuild-fan-out.ts): plan the pages into slices, render a slice, finish the run. */
  | { readonly command: 'rebuild-plan'; readonly options?: RebuildRequest }
  | ({ readonly command: 'rebuild-slice' } & RebuildSlice)
  | {
      readonly command: 'rebuild-finish';
      readonly run: string;
      /** A slice failed after its retries: what the others wrote is kept, and the run reports itself unfinished. */
      readonly failed?: boolean;
      /** The plan's page count, for the summary. */
      readonly pages?: number;
    }
  | { readonly command: 'render-articles'; readonly ids: readonly string[] }
  | typeof REFRESH_HOT_COMMAND;

export type RenderCommandName = RenderCommand['command'];
export type CommandOf<K extends RenderCommandName> = Extract<RenderCommand, { command: K }>;

/** What a render command answers. */
export interface RenderSummary {
  readonly rendered: number;
  readonly written: number;
  readonly removed: number;
}

const rebuildRequest = {
  force: v.optional(v.boolean()),
  verify: v.optional(v.boolean()),
  sliceSize: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  deployment: v.optional(v.record(v.string(), v.string())),
};
const pageIndex = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** The commands render takes besides stream batches; any other event is a stream batch. */
const renderCommandSchema = v.variant('command', [
  v.looseObject({ command: v.literal('rebuild'), ...rebuildRequest }),
  v.looseObject({ command: v.literal('rebuild-plan'), options: v.optional(v.looseObject(rebuildRequest)) }),
  v.pipe(
    v.looseObject({ command: v.literal('rebuild-slice'), run: v.string(), from: pageIndex, to: pageIndex }),
    v.check((slice) => slice.to > slice.from),
  ),
  v.looseObject({
    command: v.literal('rebuild-finish'),
    run: v.string(),
    failed: v.optional(v.boolean()),
    pages: v.optional(v.pipe(v.number(), v.safeInteger())),
  }),
  v.looseObject({ command: v.literal('render-articles'), ids: v.array(v.string()) }),
  v.looseObject({ command: v.literal(REFRESH_HOT_COMMAND.command) }),
]);

export const isRenderCommand = (event: unknown): event is RenderCommand => v.is(renderCommandSchema, event);
