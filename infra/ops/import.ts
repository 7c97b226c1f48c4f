// `npm run import -- [--from markdown|wordpress|dedecms] <input> [--stage name]`: brings old articles (Markdown files
// with front matter, a WordPress export, DedeCMS tables) into the pipeline as published articles, keeping their
// dates, views and editors, their photos and their old URLs (as 301s); then renders the affected pages once.
// Each source is an adapter (infra/ops/sources/); everything from here on is the same for all of them.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toItem } from '../../shared/aws/article-items.ts';
import { batchGetAll, batchWriteAll } from '../../shared/aws/dynamo-batch.ts';
import { dynamoUploadRecords } from '../../shared/aws/upload-records.ts';
import { viewShardKey, viewTotalKey } from '../../shared/aws/view-counts.ts';
import { forEachLimited } from '../../shared/concurrency.ts';
import type { Article } from '../../shared/domain/article.ts';
import { articleFromImport } from '../../shared/domain/imported-article.ts';
import { type ImageRef, quarantineKey, uploadLimits } from '../../shared/domain/uploads.ts';
import {
  fillImageMarkers,
  type HtmlImage,
  htmlText,
  htmlToMarkdown,
} from '../../shared/migration/html-to-markdown.ts';
import { BULK_WRITE_MARKER } from '../../shared/stream-settings.ts';
import { bringMedia, type ImageSource, type MediaFile, resolveImageSource } from './import-media.ts';
import { type RedirectOutcome, writeRedirects } from './import-redirects.ts';
import { progress } from './progress.ts';
import { rebuildInAws } from './rebuild-aws.ts';
import { redirectStoreClient, syncRedirectStore } from './redirect-store.ts';
import { dedecmsSource } from './sources/dedecms.ts';
import { markdownSource } from './sources/markdown.ts';
import { readChannelMap, type Source, type SourceArticle, type SourceEntry } from './sources/source.ts';
import { isTextEncoding } from './sources/table-files.ts';
import { wordpressSource } from './sources/wordpress.ts';
import { type OpsTarget, parseStage, resolveTarget } from './target.ts';

export interface ItemNote {
  /** The item as its source names it: a file path, `post 12`, `aid 35`. */
  readonly ref: string;
  readonly reason: string;
}

/** BatchWriteItem requests in flight. */
const WRITES_IN_FLIGHT = 4;

/** Fields that decide whether a stored article already is what the source says. */
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
const SAME_LISTS = ['images', 'oldUrls'] as const;

const sameArticle = (stored: Record<string, unknown>, article: Article): boolean =>
  SAME_FIELDS.every((f) => stored[f] === article[f]) &&
  SAME_LISTS.every((f) => JSON.stringify(stored[f] ?? []) === JSON.stringify(article[f] ?? []));

export interface ImportOutcome {
  readonly written: string[];
  readonly unchanged: number;
  readonly keptEdited: number;
  /** Items that could not be imported: the run exits with 1 when there are any. */
  readonly errors: ItemNote[];
  /** Items not meant to be imported (drafts, pages, unmapped categories): listed, not errors. */
  readonly skipped: ItemNote[];
  /** Photos brought in, and images that could not be (their bodies show a caption instead). */
  readonly images: { readonly brought: number; readonly missing: ItemNote[] };
  readonly redirects: RedirectOutcome;
  /** Stopped by its signal (Ctrl-C) before it finished: run it again to continue. */
  readonly interrupted: boolean;
}

export interface ImportOptions {
  readonly stage?: string;
  /** A copy of the old site's upload folder. */
  readonly media?: string;
  /** Stops after the batch in flight (and the render, after its slices in flight), as Ctrl-C does. */
  readonly signal?: AbortSignal;
  /** Source entries per batch (default BATCH). */
  readonly batchSize?: number;
}

export async function importDirectory(dir: string, stage?: string): Promise<ImportOutcome> {
  return importSource(markdownSource(dir), stage ? { stage } : {});
}

interface Prepared {
  readonly item: SourceArticle;
  readonly markdown: string;
  readonly images: readonly { readonly image: HtmlImage; readonly source: ImageSource }[];
}

const placeholder = (alt: string): string => `〔图片：${alt || '原图缺失'}〕`;
const markdownAlt = (alt: string): string => alt.replace(/([[\]\\])/g, '\\$1');
const plain = (html: string): string => htmlText(html).replace(/\s+/g, ' ').trim();

