// A benchmark corpus: `count` seed-sized Markdown articles with front matter (the import format), varied in
// title, date and channel, in the style of ../shared/seed/seed-article.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { channels } from '../../shared/channels.ts';
import { seedArticle } from '../support/render-fixtures.ts';

export const corpusId = (n: number): string =>
  (0x2a8c6bce00000000n + BigInt(n)).toString(16).padStart(16, '0');

export function writeSeedCorpus(dir: string, count: number, extraFront: readonly string[] = []): void {
  mkdirSync(dir, { recursive: true });
  const leaves = channels.all.filter((c) => c.children.length === 0).map((c) => c.path);
  const paragraphs = (seedArticle.body ?? '').split('\n\n');
  for (let i = 0; i < count; i++) {
    const rotated = [
      ...paragraphs.slice(i % paragraphs.length),
      ...paragraphs.slice(0, i % paragraphs.length),
    ];
    const at = new Date(Date.UTC(2019, 0, 1) + i * 5.5 * 3_600_000).toISOString().replace('.000Z', '+00:00');
    const front = [
      '---',
      `id: "${corpusId(i)}"`,
      `title: "第${i + 1}期:${seedArticle.title}"`,
      `channel: "${leaves[i % leaves.length]}"`,
      `publishedAt: "${at}"`,
      'editor: "admin"',
      `views: ${(i * 37) % 1000}`,
      ...extraFront,
      '---',
    ].join('\n');
    writeFileSync(path.join(dir, `${corpusId(i)}.md`), `${front}\n${rotated.join('\n\n')}\n`);
  }
}
