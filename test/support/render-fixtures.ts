// Articles for render tests: the seed article and a generated channel history around it.
import { readFileSync } from 'node:fs';
import type { Article } from '../../shared/domain/article.ts';

const seed = JSON.parse(
  readFileSync(new URL('../../infra/local/sample/seed-article.json', import.meta.url), 'utf8'),
) as {
  title: string;
  body: string;
  channel: string;
  publishedAt: string;
  editor: string;
  views: number;
};

export const SEED_ID = '2a8c6bce1fad40bb';
export const SEED_VIEWS = seed.views;

export const seedArticle: Article = {
  id: SEED_ID,
  status: 'published',
  title: seed.title,
  body: seed.body,
  author: '',
  source: '',
  channel: seed.channel,
  summary: '',
  submittedAt: '2022-04-15T10:31:02.000Z',
  updatedAt: '2022-04-15T10:52:40.000Z',
  publishedAt: seed.publishedAt,
  editor: seed.editor,
  revision: 2,
};

export const hexId = (n: number): string => n.toString(16).padStart(16, '0');

/** `count` published articles, one hour apart from 2022-01-01, spread over `channels`. */
export function history(count: number, channels: readonly string[] = ['focus/public-welfare']): Article[] {
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2022, 0, 1) + i * 3_600_000).toISOString();
    return {
      ...seedArticle,
      id: hexId(i + 1),
      title: `第 ${i + 1} 篇:${seed.title}`,
      body: `第 ${i + 1} 篇。\n\n${seed.body.slice(0, 400)}`,
      channel: channels[i % channels.length] ?? 'focus/public-welfare',
      submittedAt: at,
      updatedAt: at,
      publishedAt: at,
    };
  });
}
