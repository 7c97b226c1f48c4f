// The editor's preview: a submission rendered by the very article template readers will get, as if published now.
import type { Article } from '../domain/article.ts';
import type { UploadRecord } from '../domain/uploads.ts';
import type { RenderContext } from '../render/layout.ts';
import { renderArticlePage } from '../render/pages.ts';

export function renderPreview(
  context: RenderContext,
  article: Article,
  as: { readonly editor: string; readonly now: string },
  /** What processing made of the submission's photos, so the preview shows the gallery readers will get. */
  photos?: ReadonlyMap<string, UploadRecord>,
): string {
  // Same styles, no scripts: a preview must never count a view, and its sandboxed frame could not run them anyway.
  const { assets } = context;
  const stylesOnly = {
    all: assets.all,
    url: (name: string) => (name.endsWith('.js') ? undefined : assets.url(name)),
  };
  return renderArticlePage(
    { ...context, assets: stylesOnly },
    {
      // A pending article shows what publishing it now would show: this editor as 责任编辑, today's date.
      article: {
        ...article,
        publishedAt: article.publishedAt ?? as.now,
        editor: article.status === 'published' ? (article.editor ?? as.editor) : as.editor,
      },
      views: 0,
      photos,
    },
  );
}
