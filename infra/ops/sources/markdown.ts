// The default source: a folder of Markdown files with front matter (infra/ops/front-matter.ts), ids from their paths.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importIdFor } from '../../../shared/domain/imported-article.ts';
import { parseFrontMatter } from '../front-matter.ts';
import type { Source, SourceEntry } from './source.ts';

const MARKDOWN = /\.(md|markdown)$/i;

function listMarkdown(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (MARKDOWN.test(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

export function markdownSource(dir: string): Source {
  const files = listMarkdown(dir);
  if (files.length === 0) throw new Error(`no Markdown files (*.md) under ${dir}`);
  function* entries(): Iterable<SourceEntry> {
    for (const file of files) {
      const ref = path.relative(dir, file);
      const front = parseFrontMatter(readFileSync(file, 'utf8'));
      if (!front.ok) yield { kind: 'failed', ref, reason: front.error };
      else {
        yield {
          kind: 'article',
          article: {
            ref,
            data: { ...front.data, id: front.data.id || importIdFor(ref) },
            body: front.body,
            html: false,
            oldUrls: [],
          },
        };
      }
    }
  }
  return { description: `${files.length} files`, count: files.length, entries: entries() };
}
