// The fanned-out rebuild, in three commands that the rebuild state machine (infra/constructs/rebuild-fan-out.ts) sends
// in AWS and rebuildByFanOut (rebuild-command.ts) sends locally: `rebuild-plan` decides the pages to render (the same
// plan as the one-invocation rebuild, manifest included) and writes what every slice renders from; `rebuild-slice`
// renders and writes one range of those pages, and records their manifest entries in a part of its own; then
// `rebuild-finish` merges the parts into the manifest, invalidates once and removes the run's files.
import { createHash, randomUUID } from 'node:crypto';
import { forEachLimited } from '#shared/concurrency.ts';
import type { SiteStore } from '#shared/ports.ts';
import { type PageRef, refId } from '#shared/render/affected.ts';
import { buildCatalogue, type FullCatalogue, type Listing } from '#shared/render/catalogue.ts';
import type { HotBox, HotRankings } from '#shared/render/hot-list.ts';
import type { RebuildRequest, RebuildSlice } from './commands.ts';
import type { RenderDeps } from './deps.ts';
import { REBUILD_FAN_OUT, type RebuildPlanAnswer, type RebuildSummary } from './rebuild-command.ts';
import { planRebuild } from './rebuild-plan.ts';
import { renderSlice } from './render-slice.ts';

const FORMAT = 1;

/** What every slice of a run renders from: one snapshot, so all pages of a rebuild agree with each other. */
interface PlanFile {
  readonly format: typeof FORMAT;
  readonly force: boolean;
  readonly now: string;
  readonly listings: Listing[];
  readonly hot: [string, HotBox][];
  readonly views: [string, number][];
  /** The pages to render. */
  readonly refs: PageRef[];
  /** Each page's inputs digest, for its manifest entry. */
  readonly inputs: string[];
  /** Each page's key and ETag as last recorded (or listed, with `verify`): equal bytes are not written again. */
  readonly previous: ([string, string] | null)[];
}

/** A slice's part of the manifest, and what it wrote. */
interface PartFile {
  readonly entries: [ref: string, key: string, inputs: string, etag: string][];
  /** Pages shown without photos still processing: not recorded, so the next rebuild renders them again. */
  readonly unsettled: string[];
  readonly written: string[];
  readonly rendered: number;
}

