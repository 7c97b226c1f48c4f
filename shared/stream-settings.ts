// How the Articles stream feeds `render`: the same settings drive the CDK event source and the local emulation.

/** Only records where an article is, or was, published can change a page. */
export const renderStreamFilters = [
  { dynamodb: { NewImage: { status: { S: ['published'] } } } },
  { dynamodb: { OldImage: { status: { S: ['published'] } } } },
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
