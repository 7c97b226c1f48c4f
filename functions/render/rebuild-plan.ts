// What a rebuild renders, decided before anything is rendered, the same for the one-invocation rebuild (rebuild.ts)
// and the fanned-out one (fan-out.ts): every page of the site, less those the manifest says would come out the same.
import type { ListedSiteStore, RebuildManifest } from '#shared/ports.ts';
import { allPages, type PageRef, refId } from '#shared/render/affected.ts';
import { buildCatalogue, type FullCatalogue, type Listing, SITE_LIST } from '#shared/render/catalogue.ts';
import type { HotRankings } from '#shared/render/hot-list.ts';
import { pageInputDigests, renderVersion } from '#shared/render/page-inputs.ts';
import type { RenderDeps } from './deps.ts';

export interface RebuildPlan {
  readonly listings: Listing[];
  readonly catalogue: FullCatalogue;
  readonly hot: HotRankings;
  readonly views: ReadonlyMap<string, number>;
  readonly now: Date;
  /** Every page of the site. */
  readonly refs: readonly PageRef[];
  /** Inputs digest by refId. */
  readonly inputs: ReadonlyMap<string, string>;
  /** The pages to render, in allPages order. */
  readonly pending: PageRef[];
  /** As read, less the entries of pages that no longer exist. */
  readonly manifest: RebuildManifest;
  /** True when entries were dropped: the manifest must be written even if nothing is rendered. */
  readonly manifestChanged: boolean;
  /** Whether every page is rendered: asked for, or a forced rebuild stopped partway that this one finishes. */
  readonly force: boolean;
  /** When the forced rebuild under way started (RebuildManifestState), until every page of it is written. */
  readonly forcedSince?: string;
  /** The bucket's listing, when `verify` asked for one. */
  readonly listed?: ListedSiteStore;
}

export async function planRebuild(
  deps: RenderDeps,
  options: { readonly force: boolean; readonly verify: boolean },
): Promise<RebuildPlan> {
  // The list counters before the listings, so that a recount never undoes a status change made in between.
  const [seenTotals, unfinished] = await Promise.all([deps.articles.listTotals(), deps.manifest.read()]);
  // A forced rebuild stopped partway is finished by the next run, forced or not.
  const force = options.force || unfinished.forcedSince !== undefined;
  const verify = !force && options.verify;
  // Everything the pages depend on, read once: listings (no bodies), rankings and every view total.
  const [listings, hot, views, listed] = await Promise.all([
    deps.articles.listings(),
    deps.hot.rankings.read(),
    deps.views.all(),
    verify ? deps.bulkStore(false) : undefined,
  ]);
  const manifest = unfinished.pages;
  // A forced rebuild forgets the manifest and records that it did before writing anything: every page is then without
  // an entry until this rebuild writes it, so a run stopped (or killed) partway leaves exactly the rest to the next.
  let forcedSince = unfinished.forcedSince;
  if (force && !forcedSince) {
    forcedSince = new Date().toISOString();
    manifest.clear();
    await deps.manifest.write({ pages: manifest, forcedSince });
  }

  const catalogue = buildCatalogue(listings);
  // Imports and the sample seed write articles without counters; publishes keep them from then on.
  const recounted = await deps.articles.setListTotals(
    seenTotals,
    new Map([SITE_LIST, ...catalogue.channels.all.map((c) => c.path)].map((p) => [p, catalogue.total(p)])),
  );
  if (recounted > 0) deps.log.info('list counters recounted', { lists: recounted });
  const refs = allPages(catalogue);
  const now = deps.hot.now?.() ?? new Date();
  const inputsOf = pageInputDigests({
    catalogue,
    views,
    hot,
    now,
    version: renderVersion(deps.context, deps.codeVersion()),
  });
  const inputs = new Map(refs.map((ref) => [refId(ref), inputsOf(ref)]));
  let manifestChanged = false;
  for (const id of manifest.keys()) {
    if (!inputs.has(id)) manifestChanged = manifest.delete(id);
  }
  // The bucket is private and only render writes it, so by default the manifest is trusted for what it holds;
  // `verify` checks that against a listing too.
  const pending = refs.filter((ref) => {
    const entry = manifest.get(refId(ref));
    return (
      !entry ||
      entry.inputs !== inputs.get(refId(ref)) ||
      (listed !== undefined && listed.etagOf(entry.key) !== entry.etag)
    );
  });
  return {
    listings,
    catalogue,
    hot,
    views,
    now,
    refs,
    inputs,
    pending,
    manifest,
    manifestChanged,
    force,
    ...(forcedSince ? { forcedSince } : {}),
    ...(listed ? { listed } : {}),
  };
}
