// Photos follow their articles: public while an article that shows them is published, private again after.
import { forEachLimited } from '#shared/concurrency.ts';
import type { Article } from '#shared/domain/article.ts';
import { MEDIA_PREFIX, mediaFilesOf } from '#shared/domain/uploads.ts';
import type { ArticleChange } from '#shared/render/affected.ts';
import { photoIds } from '#shared/render/gallery.ts';
import type { RenderDeps } from './deps.ts';

/** Upload ids of the photos an article shows while it is published; none otherwise. */
const shownPhotos = (article: Article | undefined): string[] =>
  article?.status === 'published' ? photoIds(article.images) : [];

/**
 * Photos follow their articles (docs in README, "Photos"): each photo of an article that is published after the
 * change is made public, and each photo that an article showed before and no longer shows (unpublished, deleted, or
 * dropped from it) is made private again, unless another change of the batch still shows it. Only processed photos
 * have files; one still processing is published when it arrives (renderPhotoArrivals renders its article again).
 */
export async function syncPhotoFiles(
  changes: readonly ArticleChange[],
  deps: RenderDeps,
  step: 'publish' | 'withdraw',
): Promise<string[]> {
  const files = deps.photoFiles;
  if (!files || !deps.photos) return [];
  const shown = new Set(changes.flatMap((c) => shownPhotos(c.after)));
  const ids =
    step === 'publish'
      ? [...shown]
      : [...new Set(changes.flatMap((c) => shownPhotos(c.before)))].filter((id) => !shown.has(id));
  if (ids.length === 0) return [];
  const records = await deps.photos.getMany(ids);
  const changed: string[] = [];
  await forEachLimited([...records.values()], 4, async (record) => {
    if (record.state !== 'ready') return;
    const media = mediaFilesOf(record.variants);
    if (await (step === 'publish' ? files.publish(media) : files.withdraw(media)))
      changed.push(record.uploadId);
  });
  if (changed.length > 0)
    deps.log.info(step === 'publish' ? 'photos made public' : 'photos made private', { uploads: changed });
  // A request before the publish may have left a 404 in CloudFront's cache (one minute), and a withdrawn photo must
  // leave it at once: one wildcard path per photo.
  return changed.map((id) => `/${MEDIA_PREFIX}${id}/*`);
}