const runId = (now: Date): string => `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;

export async function planCommand(options: RebuildRequest, deps: RenderDeps): Promise<RebuildPlanAnswer> {
  const plan = await planRebuild(deps, { force: options.force === true, verify: options.verify === true });
  const { force } = plan;
  let assetsWritten = 0;
  // Hashed assets go up before any page that names them; their names are their content.
  for (const asset of deps.context.assets.all) if (await deps.store.put(asset)) assetsWritten++;
  if (plan.manifestChanged)
    await deps.manifest.write({
      pages: plan.manifest,
      ...(plan.forcedSince ? { forcedSince: plan.forcedSince } : {}),
    });
  const run = runId(plan.now);
  const answer = {
    run,
    pages: plan.refs.length,
    unchanged: plan.refs.length - plan.pending.length,
    assetsWritten,
  };
  if (plan.pending.length === 0) return { ...answer, slices: [] };
  const file: PlanFile = {
    format: FORMAT,
    force,
    now: plan.now.toISOString(),
    listings: plan.listings,
    hot: [...plan.hot],
    views: [...plan.views],
    refs: plan.pending,
    inputs: plan.pending.map((ref) => plan.inputs.get(refId(ref)) ?? ''),
    previous: plan.pending.map((ref) => {
      const entry = force ? undefined : plan.manifest.get(refId(ref));
      return entry ? [entry.key, plan.listed?.etagOf(entry.key) ?? entry.etag] : null;
    }),
  };
  await deps.rebuildRuns.writePlan(run, JSON.stringify(file));
  const size = Math.max(1, Math.floor(options.sliceSize ?? REBUILD_FAN_OUT.pagesPerSlice));
  const slices: RebuildSlice[] = [];
  for (let from = 0; from < file.refs.length; from += size)
    slices.push({ run, from, to: Math.min(from + size, file.refs.length) });
  deps.log.info('rebuild planned', { ...answer, pending: file.refs.length, slices: slices.length });
  return { ...answer, slices };
}

interface LoadedPlan {
  readonly run: string;
  readonly file: PlanFile;
  readonly data: {
    catalogue: FullCatalogue;
    hot: HotRankings;
    views: ReadonlyMap<string, number>;
    now: Date;
  };
}

/** The plan of the run this process last rendered a slice of: a warm invocation reads and parses it once. */
let loaded: LoadedPlan | undefined;

async function loadPlan(deps: RenderDeps, run: string): Promise<LoadedPlan> {
  if (loaded?.run === run) return loaded;
  const text = await deps.rebuildRuns.readPlan(run);
  if (text === undefined) throw new Error(`rebuild run ${run} has no plan (finished, or never planned)`);
  const file = JSON.parse(text) as PlanFile;
  if (file.format !== FORMAT)
    throw new Error(`rebuild run ${run}: plan format ${file.format}, expected ${FORMAT}`);
  loaded = {
    run,
    file,
    data: {
      catalogue: buildCatalogue(file.listings),
      hot: new Map(file.hot),
      views: new Map(file.views),
      now: new Date(file.now),
    },
  };
  return loaded;
}

const md5 = (body: string | Uint8Array): string => createHash('md5').update(body).digest('hex');

export async function sliceCommand(
  slice: RebuildSlice,
  deps: RenderDeps,
): Promise<{ rendered: number; written: number }> {
  const started = Date.now();
  const { file, data } = await loadPlan(deps, slice.run);
  const refs = file.refs.slice(slice.from, slice.to);
  const index = new Map(refs.map((ref, i) => [refId(ref), slice.from + i]));
  const pages = await renderSlice(deps, data, refs);
  // Bytes known to differ (or everything, forced) are written without asking the bucket; pages never recorded are
  // compared by a HEAD, as a publish compares them.
  let writeAlways: SiteStore | undefined;
  const part: PartFile = { entries: [], unsettled: [], written: [], rendered: pages.length };
  await forEachLimited(pages, deps.concurrency ?? 16, async (page) => {
    const i = index.get(page.ref) ?? -1;
    const etag = md5(page.object.body);
    const previous = file.previous[i];
    let wrote: boolean;
    if (!file.force && !previous) wrote = await deps.store.put(page.object);
    else if (previous?.[0] === page.object.key && previous[1] === etag) wrote = false;
    else {
      writeAlways ??= await deps.bulkStore(true);
      wrote = await writeAlways.put(page.object);
    }
    if (wrote) part.written.push(page.object.key);
    if (page.settled) part.entries.push([page.ref, page.object.key, file.inputs[i] ?? '', etag]);
    else part.unsettled.push(page.ref);
  });
  await deps.rebuildRuns.writePart(slice.run, slice.from, JSON.stringify(part));
  deps.log.info('rebuild slice done', {
    ...slice,
    rendered: pages.length,
    written: part.written.length,
    ms: Date.now() - started,
  });
  return { rendered: pages.length, written: part.written.length };
}

export async function finishCommand(
  command: { readonly run: string; readonly failed?: boolean; readonly pages?: number },
  deps: RenderDeps,
): Promise<RebuildSummary> {
  const parts = (await deps.rebuildRuns.readParts(command.run)).map((text) => JSON.parse(text) as PartFile);
  let rendered = 0;
  const written: string[] = [];
  const state = await deps.manifest.read();
  for (const part of parts) {
    for (const [ref, key, inputs, etag] of part.entries) state.pages.set(ref, { key, inputs, etag });
    for (const ref of part.unsettled) state.pages.delete(ref);
    written.push(...part.written);
    rendered += part.rendered;
  }
  // A forced run is over once every slice is in; after a failed slice the next rebuild finishes it.
  const finished = !command.failed && state.forcedSince !== undefined;
  if (parts.length > 0 || finished)
    await deps.manifest.write({
      pages: state.pages,
      ...(state.forcedSince && !finished ? { forcedSince: state.forcedSince } : {}),
    });
  // One invalidation for the whole rebuild; assets are named by their content and need none.
  written.sort();
  await deps.invalidator.invalidate(written.map((key) => `/${key}`));
  // Pages that changed may be imported or edited articles: the search index is built again on its next look.
  if (written.length > 0) await deps.searchMark.mark();
  await deps.rebuildRuns.remove(command.run);
  const summary: RebuildSummary = {
    pages: command.pages ?? rendered,
    rendered,
    written: written.length,
    removed: 0,
    interrupted: command.failed === true,
  };
  const fields = { run: command.run, slices: parts.length, ...summary };
  if (command.failed) deps.log.error('rebuild finished after a slice failed', fields);
  else deps.log.info('rebuild finished', fields);
  return summary;
}
