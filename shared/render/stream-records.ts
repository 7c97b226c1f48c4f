// Stream records to article changes, and to photos whose processing finished (their `upload#<uuid>` records). A
// record whose image cannot be read is reported back by its sequence number (a poison record) instead of failing
// the whole batch.
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { fromItem } from '../aws/article-items.ts';
import { type Article, articleStatuses } from '../domain/article.ts';
import { UPLOAD_ITEM_PREFIX } from '../domain/uploads.ts';
import type { ArticleChange } from './affected.ts';

function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) {
    const n = Number(value.N);
    if (!Number.isFinite(n)) throw new Error('bad number');
    return n;
  }
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return fromImage(value.M);
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  throw new Error('unsupported attribute type');
}

function fromImage(image: Record<string, AttributeValue>): Record<string, unknown> {
  if (typeof image !== 'object' || image === null) throw new Error('image is not a map');
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fromAttribute(v)]));
}

const STATUSES = new Set<string>(articleStatuses);

function toArticle(image: Record<string, AttributeValue> | undefined): Article | undefined {
  if (image === undefined) return undefined;
  const article = fromItem(fromImage(image));
  const text = (k: keyof Article) => typeof article[k] === 'string';
  if (!text('id') || !STATUSES.has(String(article.status))) throw new Error('image has no id or status');
  if (
    article.status === 'published' &&
    !(text('title') && text('body') && text('channel') && text('publishedAt'))
  ) {
    throw new Error('published image lacks title, body, channel or publishedAt');
  }
  if (article.publishedAt !== undefined && Number.isNaN(Date.parse(article.publishedAt))) {
    throw new Error('publishedAt is not a date');
  }
  return article;
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
