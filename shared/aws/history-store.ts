// DynamoDB adapter for an article's history (the History table): audit entries `log#<revision>` and saved copies
// `rev#<revision>` under the article's id. Items are only ever put if absent, in the transaction of their change.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, ChangeRecord, Revision, RevisionSummary } from '../domain/history.ts';
import type { HistoryReader } from '../ports.ts';

const pad = (revision: number) => String(revision).padStart(10, '0');
export const revisionEntry = (revision: number) => `rev#${pad(revision)}`;
export const auditEntry = (revision: number) => `log#${pad(revision)}`;

/** The Put items of a change's record, each refused if its key exists: history is never overwritten. */
export function historyPuts(tableName: string, articleId: string, record: ChangeRecord) {
  const put = (entry: string, item: object) => ({
    Put: {
      TableName: tableName,
      Item: { articleId, entry, ...item },
      ConditionExpression: 'attribute_not_exists(entry)',
    },
  });
  return [
    ...(record.revisions ?? []).map((r) => put(revisionEntry(r.revision), r)),
    put(auditEntry(record.audit.revision), record.audit),
  ];
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { articleId: _id, entry: _entry, ...rest } = item;
  return rest as T;
};

export function dynamoHistory(client: DynamoDBDocumentClient, tableName: string): HistoryReader {
  const query = async (articleId: string, prefix: string, projection?: string) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'articleId = :id AND begins_with(entry, :prefix)',
          ExpressionAttributeValues: { ':id': articleId, ':prefix': prefix },
          ...(projection
            ? {
                ProjectionExpression: projection,
                ExpressionAttributeNames: { '#revision': 'revision', '#at': 'at', '#note': 'note' },
              }
            : {}),
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  return {
    async revisions(id) {
      // The list leaves the texts (up to 100,000 characters each) in the table.
      const items = await query(id, 'rev#', 'articleId, entry, #revision, editor, #at, #note');
      return items.map((item) => strip<RevisionSummary>(item));
    },
    async revision(id, revision) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { articleId: id, entry: revisionEntry(revision) },
          ConsistentRead: true,
        }),
      );
      return Item ? strip<Revision>(Item) : undefined;
    },
    async entries(id) {
      return (await query(id, 'log#')).map((item) => strip<AuditEntry>(item));
    },
  };
}
