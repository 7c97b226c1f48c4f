// The `render-articles` command: articles rendered on request, as if they had just been published.
import type { CommandOf, RenderSummary } from './commands.ts';
import type { RenderDeps } from './deps.ts';
import { renderChangesAndWait } from './photo-waits.ts';
import { ensureAssets } from './publish.ts';

/** Articles rendered on request (ops, the import of a few), as if they had just been published. */
export async function renderArticles(
  command: CommandOf<'render-articles'>,
  deps: RenderDeps,
): Promise<RenderSummary> {
  const started = Date.now();
  const assets = await ensureAssets(deps);
  const articles = await deps.articles.getMany(command.ids);
  const outcome = await renderChangesAndWait(
    [...articles.values()].map((a) => ({ id: a.id, after: a })),
    deps,
  );
  await deps.searchMark.mark();
  const summary = {
    rendered: outcome.rendered,
    written: outcome.written.length + assets.length,
    removed: outcome.removed.length,
  };
  deps.log.info('render command done', { command: command.command, ...summary, ms: Date.now() - started });
  return summary;
}
