// Stream records to article changes, and to photos whose processing finished (their `upload#<uuid>` records). A
// record whose image cannot be read is reported back by its sequence number (a poison record) instead of failing
// the whole batch.
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { articleFromItem } from '../aws/article-items.ts';
import type { Article } from '../domain/article.ts';
import { UPLOAD_ITEM_PREFIX } from '../domain/uploads.ts';
import type { ArticleChange } from './affected.ts';

/** An image's article: unmarshalled by the SDK's own converter, then checked as an item read back (article-items.ts). */
function toArticle(image: Record<string, AttributeValue> | undefined): Article | undefined {
  if (image === undefined) return undefined;
  if (typeof image !== 'object' || image === null) throw new Error('image is not a map');
  // aws-lambda's AttributeValue and the SDK's are the same wire shape, typed apart.
  return articleFromItem(unmarshall(image as Record<string, SdkAttributeValue>, { wrapNumbers: false }));
}

export type ParsedRecord =
  | { readonly ok: true; readonly change: ArticleChange; readonly sequenceNumber: string }
  /** A photo's processing record was written: pages that waited for it can show it now. */
  | { readonly ok: true; readonly processedPhoto: string; readonly sequenceNumber: string }
  | { readonly ok: false; readonly sequenceNumber: string; readonly reason: string };

export function parseRecord(record: DynamoDBRecord): ParsedRecord {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
  const key = record.dynamodb?.Keys?.id?.S;
  if (key?.startsWith(UPLOAD_ITEM_PREFIX) && key.length > UPLOAD_ITEM_PREFIX.length)
    return { ok: true, processedPhoto: key.slice(UPLOAD_ITEM_PREFIX.length), sequenceNumber };
  try {
    const before = toArticle(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
    const after =
      record.eventName === 'REMOVE'
        ? undefined
        : toArticle(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
    const id = after?.id ?? before?.id ?? (record.dynamodb?.Keys?.id?.S as string | undefined);
    if (!id) throw new Error('record has no article id');
    if ((before && before.id !== id) || (after && after.id !== id))
      throw new Error('images disagree on the id');
    return { ok: true, change: { id, before, after }, sequenceNumber };
  } catch (error) {
    return { ok: false, sequenceNumber, reason: error instanceof Error ? error.message : String(error) };
  }
}
