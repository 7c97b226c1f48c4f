// Each vitest worker gets its own tables and bucket, so files running in parallel never see each other's data.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ensureBucket, ensureTable } from '../../infra/local/provision.ts';
import { articlesTable, countersTable, historyTable } from '../../shared/tables.ts';

const worker = process.env.VITEST_POOL_ID ?? '0';
process.env.ARTICLES_TABLE = `${articlesTable.logicalName}-w${worker}`;
process.env.COUNTERS_TABLE = `${countersTable.logicalName}-w${worker}`;
process.env.HISTORY_TABLE = `${historyTable.logicalName}-w${worker}`;
process.env.SITE_BUCKET = `site-w${worker}`;
process.env.UPLOADS_BUCKET = `uploads-w${worker}`;
// Preview links are signed with a key made on first use, as under DATA_DIR in the local runtime.
process.env.PREVIEW_KEY_FILE = path.join(tmpdir(), `newsroom-preview-key-${process.pid}-w${worker}`);

const ddb = new DynamoDBClient({});
await ensureTable(ddb, articlesTable, process.env.ARTICLES_TABLE);
await ensureTable(ddb, countersTable, process.env.COUNTERS_TABLE);
await ensureTable(ddb, historyTable, process.env.HISTORY_TABLE);
await ensureBucket(new S3Client({ forcePathStyle: true }), process.env.SITE_BUCKET);
await ensureBucket(new S3Client({ forcePathStyle: true }), process.env.UPLOADS_BUCKET);
ddb.destroy();
// Files share their worker's tables one after another: each starts from empty tables, whatever the last one left.
const { resetTables } = await import('./tables.ts');
await resetTables();
