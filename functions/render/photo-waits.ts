// Article pages rendered before their photos were processed: recorded as waiting, and rendered again when the
// photos' processing records arrive on the stream.
import type { ArticleChange } from '#shared/render/affected.ts';
import type { PublishOutcome } from '#shared/render/site.ts';
import type { RenderDeps } from './deps.ts';
import { combined, NOTHING, renderChanges, type Waiting } from './publish.ts';

/** A wait is forgotten after a week: a photo whose upload never reached processing would keep its page waiting. */
const PHOTO_WAIT_MS = 7 * 86_400_000;
/** Photos that arrive while their pages are being re-rendered are followed this many times, then left to the next. */
const PHOTO_ROUNDS = 3;

/**
 * Records that these pages wait for photos, and returns the photos among them that were processed meanwhile: a
 * photo whose record was written between the render's read and this write found no page waiting for it.
 */
async function recordPhotoWaits(deps: RenderDeps, waiting: Waiting): Promise<string[]> {
  if (waiting.size === 0 || !deps.photos) return [];
  const now = deps.hot.now?.() ?? new Date();
  await deps.photoWaits.update((waits) => {
    for (const [id, wait] of waits)
      if (now.getTime() - Date.parse(wait.since) > PHOTO_WAIT_MS) waits.delete(id);
    for (const [id, uploads] of waiting)
      waits.set(id, { uploads, since: waits.get(id)?.since ?? now.toISOString() });
    return true;
  });
  const uploads = [...new Set([...waiting.values()].flat())];
  return [...(await deps.photos.getMany(uploads)).keys()];
}

/** Re-renders the article pages that waited for any of `arrived` (processed photos), and what they affect. */
export async function renderPhotoArrivals(
  deps: RenderDeps,
  arrived: readonly string[],
  round = 1,
): Promise<PublishOutcome> {
  if (arrived.length === 0) return NOTHING;
  let due: string[] = [];
  await deps.photoWaits.update((waits) => {
    due = [...waits].flatMap(([id, wait]) => (wait.uploads.some((u) => arrived.includes(u)) ? [id] : []));
    for (const id of due) waits.delete(id);
    return due.length > 0;
  });
  if (due.length === 0) return NOTHING;
  const articles = await deps.articles.getMany(due);
  const changes = [...articles.values()].flatMap((a) =>
    a.status === 'published' ? [{ id: a.id, before: a, after: a }] : [],
  );
  const outcome = await renderChanges(changes, deps);
  const late = await recordPhotoWaits(deps, outcome.waiting);
  deps.log.info('pages re-rendered with their processed photos', { articles: changes.map((c) => c.id) });
  return round >= PHOTO_ROUNDS
    ? outcome
    : combined(outcome, await renderPhotoArrivals(deps, late, round + 1));
}

/** Renders `changes`; pages shown without photos still processing are re-rendered when those arrive. */
export async function renderChangesAndWait(
  changes: readonly ArticleChange[],
  deps: RenderDeps,
): Promise<PublishOutcome> {
  const outcome = await renderChanges(changes, deps);
  return combined(outcome, await renderPhotoArrivals(deps, await recordPhotoWaits(deps, outcome.waiting)));
}
