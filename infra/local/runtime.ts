// The whole pipeline on one machine: dynalite and s3rver in-process, the stream emulation, the same handlers,
// and a gateway that plays CloudFront plus the HTTP API. `npm start` and the end-to-end tests both use this.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rebuildByFanOut } from '../../functions/render/rebuild-command.ts';
import { toItem } from '../../shared/aws/article-items.ts';
import { batchWriteAll } from '../../shared/aws/dynamo-batch.ts';
import { viewShardKey, viewTotalKey } from '../../shared/aws/view-counts.ts';
import type { SignOff } from '../../shared/domain/roles.ts';
import { createLogger, type Logger } from '../../shared/log.ts';
import { type FunctionName, routedFunctions } from '../../shared/routes.ts';
import { SEARCH_REINDEX_INTERVAL_SECONDS } from '../../shared/search/reindex.ts';
import { renderStreamFilters, renderStreamSettings } from '../../shared/stream-settings.ts';
import { articlesTable, countersTable, historyTable } from '../../shared/tables.ts';
import { handlerEntry, type LambdaName } from '../constructs/bundling.ts';
import { startS3rver } from './aws-servers.ts';
import { RUNTIME_FILE, readRuntimeFile } from './connect.ts';
import { type DatabaseThread, startDatabaseThread } from './database-thread.ts';
import { localNames, useLocalAws, useLocalCredentials } from './environment.ts';
import { startGateway } from './gateway.ts';
import { hotRefreshSecondsFromEnv, startHotRefresh } from './hot-refresh.ts';
import { invokeLocally } from './lambda-context.ts';
import { intervalFromEnv } from './periodic.ts';
import { ensureBucket, ensureTable } from './provision.ts';
import { type PublishTimers, startPublishTimers } from './publish-timers.ts';
import { sampleArticles } from './sample-content.ts';
import { type SearchRefresh, startSearchRefresh } from './search-refresh.ts';
import { StreamEmulator } from './stream.ts';
import { startTtlSweep } from './ttl-sweep.ts';
import { type UploadWatcher, watchUploads } from './upload-events.ts';
import { uploadFormProxy } from './upload-proxy.ts';

export interface RuntimeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  /** Fill an empty site with sample content (default true). */
  readonly seed?: boolean;
  readonly editorToken?: string;
  readonly editorName?: string;
  /** The chief editor's token and name (groups editors and chief-editors); random and `chief` by default. */
  readonly chiefEditorToken?: string;
  readonly chiefEditorName?: string;
  /** Sets SIGN_OFF for the review function: `single` (the site config's default) or `two-step`. */
  readonly signOff?: SignOff;
  readonly log?: Logger;
  /** Seconds between 点击排行 refreshes; 0 turns them off. Default: HOT_REFRESH_SECONDS, else 60. */
  readonly hotRefreshSeconds?: number;
  /** Seconds between looks at the search change mark; 0 turns them off. Default SEARCH_REINDEX_INTERVAL_SECONDS. */
  readonly searchReindexSeconds?: number;
}

