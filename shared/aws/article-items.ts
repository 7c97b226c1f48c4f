// Mapping between the Article model and its DynamoDB item, including the derived index keys.
import type { Article } from '../domain/article.ts';

export type ArticleItem = Article & {
  readonly listChannel?: string;
  readonly publishedKey?: string;
  readonly statusKey: string;
};

/** Index keys derive from the article, so they can never disagree with it. */
export function toItem(article: Article): ArticleItem {
  const published = article.status === 'published' && article.publishedAt;
  return {
    ...article,
    statusKey: `${article.updatedAt}#${article.id}`,
    ...(published
      ? { listChannel: article.channel, publishedKey: `${article.publishedAt}#${article.id}` }
      : {}),
  };
}

const DERIVED = new Set(['listChannel', 'publishedKey', 'statusKey']);

export function fromItem(item: Record<string, unknown>): Article {
  const article: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!DERIVED.has(key) && !key.startsWith('_')) article[key] = value;
  }
  return article as unknown as Article;
}