/** An HTML body as Markdown, with its images resolved against the old site; Markdown passes through. */
function prepare(item: SourceArticle, uploadPath: string | undefined): Prepared {
  if (!item.html) return { item, markdown: item.body, images: [] };
  const converted = htmlToMarkdown(item.body);
  const data = { ...item.data, title: plain(item.data.title ?? ''), summary: plain(item.data.summary ?? '') };
  return {
    item: { ...item, data },
    markdown: converted.markdown,
    images: converted.images.map((image) => ({
      image,
      source: resolveImageSource(image.src, item.baseUrl ?? '/', uploadPath),
    })),
  };
}

/** The body with its image markers filled, and the photos it shows (at most a submission's limit). */
function withImages(
  prepared: Prepared,
  media: ReadonlyMap<string, MediaFile>,
  missing: ItemNote[],
): { body: string; images: ImageRef[] } {
  const images: ImageRef[] = [];
  const body = fillImageMarkers(prepared.markdown, (n) => {
    const entry = prepared.images[n];
    if (!entry) return '';
    const { image, source } = entry;
    const alt = image.alt.slice(0, uploadLimits.caption);
    if (source.kind === 'remote')
      return `![${markdownAlt(alt)}](${source.url.replace(/[()\s]/g, encodeURIComponent)})`;
    const file = source.kind === 'media' ? media.get(source.file) : undefined;
    const problem = source.kind === 'unknown' ? source.reason : file?.problem;
    if (!file?.uploadId) {
      missing.push({ ref: prepared.item.ref, reason: `${image.src}: ${problem ?? 'not brought in'}` });
      return placeholder(alt);
    }
    const key = quarantineKey(file.uploadId);
    if (!images.some((i) => i.key === key)) {
      if (images.length >= uploadLimits.perSubmission) {
        missing.push({
          ref: prepared.item.ref,
          reason: `${image.src}: more than ${uploadLimits.perSubmission} photos`,
        });
        return placeholder(alt);
      }
      images.push({ key, caption: alt });
    }
    return `![${markdownAlt(alt)}](${key})`;
  });
  return { body, images };
}

/** Source entries read, converted, compared and written together: what the import holds of the archive at a time. */
const BATCH = 500;

/** The write side of one batch: which articles must be written, and the counts of those that need not be. */
async function compareWithStored(
  client: DynamoDBDocumentClient,
  table: string,
  parsed: readonly { article: Article; views: number }[],
  importedAt: string,
): Promise<{ toWrite: { article: Article; views: number }[]; unchanged: number; keptEdited: number }> {
  const toWrite: { article: Article; views: number }[] = [];
  let unchanged = 0;
  let keptEdited = 0;
  for (let i = 0; i < parsed.length; i += 100) {
    const chunk = parsed.slice(i, i + 100);
    const existing = new Map<string, Record<string, unknown>>();
    const items = await batchGetAll(
      client,
      table,
      chunk.map((p) => ({ id: p.article.id })),
    );
    for (const item of items) existing.set(String(item.id), item);
    for (const entry of chunk) {
      const stored = existing.get(entry.article.id);
      if (stored && Number(stored.revision) > 1) keptEdited++;
      else if (stored && sameArticle(stored, entry.article)) unchanged++;
      // A changed file rewrites the article with a new updatedAt: the sitemap's lastmod, and what tells a rebuild
      // (shared/aws/rebuild-manifest.ts) that its page must be rendered again.
      else if (stored) toWrite.push({ ...entry, article: { ...entry.article, updatedAt: importedAt } });
      else toWrite.push(entry);
    }
  }
  return { toWrite, unchanged, keptEdited };
}

/** The next `size` entries of `entries` (fewer at its end). */
function nextBatch(entries: Iterator<SourceEntry>, size: number): SourceEntry[] {
  const batch: SourceEntry[] = [];
  while (batch.length < size) {
    const next = entries.next();
    if (next.done) break;
    batch.push(next.value);
  }
  return batch;
}

/** What the redirect map needs of an article; the rest of it is not kept past its batch. */
type RedirectSubject = Pick<Article, 'id' | 'publishedAt' | 'oldUrls'>;

/**
 * The source is read, converted, compared with the table and written BATCH entries at a time, so the import holds one
 * batch of bodies whatever the archive's size (what it keeps across batches: the ids seen, for duplicates, and the
 * old URLs, for the redirect map). A run stopped by `signal` (Ctrl-C) finishes the batch in flight and returns
 * `interrupted`; running it again continues: ids come from the source, so what the first run stored compares as
 * unchanged, and the render at the end renders what no run has rendered yet (the rebuild manifest knows).
 */