export interface Runtime {
  readonly url: string;
  readonly editorToken: string;
  readonly editorName: string;
  readonly chiefEditorToken: string;
  readonly chiefEditorName: string;
  readonly dataDir: string;
  readonly stream: StreamEmulator;
  /** Uploads on their way through the images function; `idle()` resolves once all seen so far are processed. */
  readonly uploads: UploadWatcher;
  /** The search index's timer; `refresh()` builds now if render marked a change (the start-up build included). */
  readonly search: SearchRefresh;
  /** 定时发布: the timers standing in for EventBridge Scheduler (infra/local/publish-timers.ts). */
  readonly publishTimers: PublishTimers;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  /** Runs one function as Lambda would, with the local environment. */
  invoke(fn: LambdaName, event: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** A start-up problem the user can fix; its message is one line that says how. */
export class RuntimeStartError extends Error {
  override name = 'RuntimeStartError';
}

function prepareDataDir(dataDir: string): void {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new RuntimeStartError(
      `DATA_DIR ${dataDir} is a file, not a directory; remove it or set DATA_DIR elsewhere.`,
    );
  }
  try {
    mkdirSync(path.join(dataDir, 's3'), { recursive: true });
    writeFileSync(path.join(dataDir, '.write-test'), '');
  } catch (error) {
    throw new RuntimeStartError(
      `DATA_DIR ${dataDir} is not writable (${(error as Error).message}); fix its permissions or set DATA_DIR elsewhere.`,
    );
  }
}

async function openDynalite(dataDir: string): Promise<DatabaseThread> {
  const server = await startDatabaseThread({ path: path.join(dataDir, 'dynamodb') });
  // dynalite opens LevelDB lazily; a locked or corrupt store only shows on the first request.
  const probe = new DynamoDBClient({ endpoint: server.endpoint, maxAttempts: 1 });
  try {
    await probe.send(new ScanCommand({ TableName: '__probe__', Limit: 1 })).catch((error: Error) => {
      if (error.name !== 'ResourceNotFoundException') throw error;
    });
  } catch (error) {
    await server.close();
    throw new RuntimeStartError(
      `The local database in ${path.join(dataDir, 'dynamodb')} cannot be opened (${(error as Error).message.split('\n')[0]}); ` +
        'stop any other `npm start` using it, or move the folder away to start fresh.',
    );
  } finally {
    probe.destroy();
  }
  return server;
}

async function isEmpty(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const page = await client.send(new ScanCommand({ TableName: tableName, Limit: 1, Select: 'COUNT' }));
  return (page.Count ?? 0) === 0;
}

async function seedSampleContent(client: DynamoDBClient, log: Logger): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const samples = sampleArticles();
  const articleWrites = samples.map((s) => ({ PutRequest: { Item: toItem(s.article) } }));
  const counterWrites = samples
    .filter((s) => s.views > 0)
    .flatMap((s) => [
      { PutRequest: { Item: { ...viewShardKey(s.article.id, 0), n: s.views } } },
      { PutRequest: { Item: { ...viewTotalKey(s.article.id), n: s.views } } },
    ]);
  for (const [table, writes] of [
    [localNames.ARTICLES_TABLE, articleWrites],
    [localNames.COUNTERS_TABLE, counterWrites],
  ] as const) {
    await batchWriteAll(doc, table, writes);
  }
  log.info('seeded sample content', { articles: samples.length });
  return samples.length;
}

function previousEndpoints(dataDir: string): { dynamodb: number; s3: number } {
  const { endpoints } = readRuntimeFile(dataDir);
  const port = (endpoint: string | undefined) => Number(endpoint?.split(':').pop() ?? 0) || 0;
  return { dynamodb: port(endpoints?.dynamodb), s3: port(endpoints?.s3) };
}

