// What an ops command leaves behind, to compare an interrupted-and-resumed run with an uninterrupted one: the Articles
// and Counters tables, every object in the site bucket by its ETag (its bytes), and the rebuild manifest's entries.
// Run markers (the bulk-write id of an import) and the order of the manifest's entries are left out: they differ
// between any two runs. Call it only after the local runtime has set the environment.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { REBUILD_MANIFEST_KEY } from '../../shared/aws/rebuild-manifest.ts';
import { STATE_PREFIX } from '../../shared/site-paths.ts';
import { BULK_WRITE_MARKER } from '../../shared/stream-settings.ts';
import { articlesTable, countersTable, historyTable, type TableSchema } from '../../shared/tables.ts';

export interface SiteState {
  readonly articles: Record<string, unknown>[];
  readonly counters: Record<string, unknown>[];
  /** Key → ETag of every page and asset (state objects apart). */
  readonly objects: Record<string, string>;
  /** The manifest, its entries sorted by page. */
  readonly manifest: unknown;
}

// Built per call, from the environment the runtime has set by then.
const s3 = () => new S3Client({ forcePathStyle: true });
const dynamo = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

const tableName = (schema: TableSchema): string => {
  const variable = {
    [articlesTable.logicalName]: 'ARTICLES_TABLE',
    [countersTable.logicalName]: 'COUNTERS_TABLE',
  };
  return process.env[variable[schema.logicalName] ?? 'HISTORY_TABLE'] ?? schema.logicalName;
};

async function scan(client: DynamoDBDocumentClient, schema: TableSchema): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({ TableName: tableName(schema), ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function listAll(client: S3Client): Promise<{ key: string; etag: string }[]> {
  const found: { key: string; etag: string }[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await client.send(
      new ListObjectsV2Command({ Bucket: process.env.SITE_BUCKET, ContinuationToken }),
    );
    for (const o of page.Contents ?? []) found.push({ key: o.Key ?? '', etag: o.ETag ?? '' });
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return found;
}

const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify([a.id, a.pk, a.sk]) < JSON.stringify([b.id, b.pk, b.sk]) ? -1 : 1;

export async function siteState(): Promise<SiteState> {
  const client = s3();
  const db = dynamo();
  try {
    const objects = await listAll(client);
    const manifestObject = await client.send(
      new GetObjectCommand({ Bucket: process.env.SITE_BUCKET, Key: REBUILD_MANIFEST_KEY }),
    );
    const manifest = JSON.parse((await manifestObject.Body?.transformToString()) ?? '{}') as {
      pages?: Record<string, unknown>;
    };
    return {
      articles: (await scan(db, articlesTable))
        .map(({ [BULK_WRITE_MARKER]: _run, ...item }) => item)
        .sort(byKey),
      counters: (await scan(db, countersTable)).sort(byKey),
      objects: Object.fromEntries(
        objects.filter((o) => !o.key.startsWith(STATE_PREFIX)).map((o) => [o.key, o.etag]),
      ),
      manifest: { ...manifest, pages: Object.fromEntries(Object.entries(manifest.pages ?? {}).sort()) },
    };
  } finally {
    client.destroy();
    db.destroy();
  }
}

/** Deletes every item of the Articles, Counters and History tables. */
export async function emptyTables(): Promise<void> {
  const db = dynamo();
  try {
    for (const schema of [articlesTable, countersTable, historyTable]) {
      const keys = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
      const items = await scan(db, schema);
      for (let i = 0; i < items.length; i += 25) {
        const batch = items.slice(i, i + 25).map((item) => ({
          DeleteRequest: { Key: Object.fromEntries(keys.map((k) => [k, item[k]])) },
        }));
        await db.send(new BatchWriteCommand({ RequestItems: { [tableName(schema)]: batch } }));
      }
    }
  } finally {
    db.destroy();
  }
}

/** Empties the site bucket: every page, asset and state object. Returns how many there were. */
export async function emptySiteBucket(): Promise<number> {
  const client = s3();
  try {
    const objects = await listAll(client);
    for (let i = 0; i < objects.length; i += 1000) {
      await client.send(
        new DeleteObjectsCommand({
          Bucket: process.env.SITE_BUCKET,
          Delete: { Objects: objects.slice(i, i + 1000).map((o) => ({ Key: o.key })) },
        }),
      );
    }
    return objects.length;
  } finally {
    client.destroy();
  }
}
