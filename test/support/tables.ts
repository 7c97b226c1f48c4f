// Helpers to inspect and reset the local tables between tests.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../../shared/env.ts';
import { articlesTable, countersTable, historyTable, type TableSchema } from '../../shared/tables.ts';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const names = requireEnv('ARTICLES_TABLE', 'COUNTERS_TABLE', 'HISTORY_TABLE');

export async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function clear(schema: TableSchema, tableName: string): Promise<void> {
  const items = await scanAll(tableName);
  const keyNames = [schema.partitionKey.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((item) => ({
      DeleteRequest: { Key: Object.fromEntries(keyNames.map((k) => [k, item[k]])) },
    }));
    await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
  }
}

export async function resetTables(): Promise<void> {
  await clear(articlesTable, names.ARTICLES_TABLE);
  await clear(countersTable, names.COUNTERS_TABLE);
  await clear(historyTable, names.HISTORY_TABLE);
}

export const historyItems = () => scanAll(names.HISTORY_TABLE);

export const articleItems = () => scanAll(names.ARTICLES_TABLE);
