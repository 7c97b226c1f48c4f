// The commands render answers besides stream batches: ops and schedules send them as the invocation's event.
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const isSlice = (e: Record<string, unknown>): boolean =>
  typeof e.run === 'string' &&
  Number.isSafeInteger(e.from) &&
  Number.isSafeInteger(e.to) &&
  (e.from as number) >= 0 &&
  (e.to as number) > (e.from as number);

export const isRenderCommand = (event: unknown): event is RenderCommand => {
  if (!isObject(event)) return false;
  switch (event.command) {
    case 'rebuild':
    case REFRESH_HOT_COMMAND.command:
      return true;
    case 'rebuild-plan':
      return event.options === undefined || isObject(event.options);
    case 'rebuild-slice':
      return isSlice(event);
    case 'rebuild-finish':
      return (
        typeof event.run === 'string' && (event.pages === undefined || Number.isSafeInteger(event.pages))
      );
    case 'render-articles':
      return Array.isArray(event.ids) && event.ids.every((id) => typeof id === 'string');
    default:
      return false;
  }
};
