// Turns page references into bucket objects (key, bytes, Content-Type, Cache-Control) through the page registry
// (page-kinds.ts), and writes them through the site-store port: only changed bytes are written, and only written
// keys are invalidated.
import { forEachLimited } from '../concurrency.ts';
import type { CacheInvalidator, SiteObject, SiteStore } from '../ports.ts';
import type { PageRef } from './affected.ts';
import type { Catalogue } from './catalogue.ts';
import type { RenderContext } from './layout.ts';
import { entryOf, type PageData } from './page-kinds.ts';

export { HTML, type PageData, RSS, XML } from './page-kinds.ts';

/**
 * The articles whose bodies a page shows: an article page its own; the feed the opening paragraph of each entry
 * that has no summary (at most FEED_ITEMS, whatever the archive's size).
 */
export const bodiesShownBy = (ref: PageRef, catalogue: Catalogue): string[] =>
  entryOf(ref).bodies?.(ref, catalogue) ?? [];

/** Renders one page, or undefined when the page no longer exists (e.g. its article was unpublished meanwhile). */
export const renderRef = (context: RenderContext, ref: PageRef, data: PageData): SiteObject | undefined =>
  entryOf(ref).render(context, ref, data);

export interface PublishOutcome {
  readonly rendered: number;
  readonly written: string[];
  readonly removed: string[];
}

/** Writes objects and removals, then invalidates exactly the keys that changed. */
export async function publishObjects(
  objects: readonly SiteObject[],
  removeKeys: readonly string[],
  ports: { store: SiteStore; invalidator: CacheInvalidator; concurrency?: number },
): Promise<PublishOutcome> {
  const written: string[] = [];
  const removed: string[] = [];
  const limit = ports.concurrency ?? 16;
  await forEachLimited(objects, limit, async (object) => {
    if (await ports.store.put(object)) written.push(object.key);
  });
  await forEachLimited(removeKeys, limit, async (key) => {
    if (await ports.store.remove(key)) removed.push(key);
  });
  written.sort();
  removed.sort();
  await ports.invalidator.invalidate([...written, ...removed].map((key) => `/${key}`));
  return { rendered: objects.length, written, removed };
}
