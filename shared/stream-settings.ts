// How the Articles stream feeds `render`: the same settings drive the CDK event source and the local emulation.
import { UPLOAD_ITEM_KIND } from './domain/uploads.ts';

/**
 * Writes carrying this attribute (bulk imports) are rendered by one coalesced render command afterwards instead
 * of record by record. Every editorial transition removes it, so later changes to such an article render as usual.
 */
export const BULK_WRITE_MARKER = '_bulk';

const notBulk = { [BULK_WRITE_MARKER]: { S: [{ exists: false }] } } as const;

/**
 * Only records where an article is, or was, published can change a page; and a photo whose processing finished
 * (its upload record, ready), which the pages rendered before it arrived are waiting for.
 */
export const renderStreamFilters = [
  { dynamodb: { NewImage: { status: { S: ['published'] }, ...notBulk } } },
  { dynamodb: { OldImage: { status: { S: ['published'] } }, NewImage: notBulk } },
  { dynamodb: { NewImage: { kind: { S: [UPLOAD_ITEM_KIND] }, state: { S: ['ready'] } } } },
] as const;

export const renderStreamSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  retryAttempts: 3,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  parallelizationFactor: 1,
  /** Stream records older than this are sent to the DLQ rather than retried. */
  maxRecordAgeSeconds: 3600,
} as const;
