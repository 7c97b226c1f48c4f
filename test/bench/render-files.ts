// The "ours" side of the render benchmark: Markdown files with front matter in, article pages out as files.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../../shared/domain/article.ts';
import { loadSiteAssets } from '../../shared/render/assets.ts';
import { buildCatalogue, type Listing, toListing } from '../../shared/render/catalogue.ts';
import { renderRef } from '../../shared/render/site.ts';

const parseFile = (file: string): Article => {
  const text = readFileSync(file, 'utf8');
  const end = text.indexOf('\n---\n', 4);
  const meta = Object.fromEntries(
    text
      .slice(4, end)
      .split('\n')
      .map((line) => {
        const at = line.indexOf(':');
        return [
          line.slice(0, at),
          line
            .slice(at + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        ];
      }),
  );
  return {
    id: meta.id ?? '',
    status: 'published',
    title: meta.title ?? '',
    body: text.slice(end + 5),
    author: '',
    source: '',
    channel: meta.channel ?? '',
    summary: '',
    submittedAt: meta.publishedAt ?? '',
    updatedAt: meta.publishedAt ?? '',
    publishedAt: meta.publishedAt ?? '',
    editor: meta.editor ?? '',
    revision: 1,
  };
};

/** Every article in `input`, as the table would hold it. */
export const readArticles = (input: string): Article[] =>
  readdirSync(input)
    .filter((f) => f.endsWith('.md'))
    .map((f) => parseFile(path.join(input, f)));

export const benchContext = () => ({ siteUrl: 'https://news.example.cn', assets: loadSiteAssets() });

/**
 * Renders every article page and writes it under `out`, as
 * Eleventy does, one file after another (Node's promise-based writeFile measured slower here for 15 KB files: it
 * opens, writes and closes in three round trips to the thread pool). Returns the pages written.
 */
export function renderArticlesToFiles(articles: readonly Article[], out: string): number {
  const context = benchContext();
  const catalogue = buildCatalogue(articles.map(toListing).filter((l): l is Listing => Boolean(l)));
  const byId = new Map(articles.map((a) => [a.id, a]));
  const views = new Map<string, number>();
  const dirs = new Set<string>();
  let pages = 0;
  for (const article of articles) {
    const object = renderRef(
      context,
      { kind: 'article', id: article.id },
      { catalogue, articles: byId, views, now: new Date() },
    );
    if (!object) continue;
    const file = path.join(out, object.key);
    const dir = path.dirname(file);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(file, object.body);
    pages++;
  }
  return pages;
}
