// The editor's preview: a submission rendered by the very article template readers will get, as if published now.
import type { Article } from '../domain/article.ts';
import type { RenderContext } from '../render/layout.ts';
import { renderArticlePage } from '../render/pages.ts';

export function renderPreview(
  context: RenderContext,
  article: Article,
  as: { readonly editor: string; readonly now: string },
): string {
  return renderArticlePage(context, {
    // A pending article shows what publishing it now would show: this editor as 责任编辑, today's date.
    article: {
      ...article,
      publishedAt: article.publishedAt ?? as.now,
      editor: article.status === 'published' ? (article.editor ?? as.editor) : as.editor,
    },
    views: 0,
  });
}
