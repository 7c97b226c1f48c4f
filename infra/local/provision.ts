// Creates the tables and the bucket locally from the same schemas the CDK stack deploys.
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { KeySchema, TableSchema } from '../../shared/tables.ts';

const keySchema = (schema: KeySchema) => [
  { AttributeName: schema.partitionKey.name, KeyType: 'HASH' as const },
  ...(schema.sortKey ? [{ AttributeName: schema.sortKey.name, KeyType: 'RANGE' as const }] : []),
];

function attributeDefinitions(schema: TableSchema): AttributeDefinition[] {
  const all = new Map<string, 'S' | 'N'>();
  for (const key of [schema, ...schema.indexes]) {
    all.set(key.partitionKey.name, key.partitionKey.type);
    if (key.sortKey) all.set(key.sortKey.name, key.sortKey.type);
  }
  return [...all].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

/** Creates a table if it does not exist yet. */
export async function ensureTable(
  client: DynamoDBClient,
  schema: TableSchema,
  tableName: string,
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(schema),
        AttributeDefinitions: attributeDefinitions(schema),
        ...(schema.indexes.length > 0
          ? {
              GlobalSecondaryIndexes: schema.indexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: keySchema(index),
                Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.attributes] },
              })),
            }
          : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (
      !(error instanceof BucketAlreadyOwnedByYou) &&
      (error as { name?: string }).name !== 'BucketAlreadyExists'
    ) {
      throw error;
    }
  }
}
