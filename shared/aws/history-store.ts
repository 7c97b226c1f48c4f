// DynamoDB adapter for an article's history (the History table): audit entries `log#<revision>` and saved copies
// `rev#<revision>` under the article's id. Items are only ever put if absent, in the transaction of their change.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as v from 'valibot';
import { type AuditEntry, auditActions, type ChangeRecord, type RevisionSummary } from '../domain/history.ts';
import type { HistoryReader } from '../ports.ts';
import { readItem, storedEditor, storedNumber, storedObject, storedString } from '../schema.ts';

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

// v.object keeps only the declared attributes: the keys (articleId, entry) stay behind.
const editorRef = storedEditor();
const summaryEntries = {
  revision: storedNumber(),
  editor: editorRef,
  at: storedString(),
  note: v.optional(storedString()),
};
const revisionSummarySchema = v.object(summaryEntries, storedObject());
const revisionSchema = v.object(
  {
    ...summaryEntries,
    text: v.object(
      {
        title: storedString(),
        body: storedString(),
        author: storedString(),
        source: storedString(),
        channel: storedString(),
        summary: storedString(),
        images: v.optional(
          v.array(
            v.object(
              { key: storedString(), caption: storedString(), alt: v.optional(storedString()) },
              storedObject('must be a photo'),
            ),
            'must be a list of photos',
          ),
        ),
      },
      storedObject('must be the saved text'),
    ),
  },
  storedObject(),
);
const auditEntrySchema = v.object(
  {
    ...summaryEntries,
    action: v.picklist(auditActions, 'must be an audit action'),
  },
  storedObject(),
);

const KEY = ['articleId', 'entry'] as const;

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
      return items.map((item): RevisionSummary => readItem(revisionSummarySchema, item, 'revision', KEY));
    },
    async revision(id, revision) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { articleId: id, entry: revisionEntry(revision) },
          ConsistentRead: true,
        }),
      );
      return Item ? readItem(revisionSchema, Item, 'revision', KEY) : undefined;
    },
    async entries(id) {
      return (await query(id, 'log#')).map(
        (item): AuditEntry => readItem(auditEntrySchema, item, 'audit entry', KEY),
      );
    },
  };
}
