// A whole-site rebuild, the same code in the render function (`{"command":"rebuild"}`, which `npm run rebuild --
// --stage <name>` sends) and in `npm run rebuild` against the local runtime. The manifest says which pages would
// come out the same; the rest are rendered while earlier pages are being written, and written only if their bytes
// changed; then one invalidation. Interrupted (Ctrl-C locally, a timeout in AWS), it keeps what it wrote: those
// pages are in the manifest and the next run skips them.
import { createHash } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { HEAD_COMPARISONS_UP_TO } from '#shared/aws/site-store.ts';
import { workQueue } from '#shared/concurrency.ts';
import type { ListedSiteStore, SiteStore } from '#shared/ports.ts';
import type { PageRef } from '#shared/render/affected.ts';
import type { Listing } from '#shared/render/catalogue.ts';
import type { HotRankings } from '#shared/render/hot-list.ts';
import type { RenderCommand } from './commands.ts';
import type { RenderDeps } from './deps.ts';
import type { RebuildSummary } from './rebuild-command.ts';
import { planRebuild } from './rebuild-plan.ts';
import { type RenderedPage, renderSlice, timeSlices } from './render-slice.ts';

const SLICE = 100;
/** PutObject calls in flight (the raw baseline of `npm run bench:ops` uses as many). */
const WRITES_IN_FLIGHT = 16;
/** Longest stretch of rendering before the answers to the writes in flight are let in. */
const RENDER_BUDGET_MS = 2;
/** Pages written between two saves of the manifest, so a run killed outright (not stopped) loses no more. */
const MANIFEST_CHECKPOINT_PAGES = 10_000;

/** Renders slices elsewhere (a worker thread of `npm run rebuild`); the rebuild's own thread renders until one is ready. */
export interface SliceRenderer {
  /** Resolves once it can take slices. */
  readonly ready: Promise<void>;
  render(refs: PageRef[], views: [string, number][]): Promise<RenderedPage[]>;
}

export interface RebuildOptions {
  /** Render and write every page, whatever the manifest and the bucket say. */
  readonly force?: boolean;
  /** Also list the bucket, and render again pages whose stored bytes are not those the manifest recorded. */
  readonly verify?: boolean;
  /** Pages per slice. */
  readonly sliceSize?: number;
  /** Stops after this many slices, as an interruption would (tests). */
  readonly stopAfterSlices?: number;
  readonly signal?: AbortSignal;
  /** Given what every slice needs and how many slices there are, starts renderers besides this thread. */
  readonly helpers?: (
    site: { listings: Listing[]; hot: HotRankings; now: string },
    slices: number,
  ) => readonly SliceRenderer[];
  /** Told how many pages will be rendered, then once per page written or found unchanged. */
  readonly progress?: (total: number) => { tick(): void };
}

export interface RebuildOutcome {
  readonly pages: number;
  /** Pages rendered. */
  readonly rendered: number;
  /** Pages with the same inputs and bytes as the manifest records, not rendered. */
  readonly unchanged: number;
  /** Keys of the pages written. */
  readonly written: readonly string[];
  readonly assetsWritten: number;
  readonly interrupted: boolean;
}

