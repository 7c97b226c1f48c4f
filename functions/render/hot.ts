// 点击排行 every HOT_REFRESH_INTERVAL_MINUTES: re-ranks the boxes and re-renders only the pages whose box changed.
import type { REFRESH_HOT_COMMAND } from '#shared/domain/views.ts';
import type { PageRef } from '#shared/render/affected.ts';
import { SITE_LIST } from '#shared/render/catalogue.ts';
import { changedHotPaths, hotRankings } from '#shared/render/hot-list.ts';
import type { PublishOutcome } from '#shared/render/site.ts';
import type { RenderSummary } from './commands.ts';
import type { RenderDeps } from './deps.ts';
import { ensureAssets, renderAndPublish, sliceCatalogue, withCatalogue } from './publish.ts';

/**
 * 点击排行: ranks home and every channel's first page from the daily view buckets and re-renders only the pages
 * whose box would list other articles or another order than the stored rankings say, and the news sitemap. The rankings are stored after
 * the pages are written, so a run that fails part-way is redone in full by the next one.
 */
export async function refreshHotLists(deps: RenderDeps): Promise<PublishOutcome & { changed: string[] }> {
  const now = deps.hot.now?.() ?? new Date();
  const [day, week, before] = await Promise.all([
    deps.hot.scores.scores('24h', now),
    deps.hot.scores.scores('7d', now),
    deps.hot.rankings.read(),
  ]);
  // Only the articles viewed in the windows are ranked: their listings are read, not every listing.
  const scored = [...new Set([...day.keys(), ...week.keys()])];
  return withCatalogue(
    deps,
    (moreMonths) => sliceCatalogue(deps, [], scored, moreMonths),
    async (catalogue) => {
      const after = hotRankings(catalogue, { '24h': day, '7d': week });
      const changed = changedHotPaths(before, after);
      const boxes = changed.flatMap((path): PageRef[] =>
        path === SITE_LIST
          ? [{ kind: 'home' }]
          : catalogue.channels.get(path)
            ? [{ kind: 'list', path, page: 'index' }]
            : [],
      );
      // The news sitemap slides with the clock too: articles older than 48 hours leave it within one interval,
      // even when nothing is published (it is written only when its bytes change).
      const outcome = await renderAndPublish(deps, catalogue, [...boxes, { kind: 'news-sitemap' }], [], {
        hot: after,
      });
      if (changed.length > 0) await deps.hot.rankings.write(after);
      return { ...outcome, changed };
    },
  );
}

/** The `refresh-hot` command the schedule sends. */
export async function refreshHotCommand(
  command: typeof REFRESH_HOT_COMMAND,
  deps: RenderDeps,
): Promise<RenderSummary> {
  const started = Date.now();
  const assets = await ensureAssets(deps);
  const outcome = await refreshHotLists(deps);
  const summary = {
    rendered: outcome.rendered,
    written: outcome.written.length + assets.length,
    removed: outcome.removed.length,
  };
  deps.log.info('render command done', {
    command: command.command,
    ...summary,
    changedBoxes: outcome.changed,
    ms: Date.now() - started,
  });
  return summary;
}
