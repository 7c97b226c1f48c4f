// DynamoDB tables built from the shared key schemas.
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../shared/tables.ts';

const attributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

export function tableFromSchema(scope: Construct, schema: TableSchema): Table {
  const table = new Table(scope, schema.logicalName, {
    partitionKey: { name: schema.partitionKey.name, type: attributeType(schema.partitionKey.type) },
    ...(schema.sortKey
      ? { sortKey: { name: schema.sortKey.name, type: attributeType(schema.sortKey.type) } }
      : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(schema.stream ? { stream: StreamViewType.NEW_AND_OLD_IMAGES } : {}),
    ...(schema.timeToLiveAttribute ? { timeToLiveAttribute: schema.timeToLiveAttribute } : {}),
  });
  for (const index of schema.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
      ...(index.sortKey
        ? { sortKey: { name: index.sortKey.name, type: attributeType(index.sortKey.type) } }
        : {}),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...index.attributes],
    });
  }
  return table;
}