export async function importSource(source: Source, options: ImportOptions = {}): Promise<ImportOutcome> {
  const target = await resolveTarget(options.stage);
  // Checked before anything is written: old URLs would otherwise be recorded with nowhere at the edge to answer them.
  if (options.stage && !target.redirectStoreArn) {
    throw new Error(
      `stage "${options.stage}" has no RedirectStoreArn output (deployed before old-URL redirects); deploy it again first.`,
    );
  }
  console.error(`import: ${source.description}: ${source.count} items → ${target.description}`);

  const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const errors: ItemNote[] = [];
  const skipped: ItemNote[] = [];
  const missingImages: ItemNote[] = [];
  const media = new Map<string, MediaFile>();
  const seenIds = new Map<string, string>();
  const redirectSubjects: RedirectSubject[] = [];
  const written: string[] = [];
  const runId = randomUUID();
  const importedAt = new Date().toISOString();
  let articles = 0;
  let unchanged = 0;
  let keptEdited = 0;
  let interrupted = false;
  // Time spent per phase, summed over the batches (`npm run bench:import` reads these lines).
  const phaseMs = { read: 0, photos: 0, write: 0 };
  const since = (t: number) => performance.now() - t;

  const bar = progress({ label: 'import', total: source.count });
  const entries = source.entries[Symbol.iterator]();
  for (;;) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    // Entries are read (files opened, bodies converted) as they are iterated, so this phase times all of it.
    let started = performance.now();
    const batch = nextBatch(entries, options.batchSize ?? BATCH);
    if (batch.length === 0) break;
    const prepared: Prepared[] = [];
    for (const entry of batch) {
      if (entry.kind === 'failed') errors.push({ ref: entry.ref, reason: entry.reason });
      else if (entry.kind === 'skipped') skipped.push({ ref: entry.ref, reason: entry.reason });
      else prepared.push(prepare(entry.article, source.uploadPath));
    }
    phaseMs.read += since(started);

    started = performance.now();
    const newFiles = [
      ...new Set(
        prepared.flatMap((p) => p.images.flatMap(({ source: s }) => (s.kind === 'media' ? [s.file] : []))),
      ),
    ].filter((file) => !media.has(file));
    if (newFiles.length > 0) {
      const brought = await bringMedia(newFiles, options.media, {
        s3,
        uploadsBucket: target.uploadsBucket,
        records: dynamoUploadRecords(client, target.articlesTable),
      });
      for (const [file, entry] of brought) media.set(file, entry);
    }
    phaseMs.photos += since(started);

    started = performance.now();
    const parsed: { article: Article; views: number }[] = [];
    for (const p of prepared) {
      const { body, images } = withImages(p, media, missingImages);
      const result = articleFromImport(p.item.data, body, p.item.ref, images);
      if (!result.ok) errors.push({ ref: p.item.ref, reason: result.error });
      else if (seenIds.has(result.article.id)) {
        errors.push({
          ref: p.item.ref,
          reason: `id ${result.article.id} is also used by ${seenIds.get(result.article.id)}`,
        });
      } else {
        seenIds.set(result.article.id, p.item.ref);
        const article: Article =
          p.item.oldUrls.length > 0 ? { ...result.article, oldUrls: p.item.oldUrls } : result.article;
        parsed.push({ article, views: result.views });
        if (article.oldUrls || (source.dedecmsRule && article.id.startsWith('dede'))) {
          redirectSubjects.push({
            id: article.id,
            ...(article.publishedAt ? { publishedAt: article.publishedAt } : {}),
            ...(article.oldUrls ? { oldUrls: article.oldUrls } : {}),
          });
        }
      }
    }
    phaseMs.read += since(started);

    started = performance.now();
    const compared = await compareWithStored(client, target.articlesTable, parsed, importedAt);
    unchanged += compared.unchanged;
    keptEdited += compared.keptEdited;
    articles += parsed.length;
    await writeArticles(client, target, compared.toWrite, runId);
    for (const e of compared.toWrite) written.push(e.article.id);
    phaseMs.write += since(started);
    bar.tick(batch.length);
  }
  // A stopped run leaves the source's reader mid-file: close it (its file, and a streaming source's spool) now.
  entries.return?.();
  bar.done(
    `${articles} articles (${written.length} written, ${unchanged} unchanged, ${keptEdited} kept: edited in the newsroom since), ` +
      `${skipped.length} skipped, ${errors.length} with errors${interrupted ? '; interrupted: run the same command again to continue' : ''}`,
  );
  for (const [phase, ms] of Object.entries(phaseMs))
    if (phase !== 'photos' || media.size > 0)
      console.error(`${phase}: summed over the batches in ${(ms / 1000).toFixed(1)} s`);

  const outcomeOf = (redirects: RedirectOutcome): ImportOutcome => {
    const brought = new Set([...media.values()].flatMap((m) => (m.uploadId ? [m.uploadId] : []))).size;
    return {
      written,
      unchanged,
      keptEdited,
      errors,
      skipped,
      images: { brought, missing: missingImages },
      redirects,
      interrupted,
    };
  };
  if (interrupted) {
    client.destroy();
    s3.destroy();
    return outcomeOf({ total: 0, stored: 0, computed: 0, bytes: 0, refused: [], map: {} });
  }

  const redirects = await writeRedirects(redirectSubjects, source.dedecmsRule === true, {
    s3,
    bucket: target.siteBucket,
  });
  // In AWS the edge reads the map from the stage's KeyValueStore: make it hold what was just written.
  const store = target.redirectStoreArn
    ? await syncRedirectStore(redirects.map, { client: redirectStoreClient(), arn: target.redirectStoreArn })
    : undefined;
  if (store) {
    console.error(
      `redirects: KeyValueStore ${store.put} put, ${store.deleted} deleted, ${store.unchanged} unchanged ` +
        `(${store.updates} UpdateKeys calls${store.conflicts > 0 ? `, ${store.conflicts} retried after a concurrent change` : ''})`,
    );
  }

  if (articles > 0) {
    // One coalesced render: the rebuild renders exactly the pages whose inputs changed (the new and changed
    // articles, their neighbours, their lists, home, feed and sitemap) and records them in the rebuild manifest, so
    // a later `npm run rebuild` has nothing to do. It runs even when this run wrote nothing: an earlier run stopped
    // before its render left pages to render, and with none left it renders nothing. Locally it runs here, with a
    // progress bar, and stops on the same signal; in AWS a run of the rebuild state machine renders it, followed here.
    const started = performance.now();
    let rendered: number;
    let pagesWritten: number;
    if (target.inProcess) {
      const { rebuildLocal } = await import('./rebuild.ts');
      const outcome = await rebuildLocal(options.signal ? { signal: options.signal } : {});
      rendered = outcome.rendered;
      pagesWritten = outcome.written;
      interrupted = outcome.interrupted;
    } else {
      // In AWS the rebuild state machine fans the render out, as `npm run rebuild -- --stage` does.
      if (!target.rebuildStateMachineArn)
        throw new Error('the stage has no RebuildStateMachineArn output; deploy it again first.');
      const summary = await rebuildInAws(target.rebuildStateMachineArn, {}, (line) => console.error(line));
      rendered = summary?.rendered ?? 0;
      pagesWritten = summary?.written ?? 0;
    }
    console.error(
      `render: ${rendered} affected pages rendered once, ${pagesWritten} objects written${interrupted ? ' (interrupted: run the same command again to finish)' : ''}, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  client.destroy();
  s3.destroy();
  return outcomeOf(redirects);
}

/**
 * Writes a batch's articles and their view counters, WRITES_IN_FLIGHT BatchWriteItem calls at a time. The counters
 * go first: a stored article is what a later run takes as done, so it must never be stored without its counts.
 */
async function writeArticles(
  client: DynamoDBDocumentClient,
  target: Pick<OpsTarget, 'articlesTable' | 'countersTable'>,
  toWrite: readonly { article: Article; views: number }[],
  runId: string,
): Promise<void> {
  const chunks: (typeof toWrite)[] = [];
  for (let i = 0; i < toWrite.length; i += 25) chunks.push(toWrite.slice(i, i + 25));
  // A few batches in flight keep the table busy while the previous answers travel back.
  await forEachLimited(chunks, WRITES_IN_FLIGHT, async (chunk) => {
    const viewed = chunk.filter((e) => e.views > 0);
    const batches = [
      [
        target.countersTable,
        viewed.map((e) => ({ PutRequest: { Item: { ...viewShardKey(e.article.id, 0), n: e.views } } })),
      ],
      // The total that GET /api/views reads (one key per id), equal to the shard just written.
      [
        target.countersTable,
        viewed.map((e) => ({ PutRequest: { Item: { ...viewTotalKey(e.article.id), n: e.views } } })),
      ],
      [
        target.articlesTable,
        chunk.map((e) => ({ PutRequest: { Item: { ...toItem(e.article), [BULK_WRITE_MARKER]: runId } } })),
      ],
    ] as const;
    // In order, each with unprocessed-item retries and backoff: the counters before the article.
    for (const [table, requests] of batches) await batchWriteAll(client, table, requests);
  });
}

const USAGE =
  'usage: npm run import -- [--from markdown|wordpress|dedecms] <dir, export.xml or dump.sql> [--channels map.json] ' +
  '[--media uploads-dir] [--encoding utf8|gbk] [--stage name]';

/** `--name value` and `--name=value` options, the rest positional. */
export function parseImportArgs(args: readonly string[]): { options: Map<string, string>; rest: string[] } {
  const options = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--(from|channels|media|encoding)(?:=(.*))?$/.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') throw new Error(`--${match[1]} needs a value. ${USAGE}`);
    options.set(match[1] ?? '', value);
  }
  return { options, rest };
}

/** The source `--from` names, checked before anything is read. */
export function sourceFor(from: string, input: string, options: ReadonlyMap<string, string>): Source {
  if (from !== 'markdown' && from !== 'wordpress' && from !== 'dedecms') {
    throw new Error(`--from must be markdown, wordpress or dedecms (got "${from}")`);
  }
  if (!existsSync(input)) throw new Error(`${input} does not exist`);
  if (from === 'markdown') {
    if (!statSync(input).isDirectory()) throw new Error(`${input} is not a directory`);
    return markdownSource(path.resolve(input));
  }
  const mapFile = options.get('channels');
  if (!mapFile) throw new Error(`--from ${from} needs --channels <map.json>: old category → channel path`);
  const channels = readChannelMap(mapFile);
  if (from === 'wordpress') return wordpressSource({ file: input, channels });
  if (!statSync(input).isDirectory() && !/\.sql$/i.test(input))
    throw new Error(`${input} is neither a directory of table exports nor an SQL dump (.sql)`);
  const encoding = options.get('encoding');
  if (encoding !== undefined && !isTextEncoding(encoding))
    throw new Error(`--encoding must be utf8 or gbk (got "${encoding}")`);
  return dedecmsSource({ input, channels, ...(encoding ? { encoding } : {}) });
}

const listNotes = (mark: string, notes: readonly ItemNote[]) => {
  for (const note of notes) console.error(`  ${mark} ${note.ref}: ${note.reason}`);
};

async function main(): Promise<void> {
  const { stage, rest: args } = parseStage(process.argv.slice(2));
  const { options, rest } = parseImportArgs(args);
  const [input] = rest;
  if (!input || rest.length > 1) throw new Error(USAGE);
  const source = sourceFor(options.get('from') ?? 'markdown', input, options);
  const media = options.get('media');
  if (media && !(existsSync(media) && statSync(media).isDirectory()))
    throw new Error(`--media ${media} is not a directory`);
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.error('\nimport: stopping after the batch in flight… (Ctrl-C again to quit now)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const outcome = await importSource(source, {
    ...(stage ? { stage } : {}),
    ...(media ? { media } : {}),
    signal: controller.signal,
  });
  listNotes('–', outcome.skipped);
  listNotes('✗', outcome.errors);
  listNotes('▫', outcome.images.missing);
  listNotes('↷', outcome.redirects.refused);
  const imported = outcome.written.length + outcome.unchanged + outcome.keptEdited;
  console.error(
    `import: ${imported} imported (${outcome.written.length} written, ${outcome.unchanged} unchanged, ${outcome.keptEdited} kept), ` +
      `${outcome.skipped.length} skipped, ${outcome.errors.length} failed; ` +
      `${outcome.images.brought} photos, ${outcome.images.missing.length} images missing; ` +
      `${outcome.redirects.total} old URLs answered (${outcome.redirects.stored} in the redirect map, ${outcome.redirects.computed} by the DedeCMS rule)`,
  );
  if (outcome.interrupted) {
    console.error('import: interrupted; run the same command again to continue where it stopped');
    process.exitCode = 130;
  } else if (outcome.errors.length > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