export async function rebuildPages(deps: RenderDeps, options: RebuildOptions = {}): Promise<RebuildOutcome> {
  const plan = await planRebuild(deps, { force: options.force ?? false, verify: options.verify ?? false });
  const { listings, catalogue, hot, views, now, refs, inputs, pending, manifest, listed, force } = plan;
  let manifestChanged = plan.manifestChanged;
  let forcedSince = plan.forcedSince;
  const saveManifest = () =>
    deps.manifest.write({ pages: manifest, ...(forcedSince ? { forcedSince } : {}) });
  // Rendered pages are still written only when their bytes changed: a few are compared by HEAD, many against one
  // listing; forced, everything is written.
  const bulk: ListedSiteStore | undefined =
    listed ?? (force || pending.length > HEAD_COMPARISONS_UP_TO ? await deps.bulkStore(force) : undefined);
  const store: SiteStore = bulk ?? deps.store;
  const etagOf = bulk ? (key: string) => bulk.etagOf(key) : undefined;
  const written: string[] = [];
  let assetsWritten = 0;
  for (const asset of deps.context.assets.all) if (await store.put(asset)) assetsWritten++;

  const size = options.sliceSize ?? SLICE;
  const slices: PageRef[][] = [];
  for (let i = 0; i < pending.length; i += size) slices.push(pending.slice(i, i + size));
  const limit = Math.min(options.stopAfterSlices ?? slices.length, slices.length);
  const bar = options.progress?.(pending.length);

  let rendered = 0;
  let sinceCheckpoint = 0;
  let checkpoint: Promise<void> = Promise.resolve();
  const writes = workQueue<RenderedPage>(WRITES_IN_FLIGHT, async (page) => {
    if (await store.put(page.object)) written.push(page.object.key);
    // Recorded only once the bytes are in the bucket; a page with photos still processing is not recorded, so the
    // next rebuild renders it again.
    // The ETag S3 gave the write (or listed, when the bytes were unchanged); hashed here only without a listing.
    const etag = etagOf?.(page.object.key) ?? createHash('md5').update(page.object.body).digest('hex');
    const inputsDigest = inputs.get(page.ref);
    if (page.settled && inputsDigest)
      manifest.set(page.ref, { key: page.object.key, inputs: inputsDigest, etag });
    else manifest.delete(page.ref);
    manifestChanged = true;
    if (++sinceCheckpoint >= MANIFEST_CHECKPOINT_PAGES) {
      sinceCheckpoint = 0;
      checkpoint = checkpoint.then(saveManifest);
    }
    bar?.tick();
  });
  const accept = async (pages: RenderedPage[]) => {
    rendered += pages.length;
    writes.push(pages);
    // Rendering may run ahead of writing by a few slices, no more: bodies of a large site never sit in memory.
    await writes.below(WRITES_IN_FLIGHT + 4 * size);
  };

  let nextSlice = 0;
  const take = (): PageRef[] | undefined =>
    nextSlice < limit && !options.signal?.aborted ? slices[nextSlice++] : undefined;
  const sliceViews = (part: readonly PageRef[]): [string, number][] =>
    part.flatMap((r) => (r.kind === 'article' ? [[r.id, views.get(r.id) ?? 0] as [string, number]] : []));

  try {
    const helpers =
      limit > 0 ? (options.helpers?.({ listings, hot, now: now.toISOString() }, limit) ?? []) : [];
    let helperReady = helpers.length === 0;
    const runHelper = async (helper: SliceRenderer) => {
      await helper.ready;
      helperReady = true;
      for (let part = take(); part; part = take()) await accept(await helper.render(part, sliceViews(part)));
    };
    // This thread renders until the first helper is up (or alone, without helpers).
    const runHere = async () => {
      const pause = timeSlices(RENDER_BUDGET_MS);
      while (helpers.length === 0 || !helperReady) {
        const part = take();
        if (!part) return;
        await accept(await renderSlice(deps, { catalogue, hot, views, now }, part, pause));
        // Lets a helper's ready message through between slices.
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([runHere(), ...helpers.map(runHelper)]);
    await writes.drained();
    if (forcedSince && nextSlice >= slices.length) {
      forcedSince = undefined;
      manifestChanged = true;
    }
  } finally {
    await checkpoint;
    if (manifestChanged) await saveManifest();
  }
  // One invalidation for the whole rebuild; assets are named by their content and need none.
  written.sort();
  await deps.invalidator.invalidate(written.map((key) => `/${key}`));
  return {
    pages: refs.length,
    rendered,
    unchanged: refs.length - pending.length,
    written,
    assetsWritten,
    interrupted: nextSlice < slices.length,
  };
}

/** A rebuild stops taking slices this long before the function times out (at most half its time), to finish. */
const REBUILD_STOPS_BEFORE_TIMEOUT_MS = 20_000;

/** Aborts when a rebuild must stop taking slices to finish its writes and its manifest within `context`'s time. */
function beforeTimeout(
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
): AbortSignal | undefined {
  const remaining = context?.getRemainingTimeInMillis();
  if (remaining === undefined) return undefined;
  const delay = Math.floor(remaining - Math.min(REBUILD_STOPS_BEFORE_TIMEOUT_MS, remaining / 2));
  return delay > 0 ? AbortSignal.timeout(delay) : AbortSignal.abort();
}

/** The `rebuild` command: one invocation's rebuild, stopping before its time runs out (sent again to finish). */
export async function runRebuildCommand(
  command: Extract<RenderCommand, { command: 'rebuild' }>,
  deps: RenderDeps,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<RebuildSummary> {
  const started = Date.now();
  const signal = beforeTimeout(context);
  const outcome = await rebuildPages(deps, {
    force: command.force === true,
    verify: command.verify === true,
    ...(signal ? { signal } : {}),
  });
  const summary: RebuildSummary = {
    pages: outcome.pages,
    rendered: outcome.rendered,
    written: outcome.written.length + outcome.assetsWritten,
    removed: 0,
    interrupted: outcome.interrupted,
  };
  // Pages that changed may be imported or edited articles: the search index is built again on its next look.
  if (outcome.written.length > 0) await deps.searchMark.mark();
  deps.log.info('render command done', { command: command.command, ...summary, ms: Date.now() - started });
  return summary;
}
