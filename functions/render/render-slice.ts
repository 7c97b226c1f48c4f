// One slice of a rebuild: reads the bodies and photo records of the slice's articles, and renders its pages. Runs
// on the rebuild's own thread, or in a worker thread of `npm run rebuild` (infra/ops/rebuild-worker.ts).
import type { SiteObject } from '#shared/ports.ts';
import { type PageRef, refId } from '#shared/render/affected.ts';
import type { Catalogue } from '#shared/render/catalogue.ts';
import { photoIds, photosStillProcessing } from '#shared/render/gallery.ts';
import type { HotRankings } from '#shared/render/hot-list.ts';
import { bodiesShownBy, renderRef } from '#shared/render/site.ts';
import type { RenderDeps } from './deps.ts';

export interface RenderedPage {
  readonly ref: string;
  readonly object: SiteObject;
  /** False when one of the article's photos had no processing record yet: its page will change without an edit. */
  readonly settled: boolean;
}

/**
 * Returns a pause that yields to the event loop once `budgetMs` of work has run since the last yield. A rebuild
 * renders between its PutObject calls: a slice rendered in one go held their responses back for its whole
 * length, and the local S3 server sat idle meanwhile.
 */
export function timeSlices(budgetMs: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

export async function renderSlice(
  deps: Pick<RenderDeps, 'articles' | 'photos' | 'context'>,
  data: { catalogue: Catalogue; hot: HotRankings; views: ReadonlyMap<string, number>; now: Date },
  refs: readonly PageRef[],
  pause?: () => Promise<void>,
): Promise<RenderedPage[]> {
  const ids = refs.flatMap((r) => (r.kind === 'article' ? [r.id] : []));
  const shown = [...new Set(refs.flatMap((r) => bodiesShownBy(r, data.catalogue)))];
  const articles = shown.length > 0 ? await deps.articles.getMany(shown) : new Map();
  const uploadIds = ids.flatMap((id) => photoIds(articles.get(id)?.images));
  const photos = deps.photos && uploadIds.length > 0 ? await deps.photos.getMany(uploadIds) : undefined;
  const pages: RenderedPage[] = [];
  for (const ref of refs) {
    const object = renderRef(deps.context, ref, {
      catalogue: data.catalogue,
      articles,
      views: data.views,
      hot: data.hot,
      now: data.now,
      ...(photos ? { photos } : {}),
    });
    if (object) {
      const pending =
        ref.kind === 'article' && photosStillProcessing(articles.get(ref.id)?.images, photos).length > 0;
      pages.push({ ref: refId(ref), object, settled: !pending });
    }
    if (pause) await pause();
  }
  return pages;
}
