// `npm run import -- <dir> [--stage name]`: brings a folder of Markdown files with front matter into the pipeline
// as published articles, keeping their dates, views and editors; then renders the affected pages once.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { rebuildUntilDone } from '../../functions/render/rebuild-command.ts';
import { toItem } from '../../shared/aws/article-items.ts';
import { viewShardKey } from '../../shared/aws/view-counts.ts';
import { forEachLimited } from '../../shared/concurrency.ts';
import type { Article } from '../../shared/domain/article.ts';
import { articleFromImport } from '../../shared/domain/imported-article.ts';
import { BULK_WRITE_MARKER } from '../../shared/stream-settings.ts';
import { parseFrontMatter } from './front-matter.ts';
import { progress } from './progress.ts';
import { parseStage, resolveTarget } from './target.ts';

interface FileError {
  readonly file: string;
  readonly reason: string;
}

const MARKDOWN = /\.(md|markdown)$/i;
/** BatchWriteItem requests in flight. */
const WRITES_IN_FLIGHT = 4;

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

/** Fields that decide whether a stored article already is what the file says. */
const SAME_FIELDS = [
  'status',
  'title',
  'body',
  'author',
  'source',
  'channel',
  'summary',
  'publishedAt',
  'editor',
] as const;

export interface ImportOutcome {
  readonly written: string[];
  readonly unchanged: number;
  readonly keptEdited: number;
  readonly errors: FileError[];
}

export async function importDirectory(dir: string, stage?: string): Promise<ImportOutcome> {
  const files = listMarkdown(dir);
  if (files.length === 0) throw new Error(`no Markdown files (*.md) under ${dir}`);
  const target = await resolveTarget(stage);
  console.error(`import: ${files.length} files → ${target.description}`);

  const errors: FileError[] = [];
  const parsed: { article: Article; views: number }[] = [];
  const seenIds = new Map<string, string>();
  const reading = progress({ label: 'read', total: files.length });
  for (const file of files) {
    const relative = path.relative(dir, file);
    const front = parseFrontMatter(readFileSync(file, 'utf8'));
    const result = front.ok ? articleFromImport(front.data, front.body, relative) : front;
    if (!result.ok) errors.push({ file: relative, reason: result.error });
    else if (seenIds.has(result.article.id)) {
      errors.push({
        file: relative,
        reason: `id ${result.article.id} is also used by ${seenIds.get(result.article.id)}`,
      });
    } else {
      seenIds.set(result.article.id, relative);
      parsed.push({ article: result.article, views: result.views });
    }
    reading.tick();
  }
  reading.done(`${parsed.length} valid, ${errors.length} with errors`);

  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const runId = randomUUID();
  const importedAt = new Date().toISOString();
  const toWrite: { article: Article; views: number }[] = [];
  let unchanged = 0;
  let keptEdited = 0;
  for (let i = 0; i < parsed.length; i += 100) {
    const chunk = parsed.slice(i, i + 100);
    const existing = new Map<string, Record<string, unknown>>();
    let keys: Record<string, unknown>[] | undefined = chunk.map((p) => ({ id: p.article.id }));
    while (keys && keys.length > 0) {
      const got: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: { [target.articlesTable]: { Keys: keys } } }),
      );
      for (const item of got.Responses?.[target.articlesTable] ?? []) existing.set(String(item.id), item);
      keys = got.UnprocessedKeys?.[target.articlesTable]?.Keys;
    }
    for (const entry of chunk) {
      const stored = existing.get(entry.article.id);
      if (stored && Number(stored.revision) > 1) keptEdited++;
      else if (stored && SAME_FIELDS.every((f) => stored[f] === entry.article[f])) unchanged++;
      // A changed file rewrites the article with a new updatedAt: the sitemap's lastmod, and what tells a rebuild
      // (shared/aws/rebuild-manifest.ts) that its page must be rendered again.
      else if (stored) toWrite.push({ ...entry, article: { ...entry.article, updatedAt: importedAt } });
      else toWrite.push(entry);
    }
  }

  const writing = progress({ label: 'write', total: toWrite.length });
  const chunks: (typeof toWrite)[] = [];
  for (let i = 0; i < toWrite.length; i += 25) chunks.push(toWrite.slice(i, i + 25));
  // A few batches in flight keep the table busy while the previous answers travel back.
  await forEachLimited(chunks, WRITES_IN_FLIGHT, async (chunk) => {
    const batches = [
      [
        target.articlesTable,
        chunk.map((e) => ({ PutRequest: { Item: { ...toItem(e.article), [BULK_WRITE_MARKER]: runId } } })),
      ],
      [
        target.countersTable,
        chunk
          .filter((e) => e.views > 0)
          .map((e) => ({ PutRequest: { Item: { ...viewShardKey(e.article.id, 0), n: e.views } } })),
      ],
    ] as const;
    for (const [table, requests] of batches) {
      let pending: unknown[] = [...requests];
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
        const result = await client.send(
          new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
        );
        pending = result.UnprocessedItems?.[table] ?? [];
      }
    }
    writing.tick(chunk.length);
  });
  writing.done(
    `${toWrite.length} written, ${unchanged} unchanged, ${keptEdited} kept (edited in the newsroom since)`,
  );

  const written = toWrite.map((e) => e.article.id);
  if (written.length > 0) {
    // One coalesced render: the rebuild command renders exactly the pages whose inputs changed (the new and changed
    // articles, their neighbours, their lists, home, feed and sitemap) and records them in the rebuild manifest, so
    // a later `npm run rebuild` has nothing to do. In AWS it runs again until done if it would outlast the function.
    const started = performance.now();
    const runs = await rebuildUntilDone(target.render);
    const rendered = runs.reduce((n, r) => n + r.rendered, 0);
    const pagesWritten = runs.reduce((n, r) => n + r.written, 0);
    console.error(
      `render: ${rendered} affected pages rendered once, ${pagesWritten} objects written, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  client.destroy();
  return { written, unchanged, keptEdited, errors };
}

async function main(): Promise<void> {
  const { stage, rest } = parseStage(process.argv.slice(2));
  const [dir] = rest;
  if (!dir) throw new Error('usage: npm run import -- <dir> [--stage name]');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  const outcome = await importDirectory(path.resolve(dir), stage);
  for (const error of outcome.errors) console.error(`  ✗ ${error.file}: ${error.reason}`);
  console.error(
    `import: ${outcome.written.length} imported, ${outcome.unchanged} unchanged, ${outcome.keptEdited} kept, ${outcome.errors.length} failed`,
  );
  if (outcome.errors.length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