async function retryOnBusyPort<T>(port: number, start: (port: number) => Promise<T>): Promise<T> {
  if (!port) return start(0);
  try {
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

/** The functions that exist in this checkout: every routed function, plus render. */
export function localFunctions(): LambdaName[] {
  const names: LambdaName[] = [...routedFunctions(), 'render', 'images', 'search'];
  return names.filter((name) => existsSync(handlerEntry(name)));
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? createLogger({ service: 'local-runtime' });
  const dataDir = path.resolve(options.dataDir ?? '.data');
  prepareDataDir(dataDir);
  // Read by the review function when it loads, like a Lambda environment variable.
  if (options.signOff) process.env.SIGN_OFF = options.signOff;
  // The preview-link signing key, made on first use (AWS: a Secrets Manager secret).
  process.env.PREVIEW_KEY_FILE = path.join(dataDir, 'preview-key');
  useLocalCredentials();

  // Reusing the previous internal ports keeps SDK clients that were built in this process (tests restart the
  // runtime in-process) pointing at the right servers; a port that has been taken meanwhile is replaced.
  const previous = previousEndpoints(dataDir);
  // Absolute URLs in pages (canonical, feed, sitemap) name the gateway; with port 0 the default stands in.
  process.env.SITE_URL ??= `http://${options.host ?? '127.0.0.1'}:${options.port || 3000}`;
  const dynalite = await openDynalite(dataDir);
  const s3 = await retryOnBusyPort(previous.s3, (port) =>
    startS3rver({ directory: path.join(dataDir, 's3'), port }),
  );
  const cleanups: (() => Promise<void>)[] = [() => s3.close(), () => dynalite.close()];

  try {
    const invoke = (name: LambdaName, event: unknown): Promise<unknown> => invokeLocally(name, event);

    const hasRender = existsSync(handlerEntry('render'));
    // After a crash the stream replays its journal as soon as it exists, but the render function must not be loaded
    // before the environment names the local servers: its clients are built at import, and would point at AWS.
    let environmentReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      environmentReady = resolve;
    });
    const stream = new StreamEmulator({
      settings: renderStreamSettings,
      filters: renderStreamFilters,
      directory: path.join(dataDir, 'stream'),
      log,
      consumer: async (event) => {
        await ready;
        if (!hasRender) return undefined;
        return (await invoke('render', event)) as
          | { batchItemFailures: { itemIdentifier: string }[] }
          | undefined;
      },
    });
    cleanups.unshift(() => stream.stop());

    // Every Articles write also reaches the 定时发布 timers, which arm themselves from `scheduled` articles.
    let publishTimers: PublishTimers | undefined;
    const streamTables = [
      {
        tableName: localNames.ARTICLES_TABLE,
        schema: articlesTable,
        publish: (record: Parameters<StreamEmulator['publish']>[0]) => {
          stream.publish(record);
          publishTimers?.observe(record);
        },
      },
    ];
    // The proxy runs on the database's thread; its records come back here to be journaled before it answers.
    const proxy = await retryOnBusyPort(previous.dynamodb, (port) => dynalite.startProxy(port, streamTables));
    cleanups.unshift(() => proxy.close());
    useLocalAws({ dynamodb: proxy.endpoint, s3: s3.endpoint });
    environmentReady();

    const direct = new DynamoDBClient({ endpoint: dynalite.endpoint });
    cleanups.push(async () => direct.destroy());
    await ensureTable(direct, articlesTable, localNames.ARTICLES_TABLE);
    await ensureTable(direct, countersTable, localNames.COUNTERS_TABLE);
    await ensureTable(direct, historyTable, localNames.HISTORY_TABLE);
    const s3Client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true });
    cleanups.push(async () => s3Client.destroy());
    await ensureBucket(s3Client, localNames.SITE_BUCKET);
    await ensureBucket(s3Client, localNames.UPLOADS_BUCKET);
    // S3 → images on the quarantine prefix, as the bucket notification does in AWS.
    const uploads = watchUploads(s3.instance, (event) => invoke('images', event), {
      bucket: localNames.UPLOADS_BUCKET,
      log,
    });
    cleanups.unshift(async () => uploads.stop());

    // Sample content is written straight to dynalite (no stream records); the rebuild below renders it once.
    if (options.seed !== false && (await isEmpty(direct, localNames.ARTICLES_TABLE))) {
      await seedSampleContent(direct, log);
    }
    // Templates may have changed since the last start: a rebuild rewrites only the pages whose bytes changed. It runs
    // as the state machine runs it in AWS: a plan, its slices two at a time (two cores here), and a finish.
    if (hasRender) {
      const started = Date.now();
      await rebuildByFanOut((command) => invoke('render', command), { concurrency: 2 });
      log.info('site rendered', { ms: Date.now() - started });
    }

    // 定时发布: EventBridge Scheduler's stand-in. The sweep arms the articles scheduled before this start, and
    // publishes at once those whose time came while the runtime was stopped.
    const timers = startPublishTimers({
      endpoint: proxy.endpoint,
      tableName: localNames.ARTICLES_TABLE,
      invoke: (event) => invoke('review', event),
      log,
    });
    publishTimers = timers;
    cleanups.unshift(() => timers.stop());
    const scheduled = await timers.sweep();
    if (scheduled > 0) log.info('scheduled articles armed', { scheduled });

    // 点击排行: the EventBridge rule's stand-in (infra/local/hot-refresh.ts).
    if (hasRender) {
      const hot = startHotRefresh({
        seconds:
          options.hotRefreshSeconds ??
          hotRefreshSecondsFromEnv(process.env.HOT_REFRESH_SECONDS, (message) => {
            throw new RuntimeStartError(message);
          }),
        invoke,
        log,
      });
      cleanups.unshift(() => hot.stop());
    }

    // DynamoDB's TTL, which dynalite lacks (infra/local/ttl-sweep.ts): through the proxy, so deletions are streamed.
    const ttl = startTtlSweep({
      endpoint: proxy.endpoint,
      tables: [
        { tableName: localNames.ARTICLES_TABLE, schema: articlesTable },
        { tableName: localNames.COUNTERS_TABLE, schema: countersTable },
      ],
      log,
    });
    cleanups.unshift(() => ttl.stop());

    // 站内搜索: the EventBridge rule's stand-in. The first look builds the index if the site has none yet, or if
    // the rebuild above changed pages; it runs in the background, so a large site starts serving at once.
    const searchSeconds = existsSync(handlerEntry('search'))
      ? (options.searchReindexSeconds ??
        intervalFromEnv(
          'SEARCH_REINDEX_SECONDS',
          process.env.SEARCH_REINDEX_SECONDS,
          SEARCH_REINDEX_INTERVAL_SECONDS,
          (message) => {
            throw new RuntimeStartError(message);
          },
        ))
      : 0;
    const search = startSearchRefresh({ seconds: searchSeconds, invoke, log });
    cleanups.unshift(() => search.stop());
    if (searchSeconds > 0) void search.refresh();

    const editorToken = options.editorToken || randomBytes(24).toString('base64url');
    const editorName = options.editorName || 'admin';
    const chiefEditorToken = options.chiefEditorToken || randomBytes(24).toString('base64url');
    const chiefEditorName = options.chiefEditorName || 'chief';
    const gateway = await startGateway({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 3000,
      editorToken,
      editorName,
      chiefEditorToken,
      chiefEditorName,
      log,
      routeThrottles: process.env.ROUTE_THROTTLES !== 'off',
      uploadForm: uploadFormProxy({ endpoint: s3.endpoint, bucket: localNames.UPLOADS_BUCKET }),
      invoke: async (fn: FunctionName, event) => (await invoke(fn, event)) as never,
      getObject: async (key) => {
        try {
          const object = await s3Client.send(
            new GetObjectCommand({ Bucket: localNames.SITE_BUCKET, Key: key }),
          );
          return {
            body: Buffer.from((await object.Body?.transformToByteArray()) ?? []),
            contentType: object.ContentType ?? 'application/octet-stream',
            ...(object.CacheControl ? { cacheControl: object.CacheControl } : {}),
            ...(object.ETag ? { etag: object.ETag } : {}),
          };
        } catch (error) {
          if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
            return undefined;
          throw error;
        }
      },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new RuntimeStartError(
          `Port ${options.port ?? 3000} is already in use; stop what is using it or choose another, e.g. PORT=3001 npm start.`,
        );
      }
      throw error;
    });
    cleanups.unshift(
      () =>
        new Promise<void>((resolve) => {
          gateway.server.close(() => resolve());
          gateway.server.closeAllConnections();
        }),
    );

    const endpoints = { dynamodb: proxy.endpoint, s3: s3.endpoint };
    writeFileSync(
      path.join(dataDir, RUNTIME_FILE),
      `${JSON.stringify({ pid: process.pid, url: gateway.url, siteUrl: process.env.SITE_URL, endpoints }, null, 2)}\n`,
    );
    // On stop the pid goes, the endpoints stay: the next start tries the same ports.
    cleanups.unshift(async () =>
      writeFileSync(path.join(dataDir, RUNTIME_FILE), `${JSON.stringify({ endpoints }, null, 2)}\n`),
    );

    let stopping: Promise<void> | undefined;
    return {
      url: gateway.url,
      editorToken,
      editorName,
      chiefEditorToken,
      chiefEditorName,
      dataDir,
      stream,
      uploads,
      search,
      publishTimers: timers,
      endpoints,
      invoke,
      stop: () => {
        stopping ??= (async () => {
          for (const cleanup of cleanups) await cleanup().catch(() => undefined);
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}
