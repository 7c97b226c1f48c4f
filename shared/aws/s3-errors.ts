// What S3 answers for a key that does not exist: NoSuchKey to a GET, NotFound to a HEAD, or a bare 404.
export const isMissingObject = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};
